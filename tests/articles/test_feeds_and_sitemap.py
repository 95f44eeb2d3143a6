import datetime
import xml.etree.ElementTree as ET

import pytest
from django.utils import timezone

from articles.models import Article

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


@pytest.fixture
def articles(make_article, category):
    return {
        "public": make_article(title="Public one", excerpt="Short summary.", categories=[category]),
        "draft": make_article(title="Draft one", status=Article.Status.DRAFT),
        "scheduled": make_article(title="Scheduled one", published_at=timezone.now() + datetime.timedelta(days=1)),
    }


def test_rss_feed_lists_published_articles_only(client, articles, site_root):
    response = client.get("/feed/")
    assert response["Content-Type"].startswith("application/rss+xml")
    channel = ET.fromstring(response.content).find("channel")
    items = channel.findall("item")
    assert [item.findtext("title") for item in items] == ["Public one"]
    item = items[0]
    assert item.findtext("link") == site_root + articles["public"].get_absolute_url()
    assert item.findtext("description") == "Short summary."
    assert item.findtext("category") == "Conditions"


def test_atom_feed_lists_published_articles_only(client, articles):
    response = client.get("/feed/atom/")
    assert response["Content-Type"].startswith("application/atom+xml")
    entries = ET.fromstring(response.content).findall(f"{ATOM}entry")
    assert [entry.findtext(f"{ATOM}title") for entry in entries] == ["Public one"]
    assert entries[0].find(f"{ATOM}author").findtext(f"{ATOM}name") == "Writer"


def test_sitemap_lists_published_article_permalinks_and_the_archives_that_show_them(
    client, articles, site_root, category, tag
):
    articles["draft"].tags.set([tag])  # a tag only a draft has: its archive is empty to readers
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    urls = [url.findtext(f"{SITEMAP}loc") for url in ET.fromstring(response.content).findall(f"{SITEMAP}url")]
    # As WordPress's sitemap: the home page first; the categories and tags with a published article, and the page of
    # its author's articles too.
    assert urls == [
        f"{site_root}/",
        site_root + articles["public"].get_absolute_url(),
        site_root + category.get_absolute_url(),
        f"{site_root}/author/{articles['public'].author.author_slug}/",
    ]


def test_the_sitemap_lists_only_authors_with_a_page_of_their_articles(client, make_article, make_user, site_root):
    named = make_user(display_name="Dr. Ada Byron")
    make_article(title="Signed", author=named)
    drafting = make_user(display_name="Drafting Dora")
    make_article(title="Not yet", author=drafting, status=Article.Status.DRAFT)
    nameless = make_user(username="login-only")
    make_article(title="Unsigned", author=nameless)
    sitemap = client.get("/sitemap.xml").text
    authors = [loc for loc in ET.fromstring(sitemap).itertext() if "/author/" in loc]
    assert authors == [f"{site_root}/author/{named.author_slug}/"]
    assert client.get(f"/author/{named.author_slug}/").status_code == 200


def test_robots_txt_points_to_the_sitemap(client, site_root):
    response = client.get("/robots.txt")
    assert response["Content-Type"] == "text/plain"
    assert f"Sitemap: {site_root}/sitemap.xml" in response.text
    assert "Disallow: /admin/" in response.text
