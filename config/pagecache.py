"""One shared page for every anonymous reader, kept in the shared cache and answered before the views.

Pages are versioned: there is a generation for the whole site and one per path, and
each kept page carries the two it was made under. Whatever changes what a page shows
bumps the generation it touches, once its transaction commits, so the very next
request finds the page out of date and renders it anew. Nothing is deleted by
pattern. A lookup reads the two generations and the page in one round trip, or in none
(config.cache keeps them in each process while Redis says they did not change). A
generation that is missing (a flushed or restarted cache) is made anew, never read
as an old value, and keys carry the code's release, so a deployment starts afresh.

A page is shared only when the view says so (`shared_page`, with the query parameters
it uses), the request carries no cookie that makes a page personal and no other
parameter, and the response sets no cookie. Every other response is `private,
no-store`, so no shared cache (ours, nginx's, a CDN's) ever keeps a page made for one
person. A page that changes at a known time (a scheduled article comes out, comments
close) is kept no longer than that: the apps tell when through `register_next_change`.
"""

import hashlib
import logging
import re
import threading
import time
import uuid
from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from functools import wraps
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.sites.models import Site
from django.core.cache import cache
from django.core.exceptions import DisallowedHost
from django.core.handlers.wsgi import WSGIRequest
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control, set_response_etag

from .release import RELEASE

logger = logging.getLogger(__name__)

SITE_GENERATION = "pages:generation:site"
# A cache that fails is reported this often at most, not on every request.
WARN_EVERY_SECONDS = 60
# Page numbers and comment ids: the only values a shared page's parameters take.
PARAMETER_VALUE = re.compile(r"[0-9]{1,9}")

_next_change_hooks: list[Callable[[], datetime | None]] = []
# Never said yet: the first is said however soon after the machine started.
_last_warning = _last_unmarked = -float(WARN_EVERY_SECONDS)
_site_generation_seen: str | None = None


def _path_generation_key(path: str) -> str:
    return f"pages:generation:path:{hashlib.sha256(path.encode()).hexdigest()}"


def _warn(action: str) -> None:
    global _last_warning
    if time.monotonic() - _last_warning >= WARN_EVERY_SECONDS:
        _last_warning = time.monotonic()
        logger.warning("Page cache unavailable (%s): pages are rendered for every request meanwhile.", action)


def _generations(found: dict, keys: list[str]) -> tuple[str, ...]:
    """The generations under `keys`, from what a read `found`; one that is missing is made, never taken as old."""
    missing = [key for key in keys if key not in found]
    for key in missing:
        cache.add(key, uuid.uuid4().hex, None)
    if missing:
        found = {**found, **cache.get_many(missing)}
    return tuple(found.get(key, "") for key in keys)


def _observe_site_generation(generation: str) -> None:
    """Each process keeps the current Site in memory: a new site generation may be a new name."""
    global _site_generation_seen
    if generation != _site_generation_seen:
        if _site_generation_seen is not None:
            Site.objects.clear_cache()
        _site_generation_seen = generation


# ---- What changed: called by the apps --------------------------------------------
def _bump(*keys: str) -> None:
    try:
        not_marked = cache.set_many({key: uuid.uuid4().hex for key in keys}, None)
    except Exception:
        not_marked = keys
    global _last_unmarked
    # The change is in the database; pages kept before it show the old version until this process finds
    # Redis again and empties it (config.cache), or PAGE_CACHE_SECONDS pass. Said once per interval, as _warn.
    if not_marked and time.monotonic() - _last_unmarked >= WARN_EVERY_SECONDS:
        _last_unmarked = time.monotonic()
        logger.error("A change could not be marked in the page cache: pages kept before it may show it late.")


# What pages_changed_once asked in this thread's transaction.
_asked = threading.local()


def _changed(keys: Iterable[str]) -> None:
    keys = tuple(keys)
    transaction.on_commit(lambda: _bump(*keys), robust=True)


