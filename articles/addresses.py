"""An article's address changed (its slug, or its publish date): what readers and other sites link to keeps working.

Each old address of a page readers could see leads to its new one for good, as WordPress does with an old slug:
rows of django.contrib.redirects (301), which editors also see and add to in the admin (Redirects), answered by
config.redirects.RedirectFallbackMiddleware wherever the site would otherwise say "not found". Apps with addresses
below an article's (the comments app: its comment feeds) add theirs on `moved`.
"""

from django.contrib.redirects.models import Redirect
from django.contrib.sites.models import Site
from django.dispatch import Signal, receiver
from django.urls import reverse

# sender: Article; article: the article, saved at its new address; old: the permalink_kwargs of its old one.
moved = Signal()


def lead_on(old_path: str, new_path: str) -> None:
    """Send `old_path` to `new_path` for good; addresses that led to `old_path` now lead straight to `new_path` (no
    chain of redirects), and `new_path` itself no longer leads anywhere else (the article is there again)."""
    if old_path == new_path:
        return
    site = Site.objects.get_current()
    Redirect.objects.filter(site=site, new_path=old_path).update(new_path=new_path)
    Redirect.objects.filter(site=site, old_path=new_path).delete()
    Redirect.objects.update_or_create(site=site, old_path=old_path, defaults={"new_path": new_path})


@receiver(moved)
def the_article_page_moved(sender, article, old: dict, **kwargs) -> None:
    lead_on(reverse("articles:detail", kwargs=old), article.get_absolute_url())
