"""Sticky articles, as WordPress's "Stick to the top of the blog": an editor's choice that leads the front page,
marked Featured, and nowhere else."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from comments.wordpress_import import wordpress_import
from tests.articles.admin_forms import change_form_data, change_url
from tests.comments.wxr import export, post, write

pytestmark = pytest.mark.django_db


@pytest.fixture
def older_sticky(make_article, category):
    now = timezone.now()
    make_article(title="Newest", categories=[category], published_at=now - datetime.timedelta(days=1))
    return make_article(
        title="Older sticky", categories=[category], published_at=now - datetime.timedelta(days=9), sticky=True
    )


def titles_in(page: str) -> list[str]:
    return [part.split("<")[0] for part in page.split('rel="bookmark">')[1:]]


def test_a_sticky_article_leads_the_front_page_marked_featured(client, older_sticky):
    page = client.get("/").text
    assert titles_in(page) == ["Older sticky", "Newest"]
    # In the heading, where a screen reader's list of headings says it.
    assert (
        '<h2 class="entry-title"><span class="sticky-label">Featured<span class="visually-hidden">:</span></span> <a'
        in page
    )


def test_the_archives_keep_their_order_by_date(client, older_sticky, category):
    page = client.get(category.get_absolute_url()).text
    assert titles_in(page) == ["Newest", "Older sticky"]
    assert "Featured" not in page


def test_an_editor_sticks_an_article_an_author_may_not(client, make_article, editor, author):
    mine = make_article(title="Alice's", author=author)
    client.force_login(author)
    client.post(change_url(mine), change_form_data(mine, sticky="on"))
    mine.refresh_from_db()
    assert not mine.sticky
    client.force_login(editor)
    saved = client.post(change_url(mine), change_form_data(mine, sticky="on"))
    assert saved.status_code == 302
    mine.refresh_from_db()
    assert mine.sticky
    assert reverse("admin:articles_article_changelist") in saved["Location"]


def test_a_sticky_wordpress_post_stays_sticky(tmp_path):
    wordpress_import(path=write(tmp_path, export(post(1, slug="pinned", sticky=True), post(2, slug="plain"))))
    assert {article.slug: article.sticky for article in Article.objects.all()} == {"pinned": True, "plain": False}
