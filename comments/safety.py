"""Health-safety guidance: phrases in a new comment that may describe an emergency, and the rule they belong to.

Matching is on whole words, whatever the case or accents ("Visage affaissé" matches "visage affaisse"), so a phrase
never matches inside a longer word ("interface drooping" is not "face drooping"). Scripts written without spaces
between words (Chinese, Japanese, Thai…) have no word edges to look for: their phrases match anywhere.
"""

import re
import unicodedata
from functools import lru_cache

from config.text import folded

# Letters of scripts that do not separate words with spaces.
_UNSPACED_SCRIPTS = ("CJK", "HIRAGANA", "KATAKANA", "THAI", "LAO", "KHMER", "MYANMAR", "TIBETAN")


# Hyphens as word processors type them ("self‑harm"); the rules list "-".
_HYPHENS = str.maketrans(dict.fromkeys("\u2010\u2011\u2012\u2013\u2212", "-"))


def comparable(text: str) -> str:
    """The text as phrases are compared: case folded, accents dropped, typographic apostrophes and hyphens made
    plain, runs of white space made one space."""
    return " ".join(folded(text).translate(_HYPHENS).split())


def _unspaced(character: str) -> bool:
    return unicodedata.name(character, "").startswith(_UNSPACED_SCRIPTS)


@lru_cache(maxsize=1024)
def phrase_pattern(phrase: str) -> re.Pattern | None:
    """The pattern of one phrase (None for an empty one): its words in order, separated by any white space."""
    words = comparable(phrase).split()
    if not words:
        return None
    body = r"\s+".join(re.escape(word) for word in words)
    before = "" if _unspaced(words[0][0]) else r"(?<!\w)"
    after = "" if _unspaced(words[-1][-1]) else r"(?!\w)"
    return re.compile(before + body + after)


def phrases_of(text: str) -> list[str]:
    """The phrases a rule lists, one per line."""
    return [line.strip() for line in text.splitlines() if line.strip()]


def first_phrase_found(phrases: list[str], text: str) -> str | None:
    """The first of the phrases that the text contains, as the rule lists it."""
    compared = comparable(text)
    for phrase in phrases:
        pattern = phrase_pattern(phrase)
        if pattern is not None and pattern.search(compared):
            return phrase
    return None
