"""What articles.sanitize adds to bleach 6.4.0: each test names the bleach behaviour the addition covers."""

import threading
from unittest import mock

import bleach
import pytest
from bleach.linkifier import URL_RE, LinkifyFilter

from articles import sanitize
from articles.sanitize import (
    ARTICLE_PROTOCOLS,
    COMMENT_LINK_REL,
    COMMENT_MAX_MARKUP,
    COMMENT_MAX_TAGS,
    LINKIFY_MAX_RUN,
    clean_article_html,
    clean_comment_html,
)

COMMENT_LENGTH_LIMIT = 65_525  # WordPress's, which the comment form keeps


@pytest.mark.parametrize(
    "url", ["javascript:123", "JavaScript:123", " data:1", "vbscript:1", "&#106;avascript:123", "java&#x09;script:1"]
)
def test_bleach_reads_no_scheme_when_digits_follow_it_so_we_read_the_scheme_ourselves(url):
    typed = f'<a href="{url}">x</a>'
    assert bleach.clean(typed, tags={"a"}, attributes={"a": ["href"]}, protocols=ARTICLE_PROTOCOLS) == typed
    assert clean_article_html(typed) == "<a>x</a>"
    assert clean_comment_html(typed) == f'<p><a rel="{COMMENT_LINK_REL}">x</a></p>'


def test_bleach_keeps_script_and_style_text_when_stripping_so_we_drop_it():
    typed = "<p>Hi</p><script>alert(1)</script><style>p { color: red }</style>"
    assert bleach.clean(typed, tags={"p"}, strip=True) == "<p>Hi</p>alert(1)p { color: red }"
    assert clean_article_html(typed) == "<p>Hi</p>"


@pytest.mark.parametrize(
    ("typed", "cleaned"),
    [
        ("<p>Use <style> for CSS.</p><script>steal()</script>", "<p>Use  for CSS.</p>"),
        ('<script title="a<b">alert(1)</script><p>Hi</p>', "<p>Hi</p>"),
        ("<SCRIPT>alert(1)</script ><p>Hi</p>", "<p>Hi</p>"),
        ("<script>a()</script><p>Hi</p><script>b()</script>", "<p>Hi</p>"),
    ],
    ids=["an unclosed style before a script", "a < in an attribute", "capitals and space", "two scripts"],
)
def test_script_text_is_dropped_however_the_tags_are_written(typed, cleaned):
    assert clean_article_html(typed) == cleaned


def test_bleach_linkify_in_a_cleaner_decodes_entities_a_second_time_so_ours_does_not():
    typed = "Write &amp;lt; for <"
    assert bleach.sanitizer.Cleaner(filters=[LinkifyFilter]).clean(typed) == "Write &lt; for &lt;"
    assert clean_comment_html(typed) == "<p>Write &amp;lt; for &lt;</p>"


def _whole(text: str) -> str:
    return (text * COMMENT_LENGTH_LIMIT)[:COMMENT_LENGTH_LIMIT]


