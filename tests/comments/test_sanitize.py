import re
from html.parser import HTMLParser

import nh3
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from articles.sanitize import (
    COMMENT_ATTRIBUTES,
    COMMENT_LINK_REL,
    COMMENT_MAX_TAGS,
    COMMENT_PROTOCOLS,
    COMMENT_TAGS,
    LINKIFY_MAX_RUN,
    clean_comment_html,
    count_links_in_clean_html,
)
from tests.comments.xss_payloads import XSS_PAYLOADS

# What a cleaned comment may contain: the typed allowlist, plus the rel we add.
OUTPUT_ATTRIBUTES = {tag: {*names} for tag, names in COMMENT_ATTRIBUTES.items()} | {
    "a": {*COMMENT_ATTRIBUTES["a"], "rel"}
}
URL_ATTRIBUTES = {"href", "cite"}
ALLOWED_URL = re.compile(r"^(?:https?|mailto):", re.IGNORECASE)
# Browsers ignore these inside a scheme, so a check must too.
IGNORED_IN_URLS = re.compile(r"[\x00-\x20\x7f]")


class _Markup(HTMLParser):
    """Everything in a piece of HTML that is not text, as a browser's tokenizer sees it."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.start_tags: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.end_tags: list[str] = []
        self.other: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.start_tags.append((tag, attrs))

    def handle_startendtag(self, tag, attrs):
        self.start_tags.append((tag, attrs))

    def handle_endtag(self, tag):
        self.end_tags.append(tag)

    def handle_comment(self, data):
        self.other.append(f"<!--{data}-->")

    def handle_decl(self, decl):
        self.other.append(f"<!{decl}>")

    def handle_pi(self, data):
        self.other.append(f"<?{data}>")

    def unknown_decl(self, data):
        self.other.append(f"<![{data}]>")


def parse(html: str) -> _Markup:
    markup = _Markup()
    markup.feed(html)
    markup.close()
    return markup


def problems_in(html: str) -> list[str]:
    """What a cleaned comment must never contain, described; empty when it is safe."""
    markup = parse(html)
    found = [f"markup {item}" for item in markup.other]
    found += [f"</{tag}>" for tag in markup.end_tags if tag not in COMMENT_TAGS]
    for tag, attrs in markup.start_tags:
        if tag not in COMMENT_TAGS:
            found.append(f"<{tag}>")
            continue
        for name, value in attrs:
            if name.startswith("on") or name not in OUTPUT_ATTRIBUTES.get(tag, set()):
                found.append(f"the {name} attribute of <{tag}>")
            elif name in URL_ATTRIBUTES and not ALLOWED_URL.match(IGNORED_IN_URLS.sub("", value or "")):
                found.append(f"the {name} address {value!r} of <{tag}>")
        if tag == "a" and ("rel", COMMENT_LINK_REL) not in attrs:
            found.append(f"<a> without rel={COMMENT_LINK_REL!r}: {attrs!r}")
    return found


def triples(html: str) -> set[tuple[str, str | None, str | None]]:
    """Each element as (tag, None, None) and each attribute as (tag, name, value)."""
    found = set()
    for tag, attrs in parse(html).start_tags:
        found.add((tag, None, None))
        found.update((tag, name, value) for name, value in attrs)
    return found


def nh3_clean(html: str) -> str:
    """The same allowlist, applied by ammonia (Rust, html5ever) instead of bleach."""
    return nh3.clean(
        html,
        tags=set(COMMENT_TAGS),
        attributes={tag: set(names) for tag, names in COMMENT_ATTRIBUTES.items()},
        url_schemes=set(COMMENT_PROTOCOLS),
        url_relative="deny",
        link_rel=COMMENT_LINK_REL,
        strip_comments=True,
    )


def assert_safe(typed: str) -> None:
    cleaned = clean_comment_html(typed)
    assert problems_in(cleaned) == [], cleaned
    # The oracle: ammonia finds nothing left to remove. Serialisations differ,
    # so compare what the two outputs mean rather than their text.
    assert triples(nh3_clean(cleaned)) == triples(cleaned), cleaned


def test_the_payload_table_is_large_enough_to_mean_something():
    assert len(set(XSS_PAYLOADS)) >= 100


@pytest.mark.parametrize("typed", XSS_PAYLOADS)
def test_a_known_xss_payload_leaves_only_allowed_markup(typed):
    assert_safe(typed)


# Property-based: any text, and text made of the pieces that attacks are made of.
OUTSIDE_TAGS = [
    "script", "style", "img", "svg", "math", "mglyph", "mtext", "iframe", "object", "embed", "form",
    "base", "meta", "link", "noscript", "template", "textarea", "title", "xmp", "table", "div", "span",
    "input", "button", "select", "foreignObject", "plaintext", "x-y",
]  # fmt: skip
TAG_NAMES = st.sampled_from(sorted(COMMENT_TAGS) + OUTSIDE_TAGS).flatmap(
    lambda name: st.sampled_from([name, name.upper()])
)
SCHEMES = st.sampled_from(
    [
        "http://", "https://", "HTTPS://", "mailto:", "javascript:", "JaVaScRiPt:", "java\tscript:",
        "java&#x09;script:", "&#106;avascript:", "javascript&colon;", " \x01javascript:", "vbscript:",
        "data:text/html,", "data:", "ftp://", "file://", "//", "/", "\\\\", "",
    ]
)  # fmt: skip
# Hosts are well formed: ammonia also drops an http URL that does not parse
# (http://exa mple.com), which we keep, as its scheme is harmless.
URLS = st.builds(
    "{}{}/{}".format,
    SCHEMES,
    st.sampled_from(["example.org", "www.example.org", "evil.example", "x.co", "alert(1)"]),
    st.text(st.characters(codec="ascii", exclude_characters=" \"'<>\\`{}|^"), max_size=12),
)
ATTRIBUTE_NAMES = st.sampled_from(
    [
        "href", "title", "cite", "datetime", "rel", "src", "srcdoc", "style", "onclick", "onerror",
        "ONLOAD", "onmouseover", "formaction", "action", "xlink:href", "class", "id", "target",
    ]
)  # fmt: skip
ATTRIBUTES = st.builds(
    " {0}={1}{2}{1}".format,
    ATTRIBUTE_NAMES,
    st.sampled_from(['"', "'", ""]),
    st.one_of(URLS, st.text(max_size=10), st.just("alert(1)")),
)
START_TAGS = st.builds(
    "<{}{}{}>".format, TAG_NAMES, st.lists(ATTRIBUTES, max_size=3).map("".join), st.sampled_from(["", " /", "/"])
)
# Tags that may keep a URL, so that the scheme check meets every kind of URL.
TAGS_WITH_URLS = st.builds(
    '<{0[0]} {0[1]}="{1}">'.format, st.sampled_from([("a", "href"), ("blockquote", "cite"), ("q", "cite")]), URLS
)
END_TAGS = TAG_NAMES.map("</{}>".format)
PUNCTUATION = st.sampled_from(
    ["<", ">", "&", '"', "'", "`", "=", "\n", "\n\n", "<!--", "-->", "<![CDATA[", "]]>", "&lt;", "&amp;",
     "&#", "&#x6A;", "(", ")", " ", "joe@example.org"]
)  # fmt: skip
HTML_ISH = st.lists(
    st.one_of(st.text(max_size=12), START_TAGS, TAGS_WITH_URLS, END_TAGS, URLS, PUNCTUATION), max_size=16
).map("".join)


@settings(max_examples=300, deadline=None, database=None)
@given(st.one_of(st.text(), HTML_ISH))
def test_any_input_leaves_only_allowed_markup(typed):
    assert_safe(typed)


# Limits against slow cleaning (why: tests/articles/test_sanitize_bleach_gaps.py), and cleaning twice.


def test_urls_next_to_a_long_run_are_still_linkified():
    cleaned = clean_comment_html("See https://example.org/page " + "(" * 60_000 + " or www.example.org.")
    assert cleaned.count(f'rel="{COMMENT_LINK_REL}"') == 2


def test_a_url_longer_than_linkify_allows_stays_text():
    url = "https://example.org/" + "a" * LINKIFY_MAX_RUN
    assert clean_comment_html(url) == f"<p>{url}</p>"


def test_a_comment_with_more_markup_than_any_needs_is_shown_as_plain_text():
    typed = "<b>bold</b> " * (COMMENT_MAX_TAGS + 1)
    assert clean_comment_html(typed) == "<p>" + "&lt;b&gt;bold&lt;/b&gt; " * (COMMENT_MAX_TAGS + 1) + "</p>"


def test_cleaning_a_cleaned_comment_again_adds_line_breaks():
    once = clean_comment_html("first line\nsecond line")
    assert once == "<p>first line<br>\nsecond line</p>"
    assert clean_comment_html(once) == "<p>first line<br><br>\nsecond line</p>"


@pytest.mark.parametrize(
    "typed",
    ['<a href="https://example.org/?a=1&amp;b=2">x</a>', '<a href="https://example.org/?a=1&b=2">x</a>'],
)
def test_an_ampersand_in_a_typed_href_is_escaped_exactly_once(typed):
    assert clean_comment_html(typed) == (
        f'<p><a href="https://example.org/?a=1&amp;b=2" rel="{COMMENT_LINK_REL}">x</a></p>'
    )


# What a reader may use.


def test_every_inline_tag_of_the_allowlist_is_kept():
    typed = (
        '<abbr title="HyperText Markup Language">HTML</abbr> <acronym title="As Soon As Possible">ASAP</acronym> '
        '<b>b</b> <cite>Cite</cite> <code>x = 1</code> <del datetime="2024-01-01">old</del> <em>em</em> <i>i</i> '
        '<q cite="https://example.org/">q</q> <s>s</s> <strike>strike</strike> <strong>strong</strong>'
    )
    assert clean_comment_html(typed) == f"<p>{typed}</p>"


def test_a_quotation_keeps_its_source_and_holds_paragraphs():
    typed = '<blockquote cite="https://example.org/source">Quoted.\n\nStill quoted.</blockquote>'
    assert clean_comment_html(typed) == (
        '<blockquote cite="https://example.org/source"><p>Quoted.</p>\n<p>Still quoted.</p></blockquote>'
    )


def test_a_typed_link_keeps_its_title_and_gets_rel_nofollow_ugc_instead_of_its_own():
    typed = '<a href="https://example.org/" title="Example" rel="me noopener">x</a>'
    assert clean_comment_html(typed) == (
        f'<p><a href="https://example.org/" title="Example" rel="{COMMENT_LINK_REL}">x</a></p>'
    )


def test_a_plain_url_becomes_a_nofollow_ugc_link():
    assert clean_comment_html("Read https://example.org/page today.") == (
        f'<p>Read <a href="https://example.org/page" rel="{COMMENT_LINK_REL}">https://example.org/page</a> today.</p>'
    )


@pytest.mark.parametrize(
    "url", ["http://cheap-pills.shop", "https://pills.online/buy", "https://my.health/b?x=1", "http://пример.рф/путь"]
)
def test_an_address_typed_with_its_scheme_is_a_link_whatever_it_ends_in(url):
    assert clean_comment_html(f"Go to {url} now") == f'<p>Go to <a href="{url}" rel="nofollow ugc">{url}</a> now</p>'


def test_a_bare_word_with_a_dot_is_not_a_link():
    assert clean_comment_html("See file.txt and e.g. this") == "<p>See file.txt and e.g. this</p>"


def test_a_mailto_link_is_kept():
    assert clean_comment_html('<a href="mailto:joe@example.org">Joe</a>') == (
        f'<p><a href="mailto:joe@example.org" rel="{COMMENT_LINK_REL}">Joe</a></p>'
    )


def test_a_relative_link_loses_its_address():
    assert clean_comment_html('<a href="/wp-admin/">admin</a>') == f'<p><a rel="{COMMENT_LINK_REL}">admin</a></p>'


def test_an_email_address_or_other_scheme_is_not_linkified():
    typed = "Mail joe@example.org, mailto:joe@example.org or ftp://example.org/file"
    assert clean_comment_html(typed) == f"<p>{typed}</p>"


def test_a_typed_link_inside_code_also_gets_rel_nofollow_ugc():
    # bleach's linkify skips the text inside skip_tags but still runs its callbacks on links there.
    assert clean_comment_html('<code><a href="https://example.org/">x</a></code>') == (
        f'<p><code><a href="https://example.org/" rel="{COMMENT_LINK_REL}">x</a></code></p>'
    )


def test_a_url_in_code_is_not_linkified():
    assert clean_comment_html("<code>curl https://example.org/</code>") == (
        "<p><code>curl https://example.org/</code></p>"
    )


def test_blank_lines_make_paragraphs_and_newlines_make_line_breaks():
    typed = "First line\r\nsecond line\n\n\n  New paragraph  \n"
    assert clean_comment_html(typed) == "<p>First line<br>\nsecond line</p>\n<p>New paragraph</p>"


def test_text_without_a_newline_is_one_paragraph():
    assert clean_comment_html("Thank you.") == "<p>Thank you.</p>"


def test_typed_paragraphs_are_kept_as_paragraphs():
    assert clean_comment_html("<p>One</p>Two<p>Three</p>") == "<p>One</p>\n<p>Two</p>\n<p>Three</p>"


def test_less_than_signs_ampersands_and_quotes_in_text_are_escaped():
    assert clean_comment_html("if a < b && c > d then 'x' & \"y\"") == (
        "<p>if a &lt; b &amp;&amp; c &gt; d then 'x' &amp; \"y\"</p>"
    )


def test_other_tags_are_stripped_and_code_is_dropped():
    typed = "<div>kept <span>text</span></div><script>alert(1)</script><style>p { color: red }</style>"
    assert clean_comment_html(typed) == "<p>kept text</p>"


def test_an_empty_comment_stays_empty():
    assert clean_comment_html(" \n\n ") == ""


@pytest.mark.parametrize(
    ("typed", "links"),
    [
        ("No links here.", 0),
        ('See <a href="https://a.example.org/">a</a>, https://b.example.org/ and www.c.org.', 3),
        ('<a href="mailto:joe@example.org">Joe</a> or joe@example.org', 1),
        ('<a href="javascript:alert(1)">x</a> <a href="/relative">y</a> <a title="t">z</a>', 0),
        ("ftp://example.org/ mailto:joe@example.org", 0),
        ("https://example.org/" + "a" * LINKIFY_MAX_RUN, 0),
    ],
)
def test_count_links_in_clean_html_counts_the_links_a_comment_shows(typed, links):
    assert count_links_in_clean_html(clean_comment_html(typed)) == links