def site_changed() -> None:
    """Something every page may show changed (an article, the site's name, a commenter's name): after the commit."""
    # What pages_changed_once asked may have changed with it (an article's categories): asked again.
    _asked.current = None
    _changed([SITE_GENERATION])


def pages_changed(*paths: str) -> None:
    """What the pages at these paths show changed (an article's comments, its likes): after the commit."""
    _changed(_path_generation_key(path) for path in paths)


def pages_changed_once(name: str, paths: Callable[[], Iterable[str]]) -> None:
    """As pages_changed, for a change a transaction may make many times (each comment of a bulk action): `paths`,
    which may read the database, is asked once per transaction for each `name`, and again once the site changed
    (whatever changes the paths themselves, an article's address or its categories, changes the site)."""
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        pages_changed(*paths())
        return
    # Django gives each transaction, and each savepoint rolled back, a new list of commit callbacks: it tells
    # whether what was asked belongs to this transaction.
    asked = getattr(_asked, "current", None)
    if asked is None or asked[0] is not connection.run_on_commit:
        asked = _asked.current = (connection.run_on_commit, {})
    if name not in asked[1]:
        asked[1][name] = {_path_generation_key(path) for path in paths()}
    _changed(asked[1][name])


def version(path: str) -> str | None:
    """What parts of the page at `path` kept elsewhere must be kept under (see `kept_under`); None when nothing
    may be kept (the page cache off, or the cache failing)."""
    return _version([SITE_GENERATION, _path_generation_key(path)])


def site_kept[T](name: str, read: Callable[[], T]) -> T:
    """What `read` gives (a settings row, the enabled safety rules), kept in the shared cache until the
    site next changes: whatever it is read from must call site_changed when saved or deleted. With the
    page cache off it is read every time.

    What comes back may be shared with this process's other callers: read it, never change it."""
    return kept_under(_version([SITE_GENERATION]), f"site:{name}", read)


def kept_under[T](version: str | None, name: str, read: Callable[[], T], *, large: bool = False) -> T:
    """What `read` gives, kept in the shared cache under a page's `version` (a count of its comments, its
    structured data): whatever it is read from must call pages_changed for the page (or site_changed) when
    saved or deleted. Take the version before reading anything the value is made of, so that a value is
    never kept under a generation newer than what it was made from. None: read every time. A `large` value
    is read from the shared cache each time, not also kept in each process (as many pages' values would be).
    What `read` gives as None (nothing found) is not kept: asked for again, it is read again.

    What comes back may be shared with this process's other callers: read it, never change it."""
    if version is None:
        return read()
    key = f"pages:kept:{version}:{name}"
    try:
        found = _read_current([key]) if not large else cache.get_many([key])
    except Exception:
        _warn("reading")
        return read()
    if key in found:
        return found[key]
    value = read()
    if value is None:
        return value
    try:
        cache.set(key, value, settings.PAGE_CACHE_SECONDS)
    except Exception:
        _warn("storing")
    return value


def _version(generation_keys: list[str]) -> str | None:
    if settings.PAGE_CACHE_SECONDS <= 0:
        return None
    try:
        generations = _generations(_read_current(generation_keys), generation_keys)
    except Exception:
        _warn("reading")
        return None
    if not all(generations):  # the cache would not keep one (it is failing): nothing kept may be trusted
        return None
    return ":".join((RELEASE, *generations))


def register_next_change(hook: Callable[[], datetime | None]) -> None:
    """Add a function that says when pages will next change on their own (None: not planned)."""
    if hook not in _next_change_hooks:
        _next_change_hooks.append(hook)


def _next_change(site_generation: str) -> datetime | None:
    """When pages next change on their own: asked of the apps once per site generation, and again once it passed."""
    key = f"pages:next-change:{site_generation}"
    known = _read_current([key]).get(key)  # asked before every page made for sharing: mostly from the process's copy
    if known is not None and (known["at"] is None or known["at"] > timezone.now()):
        return known["at"]
    changes = [when for hook in _next_change_hooks if (when := hook()) is not None]
    at = min(changes) if changes else None
    cache.set(key, {"at": at}, settings.PAGE_CACHE_SECONDS)
    return at


