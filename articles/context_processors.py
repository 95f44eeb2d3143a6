from django.contrib.sites.shortcuts import get_current_site
from django.http import HttpRequest

from config import pagecache

from .models import Page


def site(request: HttpRequest) -> dict:
    """The site's name, for the header and page titles; the site's pages its footer links to (read only by a
    template that shows them: the admin's pages do not)."""
    return {"site_name": get_current_site(request).name, "footer_pages": footer_pages}


def footer_pages() -> list[tuple[str, str]]:
    """The title and address of each page linked in the footer, kept with the site (a page saved changes it)."""

    def read() -> list[tuple[str, str]]:
        return [(page.title, page.get_absolute_url()) for page in Page.objects.in_footer().only("title", "slug")]

    return pagecache.site_kept("footer-pages", read)
