"""The site's full addresses in its pages, as its feeds and sitemap write them (Django's, from the request): on the
site's domain (Sites in the admin), whatever host name the request came by, with the scheme it came with. A page
asked by another host name the site answers (ALLOWED_HOSTS) names the site's own address, as WordPress names its
Site Address: search engines and shares then know one address for each page. Emails and downloads, read away from
any request, are written by config.email.absolute_url."""

from urllib.parse import urljoin

from django.contrib.sites.shortcuts import get_current_site
from django.http import HttpRequest
from django.utils.encoding import iri_to_uri


def site_url(request: HttpRequest, location: str = "/") -> str:
    """The full address of `location` (a path, or an address relative to the page asked) on the site's domain; an
    address on another site is left as it is. Django's request.build_absolute_uri, with the site's domain."""
    # The current Site is kept in the process (config.pagecache clears it when the site changes): no query.
    page = f"{request.scheme}://{get_current_site(request).domain}{request.path}"
    return iri_to_uri(urljoin(page, str(location)))