# ---- Which requests and responses may be shared ---------------------------------
def shared_page(view, *, query: tuple[str, ...] = ()):
    """Mark a view's pages as the same for every anonymous reader, so that they may be kept and shared.

    `query`: the parameters the view reads (page numbers, a comment to reply to); an address with
    any other is rendered for that request alone."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        response.shared_query = frozenset(query)
        return response

    return wrapped


def is_personal(request: HttpRequest) -> bool:
    """Whether the request carries a cookie that makes its pages personal: a session, saved details, messages…"""
    if not request.META.get("HTTP_COOKIE"):
        return False
    return any(name in request.COOKIES for name in settings.PAGE_CACHE_PERSONAL_COOKIES)


def _query(request: HttpRequest) -> str | None:
    """The parameters shared pages may use, in one order; None for any other, a repeated one or a non-number."""
    if not request.META.get("QUERY_STRING"):
        return ""
    params = request.GET
    for name in params:
        values = params.getlist(name)
        if (
            name not in settings.PAGE_CACHE_QUERY_PARAMETERS
            or len(values) > 1
            or not PARAMETER_VALUE.fullmatch(values[0])
        ):
            return None
    return urlencode(sorted(params.items()))


def _page_key(request: HttpRequest) -> str | None:
    """Where the shared page for this request is kept; None when it must not be shared."""
    # A HEAD request is a GET without the body (RFC 9110, 9.3.2): the same page, kept under the same key.
    if settings.PAGE_CACHE_SECONDS <= 0 or request.method not in ("GET", "HEAD") or is_personal(request):
        return None
    if "HTTP_AUTHORIZATION" in request.META or request.path.startswith(settings.STATIC_URL):
        return None
    if settings.SECURE_SSL_REDIRECT and not request.is_secure():
        return None  # Django sends it to https first
    query = _query(request)
    if query is None:
        return None
    address = f"{RELEASE}|{request.scheme}://{request.get_host()}{request.path}?{query}"
    return f"pages:page:{hashlib.sha256(address.encode()).hexdigest()}"


@dataclass(frozen=True)
class Lookup:
    """Where a request's shared page is kept, the generations it must carry to be current, and the page if it does."""

    key: str
    generations: tuple[str, str]
    kept: dict | None


def _read_current(keys: list[str]) -> dict:
    """What the cache holds under `keys` now. Redis's client (config.cache) answers from the copy this
    process keeps while Redis has not said they changed; a cache in this process is read as it is."""
    read = getattr(cache, "get_many_current", cache.get_many)
    return read(keys)


def kept_page(request: HttpRequest) -> Lookup | None:
    """The shared page for this request, if it may be shared; one round trip to the cache at most."""
    try:
        key = _page_key(request)
        if key is None:
            return None
        generation_keys = [SITE_GENERATION, _path_generation_key(request.path)]
        found = _read_current([*generation_keys, key])
        generations = _generations(found, generation_keys)
        _observe_site_generation(generations[0])
        kept = found.get(key)
        # Kept before the last change, or past its own end (by the site's clock: a scheduled article comes out).
        if kept is not None and (
            kept["generations"] != generations or (kept["ends"] is not None and timezone.now() >= kept["ends"])
        ):
            kept = None
        if kept is not None:
            content = _content(kept["etag"])
            kept = {**kept, "content": content} if content is not None else None
    except DisallowedHost:
        return None  # Django answers it, as for any request
    except Exception:
        _warn("reading")
        return None
    return Lookup(key=key, generations=generations, kept=kept)


