"""The site's redirects (django.contrib.redirects): old addresses that lead on, for good, to new ones."""

from django.contrib.redirects import middleware
from django.contrib.redirects.models import Redirect
from django.contrib.sites.shortcuts import get_current_site
from django.http import HttpRequest
from django.urls import reverse
from django.utils.encoding import escape_uri_path


class RedirectFallbackMiddleware(middleware.RedirectFallbackMiddleware):
    """Django's, which also leads an old address on when a query follows it (a newsletter's ?utm_source=…, a page of
    comments ?cpage=2), keeping the query: Django's looks for the address with its query only. And slugs are
    lowercase (as WordPress's): an address whose slug was typed or linked with capitals (/About/) leads to the
    lowercase one, unless an editor's redirect says where it goes."""

    def process_response(self, request, response):
        response = super().process_response(request, response)
        if response.status_code != 404:
            return response
        query = request.META.get("QUERY_STRING", "")
        found = (
            Redirect.objects.filter(site=get_current_site(request), old_path=escape_uri_path(request.path)).first()
            if query
            else None
        )
        if found is not None:
            if not found.new_path:
                return self.response_gone_class()
            return self.response_redirect_class(f"{found.new_path}{'&' if '?' in found.new_path else '?'}{query}")
        if lowercase := _with_lowercase_slug(request):
            return self.response_redirect_class(f"{lowercase}?{query}" if query else lowercase)
        return response


def _with_lowercase_slug(request: HttpRequest) -> str | None:
    """The address of the view the request found, with its slug in lowercase, if the slug has capitals."""
    match = request.resolver_match
    slug = match.kwargs.get("slug") if match else None
    if not isinstance(slug, str) or slug == slug.lower():
        return None
    return reverse(match.view_name, args=match.args, kwargs={**match.kwargs, "slug": slug.lower()})
