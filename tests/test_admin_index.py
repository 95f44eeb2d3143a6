"""The admin as its owner first sees it: one section per kind of thing, the articles' state at a glance."""

import re

import pytest
from django.urls import reverse

from comments.models import Comment

pytestmark = pytest.mark.django_db


@pytest.fixture
def owner_client(client, make_user):
    client.force_login(make_user(username="owner", is_staff=True, is_superuser=True))
    return client


def test_the_admin_index_has_one_accounts_section(owner_client):
    page = owner_client.get(reverse("admin:index")).text
    sections = re.findall(r'<caption>\s*<a href="[^"]*" class="section"[^>]*>([^<]+)</a>', page)
    assert sections.count("Accounts") == 1
    assert "Email addresses" in sections


def test_the_article_list_shows_state_publish_date_comments_pending_and_likes(
    owner_client, article, make_comment, make_likers
):
    make_comment(article=article, status=Comment.Status.PENDING)
    make_comment(article=article, status=Comment.Status.PENDING)
    make_comment(article=article)
    make_likers(article, 3)
    page = owner_client.get(reverse("admin:articles_article_changelist")).text
    headers = re.findall(r'<th scope="col" class="[^"]*column-(\w+)', page)
    assert headers == [
        "title",
        "state",
        "author",
        "published_at",
        "review",
        "comments_open",
        "pending_comments",
        "like_count",
    ]
    pending = f"{reverse('admin:comments_comment_changelist')}?status=pending&amp;article__id__exact={article.pk}"
    assert f'<td class="field-pending_comments"><a href="{pending}">2</a></td>' in page
    assert '<td class="field-like_count">3</td>' in page
