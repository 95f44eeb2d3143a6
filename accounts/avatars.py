"""Avatars drawn by this site, so that no third party learns who reads a health page."""

import functools
import hashlib

from django.conf import settings
from django.urls import get_script_prefix, reverse
from django.utils.crypto import salted_hmac
from django.utils.html import format_html, format_html_join

GRAVATAR_ORIGIN = "https://secure.gravatar.com"
# An avatar's address changes with its picture, so browsers may keep it a year.
AVATAR_MAX_AGE = 365 * 24 * 3600
GRID = 5


def avatar_token(email: str) -> str:
    """A keyed hash of the email: stable for one address, and reveals nothing about it.

    Django's salted_hmac, with its key worked out once per secret rather than for each of a page's avatars."""
    keyed = _avatar_hmac(settings.SECRET_KEY).copy()
    keyed.update(email.strip().lower().encode())
    return keyed.hexdigest()[:32]


@functools.lru_cache(maxsize=4)
def _avatar_hmac(secret: str):
    # The key's name predates this module's move from comments: changing it would change every picture.
    return salted_hmac("comments.avatar", b"", secret=secret, algorithm="sha256")


def avatar_url(email: str, *, use_gravatar: bool = False, member=None, size: int = 48) -> str:
    """A member's picture copied from their provider, else Gravatar if the site owner chose it, else an identicon."""
    if member is not None and member.avatar_version:
        return reverse("accounts:avatar", kwargs={"user_id": member.pk, "version": member.avatar_version})
    if use_gravatar and email:
        digest = hashlib.sha256(email.strip().lower().encode()).hexdigest()
        return f"{GRAVATAR_ORIGIN}/avatar/{digest}?s={size * 2}&d=identicon"
    return _identicon_prefix(get_script_prefix()) + avatar_token(email) + ".svg"


@functools.cache
def _identicon_prefix(script_prefix: str) -> str:
    # A page may show hundreds of identicons: their address is worked out once, not reversed for each.
    return reverse("identicon", kwargs={"token": "-"}).removesuffix("-.svg")


def identicon_svg(token: str) -> str:
    """A symmetric 5×5 pattern and a colour, both taken from the token."""
    data = bytes.fromhex(token)
    hue = int.from_bytes(data[:2]) % 360
    colour = f"hsl({hue}, 55%, 45%)"
    cells = []
    for row in range(GRID):
        for column in range((GRID + 1) // 2):
            bit = row * 3 + column
            if data[2 + bit // 8] >> (bit % 8) & 1:
                cells.append((column, row))
                if column != GRID - 1 - column:
                    cells.append((GRID - 1 - column, row))
    rects = format_html_join("", '<rect x="{}" y="{}" width="1" height="1"/>', cells)
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="-0.5 -0.5 6 6" width="48" height="48">'
        '<rect x="-0.5" y="-0.5" width="6" height="6" fill="#f0f0f0"/><g fill="{}">{}</g></svg>',
        colour,
        rects,
    )
