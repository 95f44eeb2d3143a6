"""Automatic summaries are text: entities decoded once, blocks kept apart."""

import pytest

from articles import sanitize

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
