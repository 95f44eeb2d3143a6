"""The site's redirects: old addresses that lead on, for good, to new ones (django.contrib.redirects), and the
site's other host name (www. or not) to its own."""

from collections.abc import Callable
from urllib.parse import urlsplit

from django.contrib.redirects import middleware
from django.contrib.redirects.models import Redirect
from django.contrib.sites.models import Site
from django.contrib.sites.shortcuts import get_current_site
from django.http import HttpResponsePermanentRedirect
from django.template.response import TemplateResponse
from django.utils.encoding import escape_uri_path

# Asked of the address a redirect leads to on the site before leading there: the apps say whether readers find what
# is there now (register_shown_check).
_shown_checks: list[Callable[[str], bool]] = []


def register_shown_check(check: Callable[[str], bool]) -> None:
    """Add a function that says whether readers find what is at a path of the site (False: not yet, or no longer)."""
    if check not in _shown_checks:
        _shown_checks.append(check)


class SiteHostMiddleware:
    """A page asked by the site's domain with "www." before it, or without the "www." the domain has, leads on for
    good to the same address on the domain (Sites in the admin), as WordPress leads to its Site Address: search
    engines and shares then know one address for each page, the one its canonical link, feeds and sitemap name.
    Other host names the site answers (ALLOWED_HOSTS) are left as they are, as WordPress leaves them; a form sent
    (POST) is never redirected, which would lose it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method in ("GET", "HEAD"):
            host = request.get_host().lower()
            domain = Site.objects.get_current().domain.lower()  # kept in the process: no query per request
            if f"www.{domain}" == host or f"www.{host}" == domain:
                return HttpResponsePermanentRedirect(f"{request.scheme}://{domain}{request.get_full_path()}")
        return self.get_response(request)


class RedirectFallbackMiddleware(middleware.RedirectFallbackMiddleware):
    """Django's, which also leads an old address on when a query follows it (a newsletter's ?utm_source=…, a page of
    comments ?cpage=2), keeping the query: Django's looks for the address with its query only. An address the editors
    marked gone (a redirect to nothing) answers 410 with the site's page saying so, not Django's empty one. A redirect
    to what readers cannot see now (an article put off to a later date) is held: the old address is "not found", as
    the new one is, rather than a redirect search engines keep for good to a "not found"; it leads on again once
    readers see what is there."""

    def process_response(self, request, response):
        answer = self._lead_on(request, response)
        if answer is not response and "Location" in answer:
            target = urlsplit(answer["Location"])
            if not target.netloc and not all(shown(target.path) for shown in _shown_checks):
                return response
        return answer

    def _lead_on(self, request, response):
        if response.status_code != 404:
            return response
        answer = super().process_response(request, response)
        if answer.status_code == 410:
            return self.gone(request)
        query = request.META.get("QUERY_STRING", "")
        if answer is not response or not query:
            return answer
        found = Redirect.objects.filter(site=get_current_site(request), old_path=escape_uri_path(request.path)).first()
        if found is None:
            return response
        if not found.new_path:
            return self.gone(request)
        return self.response_redirect_class(f"{found.new_path}{'&' if '?' in found.new_path else '?'}{query}")

    @staticmethod
    def gone(request):
        return TemplateResponse(request, "410.html", status=410).render()
