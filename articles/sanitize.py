"""HTML cleaning for everything authors and readers type.

bleach cleans, configured with the allowlists below; this is the only module
that imports it. Around it are the product's rules (paragraphs, "[2]" citations,
rel on links, images from this site only, the size and smaller copies of the site's own pictures added after
cleaning) and what bleach 6.4 lacks: each of those
names the bleach behaviour it covers, tested in tests/articles/test_sanitize_bleach_gaps.py.

Always clean from what was typed, never clean stored HTML again: the comment
cleaner turns each newline into a <br> and keeps the <br> it made before, so
every pass doubles the line breaks.
"""

import re
import threading
from collections.abc import Callable, Mapping
from functools import partial
from html import unescape
from html.parser import HTMLParser

import bleach
from bleach.html5lib_shim import Filter
from bleach.linkifier import URL_RE, LinkifyFilter
from django.utils.html import linebreaks

ARTICLE_TAGS = frozenset(
    {
        "a", "abbr", "b", "blockquote", "br", "caption", "cite", "code", "col", "colgroup", "dd", "del", "dl", "dt",
        "em", "figcaption", "figure", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins",
        "li", "ol", "p", "pre", "q", "s", "small", "strong", "sub", "sup", "table", "tbody", "td",
        "tfoot", "th", "thead", "tr", "ul",
    }
)  # fmt: skip
ARTICLE_ATTRIBUTES = {
    # A word in another language (<i lang="la">), and the direction of a passage.
    "*": ["dir", "lang"],
    "a": ["href", "title"],
    "abbr": ["title"],
    "blockquote": ["cite"],
    "col": ["span"],
    "colgroup": ["span"],
    "del": ["datetime"],
    # A heading's anchor, for a table of contents or a "jump to" link (<a href="#symptoms">): _CHECKED_VALUES["id"].
    **{heading: ["id"] for heading in ("h2", "h3", "h4", "h5", "h6")},
    "img": ["alt", "height", "src", "title", "width"],
    "ins": ["datetime"],
    # The editor's list types (a, A, i, I): it writes data-type beside type, for itself.
    "ol": ["start", "reversed", "type", "data-type"],
    "q": ["cite"],
    "td": ["colspan", "rowspan"],
    "th": ["colspan", "rowspan", "scope"],
}
# tel: for a number readers call from their phone ("call 999").
ARTICLE_PROTOCOLS = frozenset({"http", "https", "mailto", "tel"})
# What the body editor writes for its own display (the widths of a table's columns): left out without a word.
_EDITORS_OWN = frozenset({("table", "style"), ("colgroup", "style"), ("col", "style")})
_LIST_TYPES = frozenset({"1", "a", "A", "i", "I"})
_DIRECTIONS = frozenset({"ltr", "rtl", "auto"})
# A language tag (BCP 47): its language in two or three letters ("la", "fr-CA", "zh-Hant"), as HTML checkers ask.
_LANGUAGE = re.compile(r"[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*")
_ANCHOR = re.compile(r"[a-z][a-z0-9_-]{0,63}")
# The ids the article page gives its own parts (templates/): an anchor of the body must not take one, or a link to
# the comments, the reply box or a reference would lead to the body instead.
_PAGE_IDS = re.compile(r"cancel-.*|comment.*|connecting-.*|content|kept-.*|likes.*|ref-.*|references.*|reply-.*|"
                       r"respond.*|reviewer.*|site-.*|skip-.*|id_.*")  # fmt: skip

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
# Search engines give no credit to links that readers post.
COMMENT_LINK_REL = "nofollow ugc"
# bleach's URL pattern takes time quadratic in the length of a run of some
# characters ("a-a-a-…" costs 17 s at 65,525 characters, "((((…" 56 s), so
# longer runs of non-space characters stay plain text. A URL never contains
# white space.
LINKIFY_MAX_RUN = 300
# html5lib's time grows with the depth of nesting times the number of tokens
# (21,841 unclosed <b> take 3.4 s; 500 of them and 60,000 "<" take 0.8 s).
# No comment needs this much markup: past either limit, the comment is shown
# as typed, as plain text. Escaping it for bleach would not do: 40,000
# entities take html5lib 0.6 s.
COMMENT_MAX_TAGS = 200  # allowed start tags
COMMENT_MAX_MARKUP = 5000  # "<" and "&" characters

URL_ATTRIBUTES = frozenset({"href", "src", "cite"})

