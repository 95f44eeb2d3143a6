"""An article's address changed (its slug, or its publish date): what readers and other sites link to keeps working.

Each old address of a page readers could see leads to its new one for good, as WordPress does with an old slug:
rows of django.contrib.redirects (301), which editors also see and add to in the admin (Redirects), answered by
config.redirects.RedirectFallbackMiddleware wherever the site would otherwise say "not found". Apps with addresses
below an article's (the comments app: its comment feeds) add theirs on `moved`.
"""

import functools
import logging

from django.contrib.redirects.models import Redirect
from django.contrib.sites.models import Site
from django.dispatch import Signal, receiver
from django.urls import get_resolver, reverse

from .converters import PERMALINK

logger = logging.getLogger(__name__)

# sender: Article; article: the article, saved at its new address; old: the permalink_kwargs of its old one.
moved = Signal()

# The longest address a redirect keeps, from or to.
PATH_LENGTH = min(Redirect._meta.get_field(name).max_length for name in ("old_path", "new_path"))


@functools.cache  # the site's routes are read once: they do not change while it runs
def slug_room() -> int:
    """How long an article's slug may be for each of its addresses to be kept in a redirect when it moves: its
    permalink and the longest fixed address below it (its comments' Atom feed, /YYYY/MM/DD/slug/feed/atom/)."""
    permalink = len(reverse("articles:detail", kwargs={"year": 2000, "month": 1, "day": 1, "slug": "a"})) - 1
    return PATH_LENGTH - permalink - max(map(len, _suffixes_below_the_permalink(get_resolver().url_patterns, "")))


def _suffixes_below_the_permalink(patterns, prefix: str) -> list[str]:
    """The fixed ends of the site's routes that start with an article's permalink ("" for the permalink itself);
    not those with a part of their own (a page of comments, comment-page-<number>/), which no move leads on."""
    found = []
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if hasattr(pattern, "url_patterns"):
            found += _suffixes_below_the_permalink(pattern.url_patterns, route)
        elif route.startswith(PERMALINK) and "<" not in route.removeprefix(PERMALINK):
            found.append(route.removeprefix(PERMALINK))
    return found


def lead_on(old_path: str, new_path: str) -> bool:
    """Send `old_path` on to `new_path` for good. Only what led to the article changes: the redirects to its old
    address now lead straight to the new one (no chains; one that would now lead to itself goes), and its old address
    gets one unless it has one already. A redirect someone made for another address, or for the article's new
    one (an editor's 410 there, say), is never overwritten or removed by an article moving: it is inert while the
    article is there, and answers again once it leaves. True when the old address leads to the new one now.

    An address longer than a redirect keeps (PATH_LENGTH) is left: the save that moved the article goes through."""
    if old_path == new_path:
        return False
    if max(len(old_path), len(new_path)) > PATH_LENGTH:
        logger.warning("%s no longer leads to %s: an address this long is not kept in a redirect.", old_path, new_path)
        return False
    site = Site.objects.get_current()
    Redirect.objects.filter(site=site, new_path=old_path).update(new_path=new_path)
    Redirect.objects.filter(site=site, old_path=new_path, new_path=new_path).delete()
    redirect, _ = Redirect.objects.get_or_create(site=site, old_path=old_path, defaults={"new_path": new_path})
    return redirect.new_path == new_path


@receiver(moved)
def the_article_page_moved(sender, article, old: dict, **kwargs) -> None:
    lead_on(reverse("articles:detail", kwargs=old), article.get_absolute_url())
