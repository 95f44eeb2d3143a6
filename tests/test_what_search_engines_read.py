"""What search engines and feed readers read of the site's pages, found missing or wrong by a review: each list page
its own title, each page of comments and each site page its canonical address, each feed its own Atom id, WordPress's
old feed addresses, and tags in the feeds."""

import re

import feedparser
import pytest
from django.test import Client

from articles.models import Page
from comments.models import DiscussionSettings

pytestmark = pytest.mark.django_db


def title(response) -> str:
    return re.search(r"<title>(.*?)</title>", response.text).group(1)


def canonical(response) -> str:
    return re.search(r'<link rel="canonical" href="([^"]*)">', response.text).group(1)


def test_every_page_of_a_list_has_a_title_of_its_own(client, make_article, category, settings):
    for number in range(12):
        make_article(title=f"Article {number}", categories=[category])
    assert title(client.get("/")) == "Leave a Reply"
    assert title(client.get("/?page=2")) == "Leave a Reply – Page 2"
    assert title(client.get("/category/conditions/?page=2")) == "Category: Conditions – Page 2 – Leave a Reply"
    assert title(client.get("/category/conditions/")) == "Category: Conditions – Leave a Reply"


def test_a_later_page_of_comments_is_its_own_canonical_page(client, article, make_comment, site_root):
    DiscussionSettings.objects.update_or_create(pk=1, defaults={"comments_per_page": 1})
    make_comment(article=article)
    make_comment(article=article)
    url = f"{site_root}{article.get_absolute_url()}"
    assert canonical(client.get(article.get_absolute_url())) == url
    assert canonical(client.get(f"{article.get_absolute_url()}?cpage=2")) == f"{url}?cpage=2"
    assert canonical(client.get(f"{article.get_absolute_url()}?cpage=1")) == url
    # The page shown, whatever was asked (found by a review: the number as typed, and a 500 for a huge one, which now
    # names no page: it leads to the article's own address).
    assert canonical(client.get(f"{article.get_absolute_url()}?cpage=99")) == f"{url}?cpage=2"
    assert canonical(client.get(f"{article.get_absolute_url()}?cpage=02")) == f"{url}?cpage=2"
    assert client.get(f"{article.get_absolute_url()}?cpage={'9' * 5000}")["Location"] == article.get_absolute_url()


def test_a_site_page_has_its_canonical_address(client, site_root):
    Page.objects.create(title="About us", slug="about", body="<p>Who we are.</p>", published=True)
    assert canonical(client.get("/about/?utm_source=newsletter")) == f"{site_root}/about/"


def test_each_atom_feed_has_an_id_of_its_own(client, article, make_comment, tag, site_root):
    make_comment(article=article)
    article.tags.set([tag])
    feeds = {
        url: feedparser.parse(client.get(url).content).feed
        for url in (
            "/feed/atom/",
            "/comments/feed/atom/",
            f"{article.get_absolute_url()}feed/atom/",
            "/tag/nerves/feed/atom/",
        )
    }
    ids = {url: feed.id for url, feed in feeds.items()}
    assert len(set(ids.values())) == 4, ids
    # Each says what it is (Atom's subtitle: the description the RSS feeds give).
    assert all(feed.subtitle.startswith("The newest ") for feed in feeds.values()), feeds
    assert ids["/feed/atom/"] == f"{site_root}/feed/atom/"


def test_wordpress_feed_addresses_lead_to_the_feeds(client):
    assert client.get("/?feed=rss2")["Location"] == "/feed/"
    assert client.get("/?feed=atom")["Location"] == "/feed/atom/"
    assert client.get("/?feed=comments-rss2")["Location"] == "/comments/feed/"
    assert client.get("/?feed=rss2").status_code == 301
    assert client.get("/?feed=nonsense").status_code == 200  # the front page, as before


def test_feed_items_list_their_tags_beside_their_categories(make_article, category, tag):
    make_article(title="Tagged", categories=[category], tags=[tag])
    entry = feedparser.parse(Client().get("/feed/").content).entries[0]
    assert [term.term for term in entry.tags] == ["Conditions", "Nerves"]


@pytest.mark.parametrize("kind", ["category", "tag"])
def test_a_category_or_a_tag_has_its_feed_found_from_its_archive(client, make_article, category, tag, kind):
    make_article(title="In it", categories=[category], tags=[tag])
    make_article(title="Elsewhere")
    make_article(title="A draft in it", status="draft", categories=[category], tags=[tag])
    term = {"category": category, "tag": tag}[kind]
    archive = client.get(term.get_absolute_url()).text
    feed_url = f"{term.get_absolute_url()}feed/"
    assert '<link rel="alternate" type="application/rss+xml" title="Leave a Reply » ' in archive
    assert f'href="{feed_url}">' in archive
    for url in (feed_url, f"{feed_url}atom/"):
        feed = feedparser.parse(client.get(url).content)
        assert not feed.bozo, url
        assert [entry.title for entry in feed.entries] == ["In it"], url
        assert feed.feed.title.startswith("Leave a Reply » ") and term.name in feed.feed.title
    assert client.get("/category/nothing-here/feed/").status_code == 404
    assert client.get(f"/{kind}/{term.slug.upper()}/feed/").status_code == 200  # asked with capitals, as its archive
