"""Data migrations of the articles app, run on rows as the migration before them left them."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from articles.models import Article

# Migrating back and forth needs real transactions; serialized_rollback brings back
# the rows other migrations made (the editorial groups, the site), for the tests after.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def articles_before():
    """Move the articles app back to a migration; make articles there with (slug, body) given; then migrate to the
    latest again."""
    executor = MigrationExecutor(connection)
    latest = executor.loader.graph.leaf_nodes()

    def made(name: str, *bodies: tuple[str, str]) -> None:
        executor.migrate([("articles", name)])
        others = [node for node in latest if node[0] != "articles"]
        apps = executor.loader.project_state([*others, ("articles", name)]).apps
        author = apps.get_model("accounts", "User").objects.create(username="old-writer")
        for slug, body in bodies:
            apps.get_model("articles", "Article").objects.create(
                title=slug, slug=slug, author=author, body=body, body_html="", status="draft"
            )
        executor.loader.build_graph()
        executor.migrate(latest)

    return made


def test_each_article_there_is_gets_a_feed_id_of_its_own(articles_before):
    articles_before("0019_search_ignores_accents", ("one", ""), ("two", ""))
    feed_ids = set(Article.objects.filter(slug__in=["one", "two"]).values_list("feed_id", flat=True))
    assert len(feed_ids) == 2 and all(feed_id.startswith("urn:uuid:") for feed_id in feed_ids)


def test_an_article_written_with_a_read_more_tag_gets_its_teaser(articles_before):
    articles_before(
        "0021_articles_stick_to_the_front_page",
        ("teased", "<p>The teaser.</p><!--more--><p>The rest.</p>"),
        ("plain", "<p>No tag.</p><!-- a note -->"),
    )
    assert dict(Article.objects.values_list("slug", "teaser_text")) == {"teased": "The teaser.", "plain": ""}
