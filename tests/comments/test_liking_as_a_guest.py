"""A guest presses Like, signs in, and comes back to finish it."""

import time
from urllib.parse import quote

import pytest
from django.urls import reverse

from articles.models import Like
from comments.likes import PENDING_LIKE_MAX_AGE
from tests.comments.likes import PASSWORD, like_url, likes_block

pytestmark = pytest.mark.django_db


def test_a_guest_who_presses_like_goes_to_log_in_and_then_back_to_the_likes(client, article):
    response = client.post(like_url(article))
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('account_login')}?next={quote(article.get_absolute_url() + '#likes')}"
    assert not Like.objects.exists()


def test_a_guest_who_signs_in_comes_back_to_an_article_that_finishes_the_like(client, article, reader):
    client.post(like_url(article))
    signed_in = client.post(
        reverse("account_login"),
        {"login": reader.email, "password": PASSWORD, "next": f"{article.get_absolute_url()}#likes"},
    )
    assert signed_in["Location"] == f"{article.get_absolute_url()}#likes"
    block = likes_block(client.get(article.get_absolute_url()))
    # Coming back is a GET: it likes nothing itself, it asks the page to send the like.
    assert not Like.objects.exists()
    assert "data-finish-like" in block
    assert "press Like to finish" in block
    assert f'action="{like_url(article)}"' in block


def test_the_page_asks_to_finish_the_like_only_once(client, article, reader):
    client.post(like_url(article))
    client.force_login(reader)
    client.get(article.get_absolute_url())
    assert "data-finish-like" not in likes_block(client.get(article.get_absolute_url()))


def test_finishing_the_like_likes_the_article(client, article, reader):
    client.post(like_url(article))
    client.force_login(reader)
    client.get(article.get_absolute_url())
    client.post(like_url(article), HTTP_ACCEPT="application/json")
    assert Like.objects.filter(article=article, user=reader).count() == 1


def test_a_guest_who_comes_back_without_signing_in_is_not_asked_later(client, article, reader):
    client.post(like_url(article))
    client.get(article.get_absolute_url())
    client.force_login(reader)
    assert "data-finish-like" not in likes_block(client.get(article.get_absolute_url()))


def test_another_article_does_not_finish_the_like(client, make_article, reader):
    pressed, other = make_article(), make_article()
    client.post(like_url(pressed))
    client.force_login(reader)
    assert "data-finish-like" not in likes_block(client.get(other.get_absolute_url()))


def test_a_link_alone_never_makes_a_signed_in_reader_like_anything(client, article, reader):
    client.force_login(reader)
    block = likes_block(client.get(f"{article.get_absolute_url()}?like=1"))
    assert "data-finish-like" not in block
    assert not Like.objects.exists()


def test_a_guests_like_waits_only_minutes_for_them_to_sign_in(client, article, reader, monkeypatch):
    client.post(like_url(article))
    later = time.time() + PENDING_LIKE_MAX_AGE + 1
    monkeypatch.setattr("comments.likes.time.time", lambda: later)
    client.force_login(reader)
    page = client.get(article.get_absolute_url()).text
    assert "press Like to finish" not in page