def _runs(unit: str, length: int) -> str:
    """Runs of `length` characters, separated by spaces, to the comment length limit."""
    run = (unit * length)[:length]
    return ((run + " ") * (COMMENT_LENGTH_LIMIT // (length + 1) + 1))[:COMMENT_LENGTH_LIMIT]


# bleach.linkify measured on these at the full length: "(" 56 s, "http://" then
# "(" 56 s, "x.com" then "(" 57 s, "a-" 17 s; the others under 0.2 s.
LINKIFY_ADVERSARIES = {
    "open parentheses": _whole("("),
    "a scheme then open parentheses": "http://" + _whole("(")[7:],
    "a domain then open parentheses": "x.com" + _whole("(")[5:],
    "open brackets": _whole("["),
    "letter and hyphen pairs": _whole("a-"),
    "accented letter and hyphen pairs": _whole("é-"),
    "letter and dot pairs": _whole("a."),
    "letter and at sign pairs": _whole("a@"),
    "domain and dot pairs": _whole("co."),
    "hyphens": _whole("-"),
    "dots": _whole("."),
    "colons": _whole(":"),
    "underscores": _whole("_"),
    "a URL then close parentheses": "http://x.com/" + _whole(")")[13:],
    "a URL then dots": "http://x.com/" + _whole(".")[13:],
    "a URL then commas": "http://x.com/" + _whole(",")[13:],
    "runs of open parentheses as long as linkify allows": _runs("(", LINKIFY_MAX_RUN),
    "runs of letter and hyphen pairs as long as linkify allows": _runs("a-", LINKIFY_MAX_RUN),
    "runs of hyphen pairs ending in a domain": _runs("a-" * (LINKIFY_MAX_RUN // 2 - 3) + "(x.com", LINKIFY_MAX_RUN),
    "runs of a domain then open parentheses": _runs("x.com" + "(" * LINKIFY_MAX_RUN, LINKIFY_MAX_RUN),
}


@pytest.mark.parametrize("typed", LINKIFY_ADVERSARIES.values(), ids=LINKIFY_ADVERSARIES)
def test_bleach_url_pattern_is_quadratic_on_long_runs_so_it_never_sees_one(typed):
    assert len(typed) == COMMENT_LENGTH_LIMIT
    with mock.patch.object(sanitize, "_URL_RE", wraps=sanitize._URL_RE) as url_re:
        clean_comment_html(typed)
    searched = [text[start:end] for (text, start, end), _ in url_re.finditer.call_args_list]
    assert searched, "the comment did not reach linkify"
    assert max((len(run) for text in searched for run in text.split()), default=0) <= LINKIFY_MAX_RUN


def test_bleach_url_pattern_starts_a_scan_at_every_open_parenthesis_of_a_run_so_ours_starts_one():
    text = "(" * 20 + "x.com"
    assert [start for start in range(20) if URL_RE.match(text, start)] == list(range(20))
    assert [start for start in range(20) if sanitize._URL_RE.match(text, start)] == [0]
    assert sanitize._URL_RE.findall(text) == URL_RE.findall(text)


# html5lib's time grows with the depth of nesting times the number of tokens:
# 3.4 s for the unclosed <b> of a whole comment.
@pytest.mark.parametrize(
    ("typed", "reaches_bleach"),
    [
        (_whole("<b>"), False),
        ("<b>x</b>" * (COMMENT_MAX_TAGS + 1), False),
        ("<b>x</b>" * COMMENT_MAX_TAGS, True),
        ("&amp;" * (COMMENT_MAX_MARKUP + 1), False),
        ("&amp;" * COMMENT_MAX_MARKUP, True),
    ],
    ids=["unclosed tags", "one tag too many", "as many tags as allowed", "one entity too many", "as many as allowed"],
)
def test_html5lib_is_quadratic_in_nesting_so_it_never_sees_more_markup_than_a_comment_needs(typed, reaches_bleach):
    with mock.patch.object(bleach.sanitizer.Cleaner, "clean", return_value="") as clean:
        clean_comment_html(typed)
    assert clean.called == reaches_bleach


def test_a_bleach_cleaner_keeps_parser_state_so_each_thread_cleans_with_its_own():
    used = []

    def clean() -> None:
        clean_comment_html("A comment.")
        used.append(sanitize._per_thread.comment)

    threads = [threading.Thread(target=clean) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(used) == 2 and used[0] is not used[1]


class CountedSearches:
    def __init__(self, pattern) -> None:
        self.pattern = pattern
        self.count = 0

    def search(self, *args):
        self.count += 1
        return self.pattern.search(*args)


def test_many_unclosed_scripts_look_for_their_closing_tag_once(monkeypatch):
    # A regex pairing each opening tag with its closing one rescans to the end
    # for every unclosed "<script>": 2.4 s on a whole comment of them.
    counted = {name: CountedSearches(pattern) for name, pattern in sanitize._CODE_CLOSING.items()}
    monkeypatch.setattr(sanitize, "_CODE_CLOSING", counted)
    clean_comment_html(_whole("<script>x"))
    assert counted["script"].count == 1