# bleach strips a tag it does not allow but keeps what was inside as text, so
# "<script>alert(1)</script>" would show "alert(1)". Script and style contents
# are code, not text: they go before bleach, which then cleans what is left.
_CODE_OPENING = re.compile(r"<(script|style)\b", re.IGNORECASE)
_CODE_CLOSING = {name: re.compile(rf"</{name}\s*>", re.IGNORECASE) for name in ("script", "style")}
# bleach's protocol check uses an old, vendored urlparse that takes
# "javascript:123" or "data:1" (only digits after the colon) for a path with a
# port: it finds no scheme and lets them through as relative. So we read the
# scheme as a browser does.
_SCHEME = re.compile(r"([a-zA-Z][a-zA-Z0-9+.\-]*):")
_IGNORED_IN_URLS = re.compile(r"[\x00-\x20\x7f]+")


def _drop_code_elements(typed: str) -> str:
    """The typed text without script and style elements and their contents; an unclosed one is left to bleach."""
    # Same as removing r"<(script|style)\b[^>]*>.*?</\1\s*>" matches, in linear
    # time: that regex rescans to the end for every unclosed "<script>" (2.4 s
    # on a 65 KB comment). The next ">" and each name's next closing tag are
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


def _as_browsers_read(url: str) -> str:
    # Attribute values reach bleach's callables with their entities; browsers
    # decode them, and ignore control characters and white space in a scheme.
    return _IGNORED_IN_URLS.sub("", unescape(url))


def _url_is_allowed(url: str, *, protocols: frozenset[str], allow_relative: bool) -> bool:
    url = _as_browsers_read(url)
    if scheme := _SCHEME.match(url):
        return scheme.group(1).lower() in protocols
    return allow_relative and not url.startswith("//")  # "//host/…" leaves this site


def _image_source_is_allowed(url: str) -> bool:
    # Images come from this site only: a page view makes no request to another origin.
    url = _as_browsers_read(url)
    return url.startswith("/") and not url.startswith("//") and "\\" not in url


def _allowed_attributes(
    allowlist: dict[str, list[str]], *, protocols: frozenset[str], allow_relative: bool
) -> Callable[[str, str, str], bool]:
    """bleach's `attributes` as a callable: the allowlist, and our check of the URLs it allows."""

    def allowed(tag: str, name: str, value: str) -> bool:
        if name not in allowlist.get(tag, ()) and name not in allowlist.get("*", ()):
            return False
        if (tag, name) == ("img", "src"):
            return _image_source_is_allowed(value)
        if name in _CHECKED_VALUES:
            return _CHECKED_VALUES[name](value)
        return name not in URL_ATTRIBUTES or _url_is_allowed(value, protocols=protocols, allow_relative=allow_relative)

    return allowed


_CHECKED_VALUES: dict[str, Callable[[str], bool]] = {
    "type": lambda value: value in _LIST_TYPES,
    "dir": lambda value: value in _DIRECTIONS,
    "lang": lambda value: _LANGUAGE.fullmatch(value) is not None,
    "span": lambda value: value.isascii() and value.isdigit() and 0 < int(value) <= 1000,
    "id": lambda value: _ANCHOR.fullmatch(value) is not None and _PAGE_IDS.fullmatch(value) is None,
}


# A bleach Cleaner keeps its parser's state between calls and must not be
# shared by threads (the threaded development server, gunicorn's gthread
# workers): each thread builds its own, once.
_per_thread = threading.local()


def _cleaner(kind: str, build: Callable[[], bleach.sanitizer.Cleaner]) -> bleach.sanitizer.Cleaner:
    if not hasattr(_per_thread, kind):
        setattr(_per_thread, kind, build())
    return getattr(_per_thread, kind)


def _body_cleaner(attributes: dict[str, list[str]], *, filters: list[type[Filter]]) -> bleach.sanitizer.Cleaner:
    """A cleaner of article bodies (the article tags and protocols) with these attributes, then these filters."""
    return bleach.sanitizer.Cleaner(
        tags=ARTICLE_TAGS,
        attributes=_allowed_attributes(attributes, protocols=ARTICLE_PROTOCOLS, allow_relative=True),
        protocols=ARTICLE_PROTOCOLS,
        strip=True,
        filters=filters,
    )


def _article_cleaner() -> bleach.sanitizer.Cleaner:
    return _body_cleaner(ARTICLE_ATTRIBUTES, filters=[_CitationFilter, _PictureFilter, _OneAnchorEach])


# Given the addresses of a body's pictures, the attributes to add to each one the site knows.
PictureAttributes = Callable[[list[str]], Mapping[str, Mapping[str, str]]]


