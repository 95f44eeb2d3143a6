"""Searching published articles: PostgreSQL's full-text search where the site runs on it (ranked, with
highlighted snippets), words found anywhere in the text on other databases, the query read alike (web-search syntax).

Snippets come back as text with the found words between two private-use characters; `marked_snippet`
escapes the text and turns each marked stretch into <mark>, so nothing an author typed becomes markup.
"""

import re
from dataclasses import dataclass

from django.conf import settings
from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import F, QuerySet, Value
from django.db.models.functions import Replace
from django.utils.html import format_html, format_html_join

from config.text import folded

from .models import Article

FOUND_STARTS, FOUND_ENDS = "\ue000", "\ue001"
# PostgreSQL's headline drops whatever looks like a tag ("in <children>" becomes "in "): the angle
# brackets of the text go in as two other private-use characters and come back afterwards.
_STAND_INS = {"<": "\ue002", ">": "\ue003"}
_FOUND = re.compile(f"{FOUND_STARTS}([^{FOUND_STARTS}{FOUND_ENDS}]*){FOUND_ENDS}")
SNIPPET_WORDS = 30
MAX_QUERY_WORDS = 12  # the words looked for (a longer query keeps its first ones)
# A hyphen inside a word joins words a text may write apart ("hemifacial-spasm", as an article's address writes them):
# looked for as two words. One before a word leaves it out ("-botox").
_JOINING_HYPHEN = re.compile(r"(?<=\w)-(?=\w)")
# The query as PostgreSQL's websearch_to_tsquery reads it (its joining hyphens gone), for the other databases: a
# "quoted phrase" (to the end if its closing quote is missing), a "-" where no word goes on, which leaves out what
# comes next ("-botox", "- botox", -"facial nerve"), and the words between spaces, quotes and the signs it passes over
# (! & | ( ) <). A phrase's words, or several typed together ("botox,surgery"), are found together and in order.
_SYNTAX = re.compile(r'"[^"]*"?|-|[^\s"!&|()<-][^\s"!&|()<]*')
# "or" between two words or phrases finds either ("botox eyelid or surgery": both of the first two, or the third);
# first, last or after a "-" it is the word "or".
_OR = re.compile(r"or(?![\w-])", re.IGNORECASE)


def search_articles(query: str) -> QuerySet:
    """Published articles matching what the reader typed, best first, each with a `snippet`."""
    if connection.vendor == "postgresql":
        return _full_text_search(query)
    return _words_search(query)


def _full_text_search(query: str) -> QuerySet:
    config = settings.SEARCH_CONFIG
    search = SearchQuery(_JOINING_HYPHEN.sub(" ", query), search_type="websearch", config=config)
    document = (
        SearchVector("title", weight="A", config=config)
        + SearchVector("excerpt", weight="B", config=config)
        + SearchVector("body_text", weight="C", config=config)
    )
    return (
        Article.objects.published()
        .annotate(document=document)
        .filter(document=search)
        .annotate(
            rank=SearchRank(F("document"), search),
            snippet=SearchHeadline(
                Replace(Replace("body_text", Value("<"), Value(_STAND_INS["<"])), Value(">"), Value(_STAND_INS[">"])),
                search,
                config=config,
                start_sel=FOUND_STARTS,
                stop_sel=FOUND_ENDS,
                max_words=SNIPPET_WORDS,
                min_words=SNIPPET_WORDS // 2,
                max_fragments=2,
                fragment_delimiter=" … ",
            ),
        )
        .select_related("author")
        .prefetch_related("categories")
        .order_by("-rank", "-published_at", "-pk")
    )


def query_words(text: str) -> list[str]:
    """The words of (part of) a query, folded, without the quotes and signs of web-search syntax."""
    return [folded(word) for word in re.findall(r"\w[\w'’]*", text)]


@dataclass(frozen=True)
class Term:
    """Words of a query to find in this order, or to leave out ("-botox")."""

    words: tuple[str, ...]
    excluded: bool

    @property
    def pattern(self) -> str:
        """The words in a folded text, with only spaces or punctuation between them."""
        return r"\W+".join(map(re.escape, self.words))

    def holds(self, text: str) -> bool:
        """Whether the folded text has the words, or has them not if they are left out."""
        return (re.search(self.pattern, text) is None) == self.excluded


