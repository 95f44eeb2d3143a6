"""Feed readers know an article by its feed ID (RSS's guid, Atom's id), fixed when it is made, as WordPress's GUID: a
new slug or date never shows it to them again as a new article, and an imported post keeps the one its old feed
gave, so that readers of the old feed, led here, see nothing twice."""

import xml.etree.ElementTree as ET

import pytest

from articles.models import Article
from comments.wordpress_import import wordpress_import
from tests.comments.wxr import export, post, write

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


def rss_guids(client) -> list[tuple[str, str]]:
    items = ET.fromstring(client.get("/feed/").content).iter("item")
    return [(item.find("guid").text, item.find("guid").get("isPermaLink")) for item in items]


def atom_ids(client) -> list[str]:
    return [
        entry.findtext(f"{ATOM}id") for entry in ET.fromstring(client.get("/feed/atom/").content).iter(f"{ATOM}entry")
    ]


def test_an_article_keeps_its_feed_id_when_its_slug_and_date_change(client, article):
    before = (rss_guids(client), atom_ids(client))
    article.slug = "hemifacial-spasm-explained"
    article.published_at = article.published_at.replace(year=article.published_at.year - 1)
    article.save()
    assert (rss_guids(client), atom_ids(client)) == before
    assert before[0] == [(article.feed_id, "false")]
    assert article.feed_id.startswith("urn:uuid:")


def test_each_article_has_a_feed_id_of_its_own(make_article):
    assert make_article(title="One").feed_id != make_article(title="Two").feed_id


def test_an_imported_post_keeps_the_guid_of_the_old_sites_feed(client, tmp_path):
    wordpress_import(path=write(tmp_path, export(post(101, title="First post", slug="first-post"))))
    article = Article.objects.get(slug="first-post")
    assert article.feed_id == "https://old.example/?p=101"
    assert rss_guids(client) == [("https://old.example/?p=101", "false")]