class _LastUsed:
    """What this process used last, a few of them (shared by its threads): the least recently used goes first."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.items: OrderedDict = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key):
        with self.lock:
            value = self.items.get(key)
            if value is not None:
                self.items.move_to_end(key)
            return value

    def put(self, key, value) -> None:
        with self.lock:
            self.items[key] = value
            self.items.move_to_end(key)
            while len(self.items) > self.size:
                self.items.popitem(last=False)

    def clear(self) -> None:
        with self.lock:
            self.items.clear()


# The bytes of a page, named by their hash (the ETag), never change: each process keeps
# the latest few, so that a hit fetches only the page's small description from the cache.
CONTENT_KEPT_IN_PROCESS = 64
_contents = _LastUsed(CONTENT_KEPT_IN_PROCESS)


def _content_key(etag: str) -> str:
    return f"pages:content:{hashlib.sha256(etag.encode()).hexdigest()}"


def _content(etag: str) -> bytes | None:
    content = _contents.get(etag)
    if content is None:
        content = cache.get(_content_key(etag))
        if content is not None:
            _contents.put(etag, content)
    return content


# ---- What responses say to caches ---------------------------------------------------
def _shared_cache_control(seconds_left: float | None) -> str:
    shared_for = settings.PAGE_SHARED_MAX_AGE
    if seconds_left is not None:
        shared_for = max(0, min(shared_for, int(seconds_left)))
    return f"public, max-age=0, s-maxage={shared_for}, stale-while-revalidate={settings.PAGE_STALE_WHILE_REVALIDATE}"


def _seconds_left(ends: datetime | None) -> float | None:
    return None if ends is None else (ends - timezone.now()).total_seconds()


def _mark_personal(response: HttpResponse) -> None:
    """A page made for this reader, or for nobody in particular: no cache may keep it, browsers included.

    Responses the views marked public themselves (avatars) keep what they said."""
    if getattr(response, "shared_query", None) is not None or "Cache-Control" not in response:
        response.headers.pop("Cache-Control", None)
        response.headers.pop("Last-Modified", None)  # see _mark_shared
        patch_cache_control(response, private=True, no_store=True)


def _mark_shared(response: HttpResponse, seconds_left: float | None) -> None:
    response["Cache-Control"] = _shared_cache_control(seconds_left)
    # Django's feeds and sitemap date a page by its newest item, which stays when an older comment is edited or
    # taken off, or the site renamed: a client asking If-Modified-Since would be told nothing changed. The
    # ETag, made from the page's bytes, is the one validator.
    response.headers.pop("Last-Modified", None)
    # The page is the same whatever cookies came with the request (the personal ones never get here):
    # a cache in front must not keep a copy per Cookie header.
    vary = [value.strip() for value in response.get("Vary", "").split(",") if value.strip()]
    vary = [value for value in vary if value.lower() != "cookie"]
    if vary:
        response["Vary"] = ", ".join(vary)
    else:
        response.headers.pop("Vary", None)


def _storable(request: HttpRequest, response: HttpResponse) -> bool:
    shared_query = getattr(response, "shared_query", None)
    return (
        shared_query is not None
        and set(request.GET) <= shared_query
        and response.status_code == 200
        and not response.streaming
        and not response.cookies
        and bool(response.content)
    )


def _kept_response(kept: dict) -> HttpResponse:
    response = HttpResponse(kept["content"])
    for header, value in kept["headers"]:
        response[header] = value
    if kept["ends"] is not None:  # nearer the end, caches in front keep it for less
        response["Cache-Control"] = _shared_cache_control(_seconds_left(kept["ends"]))
    response["X-Page-Cache"] = "hit"
    return response


class SharedPageCacheMiddleware:
    """Answers anonymous readers from the shared cache before sessions, accounts and views, and keeps what may be.

    Pages are kept with every header the middleware below it added; Django's conditional GET
    middleware, above it, answers If-None-Match for kept and fresh pages alike."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        lookup = kept_page(request)
        if lookup is not None and lookup.kept is not None:
            return _kept_response(lookup.kept)
        if lookup is None:
            self._observe_site_generation()

        ends = unknown = object()
        if lookup is not None:
            # Before the page is made: a scheduled change that comes while it renders ends it at once,
            # where asked afterwards it would be past, and the next one named instead.
            try:
                ends = _next_change(lookup.generations[0])
            except Exception:
                _warn("reading")
        response = self.get_response(request)
        if lookup is None or ends is unknown or not _storable(request, response):
            _mark_personal(response)
            return response
        seconds_left = _seconds_left(ends)
        _mark_shared(response, seconds_left)
        set_response_etag(response)
        timeout = min(settings.PAGE_CACHE_SECONDS, float("inf") if seconds_left is None else seconds_left)
        # A generation the cache would not keep (it is failing) cannot tell this page from one made after a change.
        if timeout > 0 and all(lookup.generations):
            headers = [(name, value) for name, value in response.items() if name.lower() != "content-length"]
            page = {"generations": lookup.generations, "ends": ends, "etag": response["ETag"], "headers": headers}
            try:
                cache.set_many({lookup.key: page, _content_key(response["ETag"]): response.content}, timeout)
                _contents.put(response["ETag"], response.content)
            except Exception:
                _warn("storing")
        response["X-Page-Cache"] = "miss"
        return response

    @staticmethod
    def _observe_site_generation() -> None:
        # A page rendered for one reader shows the site's name too.
        try:
            generation = _read_current([SITE_GENERATION]).get(SITE_GENERATION)
        except Exception:
            _warn("reading")
            return
        if generation is not None:
            _observe_site_generation(generation)


