"""The site's redirects (django.contrib.redirects): old addresses that lead on, for good, to new ones."""

from django.contrib.redirects import middleware
from django.contrib.redirects.models import Redirect
from django.contrib.sites.shortcuts import get_current_site
from django.template.response import TemplateResponse
from django.utils.encoding import escape_uri_path


class RedirectFallbackMiddleware(middleware.RedirectFallbackMiddleware):
    """Django's, which also leads an old address on when a query follows it (a newsletter's ?utm_source=…, a page of
    comments ?cpage=2), keeping the query: Django's looks for the address with its query only. An address the editors
    marked gone (a redirect to nothing) answers 410 with the site's page saying so, not Django's empty one."""

    def process_response(self, request, response):
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
