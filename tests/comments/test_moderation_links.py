import re
import time

import pytest
from django.core import signing
from django.urls import reverse

from comments.models import Comment
from comments.services import comment_moderate
from comments.tokens import moderation_path

pytestmark = pytest.mark.django_db


@pytest.fixture
def held(make_article, make_comment):
    return make_comment(article=make_article(), body="Is surgery risky?", status=Comment.Status.PENDING)


def status_of(comment: Comment) -> str:
    comment.refresh_from_db()
    return comment.status


def test_opening_a_link_shows_the_comment_and_a_button_and_changes_nothing(client, held, moderator):
    response = client.get(moderation_path(held, action="approve", moderator=moderator))
    assert response.status_code == 200
    assert "Is surgery risky?" in response.text
    assert re.search(r'<form method="post">.*<button type="submit">Approve</button>', response.text, re.S)
    assert response.text.count("<h1") == 1
    assert "style=" not in response.text
    assert status_of(held) == Comment.Status.PENDING


@pytest.fixture
def held_with_details(make_article, make_comment):
    return make_comment(
        article=make_article(),
        author_email="rita@example.org",
        ip_address="203.0.113.7",
        status=Comment.Status.PENDING,
    )


def test_the_moderator_the_link_was_sent_to_sees_the_commenters_email_and_ip(client, held_with_details, moderator):
    client.force_login(moderator)
    text = client.get(moderation_path(held_with_details, action="approve", moderator=moderator)).text
    assert "rita@example.org" in text
    assert "203.0.113.7" in text


@pytest.mark.parametrize("viewer", ["nobody", "another moderator"])
def test_anyone_else_holding_the_link_sees_neither_email_nor_ip(
    client, held_with_details, moderator, make_user, viewer
):
    if viewer == "another moderator":
        client.force_login(make_user(is_staff=True, groups=("Moderators",)))
    response = client.get(moderation_path(held_with_details, action="approve", moderator=moderator))
    assert response.status_code == 200
    assert "rita@example.org" not in response.text
    assert "203.0.113.7" not in response.text


@pytest.mark.parametrize(
    ("action", "status"),
    [("approve", Comment.Status.APPROVED), ("mark_spam", Comment.Status.SPAM), ("trash", Comment.Status.TRASH)],
)
def test_posting_a_link_applies_its_action_as_the_moderator_it_was_sent_to(client, held, moderator, action, status):
    response = client.post(moderation_path(held, action=action, moderator=moderator), follow=True)
    approved = f"?comment={held.pk}" if status == Comment.Status.APPROVED else ""  # the way to it, once approved
    assert response.redirect_chain[-1][0] == f"{reverse('comments:moderated')}{approved}"
    assert status_of(held) == status
    assert held.status_changed_by == moderator


def test_the_page_after_acting_says_what_was_done(client, held, moderator):
    response = client.post(moderation_path(held, action="approve", moderator=moderator), follow=True)
    assert "Comment approved." in response.text
    assert f'<a href="/comments/{held.pk}/">See the comment on the article</a>' in response.text


def test_after_trashing_there_is_no_comment_to_see(client, held, moderator):
    response = client.post(moderation_path(held, action="trash", moderator=moderator), follow=True)
    assert "Comment moved to the trash." in response.text
    assert "See the comment on the article" not in response.text
    for number in ("²", "x"):  # nor for what is no number
        assert "See the comment" not in client.get(reverse("comments:moderated"), {"comment": number}).text
    # A number typed in leads to the comment's permalink, which shows readers only what they may see.
    typed = client.get(reverse("comments:moderated"), {"comment": held.pk})
    assert f'<a href="/comments/{held.pk}/">' in typed.text
    client.logout()
    assert client.get(f"/comments/{held.pk}/").status_code == 404