def clean_article_html(typed: str, *, pictures: PictureAttributes | None = None) -> str:
    """The HTML of an article body that is safe to publish; `pictures` adds what the site knows of its pictures."""
    # The cleaner is this thread's own, and its filters run inside this call: they find `pictures` here.
    _per_thread.pictures = pictures
    try:
        return _cleaner("article", _article_cleaner).clean(_drop_code_elements(typed))
    finally:
        _per_thread.pictures = None


# An address typed with http:// or https:// is a link whatever it ends in (.shop, .health, .рф): bleach's own list
# of endings only tells a bare domain ("example.com") from words that have a dot.
_TYPED_WITH_SCHEME = r"""\(*\bhttps?://(?:[\w-]+\.)+[^\W\d_]{2,63}(?::[0-9]+)?(?!\.\w)\b(?:[/?][^\s\{\}\|\\\^`<>"]*)?"""
# That, or bleach's pattern; refusing to start a match just after "(": a match can only
# begin at the first "(" of a run (its leading "\(*" takes the others), so the
# links found are the same, but a run of "(" is scanned once instead of once
# per character.
_URL_RE = re.compile(r"(?<!\()(?:" + _TYPED_WITH_SCHEME + "|" + URL_RE.pattern + ")", URL_RE.flags)
_LONG_RUN = re.compile(rf"(?<!\S)\S{{{LINKIFY_MAX_RUN + 1},}}")
# Only http and https addresses become links; "ftp://…" or "mailto:…" stay text
# whole, and so do e-mail addresses (no parse_email: GHSA-g75f-g53v-794x).
_LINKIFY_PROTOCOLS = frozenset({"http", "https"})


class _ShortRunsUrlPattern:
    """The url_re given to bleach's linkify: _URL_RE, searching only outside runs longer than LINKIFY_MAX_RUN."""

    def finditer(self, text: str):
        start = 0
        for run in _LONG_RUN.finditer(text):
            yield from _URL_RE.finditer(text, start, run.start())
            start = run.end()
        yield from _URL_RE.finditer(text, start, len(text))


class _LinkifyFilter(LinkifyFilter):
    def extract_entities(self, token):
        # Inside a Cleaner, bleach's sanitizer has already made entities into
        # tokens and "&amp;" into "&"; LinkifyFilter decodes the text once more
        # and would show a typed "&amp;lt;" as "<".
        yield token


def _web_links_only(attrs: dict, new: bool) -> dict | None:
    if new and not _url_is_allowed(attrs[(None, "href")], protocols=_LINKIFY_PROTOCOLS, allow_relative=False):
        return None
    return attrs


def _nofollow_ugc(attrs: dict, new: bool) -> dict:
    # Linkify runs its callbacks on typed links too, inside skip_tags as well;
    # any rel typed was already dropped by the allowlist.
    return {**attrs, (None, "rel"): COMMENT_LINK_REL}


_CITATION = re.compile(r"\[([1-9][0-9]{0,2})\]")
# Where "[2]" is only text: inside a link or code.
_NO_CITATION_INSIDE = frozenset({"a", "code", "pre"})
# A citation as _CitationFilter writes it, in a body it cleaned.
_CITED = re.compile(r'<sup class="citation"><a href="#ref-([0-9]+)">')


def cited_numbers(body_html: str) -> list[int]:
    """The numbers of the references a cleaned article body cites, in the order first cited."""
    return list(dict.fromkeys(int(number) for number in _CITED.findall(body_html)))


class _OneAnchorEach(Filter):
    """A heading's id is kept once: a second heading with the same one loses it (a page's ids are unique)."""

    def __iter__(self):
        seen: set[str] = set()
        for token in super().__iter__():
            anchor = token.get("data", {}).get((None, "id")) if token["type"] == "StartTag" else None
            if anchor is not None:
                if anchor in seen:
                    token = {
                        **token,
                        "data": {key: value for key, value in token["data"].items() if key != (None, "id")},
                    }
                seen.add(anchor)
            yield token


