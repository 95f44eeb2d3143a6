"""Cross-site request forgery protection for forms on pages shared by every anonymous reader.

A page kept in a shared cache cannot carry a CSRF token: the token is tied to one
browser. So the forms of such a page are checked another way. A signed-in reader's
pages are personal and keep Django's token, which is checked as everywhere else: a
cross-site POST can never act as a member. A guest's POST carries no authority to
borrow, and is accepted only when the browser says it comes from this site's own
page (`Sec-Fetch-Site`, or else `Origin`).
"""

from functools import wraps

from django.conf import settings
from django.http import HttpRequest
from django.middleware.csrf import REASON_BAD_ORIGIN
from django.urls import get_callable
from django.views.decorators.csrf import csrf_exempt, csrf_protect


def _from_this_site(request: HttpRequest) -> bool:
    fetch_site = request.headers.get("Sec-Fetch-Site")
    if fetch_site is not None:
        # "none": the reader sent it themselves (typed, bookmarked); "same-site" would let a sibling subdomain in.
        return fetch_site in ("same-origin", "none")
    origin = request.headers.get("Origin")
    if not origin or origin == "null":
        return False
    return origin == f"{request.scheme}://{request.get_host()}" or origin in settings.CSRF_TRUSTED_ORIGINS


def token_for_members_origin_for_guests(view):
    """Check a POST from a shared page: Django's CSRF token when signed in, the browser's origin headers when not."""
    protected = csrf_protect(view)

    @csrf_exempt
    @wraps(view)
    def checked(request: HttpRequest, *args, **kwargs):
        if request.user.is_authenticated:
            return protected(request, *args, **kwargs)
        # Django's test client asks for its requests not to be checked; honoured as Django's own check does.
        if not getattr(request, "_dont_enforce_csrf_checks", False) and not _from_this_site(request):
            origin = request.headers.get("Origin", "(none)")
            return get_callable(settings.CSRF_FAILURE_VIEW)(request, reason=REASON_BAD_ORIGIN % origin)
        return view(request, *args, **kwargs)

    return checked
