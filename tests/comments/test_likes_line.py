"""The likes line under an article: "N bloggers like this:" and the first likers' avatars."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articles.models import Article
from articles.services import article_like
from comments.likes import likes_for
from tests.comments.likes import likes_block

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("count", "line"),
    [
        (0, "Be the first to like this."),
        (1, "One blogger likes this:"),
        (2, "2 bloggers like this:"),
        (11, "11 bloggers like this:"),
    ],
)
def test_the_line_counts_the_bloggers_who_like_the_article_as_wordpress_says_it(
    client, article, make_likers, count, line
):
    make_likers(article, count)
    block = likes_block(client.get(article.get_absolute_url()))
    assert f'<p class="likes-line" aria-live="polite">{line}</p>' in block


def test_nobody_is_counted_before_the_first_like(client, article):
    block = likes_block(client.get(article.get_absolute_url()))
    assert "like this:" not in block
    assert "likes this:" not in block


def test_the_first_ten_likers_are_shown_oldest_first_then_how_many_more(client, article, make_likers):
    make_likers(article, 12)
    block = likes_block(client.get(article.get_absolute_url()))
    shown = [f'alt="Liker {number:02d}"' for number in range(1, 11)]
    assert [block.index(alt) for alt in shown] == sorted(block.index(alt) for alt in shown)
    assert 'alt="Liker 11"' not in block
    assert "and 2 more" in block


def test_no_more_is_mentioned_when_every_liker_is_shown(client, article, make_likers):
    make_likers(article, 10)
    assert " more" not in likes_block(client.get(article.get_absolute_url()))


def test_a_likers_avatar_links_to_their_website(client, article, make_user):
    reader = make_user(display_name="Wendy Writer", website="https://wendy.example/")
    article_like(article=article, user=reader)
    block = likes_block(client.get(article.get_absolute_url()))
    assert '<a href="https://wendy.example/" rel="external nofollow ugc"><img class="avatar"' in block
    assert 'alt="Wendy Writer"' in block


def test_a_liker_without_a_website_has_an_avatar_without_a_link(client, article, reader):
    article_like(article=article, user=reader)
    block = likes_block(client.get(article.get_absolute_url()))
    assert 'alt="Rita Reader"' in block
    assert "<a " not in block


def test_a_member_with_a_picture_from_their_provider_shows_that_picture(client, article, make_user):
    member = make_user(display_name="Pat Picture", avatar_version="abc123")
    article_like(article=article, user=member)
    block = likes_block(client.get(article.get_absolute_url()))
    assert f'src="{reverse("accounts:avatar", kwargs={"user_id": member.pk, "version": "abc123"})}"' in block


def test_a_draft_preview_has_no_likes(client, make_article, editor):
    draft = make_article(status=Article.Status.DRAFT)
    client.force_login(editor)
    response = client.get(draft.get_absolute_url())
    assert response.status_code == 200
    assert 'id="likes"' not in response.text


# Queries


@pytest.mark.parametrize("likers", [3, 50])
def test_the_likes_block_takes_two_queries_however_many_readers_liked(
    article, reader, make_likers, django_assert_num_queries, likers
):
    make_likers(article, likers, website="https://example.org/")
    request = RequestFactory().get(article.get_absolute_url())
    request.user = reader
    with django_assert_num_queries(2):
        likes = likes_for(request, article, use_gravatar=False)
        html = render_to_string("includes/likes.html", {"likes": likes, "user": reader, "csrf_token": "x"})
    assert html.count('class="avatar"') == min(likers, 10)


def test_a_guest_sees_the_likes_block_in_two_queries_too(article, make_likers, django_assert_num_queries):
    make_likers(article, 3)
    request = RequestFactory().get(article.get_absolute_url())
    request.user = AnonymousUser()
    with django_assert_num_queries(2):
        likes_for(request, article, use_gravatar=False)


def test_the_article_page_takes_as_many_queries_with_fifty_likers_as_with_three(
    client, make_article, make_likers, reader
):
    few, many = make_article(), make_article()
    make_likers(few, 3)
    make_likers(many, 50)
    client.force_login(reader)
    client.get(few.get_absolute_url())  # the session and the site's settings, loaded once
    counts = []
    for article in (few, many):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(article.get_absolute_url()).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]