class _CitationFilter(Filter):
    """A citation typed as "[2]" in an article's text links to reference 2 in the list under it (#ref-2)."""

    def __iter__(self):
        inside = 0  # elements open where a "[2]" stays text
        for token in _merge_text(super().__iter__()):
            if token.get("name") in _NO_CITATION_INSIDE and token["type"] in ("StartTag", "EndTag"):
                inside += 1 if token["type"] == "StartTag" else -1
            if inside or not _is_text(token) or not _CITATION.search(token["data"]):
                yield token
                continue
            start = 0
            for found in _CITATION.finditer(token["data"]):
                if found.start() > start:
                    yield _text(token["data"][start : found.start()])
                number = found.group(1)
                yield {"type": "StartTag", "name": "sup", "namespace": None, "data": {(None, "class"): "citation"}}
                yield {"type": "StartTag", "name": "a", "namespace": None, "data": {(None, "href"): f"#ref-{number}"}}
                yield _text(found.group())
                yield {"type": "EndTag", "name": "a", "namespace": None}
                yield {"type": "EndTag", "name": "sup", "namespace": None}
                start = found.end()
            if start < len(token["data"]):
                yield _text(token["data"][start:])


# What the site adds to its own pictures; typed, they are not in the allowlist and never reach this filter.
# Typed width, height and alt are kept.
_PICTURE_ADDED = frozenset({"srcset", "sizes", "loading", "decoding"})


class _PictureFilter(Filter):
    """Pictures from the site's library get their width and height (no layout shift), their smaller copies (srcset,
    sizes), lazy loading and, when none was typed, their alt text: after cleaning, so an author cannot type them.
    One call of `pictures` for the whole body."""

    def __iter__(self):
        pictures = getattr(_per_thread, "pictures", None)
        if pictures is None:
            yield from super().__iter__()
            return
        tokens = list(super().__iter__())
        images = [
            token
            for token in tokens
            if token["type"] in ("StartTag", "EmptyTag") and token["name"] == "img" and (None, "src") in token["data"]
        ]
        known = pictures([unescape(token["data"][(None, "src")]) for token in images]) if images else {}
        for token in images:
            added = known.get(unescape(token["data"][(None, "src")]))
            if not added:
                continue
            data = dict(token["data"])
            typed = {name for _, name in data}
            for name, value in added.items():
                if name in _PICTURE_ADDED or (name == "alt" and "alt" not in typed):
                    data[(None, name)] = value
            if not typed & {"width", "height"}:
                data.update({(None, name): added[name] for name in ("width", "height") if name in added})
            token["data"] = data
        yield from tokens


# What a cleaned body's pictures carry beyond what an author may type (_PictureFilter adds it).
_PUBLISHED_ATTRIBUTES = {**ARTICLE_ATTRIBUTES, "img": [*ARTICLE_ATTRIBUTES["img"], *sorted(_PICTURE_ADDED)]}


class _WholeAddresses(Filter):
    """Each link's and picture's address (and each of a srcset's) passed through this thread's `whole`."""

    def __iter__(self):
        whole = _per_thread.whole
        for token in super().__iter__():
            if token["type"] in ("StartTag", "EmptyTag") and token["data"]:
                data = dict(token["data"])
                for key in ((None, "href"), (None, "src")):
                    if key in data:
                        data[key] = whole(data[key])
                if (None, "srcset") in data:
                    candidates = (candidate.strip().partition(" ") for candidate in data[(None, "srcset")].split(","))
                    data[(None, "srcset")] = ", ".join(f"{whole(url)} {size}".strip() for url, _, size in candidates)
                token["data"] = data
            yield token


def _published_cleaner() -> bleach.sanitizer.Cleaner:
    return _body_cleaner(_PUBLISHED_ATTRIBUTES, filters=[_WholeAddresses])


def with_whole_addresses(published_html: str, *, whole: Callable[[str], str]) -> str:
    """A cleaned body (body_html) read again as HTML, cleaned again, with every link's and picture's address given to
    `whole` (a feed makes the site's own addresses absolute): text, code and other attributes are never touched."""
    _per_thread.whole = whole
    try:
        return _cleaner("published", _published_cleaner).clean(published_html)
    finally:
        _per_thread.whole = None


_BLANK_LINE = re.compile(r"\n[ \t\f\r]*\n")
_HTML_SPACE = " \t\n\f\r"


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


def _comment_cleaner() -> bleach.sanitizer.Cleaner:
    return bleach.sanitizer.Cleaner(
        tags=COMMENT_TAGS,
        attributes=_allowed_attributes(COMMENT_ATTRIBUTES, protocols=COMMENT_PROTOCOLS, allow_relative=False),
        protocols=COMMENT_PROTOCOLS,
        strip=True,
        filters=[
            partial(
                _LinkifyFilter,
                callbacks=[_web_links_only, _nofollow_ugc],
                skip_tags={"code"},
                url_re=_ShortRunsUrlPattern(),
            ),
            _ParagraphFilter,
        ],
    )


_COMMENT_START_TAG = re.compile(rf"<(?:{'|'.join(sorted(COMMENT_TAGS))})(?=[\s/>]|$)", re.IGNORECASE)


