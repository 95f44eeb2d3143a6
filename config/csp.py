"""Widening the site's Content Security Policy for one response, and only as far as needed."""

from django.conf import settings
from django.http import HttpResponse


def allow(response: HttpResponse, directive: str, *sources: str) -> HttpResponse:
    """Add sources to one directive of this response's policy (what Django's csp_override sets)."""
    policy = dict(getattr(response, "_csp_config", None) or settings.SECURE_CSP)
    policy[directive] = [*policy.get(directive, []), *sources]
    response._csp_config = policy
    return response