def test_a_link_works_once(client, held, moderator):
    link = moderation_path(held, action="approve", moderator=moderator)
    client.post(link)
    comment_moderate(comment=held, action="unapprove", by=moderator)
    response = client.post(link)
    assert response.status_code == 410
    assert "This link has already been used or the comment has changed since" in response.text
    assert status_of(held) == Comment.Status.PENDING


def test_every_link_stops_working_once_the_comment_changed_elsewhere(client, held, moderator):
    trash_link = moderation_path(held, action="trash", moderator=moderator)
    comment_moderate(comment=held, action="approve", by=moderator)
    response = client.get(trash_link)
    assert response.status_code == 410
    assert client.post(trash_link).status_code == 410
    assert status_of(held) == Comment.Status.APPROVED


def test_an_expired_link_is_refused(client, held, moderator, monkeypatch):
    eight_days_ago = int(time.time()) - 8 * 24 * 3600
    monkeypatch.setattr(signing.TimestampSigner, "timestamp", lambda self: signing.b62_encode(eight_days_ago))
    link = moderation_path(held, action="approve", moderator=moderator)
    monkeypatch.undo()
    response = client.post(link)
    assert response.status_code == 410
    assert "This link has expired" in response.text
    assert status_of(held) == Comment.Status.PENDING


@pytest.mark.parametrize("tamper", [lambda token: token[:-2] + "xx", lambda token: "garbage", lambda token: "a:b:c"])
def test_a_forged_link_gets_a_clear_page_and_changes_nothing(client, held, moderator, tamper):
    token = moderation_path(held, action="approve", moderator=moderator).split("/")[-2]
    link = reverse("comments:moderate", kwargs={"token": tamper(token)})
    assert client.get(link).status_code == 400
    response = client.post(link)
    assert response.status_code == 400
    assert "This link is not valid" in response.text
    assert status_of(held) == Comment.Status.PENDING


def test_a_token_signed_for_something_else_is_not_a_moderation_link(client, held, moderator):
    token = signing.dumps({"comment": held.pk, "action": "approve", "moderator": moderator.pk, "stamp": None})
    assert client.post(reverse("comments:moderate", kwargs={"token": token})).status_code == 400
    assert status_of(held) == Comment.Status.PENDING


def test_a_link_sent_to_someone_no_longer_a_moderator_is_refused(client, held, moderator):
    link = moderation_path(held, action="approve", moderator=moderator)
    moderator.groups.clear()
    response = client.post(link)
    assert response.status_code == 403
    assert status_of(held) == Comment.Status.PENDING


def test_a_link_sent_to_a_deactivated_moderator_is_refused(client, held, moderator):
    link = moderation_path(held, action="approve", moderator=moderator)
    moderator.is_active = False
    moderator.save()
    assert client.post(link).status_code == 403
    assert status_of(held) == Comment.Status.PENDING


def test_a_link_naming_a_plain_user_cannot_approve(client, held, make_user):
    reader = make_user()
    client.force_login(reader)
    assert client.post(moderation_path(held, action="approve", moderator=reader)).status_code == 403
    assert status_of(held) == Comment.Status.PENDING


def test_a_link_to_a_deleted_comment_says_so(client, held, moderator):
    link = moderation_path(held, action="approve", moderator=moderator)
    held.delete()
    response = client.get(link)
    assert response.status_code == 410
    assert "no longer exists" in response.text


def test_the_approve_link_from_the_email_works_end_to_end(
    client, make_article, moderator, post_comment, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        post_comment(client, make_article(), comment="Is surgery risky?")
    (message,) = mailoutbox
    # One click acts as the moderator, signed in or not (as PRODUCT.md asks): the email says so.
    assert "The links act as you, without signing in: do not forward this email." in message.body
    approve = re.search(r"Approve it: https?://[^/]+(/\S+)", message.body).group(1)
    assert client.get(approve).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(approve).status_code == 302
    assert Comment.objects.get().status == Comment.Status.APPROVED
    assert client.post(approve).status_code == 410