def clean_comment_html(typed: str) -> str:
    """The HTML of a comment body that is safe to show, with plain URLs made into links."""
    typed = _drop_code_elements(typed)
    if (
        typed.count("<") + typed.count("&") > COMMENT_MAX_MARKUP
        or len(_COMMENT_START_TAG.findall(typed)) > COMMENT_MAX_TAGS
    ):
        return linebreaks(typed, autoescape=True)
    return _cleaner("comment", _comment_cleaner).clean(typed)


class _StartTagParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.start_tags: list[tuple[str, list[tuple[str, str]]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        # A bare attribute (<ol reversed>) has the value None here, "" once cleaned.
        self.start_tags.append((tag, [(name, value or "") for name, value in attrs]))


def _start_tags(markup: str) -> list[tuple[str, list[tuple[str, str]]]]:
    """Each start tag with its attributes, names lowercased and values decoded, as html.parser reads them."""
    parser = _StartTagParser()
    parser.feed(markup)
    parser.close()
    return parser.start_tags


def image_sources(clean_html: str) -> list[str]:
    """The addresses of the pictures in HTML already cleaned, in order."""
    return [
        dict(attrs).get("src", "") for tag, attrs in _start_tags(clean_html) if tag == "img" and dict(attrs).get("src")
    ]


def images_without_alt_text(typed: str) -> list[str]:
    """The addresses of the pictures in typed HTML with no alt attribute at all (alt="" marks a decorative one)."""
    return [
        dict(attrs).get("src", "") for tag, attrs in _start_tags(typed) if tag == "img" and "alt" not in dict(attrs)
    ]


def count_links_in_clean_html(html: str) -> int:
    """How many links HTML already cleaned by clean_comment_html shows (it is not cleaned again)."""
    return sum(tag == "a" and any(name == "href" for name, _ in attrs) for tag, attrs in _start_tags(html))


def _comparable(value: str) -> str:
    # html.parser decodes "&reg" in "?a=1&region=eu" where browsers do not and
    # bleach writes "&amp;reg": decoding once more makes the two agree. It also
    # skips what HTML parsers do first: CR LF and CR become LF, NUL becomes U+FFFD.
    return unescape(value).replace("\r\n", "\n").replace("\r", "\n").replace("\0", "\ufffd")


def removed_from_article(typed: str) -> list[str]:
    """What cleaning removes from an article body, in words an author understands."""
    # Whatever typed markup is missing from the cleaner's own output was removed.
    kept: set[str | tuple[str, str, str]] = set()
    for tag, attrs in _start_tags(clean_article_html(typed)):
        kept.add(tag)
        kept.update((tag, name, _comparable(value)) for name, value in attrs)
    removed = []
    for tag, attrs in _start_tags(typed):
        if tag not in kept:
            removed.append(f"<{tag}>")
            continue
        for name, value in attrs:
            if (tag, name, _comparable(value)) in kept or (tag, name) in _EDITORS_OWN:
                continue
            # The allowlist only picks the words: an attribute it allows went for its address.
            if name in URL_ATTRIBUTES and name in ARTICLE_ATTRIBUTES.get(tag, ()):
                removed.append(f"the {name} address {value!r} of <{tag}>")
            else:
                removed.append(f"the {name} attribute of <{tag}>")
    return list(dict.fromkeys(removed))


# In HTML the cleaners wrote, "<" and ">" are only ever the edges of tags: text has them escaped, and attribute
# values are always quoted (with " or ') and have "<" escaped. So a tag ends at the first ">" outside quotes, and
# plain patterns find every tag, without an HTML parser (django.utils.html.strip_tags), which a page's structured
# data paid for 50 comments at a time.
_IN_TAG = r"""(?:[^>"']|"[^"]*"|'[^']*')*+>"""
_TAG = re.compile("<" + _IN_TAG)
# Elements that start a new line on the page: their text is not glued to the next one's.
_BLOCK_EDGE = re.compile(
    r"</?(?:blockquote|br|caption|dd|div|dl|dt|figcaption|figure|h[1-6]|hr|li|ol|p|pre|table|td|th|tr|ul)\b" + _IN_TAG,
    re.IGNORECASE,
)


def text_of(clean_html: str) -> str:
    """The words of HTML that clean_article_html or clean_comment_html wrote, as plain text: entities decoded once,
    a space between blocks."""
    return " ".join(unescape(_TAG.sub("", _BLOCK_EDGE.sub(" ", clean_html))).split())
