"""One shared page for every anonymous reader, kept in the shared cache and answered before the views.

Pages are stored under versioned keys: a generation for the whole site and one per
path. Whatever changes what a page shows bumps the generation it touches, once its
transaction commits, so the very next request misses and renders the page anew;
the old entries are never read again and age out. Nothing is deleted by pattern.

A page is shared only when the view says so (`shared_page`), the request carries
no cookie that makes a page personal and no query parameter the page does not use,
and the response sets no cookie. Every other response is `private, no-store`, so no
shared cache (ours, nginx's, a CDN's) ever keeps a page made for one person.
A page that changes at a known time (a scheduled article comes out, comments close)
is kept no longer than that: the apps tell when through `register_next_change`.
"""

import hashlib
import logging
import time
import uuid
from collections.abc import Callable
from datetime import datetime
from functools import wraps
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.cache import patch_cache_control, set_response_etag

logger = logging.getLogger(__name__)

SITE_GENERATION = "pages:generation:site"
# A cache that fails is reported this often at most, not on every request.
WARN_EVERY_SECONDS = 60

_next_change_hooks: list[Callable[[], datetime | None]] = []
_last_warning = 0.0


def _path_generation_key(path: str) -> str:
    return f"pages:generation:path:{hashlib.sha256(path.encode()).hexdigest()}"


def _warn(action: str) -> None:
    global _last_warning
    if time.monotonic() - _last_warning >= WARN_EVERY_SECONDS:
        _last_warning = time.monotonic()
        logger.warning("Page cache unavailable (%s): pages are rendered for every request meanwhile.", action)


# ---- What changed: called by the apps --------------------------------------------
def _bump(key: str) -> None:
    try:
        cache.set(key, uuid.uuid4().hex, None)
    except Exception:
        _warn("marking a change")


def site_changed() -> None:
    """Something every page may show changed (an article, the site's name, a commenter's name): after the commit."""
    transaction.on_commit(lambda: _bump(SITE_GENERATION), robust=True)


def page_changed(path: str) -> None:
    """What the page at this path shows changed (its comments, its likes): after the commit."""
    transaction.on_commit(lambda: _bump(_path_generation_key(path)), robust=True)


def register_next_change(hook: Callable[[], datetime | None]) -> None:
    """Add a function that says when pages will next change on their own (None: not planned)."""
    if hook not in _next_change_hooks:
        _next_change_hooks.append(hook)


def _next_change(site_generation: str) -> datetime | None:
    """When pages next change on their own: asked of the apps once per site generation, and again once it passed."""
    key = f"pages:next-change:{site_generation}"
    known = cache.get(key)
    if known is not None and (known["at"] is None or known["at"] > timezone.now()):
        return known["at"]
    changes = [when for hook in _next_change_hooks if (when := hook()) is not None]
    at = min(changes) if changes else None
    cache.set(key, {"at": at}, settings.PAGE_CACHE_SECONDS)
    return at


# ---- Which requests and responses may be shared ---------------------------------
def shared_page(view):
    """Mark a view's pages as the same for every anonymous reader, so that they may be kept and shared."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        response.shared_page = True
        return response

    return wrapped


def is_personal(request: HttpRequest) -> bool:
    """Whether the request carries something that makes its pages personal: a session, saved details, messages."""
    return any(name in request.COOKIES for name in settings.PAGE_CACHE_PERSONAL_COOKIES)


def _query(request: HttpRequest) -> str | None:
    """The query parameters the shared pages use, in one order; None when there is any other or a repeated one."""
    params = request.GET
    if any(name not in settings.PAGE_CACHE_QUERY_PARAMETERS or len(params.getlist(name)) > 1 for name in params):
        return None
    return urlencode(sorted(params.items()))


def _page_key(request: HttpRequest) -> tuple[str, str] | None:
    """Where the shared page for this request is kept, and the site's generation; None when it must not be shared."""
    if settings.PAGE_CACHE_SECONDS <= 0 or request.method != "GET" or is_personal(request):
        return None
    if "HTTP_AUTHORIZATION" in request.META:
        return None
    query = _query(request)
    if query is None:
        return None
    path = request.path
    generations = cache.get_many([SITE_GENERATION, _path_generation_key(path)])
    site = generations.get(SITE_GENERATION, "0")
    page = generations.get(_path_generation_key(path), "0")
    address = hashlib.sha256(f"{request.get_host()}{path}?{query}".encode()).hexdigest()
    return f"pages:page:{site}:{page}:{address}", site


def _storable(response: HttpResponse) -> bool:
    return (
        getattr(response, "shared_page", False)
        and response.status_code == 200
        and not response.streaming
        and not response.cookies
    )


def _mark(response: HttpResponse, *, shared: bool, seconds_left: float | None = None) -> None:
    if shared:
        shared_for = settings.PAGE_SHARED_MAX_AGE
        if seconds_left is not None:
            shared_for = max(0, min(shared_for, int(seconds_left)))
        patch_cache_control(
            response,
            public=True,
            max_age=0,
            s_maxage=shared_for,
            stale_while_revalidate=settings.PAGE_STALE_WHILE_REVALIDATE,
        )
    elif getattr(response, "shared_page", False) or "Cache-Control" not in response:
        # A page made for this reader, or for nobody in particular: browsers may not keep it either.
        # Pages the views marked public themselves (avatars) keep what they said.
        response.headers.pop("Cache-Control", None)
        patch_cache_control(response, private=True, no_store=True)


class SharedPageCacheMiddleware:
    """Answers anonymous readers from the shared cache before sessions, accounts and views; stores what may be."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            where = _page_key(request)
            kept = cache.get(where[0]) if where else None
        except Exception:
            _warn("reading")
            where = kept = None
        # A page also ends at its own time, by the site's clock: when a scheduled article comes out.
        if kept is not None and (kept["ends"] is None or timezone.now() < kept["ends"]):
            response = kept["response"]
            response["X-Page-Cache"] = "hit"
            return response

        response = self.get_response(request)
        if where is None or not _storable(response):
            _mark(response, shared=False)
            return response
        key, site_generation = where
        try:
            ends = _next_change(site_generation)
        except Exception:
            _warn("reading")
            _mark(response, shared=False)
            return response
        seconds_left = None if ends is None else (ends - timezone.now()).total_seconds()
        _mark(response, shared=True, seconds_left=seconds_left)
        set_response_etag(response)  # kept with the page: a hit answers If-None-Match without hashing it again
        timeout = (
            settings.PAGE_CACHE_SECONDS if seconds_left is None else min(settings.PAGE_CACHE_SECONDS, seconds_left)
        )
        if timeout > 0:
            try:
                cache.set(key, {"ends": ends, "response": response}, timeout)
            except Exception:
                _warn("storing")
        response["X-Page-Cache"] = "miss"
        return response
