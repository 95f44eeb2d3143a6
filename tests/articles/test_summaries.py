"""Automatic summaries are text: entities decoded once, blocks kept apart."""

from html import unescape

import pytest
from django.utils.html import strip_tags

from articles import sanitize
from tests.comments.xss_payloads import XSS_PAYLOADS

pytestmark = pytest.mark.django_db


def test_a_summary_keeps_a_space_between_a_heading_and_the_next_paragraph(make_article):
    article = make_article(
        body="<h2>How Botox works</h2><p>Small doses relax the muscle.</p><ul><li>One</li><li>Two</li></ul>"
    )
    assert article.summary == "How Botox works Small doses relax the muscle. One Two"


def test_a_summary_decodes_entities_once(make_article, client):
    article = make_article(body="<p>Tics &amp; twitches in &lt;children&gt; &quot;often&quot; fade.</p>")
    assert article.summary == 'Tics & twitches in <children> "often" fade.'
    front = client.get("/").text
    # Escaped exactly once on the page: a reader sees "&" and "<children>".
    assert "Tics &amp; twitches in &lt;children&gt; &quot;often&quot; fade." in front
    assert "&amp;amp;" not in front


def test_text_of_leaves_inline_markup_inside_words():
    assert sanitize.text_of("<p>bo<strong>tu</strong>linum<br>toxin</p>") == "botulinum toxin"


def test_the_words_of_the_body_are_kept_for_search_and_summaries(make_article):
    article = make_article(body="<p>First words.</p><h3>Second</h3>")
    assert article.body_text == "First words. Second"


def _text_by_an_html_parser(clean_html: str) -> str:
    """What text_of gave when Django's strip_tags (an HTML parser) took the tags out."""
    return " ".join(unescape(strip_tags(sanitize._BLOCK_EDGE.sub(" ", clean_html))).split())


TYPED = [
    *XSS_PAYLOADS,
    '<p>A <abbr title="a > b">rule</abbr> and <a href="https://example.org/?q=1&amp;r=2" title=\'say "hi"\'>a link'
    "</a></p>",
    '<blockquote cite="https://example.org/>"><p>Quoted</p></blockquote>After',
    "Dose < 5 mg & > 2 mg, <3 and a > sign",
    "<p>Unclosed <strong>bold<p>next",
    "Line one\nLine two\n\nA new paragraph with https://example.org/a>b",
    "<" * 50 + "a" * 50 + ">" * 50,
]


@pytest.mark.parametrize(
    "clean", [sanitize.clean_article_html, sanitize.clean_comment_html], ids=["article", "comment"]
)
def test_text_of_finds_the_words_an_html_parser_finds_in_cleaned_html(clean):
    for typed in TYPED:
        cleaned = clean(typed)
        assert sanitize.text_of(cleaned) == _text_by_an_html_parser(cleaned), typed


@pytest.mark.parametrize(
    ("typed", "attribute", "words"),
    [
        ('<p>See <abbr title="x > 1">X</abbr> here</p>', 'title="x > 1"', "See X here"),
        (
            '<blockquote cite="https://example.org/?a>b"><p>Quoted</p></blockquote>After',
            'cite="https://example.org/?a>b"',
            "Quoted After",
        ),
    ],
    ids=["inline", "block"],
)
def test_text_of_keeps_a_tag_whole_when_an_attribute_holds_a_greater_than_sign(typed, attribute, words):
    cleaned = sanitize.clean_comment_html(typed)
    assert attribute in cleaned  # the cleaner keeps the ">" in it
    assert sanitize.text_of(cleaned) == words
