"""Pressing Like and Liked: with a plain form, with fetch, and on what readers cannot see."""

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from articles.models import Article, Like
from articles.services import article_like
from tests.comments.likes import BROWSER_ACCEPT, like_url, likes_block, unlike_url

pytestmark = pytest.mark.django_db


# Liking and unliking, without JavaScript


def test_a_guest_sees_the_like_button_not_pressed(client, article):
    block = likes_block(client.get(article.get_absolute_url()))
    assert f'action="{like_url(article)}"' in block
    assert 'aria-pressed="false"' in block


def test_a_signed_in_reader_likes_the_article_and_comes_back_to_the_likes(client, article, reader):
    client.force_login(reader)
    response = client.post(like_url(article))
    assert response.status_code == 302
    assert response["Location"] == f"{article.get_absolute_url()}#likes"
    assert list(Like.objects.values_list("article", "user")) == [(article.pk, reader.pk)]


def test_a_reader_who_liked_sees_liked_pressed_and_a_way_to_undo_it(client, article, reader):
    article_like(article=article, user=reader)
    client.force_login(reader)
    block = likes_block(client.get(article.get_absolute_url()))
    assert f'action="{unlike_url(article)}"' in block
    assert 'aria-pressed="true"' in block
    assert "Liked</button>" in block


def test_a_reader_takes_their_like_back(client, article, reader):
    article_like(article=article, user=reader)
    client.force_login(reader)
    response = client.post(unlike_url(article))
    assert response["Location"] == f"{article.get_absolute_url()}#likes"
    assert not Like.objects.exists()


def test_a_double_click_on_like_makes_one_like_and_no_error(client, article, reader):
    client.force_login(reader)
    responses = [client.post(like_url(article)), client.post(like_url(article))]
    assert [response.status_code for response in responses] == [302, 302]
    assert Like.objects.count() == 1


def test_taking_back_a_like_that_is_not_there_is_harmless(client, article, reader):
    client.force_login(reader)
    assert client.post(unlike_url(article)).status_code == 302
    assert not Like.objects.exists()


def test_a_like_is_counted_for_its_own_article_only(client, make_article, reader):
    liked, other = make_article(), make_article()
    article_like(article=liked, user=reader)
    assert "Be the first to like this." in likes_block(client.get(other.get_absolute_url()))


# Bad input


@pytest.fixture(params=["draft", "scheduled", "unknown slug", "wrong date"])
def missing_article_url(request, make_article):
    if request.param == "draft":
        return make_article(status=Article.Status.DRAFT).get_absolute_url()
    if request.param == "scheduled":
        return make_article(published_at=timezone.now() + datetime.timedelta(days=1)).get_absolute_url()
    if request.param == "unknown slug":
        return "/2026/11/02/no-such-article/"
    article = make_article(published_at=datetime.datetime(2026, 11, 2, 9, 0, tzinfo=datetime.UTC))
    return f"/2025/01/01/{article.slug}/"


@pytest.mark.parametrize("action", ["like", "unlike"])
def test_liking_what_readers_cannot_see_is_not_found(client, reader, missing_article_url, action):
    client.force_login(reader)
    assert client.post(f"{missing_article_url}{action}/").status_code == 404
    assert not Like.objects.exists()


@pytest.mark.parametrize("action", ["like", "unlike"])
def test_a_guest_liking_what_readers_cannot_see_is_not_found_either(client, missing_article_url, action):
    assert client.post(f"{missing_article_url}{action}/").status_code == 404


def test_a_like_needs_a_post(client, article, reader):
    client.force_login(reader)
    assert client.get(like_url(article)).status_code == 405
    assert not Like.objects.exists()


# With JavaScript: fetch asks for JSON


def test_a_like_sent_by_fetch_answers_with_the_new_state_and_block(client, article, reader):
    client.force_login(reader)
    response = client.post(like_url(article), HTTP_ACCEPT="application/json")
    data = response.json()
    assert {key: data[key] for key in ("liked", "count", "summary")} == {
        "liked": True,
        "count": 1,
        "summary": "One blogger likes this:",
    }
    assert 'aria-pressed="true"' in data["html"]
    assert f'action="{unlike_url(article)}"' in data["html"]
    assert 'alt="Rita Reader"' in data["html"]


def test_an_unlike_sent_by_fetch_answers_with_the_new_state_and_block(client, article, reader, make_likers):
    make_likers(article, 2)
    article_like(article=article, user=reader)
    client.force_login(reader)
    data = client.post(unlike_url(article), HTTP_ACCEPT="application/json").json()
    assert (data["liked"], data["count"], data["summary"]) == (False, 2, "2 bloggers like this:")
    assert 'aria-pressed="false"' in data["html"]
    assert 'alt="Rita Reader"' not in data["html"]


def test_a_form_posted_by_a_browser_is_redirected_not_answered_with_json(client, article, reader):
    client.force_login(reader)
    response = client.post(like_url(article), HTTP_ACCEPT=BROWSER_ACCEPT)
    assert response.status_code == 302


def test_the_json_block_carries_a_csrf_token_for_the_next_click(client, article, reader):
    client.force_login(reader)
    data = client.post(like_url(article), HTTP_ACCEPT="application/json").json()
    assert 'name="csrfmiddlewaretoken"' in data["html"]


def test_a_like_without_the_csrf_token_is_refused(article, reader):
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(reader)
    assert strict.post(like_url(article), HTTP_ACCEPT="application/json").status_code == 403
    assert not Like.objects.exists()
