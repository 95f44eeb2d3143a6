"""Widening the site's Content Security Policy for one response, and only as far as needed."""

from django.conf import settings
from django.http import HttpRequest, HttpResponse

REQUEST_ALLOWANCES = "_csp_allowances"


def allow(response: HttpResponse, directive: str, *sources: str) -> HttpResponse:
    """Add sources to one directive of this response's policy (what Django's csp_override sets)."""
    policy = dict(getattr(response, "_csp_config", None) or settings.SECURE_CSP)
    policy[directive] = [*policy.get(directive, []), *sources]
    response._csp_config = policy
    return response


def allow_for_request(request: HttpRequest, directive: str, *sources: str) -> None:
    """The same, from code that sees the request but not its response (a template tag): applied by the middleware."""
    allowances = request.__dict__.setdefault(REQUEST_ALLOWANCES, {})
    allowances.setdefault(directive, []).extend(source for source in sources if source not in allowances[directive])


class RequestAllowancesMiddleware:
    """Adds what allow_for_request asked to the response's policy. Goes after Django's CSP middleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        for directive, sources in getattr(request, REQUEST_ALLOWANCES, {}).items():
            allow(response, directive, *sources)
        return response
