"""Checks on what people type about themselves: names and websites shown beside their comments."""

import unicodedata
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


def validate_visible_text(value: str) -> None:
    """Refuse invisible format characters: right-to-left overrides and zero-width marks can make a name or
    an address read as another (unicode category Cf)."""
    if any(unicodedata.category(character) == "Cf" for character in value):
        raise ValidationError(
            _("Please remove the invisible characters (direction marks or zero-width spaces) from this field."),
            code="invisible_characters",
        )


def validate_public_website(value: str) -> None:
    """A web address of a real site: http or https, a host name with a domain, and no user name in it
    ("bob@example.com" is an email address, and "https://good.example@evil.example" goes to evil.example)."""
    validate_visible_text(value)
    try:
        parts = urlsplit(value)
        host = parts.hostname or ""
    except ValueError:  # a bracketed host that is no IPv6 address ("http://[zz]/"), which Python cannot read
        parts, host = None, ""
    labels = host.split(".")
    if (
        parts is None
        or parts.scheme not in ("http", "https")
        or "@" in parts.netloc
        or len(labels) < 2
        or not all(labels)
        or not (labels[-1].isalpha() or labels[-1].startswith("xn--"))
    ):
        raise ValidationError(
            _("Please enter the address of a website, like https://example.org/ (an email address is not one)."),
            code="not_a_website",
        )
