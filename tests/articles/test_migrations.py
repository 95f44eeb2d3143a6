"""Data migrations of the articles app, run on rows as the migration before them left them."""

import datetime

import pytest
from django.contrib.sites.models import Site
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from articles.models import Article

# Migrating back and forth needs real transactions; serialized_rollback brings back
# the rows other migrations made (the editorial groups, the site), for the tests after.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def articles_before():
    """Move the articles app back to a migration; make articles there with the fields given; then migrate to the
    latest again."""
    executor = MigrationExecutor(connection)
    latest = executor.loader.graph.leaf_nodes()

    def made(name: str, *articles: dict) -> None:
        executor.migrate([("articles", name)])
        others = [node for node in latest if node[0] != "articles"]
        apps = executor.loader.project_state([*others, ("articles", name)]).apps
        author = apps.get_model("accounts", "User").objects.create(username="old-writer")
        for fields in articles:
            apps.get_model("articles", "Article").objects.create(
                **{"title": fields["slug"], "author": author, "body": "", "body_html": "", "status": "draft", **fields}
            )
        executor.loader.build_graph()
        executor.migrate(latest)

    return made


def test_a_published_article_keeps_the_feed_id_feeds_gave_it_and_a_draft_gets_one_of_its_own(articles_before):
    # Found by a review: every article got a new id, and feed readers would have shown each again as new.
    published_at = timezone.make_aware(datetime.datetime(2026, 11, 2, 9, 30))
    articles_before(
        "0019_search_ignores_accents",
        {"slug": "hemifacial-spasm", "status": "published", "published_at": published_at},
        {"slug": "one"},
        {"slug": "two"},
    )
    domain = Site.objects.get_current().domain
    feed_ids = dict(Article.objects.values_list("slug", "feed_id"))
    assert feed_ids.pop("hemifacial-spasm") == f"https://{domain}/2026/11/02/hemifacial-spasm/"
    assert len(set(feed_ids.values())) == 2 and all(feed_id.startswith("urn:uuid:") for feed_id in feed_ids.values())


def test_an_article_written_with_a_read_more_tag_gets_its_teaser(articles_before):
    articles_before(
        "0021_articles_stick_to_the_front_page",
        {"slug": "teased", "body": "<p>The teaser.</p><!--more--><p>The rest.</p>"},
        {"slug": "plain", "body": "<p>No tag.</p><!-- a note -->"},
    )
    assert dict(Article.objects.values_list("slug", "teaser_text")) == {"teased": "The teaser.", "plain": ""}
