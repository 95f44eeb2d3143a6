"""Checks on what people type about themselves: names and websites shown beside their comments."""

import re
import unicodedata
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.translation import gettext_lazy as _

# What XML 1.0 cannot carry (feeds): the control characters but tab and line breaks, and two non-characters.
NOT_IN_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def validate_visible_text(value: str) -> None:
    """Refuse invisible format characters (Unicode category Cf): right-to-left overrides and zero-width marks can
    make a name or an address read as another. The two joiners are let through where writing needs them (_joins).
    Refuse the control characters XML cannot carry too (a vertical tab pasted into a name): feeds could not show the
    name. Tabs and line breaks stay (a citation pasted on two lines)."""
    if NOT_IN_XML.search(value):
        raise ValidationError(
            _("Please remove the control characters (invisible, pasted with the text) from this field."),
            code="control_characters",
        )
    if any(
        unicodedata.category(character) == "Cf" and not _joins(value, index) for index, character in enumerate(value)
    ):
        raise ValidationError(
            _("Please remove the invisible characters (direction marks or zero-width spaces) from this field."),
            code="invisible_characters",
        )


def one_line(name: str) -> str:
    """A name as it is kept, on one line (as WordPress keeps names): no name box types a line break, and one sent would
    start a line of its own in the emails that name a commenter, such as a false "Approve it:" link."""
    return " ".join(name.split())


ZERO_WIDTH_NON_JOINER, ZERO_WIDTH_JOINER = "\u200c", "\u200d"
VIRAMA = 9  # the canonical combining class of the virama of Indic scripts
EMOJI_PRESENTATION = "\ufe0f"
SKIN_TONES = range(0x1F3FB, 0x1F400)


def _joins(text: str, index: int) -> bool:
    """Whether the character at `index` is a joiner between two characters it joins, as IDNA's rules allow them
    (after a virama; a non-joiner between two Arabic-script letters, as Persian writes) or in an emoji sequence
    (the woman health worker is woman, joiner, staff of Aesculapius). Between two Latin letters a joiner only
    hides itself."""
    if text[index] not in (ZERO_WIDTH_NON_JOINER, ZERO_WIDTH_JOINER) or not 0 < index < len(text) - 1:
        return False
    before, after = text[index - 1], text[index + 1]
    if unicodedata.combining(before) == VIRAMA:
        return True
    if text[index] == ZERO_WIDTH_NON_JOINER:
        return _arabic_letter(before) and _arabic_letter(after)
    return _emoji(before, ends_one=True) and _emoji(after)


def _arabic_letter(character: str) -> bool:
    return unicodedata.name(character, "").startswith("ARABIC LETTER")


def _emoji(character: str, *, ends_one: bool = False) -> bool:
    """A pictograph; or, where an emoji ends, its presentation selector or skin tone."""
    if ends_one and (character == EMOJI_PRESENTATION or ord(character) in SKIN_TONES):
        return True
    return unicodedata.category(character) == "So"


def validate_public_website(value: str) -> None:
    """A URL field's web address of a real site: http or https, a host name with a domain, and no user name in it
    ("bob@example.com" is an email address, and "https://good.example@evil.example" goes to evil.example).
    What is no web address at all ("javascript:…", "http://[zz]/") is the URL field's own validator's to refuse:
    one message for one mistake."""
    try:
        URLValidator()(value)
    except ValidationError:
        return
    validate_visible_text(value)
    parts = urlsplit(value)
    host = parts.hostname or ""
    labels = host.split(".")
    if (
        parts.scheme not in ("http", "https")
        or "@" in parts.netloc
        or len(labels) < 2
        or not all(labels)
        or not (labels[-1].isalpha() or labels[-1].startswith("xn--"))
    ):
        raise ValidationError(
            _("Please enter the address of a website, like https://example.org/ (an email address is not one)."),
            code="not_a_website",
        )
