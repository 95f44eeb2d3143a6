"""Feed readers know an article by its feed ID (RSS's guid, Atom's id), fixed when it is made, as WordPress's GUID: a
new slug or date never shows it to them again as a new article, and an imported post keeps the one its old feed
gave, so that readers of the old feed, led here, see nothing twice."""

import xml.etree.ElementTree as ET

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

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


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_migration_gives_each_article_there_is_a_feed_id_of_its_own():
    executor = MigrationExecutor(connection)
    latest = executor.loader.graph.leaf_nodes()
    executor.migrate([("articles", "0019_search_ignores_accents")])
    others = [node for node in latest if node[0] != "articles"]
    apps = executor.loader.project_state([*others, ("articles", "0019_search_ignores_accents")]).apps
    author = apps.get_model("accounts", "User").objects.create(username="old-writer")
    for slug in ("one", "two"):
        apps.get_model("articles", "Article").objects.create(
            title=slug, slug=slug, author=author, body="", body_html="", status="draft"
        )
    executor.loader.build_graph()
    executor.migrate(latest)
    feed_ids = set(Article.objects.filter(slug__in=["one", "two"]).values_list("feed_id", flat=True))
    assert len(feed_ids) == 2 and all(feed_id.startswith("urn:uuid:") for feed_id in feed_ids)
