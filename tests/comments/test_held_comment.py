import pytest
from django.test import Client
from django.urls import reverse

from comments.models import Comment
from comments.tokens import HELD_COMMENTS_COOKIE, comment_ids_signed

pytestmark = pytest.mark.django_db


def test_the_commenter_lands_on_their_held_comment_and_sees_it_is_awaiting_moderation(
    client, seed_article, post_comment
):
    response = post_comment(client, seed_article, comment="Is surgery risky?", follow=True)
    comment = Comment.objects.get()
    assert response.redirect_chain[-1][0].endswith(f"{seed_article.get_absolute_url()}#comment-{comment.pk}")
    assert "Is surgery risky?" in response.text
    assert "Your comment is awaiting moderation." in response.text


def test_nobody_else_sees_a_held_comment(client, seed_article, post_comment, make_user):
    post_comment(client, seed_article, comment="Is surgery risky?")
    other_reader = Client()
    assert "Is surgery risky?" not in other_reader.get(seed_article.get_absolute_url()).text
    member = Client()
    member.force_login(make_user())
    assert "Is surgery risky?" not in member.get(seed_article.get_absolute_url()).text
    comment = Comment.objects.get()
    assert other_reader.get(comment.get_absolute_url()).status_code == 404


def test_once_approved_everyone_sees_it_without_the_notice(client, seed_article, post_comment, editor):
    post_comment(client, seed_article, comment="Is surgery risky?")
    comment = Comment.objects.get()
    comment.approve(by=editor)
    for reader in (client, Client()):
        text = reader.get(seed_article.get_absolute_url()).text
        assert "Is surgery risky?" in text
        assert "awaiting moderation" not in text


def test_a_comment_marked_as_spam_is_not_shown_even_to_its_writer(client, seed_article, post_comment):
    post_comment(client, seed_article, comment="Buy now", leave_empty="x")
    assert "Buy now" not in client.get(seed_article.get_absolute_url()).text


def test_a_member_sees_their_held_comment_wherever_they_sign_in(seed_article, make_user, make_comment):
    member = make_user(display_name="Alice")
    # Held by readers' reports, say: it was never in any browser's cookie.
    held = make_comment(article=seed_article, user=member, body="Botox wore off.", status=Comment.Status.PENDING)
    elsewhere = Client()
    elsewhere.force_login(member)
    page = elsewhere.get(seed_article.get_absolute_url()).text
    assert "Botox wore off." in page
    assert "Your comment is awaiting moderation." in page
    assert elsewhere.get(held.get_absolute_url()).status_code == 302
    someone_else = Client()
    someone_else.force_login(make_user())
    assert "Botox wore off." not in someone_else.get(seed_article.get_absolute_url()).text
    assert someone_else.get(held.get_absolute_url()).status_code == 404


def test_after_a_member_signs_out_their_browser_no_longer_shows_their_held_comment(
    client, seed_article, post_comment, make_user
):
    client.force_login(make_user(display_name="Mia Member"))
    post_comment(client, seed_article, email=None, name=None, url=None, comment="I want to kill myself, the spasms.")
    assert Comment.objects.get().status == Comment.Status.PENDING
    assert HELD_COMMENTS_COOKIE not in client.cookies  # theirs by account: as WordPress, no comment cookie for them
    client.post(reverse("account_logout"))
    page = client.get(seed_article.get_absolute_url()).text  # the next person at a shared computer
    assert "kill myself" not in page
    assert "safety-guidance" not in page


def test_a_members_held_comment_in_this_browsers_cookie_is_not_shown_there(
    client, seed_article, make_comment, make_user
):
    # A cookie set before members' comments were left out of it.
    held = make_comment(article=seed_article, user=make_user(), body="Botox wore off.", status=Comment.Status.PENDING)
    client.cookies[HELD_COMMENTS_COOKIE] = comment_ids_signed([held.pk], cookie=HELD_COMMENTS_COOKIE)
    assert "Botox wore off." not in client.get(seed_article.get_absolute_url()).text
    assert client.get(held.get_absolute_url()).status_code == 404


def test_the_writer_of_a_held_comment_is_not_offered_to_answer_the_replies_they_still_see_under_it(
    client, seed_article, make_comment, make_user, post_comment
):
    member = make_user(display_name="Alice")
    held = make_comment(article=seed_article, user=member, body="Botox wore off.")
    answer = make_comment(article=seed_article, parent=held, author_name="Dr. Lee", body="Ask about a booster.")
    # Taken off the page after it was answered (readers' reports, a moderator's Unapprove): its writer still sees it,
    # and the answer under it, but an answer to that would be published where nobody else sees it, and is refused.
    Comment.objects.filter(pk=held.pk).update(status=Comment.Status.PENDING)
    client.force_login(member)
    page = client.get(seed_article.get_absolute_url()).text
    assert "Ask about a booster." in page
    assert f'replytocom={answer.pk}#respond"' not in page
    refused = post_comment(client, seed_article, email=None, name=None, url=None, parent=str(answer.pk))
    assert "The comment you were replying to is no longer there" in refused.text
