"""HTML cleaning for everything authors and readers type.

This is the only module that imports bleach, so the cleaner can be swapped
without touching callers. Always clean from what was typed: bleach escapes
attribute values again when it cleans its own output.
"""

import re
from html.parser import HTMLParser

import bleach
from bleach.html5lib_shim import Filter

ARTICLE_TAGS = frozenset(
    {
        "a", "abbr", "b", "blockquote", "br", "caption", "cite", "code", "dd", "del", "dl", "dt",
        "em", "figcaption", "figure", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins",
        "li", "ol", "p", "pre", "q", "s", "small", "strong", "sub", "sup", "table", "tbody", "td",
        "tfoot", "th", "thead", "tr", "ul",
    }
)  # fmt: skip
ARTICLE_ATTRIBUTES = {
    "a": ["href", "title"],
    "abbr": ["title"],
    "blockquote": ["cite"],
    "del": ["datetime"],
    "img": ["alt", "height", "src", "title", "width"],
    "ins": ["datetime"],
    "ol": ["start", "reversed"],
    "q": ["cite"],
    "td": ["colspan", "rowspan"],
    "th": ["colspan", "rowspan", "scope"],
}
ARTICLE_PROTOCOLS = frozenset({"http", "https", "mailto"})

# Attributes that hold a URL, checked by our own scheme test after bleach:
# bleach 6.4 lets "javascript:123" and "data:1" through its protocol check.
URL_ATTRIBUTES = frozenset({"href", "src", "cite"})

# Script and style contents are code, not text: drop them before bleach strips
# the tags (bleach would keep "alert(1)" as visible text). Bleach still runs
# after, so whatever this leaves behind is cleaned as usual.
_CODE_ELEMENTS = re.compile(r"<(script|style)\b[^>]*>.*?</\1\s*>", re.IGNORECASE | re.DOTALL)
_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.\-]*):")
_IGNORED_IN_URLS = re.compile(r"[\x00-\x20\x7f]+")


def url_is_allowed(url: str, *, protocols: frozenset[str], allow_relative: bool) -> bool:
    """Whether a URL uses one of the protocols, or is relative when that is allowed."""
    # Browsers ignore control characters and white space inside a scheme.
    compact = _IGNORED_IN_URLS.sub("", url)
    match = _SCHEME.match(compact)
    if match:
        return match.group(1).lower() in protocols
    return allow_relative and not compact.startswith("//")


def image_source_is_allowed(url: str) -> bool:
    """Images come from this site only: a page view makes no request to another origin."""
    compact = _IGNORED_IN_URLS.sub("", url)
    return compact.startswith("/") and not compact.startswith("//") and "\\" not in compact


def _url_filter(*, protocols: frozenset[str], allow_relative: bool) -> type[Filter]:
    class UrlSchemeFilter(Filter):
        def __iter__(self):
            for token in super().__iter__():
                if token["type"] in ("StartTag", "EmptyTag") and token.get("data"):
                    token["data"] = {
                        key: value
                        for key, value in token["data"].items()
                        if key[1] not in URL_ATTRIBUTES
                        or (
                            image_source_is_allowed(value)
                            if (token["name"], key[1]) == ("img", "src")
                            else url_is_allowed(value, protocols=protocols, allow_relative=allow_relative)
                        )
                    }
                yield token

    return UrlSchemeFilter


_article_cleaner = bleach.sanitizer.Cleaner(
    tags=ARTICLE_TAGS,
    attributes=ARTICLE_ATTRIBUTES,
    protocols=ARTICLE_PROTOCOLS,
    strip=True,
    strip_comments=True,
    filters=[_url_filter(protocols=ARTICLE_PROTOCOLS, allow_relative=True)],
)


def clean_article_html(typed: str) -> str:
    """The HTML of an article body that is safe to publish."""
    return _article_cleaner.clean(_CODE_ELEMENTS.sub("", typed))


class _DisallowedMarkupFinder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []

    def _note(self, item: str) -> None:
        if item not in self.found:
            self.found.append(item)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in ARTICLE_TAGS:
            self._note(f"<{tag}>")
            return
        allowed = ARTICLE_ATTRIBUTES.get(tag, [])
        for name, value in attrs:
            if name not in allowed:
                self._note(f"the {name} attribute of <{tag}>")
            elif name in URL_ATTRIBUTES and value is not None:
                ok = (
                    image_source_is_allowed(value)
                    if (tag, name) == ("img", "src")
                    else url_is_allowed(value, protocols=ARTICLE_PROTOCOLS, allow_relative=True)
                )
                if not ok:
                    self._note(f"the {name} address {value!r} of <{tag}>")


def removed_from_article(typed: str) -> list[str]:
    """What cleaning removes from an article body, in words an author understands."""
    finder = _DisallowedMarkupFinder()
    finder.feed(typed)
    finder.close()
    return finder.found
