"""One shared page for every anonymous reader, kept in the shared cache and answered before the views.

Pages are versioned: there is a generation for the whole site and one per path, and
each kept page carries the two it was made under. Whatever changes what a page shows
bumps the generation it touches, once its transaction commits, so the very next
request finds the page out of date and renders it anew. Nothing is deleted by
pattern. A lookup reads the two generations and the page in one round trip.

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
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from functools import wraps
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import DisallowedHost
from django.core.handlers.wsgi import WSGIRequest
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseNotModified
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


def version(path: str) -> str | None:
    """The generations a part of the page at `path` may be kept under elsewhere, or None when nothing may be kept."""
    if settings.PAGE_CACHE_SECONDS <= 0:
        return None
    try:
        found = cache.get_many([SITE_GENERATION, _path_generation_key(path)])
    except Exception:
        _warn("reading")
        return None
    return f"{found.get(SITE_GENERATION, '0')}:{found.get(_path_generation_key(path), '0')}"


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


def _page_key(request: HttpRequest) -> str | None:
    """Where the shared page for this request is kept; None when it must not be shared."""
    if settings.PAGE_CACHE_SECONDS <= 0 or request.method != "GET" or is_personal(request):
        return None
    if "HTTP_AUTHORIZATION" in request.META or request.path.startswith(settings.STATIC_URL):
        return None
    query = _query(request)
    if query is None:
        return None
    return f"pages:page:{hashlib.sha256(f'{request.get_host()}{request.path}?{query}'.encode()).hexdigest()}"


@dataclass(frozen=True)
class Lookup:
    """Where a request's shared page is kept, the generations it must carry to be current, and the page if it does."""

    key: str
    generations: tuple[str, str]
    kept: dict | None


def kept_page(request: HttpRequest) -> Lookup | None:
    """The shared page for this request, if it may be shared; one round trip to the cache."""
    try:
        key = _page_key(request)
        if key is None:
            return None
        path_generation = _path_generation_key(request.path)
        found = cache.get_many([SITE_GENERATION, path_generation, key])
    except DisallowedHost:
        return None  # Django answers it, as for any request
    except Exception:
        _warn("reading")
        return None
    generations = (found.get(SITE_GENERATION, "0"), found.get(path_generation, "0"))
    kept = found.get(key)
    # Kept before the last change, or past its own end (by the site's clock: a scheduled article comes out).
    if kept is not None and (
        kept["generations"] != generations or (kept["ends"] is not None and timezone.now() >= kept["ends"])
    ):
        kept = None
    if kept is not None:
        content = _content(kept["etag"])
        kept = {**kept, "content": content} if content is not None else None
    return Lookup(key=key, generations=generations, kept=kept)


# The bytes of a page, named by their hash (the ETag), never change: each process keeps
# the latest few, so that a hit fetches only the page's small description from the cache.
CONTENT_KEPT_IN_PROCESS = 64
_contents: OrderedDict[str, bytes] = OrderedDict()


def _content_key(etag: str) -> str:
    return f"pages:content:{hashlib.sha256(etag.encode()).hexdigest()}"


def _content(etag: str) -> bytes | None:
    content = _contents.get(etag)
    if content is None:
        content = cache.get(_content_key(etag))
        if content is None:
            return None
    _remember(etag, content)
    return content


def _remember(etag: str, content: bytes) -> None:
    _contents[etag] = content
    _contents.move_to_end(etag)
    while len(_contents) > CONTENT_KEPT_IN_PROCESS:
        _contents.popitem(last=False)


def _not_modified(request: HttpRequest, kept: dict) -> bool:
    tags = request.META.get("HTTP_IF_NONE_MATCH", "")
    return bool(tags) and kept["etag"] in (tag.strip() for tag in tags.split(","))


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
    """First of all middleware: answers anonymous readers from the shared cache, and keeps what may be shared.

    Pages are kept as they leave the site, with every header the other middleware added."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        lookup = kept_page(request)
        if lookup is not None and lookup.kept is not None:
            kept = lookup.kept
            if _not_modified(request, kept):
                response = HttpResponseNotModified()
                response["ETag"] = kept["etag"]
            else:
                response = HttpResponse(kept["content"])
                for header, value in kept["headers"]:
                    response[header] = value
            response["X-Page-Cache"] = "hit"
            return response

        response = self.get_response(request)
        if lookup is None or not _storable(response):
            _mark(response, shared=False)
            return response
        try:
            ends = _next_change(lookup.generations[0])
        except Exception:
            _warn("reading")
            _mark(response, shared=False)
            return response
        seconds_left = None if ends is None else (ends - timezone.now()).total_seconds()
        _mark(response, shared=True, seconds_left=seconds_left)
        set_response_etag(response)
        timeout = min(settings.PAGE_CACHE_SECONDS, float("inf") if seconds_left is None else seconds_left)
        if timeout > 0:
            headers = [(name, value) for name, value in response.items() if name.lower() != "content-length"]
            page = {"generations": lookup.generations, "ends": ends, "etag": response["ETag"], "headers": headers}
            try:
                cache.set_many({lookup.key: page, _content_key(response["ETag"]): response.content}, timeout)
                _remember(response["ETag"], response.content)
            except Exception:
                _warn("storing")
        response["X-Page-Cache"] = "miss"
        return response


class SharedPageApplication:
    """The WSGI application, fronted: a kept page is answered before Django builds its request and middleware run.

    Django's own middleware above answers the same way; this only spares the work around it."""

    def __init__(self, application):
        self.application = application

    def __call__(self, environ, start_response):
        request = WSGIRequest(environ)
        lookup = kept_page(request)
        if lookup is None or lookup.kept is None:
            return self.application(environ, start_response)
        kept = lookup.kept
        if _not_modified(request, kept):
            start_response("304 Not Modified", [("ETag", kept["etag"]), ("X-Page-Cache", "hit")])
            return []
        start_response(
            "200 OK", [*kept["headers"], ("Content-Length", str(len(kept["content"]))), ("X-Page-Cache", "hit")]
        )
        return [kept["content"]]
