"""Text as the site compares it, whatever way it was typed: search (articles.search), the safety rules and the
moderation words (comments) fold it alike."""

import unicodedata
from functools import lru_cache

# Apostrophes as texts and phones write them ("Bell’s", "can’t"; WordPress's texturize makes them) and as keyboards do.
APOSTROPHES = str.maketrans(dict.fromkeys("’‘ʼ′", "'"))

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


def folded(text: str) -> str:
    """Text without case, accents or typographic apostrophes, to compare: "Ménière" and "MENIERE" are "meniere",
    "Bell’s" and "bell's" are "bell's"."""
    return "".join(
        character for character in decomposed(text).translate(APOSTROPHES) if not unicodedata.combining(character)
    )
