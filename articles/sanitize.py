"""HTML cleaning for everything authors and readers type.

This is the only module that imports bleach, so the cleaner can be swapped
without touching callers.

Always clean from what was typed, never clean stored HTML again: cleaning is
not idempotent. The comment cleaner turns each newline into a <br> and keeps
the <br> it made before, so every pass doubles the line breaks; and bleach's
LinkifyFilter, run inside a Cleaner as shipped, decodes "&amp;" in text once
more on every pass. Store what was typed and clean it when it changes.
"""

import re
from functools import partial
from html.parser import HTMLParser

import bleach
from bleach.html5lib_shim import Filter
from bleach.linkifier import URL_RE, LinkifyFilter
from django.utils.html import linebreaks

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

# WordPress's tags for comments, plus the p and br that the newline step makes.
COMMENT_TAGS = frozenset(
    {
        "a", "abbr", "acronym", "b", "blockquote", "br", "cite", "code", "del", "em", "i", "p", "q", "s",
        "strike", "strong",
    }
)  # fmt: skip
COMMENT_ATTRIBUTES = {
    "a": ["href", "title"],
    "abbr": ["title"],
    "acronym": ["title"],
    "blockquote": ["cite"],
    "del": ["datetime"],
    "q": ["cite"],
}
COMMENT_PROTOCOLS = frozenset({"http", "https", "mailto"})
# Search engines give no credit to links that readers post; any rel typed is replaced.
COMMENT_LINK_REL = "nofollow ugc"
# bleach's URL pattern takes time quadratic in the length of a run of some
# characters ("a-a-a-…" costs 17 s at 65,525 characters), so longer runs of
# non-space characters stay plain text. A URL never contains white space.
LINKIFY_MAX_RUN = 300
# html5lib's time grows with the depth of nesting times the number of tokens
# (21,841 unclosed <b> take 3.4 s; 500 of them and 60,000 "<" take 0.8 s).
# No comment needs this much markup: past either limit, the comment is shown
# as typed, as plain text. Escaping it for bleach would not do: 40,000
# entities take html5lib 0.6 s.
COMMENT_MAX_TAGS = 200  # allowed start tags
COMMENT_MAX_MARKUP = 5000  # "<" and "&" characters

# Attributes that hold a URL, checked by our own scheme test after bleach:
# bleach 6.4 lets "javascript:123" and "data:1" through its protocol check.
URL_ATTRIBUTES = frozenset({"href", "src", "cite"})

# Script and style contents are code, not text: drop them before bleach strips
# the tags (bleach would keep "alert(1)" as visible text). Bleach still runs
# after, so whatever this leaves behind is cleaned as usual.
_CODE_OPENING = re.compile(r"<(script|style)\b", re.IGNORECASE)
_CODE_CLOSING = {
    "script": re.compile(r"</script\s*>", re.IGNORECASE),
    "style": re.compile(r"</style\s*>", re.IGNORECASE),
}
_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.\-]*):")
_IGNORED_IN_URLS = re.compile(r"[\x00-\x20\x7f]+")


def _drop_code_elements(typed: str) -> str:
    """The typed text without script and style elements and their contents."""
    # Same as removing r"<(script|style)\b[^>]*>.*?</\1\s*>" matches, in linear
    # time: that regex rescans to the end for every unclosed "<script>", which
    # took 2.4 s on a 65 KB comment. The next ">" and next closing tag are
    # looked up once and reused until an opening tag lies past them.
    kept: list[str] = []
    position = 0
    tag_end = -1
    closings: dict[str, re.Match[str] | None] = {}
    for opening in _CODE_OPENING.finditer(typed):
        if opening.start() < position:
            continue
        if tag_end < opening.end():
            tag_end = typed.find(">", opening.end())
            if tag_end == -1:
                break
        name = opening.group(1).lower()
        closing = closings.get(name)
        if name not in closings or (closing is not None and closing.start() <= tag_end):
            closing = closings[name] = _CODE_CLOSING[name].search(typed, tag_end + 1)
        if closing is None:
            continue
        kept.append(typed[position : opening.start()])
        position = closing.end()
    kept.append(typed[position:])
    return "".join(kept)


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
    return _article_cleaner.clean(_drop_code_elements(typed))


# bleach's pattern, refusing to start a match just after "(": a match can only
# begin at the first "(" of a run (its leading "\(*" takes the others), so the
# links found are the same, but a run of "(" is scanned once instead of once
# per character (56 s for 65,525 of them).
_LINKIFY_URL_RE = re.compile(r"(?<!\()" + URL_RE.pattern, URL_RE.flags)
# Only http and https addresses become links; "ftp://…" or "mailto:…" stay text
# whole, and so do e-mail addresses (no parse_email: GHSA-g75f-g53v-794x).
_LINKIFY_PROTOCOLS = frozenset({"http", "https"})
_LONG_RUN = re.compile(rf"(?<!\S)\S{{{LINKIFY_MAX_RUN + 1},}}")
_COMMENT_START_TAG = re.compile(rf"<(?:{'|'.join(sorted(COMMENT_TAGS))})(?=[\s/>]|$)", re.IGNORECASE)
_BLANK_LINE = re.compile(r"\n[ \t\f\r]*\n")
_HTML_SPACE = " \t\n\f\r"


def _web_links_only(attrs: dict, new: bool) -> dict | None:
    if new and not url_is_allowed(attrs[(None, "href")], protocols=_LINKIFY_PROTOCOLS, allow_relative=False):
        return None
    return attrs