class SharedPageApplication:
    """The WSGI application, fronted: a kept page is answered before Django builds its request and middleware run.

    Django's own middleware answers the same way; this only spares the work around it. A page
    that keeps its headers until its next change (no known end) is answered with the status line
    and headers this process prepared the first time it served it."""

    def __init__(self, application):
        self.application = application

    def __call__(self, environ, start_response):
        # On a copy: Django's request writes the decoded path into its environ, which Django then decodes again.
        request = WSGIRequest(environ.copy())
        lookup = kept_page(request)
        if lookup is None or lookup.kept is None:
            content = self.application(environ, start_response)
        else:
            content = self._kept(request, lookup, start_response)
        # A HEAD request gets the headers its GET would get, and no body: Django's own handler sends the body.
        return _without_body(content) if request.method == "HEAD" else content

    @staticmethod
    def _kept(request: HttpRequest, lookup: Lookup, start_response) -> list[bytes]:
        kept = lookup.kept
        conditional = "HTTP_IF_NONE_MATCH" in request.META or "HTTP_IF_MODIFIED_SINCE" in request.META
        if kept["ends"] is None and not conditional:
            start_response("200 OK", _ready_headers(lookup.key, kept))
            return [kept["content"]]
        response = _kept_response(kept)
        response = get_conditional_response(request, etag=kept["etag"], response=response)
        start_response(f"{response.status_code} {response.reason_phrase}", _wsgi_headers(response))
        return [response.content] if response.status_code == 200 else []


def _without_body(content) -> list[bytes]:
    # Closed all the same: closing Django's response ends its request (signals, database connections).
    if hasattr(content, "close"):
        content.close()
    return []


def _wsgi_headers(response: HttpResponse) -> list[tuple[str, str]]:
    headers = list(response.items())
    if response.status_code == 200:
        headers.append(("Content-Length", str(len(response.content))))
    return headers


# The WSGI headers of the pages this process served last, by address, ETag and the headers kept with them.
_headers = _LastUsed(CONTENT_KEPT_IN_PROCESS)


def _ready_headers(key: str, kept: dict) -> list[tuple[str, str]]:
    memo = (key, kept["etag"], tuple(kept["headers"]))
    headers = _headers.get(memo)
    if headers is None:
        headers = _wsgi_headers(_kept_response(kept))
        _headers.put(memo, headers)
    return headers
