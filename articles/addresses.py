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


def lead_on(old_path: str, new_path: str) -> bool:
    """Send `old_path` on to `new_path` for good. Only what led to the article changes: the redirects to its old
    address now lead straight to the new one (no chains; one that would now lead to itself goes), and its old address
    gets one unless it has one already. A redirect someone made for another address, or for the article's new
    one (an editor's 410 there, say), is never overwritten or removed by an article moving: it is inert while the
    article is there, and answers again once it leaves. True when the old address leads to the new one now."""
    if old_path == new_path:
        return False
    site = Site.objects.get_current()
    Redirect.objects.filter(site=site, new_path=old_path).update(new_path=new_path)
    Redirect.objects.filter(site=site, old_path=new_path, new_path=new_path).delete()
    redirect, _ = Redirect.objects.get_or_create(site=site, old_path=old_path, defaults={"new_path": new_path})
    return redirect.new_path == new_path


@receiver(moved)
def the_article_page_moved(sender, article, old: dict, **kwargs) -> None:
    lead_on(reverse("articles:detail", kwargs=old), article.get_absolute_url())