class _BoundedLinkifyFilter(LinkifyFilter):
    """bleach's LinkifyFilter, shown only runs of at most LINKIFY_MAX_RUN non-space characters."""

    def handle_links(self, src_iter):
        for token in src_iter:
            text = token["data"]
            position = 0
            for run in _LONG_RUN.finditer(text):
                yield from self._linkify(text[position : run.start()])
                yield {"type": "Characters", "data": run.group()}
                position = run.end()
            yield from self._linkify(text[position:])

    def _linkify(self, text: str):
        if text:
            yield from super().handle_links([{"type": "Characters", "data": text}])

    def extract_entities(self, token):
        # Inside a Cleaner the sanitizer has already made entities into tokens
        # and "&amp;" into "&": decoding again would show a typed "&amp;lt;" as "<".
        yield token


class _LinkRelFilter(Filter):
    def __iter__(self):
        for token in super().__iter__():
            if token["type"] == "StartTag" and token["name"] == "a":
                token["data"] = {**(token["data"] or {}), (None, "rel"): COMMENT_LINK_REL}
            yield token


def _is_text(token: dict) -> bool:
    return token["type"] in ("Characters", "SpaceCharacters")


def _text(data: str) -> dict:
    return {"type": "Characters", "data": data}


def _merge_text(tokens):
    # A blank line may be spread over several tokens, around a stripped tag.
    pending: list[str] = []
    for token in tokens:
        if _is_text(token):
            pending.append(token["data"])
            continue
        if pending:
            yield _text("".join(pending))
            pending = []
        yield token
    if pending:
        yield _text("".join(pending))


class _ParagraphFilter(Filter):
    """Blank lines separate paragraphs and other newlines become <br>, as WordPress's wpautop does."""

    def __iter__(self):
        self.first_paragraph = True
        run: list[dict] = []  # text and inline elements waiting to be cut into paragraphs
        depth = 0  # inline elements open in the run
        for token in _merge_text(super().__iter__()):
            name = token.get("name")
            if name in ("blockquote", "p") and token["type"] in ("StartTag", "EndTag"):
                if depth == 0:
                    yield from self._paragraphs(run)
                    run = []
                    # A typed <p> only marks where a paragraph ends.
                    if name == "blockquote":
                        yield token
                    continue
                if name == "p":
                    continue  # a paragraph inside <strong> cannot be one
            if token["type"] == "StartTag":
                depth += 1
            elif token["type"] == "EndTag":
                depth -= 1
            run.append(token)
        yield from self._paragraphs(run)

    def _paragraphs(self, run: list[dict]):
        paragraph: list[dict] = []
        depth = 0
        for token in run:
            if depth == 0 and _is_text(token):
                first, *others = _BLANK_LINE.split(token["data"])
                paragraph.append(_text(first))
                for part in others:
                    yield from self._paragraph(paragraph)
                    paragraph = [_text(part)]
                continue
            if token["type"] == "StartTag":
                depth += 1
            elif token["type"] == "EndTag":
                depth -= 1
            paragraph.append(token)
        yield from self._paragraph(paragraph)

    def _paragraph(self, tokens: list[dict]):
        # White space around a paragraph is layout, not line breaks.
        if tokens and _is_text(tokens[0]):
            tokens[0] = _text(tokens[0]["data"].lstrip(_HTML_SPACE))
        if tokens and _is_text(tokens[-1]):
            tokens[-1] = _text(tokens[-1]["data"].rstrip(_HTML_SPACE))
        tokens = [token for token in tokens if not _is_text(token) or token["data"]]
        if not tokens:
            return
        if not self.first_paragraph:
            yield {"type": "SpaceCharacters", "data": "\n"}
        self.first_paragraph = False
        yield {"type": "StartTag", "name": "p", "namespace": None, "data": {}}
        for token in tokens:
            if not _is_text(token):
                yield token
                continue
            first, *others = token["data"].split("\n")
            if first:
                yield _text(first)
            for line in others:
                yield {"type": "EmptyTag", "name": "br", "namespace": None, "data": {}}
                yield _text("\n" + line)
        yield {"type": "EndTag", "name": "p", "namespace": None}


_comment_cleaner = bleach.sanitizer.Cleaner(
    tags=COMMENT_TAGS,
    attributes=COMMENT_ATTRIBUTES,
    protocols=COMMENT_PROTOCOLS,
    strip=True,
    strip_comments=True,
    filters=[
        partial(
            _BoundedLinkifyFilter,
            callbacks=[_web_links_only],
            skip_tags={"code"},
            url_re=_LINKIFY_URL_RE,
        ),
        # After linkify, so that its links are checked like typed ones.
        _url_filter(protocols=COMMENT_PROTOCOLS, allow_relative=False),
        _LinkRelFilter,
        _ParagraphFilter,
    ],
)


def clean_comment_html(typed: str) -> str:
    """The HTML of a comment body that is safe to show, with plain URLs made into links."""
    typed = _drop_code_elements(typed)
    if (
        typed.count("<") + typed.count("&") > COMMENT_MAX_MARKUP
        or len(_COMMENT_START_TAG.findall(typed)) > COMMENT_MAX_TAGS
    ):
        return linebreaks(typed, autoescape=True)
    return _comment_cleaner.clean(typed)


class _LinkCounter(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a" and any(name == "href" for name, _ in attrs):
            self.links += 1


def count_links(typed: str) -> int:
    """How many links a comment shows once cleaned: typed ones and plain URLs made into links."""
    counter = _LinkCounter()
    counter.feed(clean_comment_html(typed))
    counter.close()
    return counter.links


def count_links_in_clean_html(html: str) -> int:
    """How many links HTML already cleaned by clean_comment_html shows (it is not cleaned again)."""
    counter = _LinkCounter()
    counter.feed(html)
    counter.close()
    return counter.links


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
