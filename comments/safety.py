"""Health-safety guidance: phrases in a new comment that may describe an emergency, and the rule they belong to.

Matching is on whole words, whatever the case or accents ("Visage affaissé" matches "visage affaisse"), so a phrase
never matches inside a longer word ("interface drooping" is not "face drooping"). Scripts written without spaces
between words (Chinese, Japanese, Thai…) have no word edges to look for: their phrases match anywhere.
"""

import re
import unicodedata
from functools import lru_cache

# Letters of scripts that do not separate words with spaces.
_UNSPACED_SCRIPTS = ("CJK", "HIRAGANA", "KATAKANA", "THAI", "LAO", "KHMER", "MYANMAR", "TIBETAN")


# Apostrophes and hyphens as phones and word processors type them ("can’t", "self‑harm"); the rules list "'" and "-".
_PUNCTUATION = str.maketrans({**dict.fromkeys("’‘ʼ′", "'"), **dict.fromkeys("\u2010\u2011\u2012\u2013\u2212", "-")})


# The most letters one character decomposes into and stays whole: a Hangul syllable is three jamo, a Vietnamese or
# polytonic Greek letter a letter and up to three accents. Squares and ligatures stand for more ("ﷺ" for 18 letters).
_MOST_LETTERS = 4


@lru_cache(maxsize=4096)
def _decomposed_character(character: str) -> str:
    return unicodedata.normalize("NFKD", character.casefold())[:_MOST_LETTERS]


def decomposed(text: str) -> str:
    """The text case folded and decomposed (NFKD: full-width and styled letters made plain, accents apart), each
    character to at most four: a character may stand for many ("ﷺ" for 18 letters), and a comment of 65,525 of them
    would be compared a million letters long, seconds of work for each post. Cutting the text instead lost the end
    of a long comment in Korean, or everything after ten "ﷺ"."""
    if text.isascii():
        return text.casefold()
    # Normalized again as a whole for the order of accents typed as characters of their own.
    return unicodedata.normalize("NFKD", "".join(map(_decomposed_character, text)))


def comparable(text: str) -> str:
    """The text as phrases are compared: case folded, accents dropped, typographic apostrophes and hyphens made
    plain, runs of white space made one space."""
    decomposed_text = decomposed(text).translate(_PUNCTUATION)
    without_accents = "".join(character for character in decomposed_text if not unicodedata.combining(character))
    return " ".join(without_accents.split())


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
