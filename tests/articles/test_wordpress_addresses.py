"""Old WordPress addresses keep working: a post whose slug was in another alphabet answers at its old address."""

import datetime

import pytest
from django.utils import timezone

pytestmark = pytest.mark.django_db


@pytest.fixture
def summer(make_article):
    return make_article(title="Été", slug="ete", published_at=timezone.make_aware(datetime.datetime(2020, 7, 1, 12, 0)))


def test_an_old_address_with_a_non_ascii_slug_leads_to_the_article_for_good(client, summer):
    response = client.get("/2020/07/01/%C3%A9t%C3%A9/")
    assert response.status_code == 301
    assert response["Location"] == summer.get_absolute_url()


def test_an_unknown_or_ascii_address_is_not_found(client, summer):
    assert client.get("/2020/07/01/%C3%A9t%C3%A9-2/").status_code == 404
    assert client.get("/2020/07/01/nothing-here/").status_code == 404


def test_a_draft_is_not_found_at_its_old_address_either(client, make_article):
    make_article(slug="hiver", status="draft", title="Hiver")
    assert client.get("/2020/01/01/h%C3%AFver/").status_code == 404


# ---- WordPress's addresses of pages of a list, of comments and of a search ----------------------------------------
@pytest.fixture
def eleven(make_article, category, writer, settings):
    """Eleven published articles in one category, one day apart: two pages of ten (ARTICLES_PER_PAGE)."""
    assert settings.ARTICLES_PER_PAGE == 10
    start = timezone.make_aware(datetime.datetime(2026, 11, 20, 9, 0))
    return [
        make_article(
            title=f"Entry {n:02d}",
            author=writer,
            categories=[category],
            published_at=start - datetime.timedelta(hours=n),
        )
        for n in range(11)
    ]


def moved_to(response) -> str:
    assert response.status_code == 301, response.status_code
    return response["Location"]


@pytest.mark.parametrize(
    ("wordpress", "here"),
    [
        ("/page/2/", "/?page=2"),
        ("/category/{category}/page/2/", "/category/{category}/?page=2"),
        ("/tag/{tag}/page/3/", "/tag/{tag}/?page=3"),
        ("/author/{author}/page/2/", "/author/{author}/?page=2"),
        ("/2026/page/2/", "/2026/?page=2"),
        ("/2026/11/page/2/", "/2026/11/?page=2"),
        ("/2026/11/20/page/2/", "/2026/11/20/?page=2"),
        ("/page/1/", "/"),
        ("/category/{category}/page/1/", "/category/{category}/"),
        ("/page/2/?utm_source=newsletter", "/?utm_source=newsletter&page=2"),
        ("/?paged=2", "/?page=2"),
        ("/?paged=1", "/"),
        ("/search/spasm/", "/search/?q=spasm"),
        ("/search/facial+spasm/", "/search/?q=facial+spasm"),
        ("/search/facial%20spasm/page/2/", "/search/?q=facial+spasm&page=2"),
    ],
)
def test_wordpress_addresses_of_a_lists_pages_lead_to_the_same_page_here(
    client, category, tag, writer, wordpress, here
):
    names = {"category": category.slug, "tag": tag.slug, "author": writer.author_slug}
    assert moved_to(client.get(wordpress.format(**names))) == here.format(**names)


def test_page_2_of_the_front_page_at_its_wordpress_address_shows_the_eleventh_article(client, eleven):
    shown = client.get("/page/2/", follow=True)
    assert shown.redirect_chain == [("/?page=2", 301)]
    assert "Entry 10" in shown.text and "Entry 09" not in shown.text


def test_page_2_of_a_category_at_its_wordpress_address_shows_its_eleventh_article(client, eleven, category):
    shown = client.get(f"/category/{category.slug}/page/2/", follow=True)
    assert shown.status_code == 200
    assert "Entry 10" in shown.text and "Entry 09" not in shown.text


@pytest.mark.parametrize("listing", ["/", "/category/{category}/", "/2026/11/", "/search/"])
def test_page_1_of_a_list_is_at_the_lists_own_address(client, eleven, category, listing):
    address = listing.format(category=category.slug)
    assert moved_to(client.get(f"{address}?page=1")) == address
    assert moved_to(client.get(f"{address}?page=1&q=spasm")) == f"{address}?q=spasm"


def test_a_page_of_comments_at_its_wordpress_address_leads_to_it_here(client, article):
    address = article.get_absolute_url()
    assert moved_to(client.get(f"{address}comment-page-2/")) == f"{address}?cpage=2#comments"
    assert moved_to(client.get(f"{address}comment-page-1/")) == f"{address}?cpage=1#comments"
    # Page 0 is none, as ?cpage=0: the page the article's address shows, in one step.
    assert moved_to(client.get(f"{address}comment-page-0/")) == f"{address}#comments"


def test_newer_articles_on_page_2_leads_to_the_lists_own_address(client, eleven, category):
    assert '<a href="/" rel="prev">Newer articles</a>' in client.get("/?page=2").text
    archive = client.get(f"/category/{category.slug}/?page=2").text
    assert f'<a href="/category/{category.slug}/" rel="prev">Newer articles</a>' in archive
    results = client.get("/search/?q=entry&page=2").text
    assert '<a href="/search/?q=entry" rel="prev">Previous results</a>' in results