def query_terms(query: str) -> list[list[Term]]:
    """The words and what to do with them, as websearch_to_tsquery reads the query (its first MAX_QUERY_WORDS): a list
    of terms that must all hold for each side of an "or"."""
    alternatives, terms, excluded, after_term, words_left = [], [], False, False, MAX_QUERY_WORDS
    text = _JOINING_HYPHEN.sub(" ", query)
    for token in _SYNTAX.finditer(text):
        piece = token[0]
        if piece == "-":
            excluded, after_term = not excluded, False  # "--botox" is "botox" again
            continue
        # An "or" with something after it and the sign or space that ends it ("botox or" looks for the word).
        if after_term and _OR.match(piece) and text[token.start() + 3 :].strip():
            alternatives.append(terms)
            terms, after_term, piece = [], False, piece[2:]  # "or,surgery" is "or" and ",surgery"
            if not piece:
                continue
        if words := query_words(piece)[:words_left]:
            terms.append(Term(tuple(words), excluded))
            words_left -= len(words)
        excluded, after_term = False, True
    return [alternative for alternative in [*alternatives, terms] if alternative]


def _words_search(query: str) -> QuerySet:
    """Every term of one side of an "or" found somewhere in the article (none of those left out), whatever its case
    and accents ("meniere" finds "Ménière"): read in Python, as SQLite compares only ASCII letters without case, and
    accents never (the development database; a site runs on PostgreSQL)."""
    alternatives = query_terms(query)
    if not alternatives:
        return Article.objects.none()
    texts = Article.objects.published().values_list("pk", "title", "excerpt", "body_text")
    found = [pk for pk, *parts in texts.iterator() if _holds(alternatives, folded(" ".join(parts)))]
    return Article.objects.filter(pk__in=found).select_related("author").prefetch_related("categories")


def _holds(alternatives: list[list[Term]], text: str) -> bool:
    return any(all(term.holds(text) for term in terms) for terms in alternatives)


def snippet_around(text: str, query: str) -> str:
    """Where databases have no headline: about SNIPPET_WORDS words of `text` from the first word or phrase found,
    marked (found as the search finds them: "meniere" marks "Ménière"; words left out are not marked)."""
    patterns = {term.pattern for terms in query_terms(query) for term in terms if not term.excluded}
    if not patterns:
        return ""
    pattern = re.compile("|".join(sorted(patterns, key=len, reverse=True)))
    text = text.replace(FOUND_STARTS, "").replace(FOUND_ENDS, "")
    first = _found_in(text, pattern)
    start = text.rfind(" ", 0, max(first[0][0] - 60, 0)) + 1 if first and first[0][0] > 60 else 0
    shown = text[start:].split()
    cut = " ".join(shown[:SNIPPET_WORDS])
    cut = ("… " if start else "") + cut + (" …" if len(shown) > SNIPPET_WORDS else "")
    marked, end = [], 0
    for found_start, found_end in _found_in(cut, pattern):
        marked += [cut[end:found_start], FOUND_STARTS, cut[found_start:found_end], FOUND_ENDS]
        end = found_end
    return "".join([*marked, cut[end:]])


def _found_in(text: str, pattern: re.Pattern) -> list[tuple[int, int]]:
    """Where `pattern` (of folded words and phrases) matches the folded `text`, as spans of `text` itself."""
    folded_text, origins = [], []
    for index, character in enumerate(text):
        for part in folded(character):
            folded_text.append(part)
            origins.append(index)
    return [
        (origins[found.start()], origins[found.end() - 1] + 1)
        for found in pattern.finditer("".join(folded_text))
        if found.end() > found.start()
    ]


def marked_snippet(snippet: str) -> str:
    """The snippet as HTML: its text escaped, the found words in <mark>."""
    for character, stand_in in _STAND_INS.items():
        snippet = snippet.replace(stand_in, character)
    pieces = _FOUND.split(snippet)  # text, found, text, found, …, text
    return format_html_join(
        "",
        "{}",
        ((format_html("<mark>{}</mark>", piece) if number % 2 else piece,) for number, piece in enumerate(pieces)),
    )
