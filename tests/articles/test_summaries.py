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


# ---- WordPress's "Read more" tag ---------------------------------------------------------------------------------
@pytest.mark.parametrize("tag", ["<!--more-->", "<!--more Read the rest-->"])
def test_the_automatic_summary_ends_at_the_read_more_tag(make_article, tag):
    article = make_article(body=f"<p>What the spasm is.</p>{tag}<p>How it is treated.</p>")
    assert article.summary == "What the spasm is."
    # The article itself shows the whole body, and search reads all of it.
    assert "How it is treated." in article.body_html and "How it is treated." in article.body_text


@pytest.mark.parametrize("note", ["<!-- more reviewers needed -->", "<!-- note -->"])
def test_an_editors_note_is_no_read_more_tag(make_article, note):
    # As WordPress reads it (<!--more(.*?)?-->): a review found a note starting with "more" cut the summary.
    assert make_article(body=f"<p>One.</p>{note}<p>Two.</p>").summary == "One. Two."


def test_a_read_more_tag_inside_a_paragraph_cuts_it_there(make_article):
    assert make_article(body="<p>Before the tag <!--more--> after it.</p>").summary == "Before the tag"


def test_an_excerpt_still_comes_first_and_a_body_without_the_tag_is_summed_up_as_before(make_article):
    assert make_article(excerpt="Typed.", body="<p>Body.</p><!--more--><p>More.</p>").summary == "Typed."
    assert make_article(body="<p>Body.</p><p>More.</p>").summary == "Body. More."


def test_the_front_page_and_the_feeds_show_the_teaser(client, make_article):
    make_article(title="Teased", body="<p>The teaser.</p><!--more--><p>The rest, for the article page.</p>")
    assert '<p class="entry-summary">The teaser.</p>' in client.get("/").text
    assert "<description>The teaser.</description>" in client.get("/feed/").text


def test_an_edit_that_drops_the_tag_drops_the_teaser(make_article):
    article = make_article(body="<p>The teaser.</p><!--more--><p>The rest.</p>")
    article.body = "<p>All of it now.</p><p>The rest.</p>"
    article.save(update_fields=["body"])
    article.refresh_from_db()
    assert article.summary == "All of it now. The rest."
