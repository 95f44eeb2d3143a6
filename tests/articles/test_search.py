"""Search: /search/?q= over published articles, ranked with highlighted words on PostgreSQL, found on any database."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles.models import Article

pytestmark = pytest.mark.django_db

needs_postgresql = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's full-text ranking")


def results(page: str) -> list[str]:
    return re.findall(
        r'<article class="article-summary search-result">\s*<h2 class="entry-title"><a href="[^"]*">([^<]*)</a>', page
    )


def snippets(page: str) -> list[str]:
    return re.findall(r'<p class="entry-summary">(.*?)</p>', page, re.S)


def test_the_seed_article_is_found_by_a_word_of_its_body_with_the_word_marked(client, seed_article):
    page = client.get("/search/", {"q": "botulinum"}).text
    assert results(page) == [seed_article.title]
    assert "<mark>botulinum</mark>" in snippets(page)[0]
    assert "1 article found." in page
    assert "<title>Search results for “botulinum”" in page


def test_drafts_and_scheduled_articles_are_never_found(client, make_article):
    make_article(title="Draft about tremor", status=Article.Status.DRAFT)
    make_article(title="Scheduled tremor", published_at=timezone.now() + datetime.timedelta(days=2))
    make_article(title="Published tremor")
    assert results(client.get("/search/", {"q": "tremor"}).text) == ["Published tremor"]


def test_every_word_must_be_found(client, make_article):
    make_article(title="Facial spasm", body="<p>Twitching of the eyelid.</p>")
    make_article(title="Facial pain", body="<p>Trigeminal neuralgia.</p>")
    assert results(client.get("/search/", {"q": "facial eyelid"}).text) == ["Facial spasm"]


@pytest.mark.parametrize("typed", ["meniere", "MÉNIÈRE", "sjogren"])
def test_a_word_is_found_whatever_its_accents_and_case(client, make_article, typed):
    # Found by a review: "meniere" found nothing (on SQLite, "MÉNIÈRE" neither); WordPress on MySQL finds both.
    make_article(title="Ménière disease", body="<p>Vertigo, and dry eyes as in Sjögren syndrome.</p>")
    make_article(title="Tinnitus", body="<p>A ringing in the ears.</p>")
    assert results(client.get("/search/", {"q": typed}).text) == ["Ménière disease"], typed


@pytest.mark.parametrize("typed", ["bell's palsy", "Bell’s palsy", "hemifacial-spasm", "facial-nerve"])
def test_words_typed_otherwise_than_the_text_writes_them_find_it(client, seed_article, typed):
    # The seed article writes "Bell’s palsy" (U+2019), as WordPress's texturize does, and a keyboard types "'" (on
    # SQLite "bell's palsy" found nothing); words typed joined by a hyphen, as the article's address writes them,
    # found "0 articles" on either database.
    page = client.get("/search/", {"q": typed}).text
    assert results(page) == [seed_article.title], typed
    assert "<mark>" in snippets(page)[0]


@pytest.mark.parametrize("typed", ["spasm -botox", "-Botox spasm", "spasm - botox"])
def test_a_word_after_a_minus_is_left_out(client, make_article, typed):
    # On SQLite "-botox" was one more word to find: it found only the articles it should have left out.
    make_article(title="Spasm treated with Botox", body="<p>Botox injections calm the spasm.</p>")
    make_article(title="Spasm treated by surgery", body="<p>Surgery frees the nerve.</p>")
    assert results(client.get("/search/", {"q": typed}).text) == ["Spasm treated by surgery"], typed


def test_words_that_are_only_left_out_find_every_article_without_them(client, make_article):
    make_article(title="Botox", body="<p>Injections calm the spasm.</p>")
    make_article(title="Surgery", body="<p>Decompression frees the nerve.</p>")
    assert results(client.get("/search/", {"q": "-botox"}).text) == ["Surgery"]


@pytest.fixture
def nerve_articles(make_article):
    make_article(title="The facial nerve", body="<p>It moves the muscles of the face.</p>")
    make_article(title="Nerve damage", body="<p>A facial twitch may come from a damaged nerve.</p>")
    make_article(title="Cranial nerves", body="<p>The seventh nerve: facial muscles obey it.</p>")


@pytest.mark.parametrize("typed", ['"facial nerve"', '"FACIAL nerve', 'muscles "facial nerve"'])
def test_a_quoted_phrase_finds_its_words_together_and_in_order(client, nerve_articles, typed):
    # On SQLite the quotes were dropped: every article with both words anywhere was found.
    assert results(client.get("/search/", {"q": typed}).text) == ["The facial nerve"], typed


def test_a_minus_before_a_quoted_phrase_leaves_out_the_articles_with_the_phrase(client, nerve_articles):
    found = results(client.get("/search/", {"q": '-"facial nerve" muscles'}).text)
    assert found == ["Cranial nerves"]


@pytest.mark.parametrize("typed", ["botox or surgery", "Botox OR surgery", '"botox" or "surgery"'])
def test_or_between_two_words_finds_the_articles_with_either(client, make_article, typed):
    # On SQLite "or" was one more word to find, with the two others: nothing was found.
    make_article(title="Botox", body="<p>Injections every three months.</p>")
    make_article(title="Surgery", body="<p>Decompression of the nerve.</p>")
    make_article(title="Rest", body="<p>Sleep well, and less coffee.</p>")
    assert sorted(results(client.get("/search/", {"q": typed}).text)) == ["Botox", "Surgery"], typed


def test_or_finds_all_the_words_on_either_side_of_it(client, make_article):
    make_article(title="Botox for the eyelid", body="<p>Injections calm it.</p>")
    make_article(title="Botox for the neck", body="<p>Injections calm it.</p>")
    make_article(title="Surgery", body="<p>Decompression of the nerve.</p>")
    found = results(client.get("/search/", {"q": "botox eyelid or surgery"}).text)
    assert sorted(found) == ["Botox for the eyelid", "Surgery"]


def test_the_snippet_marks_the_word_found_whatever_its_accents(client, make_article):
    make_article(title="Vertigo", body="<p>" + "Some words first. " * 10 + "Ménière disease brings vertigo.</p>")
    snippet = snippets(client.get("/search/", {"q": "meniere"}).text)[0]
    assert "<mark>Ménière</mark> disease" in snippet


@pytest.mark.skipif(connection.vendor == "postgresql", reason="PostgreSQL's ts_headline marks words left out too")
def test_a_word_left_out_is_not_marked_in_a_snippet(client, make_article):
    make_article(title="Eyelid", body="<p>Botox calms a twitching eyelid.</p>")
    snippet = snippets(client.get("/search/", {"q": "eyelid or -botox"}).text)[0]
    assert snippet == "Botox calms a twitching <mark>eyelid</mark>."


def test_the_snippet_shows_where_a_quoted_phrase_is_found(client, make_article):
    words = " ".join(f"word{number}" for number in range(40))
    make_article(title="Nerves", body=f"<p>A facial twitch. {words}. Then the facial nerve heals.</p>")
    snippet = snippets(client.get("/search/", {"q": '"facial nerve"'}).text)[0]
    assert "the facial nerve heals" in re.sub(r"</?mark>", "", snippet)


@needs_postgresql
def test_on_postgresql_a_word_in_the_title_ranks_above_one_in_the_body(client, make_article):
    make_article(title="Living with tics", body="<p>A spasm may come with tics.</p>")
    make_article(title="Spasm of the face", body="<p>The face twitches.</p>")
    assert results(client.get("/search/", {"q": "spasm"}).text) == ["Spasm of the face", "Living with tics"]


@needs_postgresql
def test_on_postgresql_word_forms_are_found(client, make_article):
    make_article(title="Injections", body="<p>The muscles were injected twice.</p>")
    assert results(client.get("/search/", {"q": "injecting muscle"}).text) == ["Injections"]


def test_snippets_show_the_bodys_text_escaped(client, make_article):
    make_article(title="Children", body="<p>Tics &amp; twitches in &lt;children&gt; <b>often</b> fade.</p>")
    snippet = snippets(client.get("/search/", {"q": "twitches"}).text)[0]
    assert "Tics &amp; twitches in &lt;children&gt; often fade" in re.sub(r"</?mark>", "", snippet)


def test_results_are_paginated_and_the_pages_keep_the_query(client, make_article, settings):
    for number in range(12):
        make_article(title=f"Tremor {number}")
    first = client.get("/search/", {"q": "tremor"}).text
    assert len(results(first)) == 10
    assert "12 articles found." in first
    assert 'href="?q=tremor&amp;page=2" rel="next">More results</a>' in first
    assert len(results(client.get("/search/", {"q": "tremor", "page": "2"}).text)) == 2


def test_wordpress_search_addresses_are_sent_to_the_search_page(client):
    response = client.get("/", {"s": "botox & spasm"})
    assert response.status_code == 301
    assert response["Location"] == "/search/?q=botox+%26+spasm"


def test_every_page_has_a_search_box_in_its_header(client, article):
    for url in ("/", article.get_absolute_url()):
        page = client.get(url).text
        assert '<form class="search-form" role="search" aria-label="Site" method="get" action="/search/">' in page
        assert '<input type="search" id="site-search" name="q"' in page


def test_the_search_box_keeps_what_was_looked_for(client):
    page = client.get("/search/", {"q": 'tics "in children"'}).text
    assert 'value="tics &quot;in children&quot;"' in page


@pytest.mark.parametrize(
    "query",
    [
        "'; DROP TABLE articles_article; --",
        '"',
        '"unclosed phrase',
        "a OR b AND NOT c",
        "!!! & | :* <->",
        "<script>alert(1)</script>",
        "x" * 200,
        "😀 日本語 \u202e",
        "",
        "   ",
    ],
)
def test_any_query_gives_a_page_and_is_never_echoed_unescaped(client, seed_article, query):
    response = client.get("/search/", {"q": query})
    assert response.status_code == 200
    assert "<script>alert(1)</script>" not in response.text
    assert Article.objects.filter(pk=seed_article.pk).exists()


def test_a_query_too_long_says_so_and_keeps_its_start(client):
    response = client.get("/search/", {"q": "botulinum " * 1000})
    assert response.status_code == 200
    assert "Search for at most 200 characters (this was 9999)." in response.text
    assert 'value="botulinum botulinum' in response.text


def test_a_nul_in_a_query_is_refused_with_a_page_not_an_error(client):
    response = client.get("/search/?q=a%00b")
    assert response.status_code == 400
    assert 'class="site-header"' in response.text


def test_the_results_page_reads_the_same_number_of_queries_for_one_result_or_ten(
    client, make_article, category, django_assert_num_queries
):
    make_article(title="Tremor first", categories=[category])
    client.get("/search/", {"q": "tremor"})  # the site and the discussion settings, read once per process
    with CaptureQueriesContext(connection) as one:
        assert len(results(client.get("/search/", {"q": "tremor"}).text)) == 1
    for number in range(9):
        make_article(title=f"Tremor {number}", categories=[category])
    with django_assert_num_queries(len(one)):
        assert len(results(client.get("/search/", {"q": "tremor"}).text)) == 10
