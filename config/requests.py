"""What the site reads off a request before trusting it: the client's address, its pace, its characters."""

import ipaddress
import re
import time
from urllib.parse import unquote

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import BadRequest
from django.http import HttpRequest, HttpResponse


def client_ip(request: HttpRequest) -> str | None:
    """The client's IP address: behind PROXY_COUNT trusted proxies, the one the outermost proxy saw."""
    address = request.META.get("REMOTE_ADDR") or None
    if settings.PROXY_COUNT:
        # Each proxy appends the address it received from; only the last
        # PROXY_COUNT entries were written by proxies we trust.
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        if len(forwarded) >= settings.PROXY_COUNT:
            address = forwarded[-settings.PROXY_COUNT]
    if not address:
        return None
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return None
    # A socket listening on [::] gets IPv4 readers as ::ffff:a.b.c.d: each is its IPv4 address, not one IPv6 network.
    return str(getattr(parsed, "ipv4_mapped", None) or parsed)


def reader_network(request: HttpRequest) -> str:
    """The client as one reader: an IPv4 address, or an IPv6 address's /64 (what one household or one server
    gets: its many addresses count once)."""
    return network_of(client_ip(request) or "")


def network_of(ip: str) -> str:
    """The reader an address stands for: an IPv4 address itself, an IPv6 address its /64."""
    try:
        address = ipaddress.ip_address(ip)
    except ValueError:
        return ip
    if address.version == 6:
        return str(ipaddress.ip_network(f"{address}/64", strict=False))
    return str(address)


def too_often(request: HttpRequest, action: str, *, limit: int, seconds: int) -> bool:
    """Count one more `action` from this client; True once it happened more than `limit` times in the window.

    Kept in the shared cache: without it (Redis down), nothing is counted and nothing refused."""
    window = int(time.time() // seconds)
    key = f"too-often:{action}:{reader_network(request)}:{window}"
    cache.add(key, 0, seconds)
    try:
        return cache.incr(key) > limit
    except ValueError:  # the count vanished (evicted, or the cache is away)
        return False


# The largest number a row's id holds (a 64-bit integer).
LARGEST_ROW_ID = 2**63 - 1
# A number of more digits is larger, unless written with leading zeros, which no address or form of the site writes.
ROW_ID_DIGITS = len(str(LARGEST_ROW_ID))


def row_id(value) -> int | None:
    """`value` (from an address or a form) as the number of a row, if it can be one: ASCII digits ("²" is a digit to
    str.isdigit, not to a database) of a number ids hold (a larger one fails on SQLite instead of finding nothing).
    Over 4300 digits, int() refuses to read them at all (a ValueError): so many are not even tried."""
    value = str(value)
    if value.isascii() and value.isdigit() and len(value) <= ROW_ID_DIGITS and 0 < int(value) <= LARGEST_ROW_ID:
        return int(value)
    return None


# NUL and the other control characters have no place in an address; PostgreSQL refuses NUL in text.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f]")


class RefuseControlCharactersMiddleware:
    """A path or query string with a control character gets the site's 400 page, before it reaches a database."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        query = request.META.get("QUERY_STRING", "")
        if CONTROL_CHARACTERS.search(request.path) or CONTROL_CHARACTERS.search(unquote(query.replace("+", " "))):
            raise BadRequest("A control character in the address.")
        return self.get_response(request)
