"""Every kind of email the site sends, read as a mail server gets it: the raw bytes of the SMTP backend."""

import datetime
import email
import email.policy
import re

import pytest
from django.contrib.sites.models import Site
from django.urls import reverse
from django.utils import timezone

from comments.models import Comment
from comments.services import comment_moderate
from comments.subscriptions.models import Subscription

pytestmark = pytest.mark.django_db

DOMAIN = "health.example"


@pytest.fixture(autouse=True)
def site():
    Site.objects.filter(pk=1).update(domain=DOMAIN, name="Nerve Notes")
    Site.objects.clear_cache()


def raw(message) -> bytes:
    """What Django's SMTP backend hands the server."""
    return message.message(policy=email.policy.SMTP).as_bytes()


def header_lines(data: bytes) -> str:
    return data.split(b"\r\n\r\n", 1)[0].decode("ascii").replace("\r\n", "\n")


def assert_from_the_site(message) -> None:
    data = raw(message)
    parsed = email.message_from_bytes(data, policy=email.policy.default)
    assert parsed["From"].addresses[0].domain == DOMAIN
    assert parsed["From"].addresses[0].display_name == "Nerve Notes"
    assert re.fullmatch(rf"<[^@<>]+@{re.escape(DOMAIN)}>", parsed["Message-ID"])
    for line in header_lines(data).splitlines():
        assert len(line) <= 998


def assert_one_click_unsubscribe(message) -> None:
    lines = header_lines(raw(message))
    unsubscribe = re.search(r"^List-Unsubscribe: (.*(?:\r?\n[ \t].*)*)", lines, re.M).group(1)
    assert "=?" not in unsubscribe  # no encoded-word: providers read it as the address it is
    assert re.fullmatch(
        r"<https?://health\.example/subscriptions/unsubscribe/[^>\s]+/>", unsubscribe.replace("\n ", "")
    )
    assert re.search(r"^List-Unsubscribe-Post: List-Unsubscribe=One-Click$", lines, re.M)


def test_the_email_asking_a_moderator_about_a_held_comment(
    client, article, moderator, post_comment, committed, mailoutbox
):
    with committed():
        post_comment(client, article)
    (message,) = [message for message in mailoutbox if message.to == [moderator.email]]
    assert_from_the_site(message)


def test_the_email_telling_an_author_of_a_new_comment(article, make_comment, moderator, committed, mailoutbox):
    held = make_comment(article=article, status=Comment.Status.PENDING)
    with committed():
        comment_moderate(comment=held, action="approve", by=moderator)
    (message,) = [message for message in mailoutbox if message.to == [article.author.email]]
    assert_from_the_site(message)


def test_the_confirmation_and_the_notices_of_a_subscription(
    client, article, post_comment, make_comment, moderator, committed, mailoutbox
):
    with committed():
        post_comment(client, article, email="carla@example.com", notify_comments="on", notify_posts="on")
    confirmations = [message for message in mailoutbox if message.to == ["carla@example.com"]]
    assert len(confirmations) == 2
    for message in confirmations:
        assert_from_the_site(message)
        assert_one_click_unsubscribe(message)

    Subscription.objects.update(status="confirmed", confirmed_at=timezone.now() - datetime.timedelta(days=1))
    mailoutbox.clear()
    carla = Comment.objects.get(author_email="carla@example.com")
    carla.approve(by=moderator)  # replies are sent once readers see them, under a published comment
    reply = make_comment(article=article, parent=carla, status=Comment.Status.PENDING, body="An answer.")
    other = make_comment(article=article, status=Comment.Status.PENDING, body="Another thought.")
    with committed():
        comment_moderate(comment=reply, action="approve", by=moderator)
        comment_moderate(comment=other, action="approve", by=moderator)
    notices = [message for message in mailoutbox if message.to == ["carla@example.com"]]
    assert len(notices) == 2  # the reply to her comment, and the other comment
    for message in notices:
        assert_from_the_site(message)
        assert_one_click_unsubscribe(message)


def test_the_announcement_of_a_new_article(make_article, committed, mailoutbox):
    Subscription.objects.create(
        email="nina@example.com",
        topic="posts",
        status="confirmed",
        confirmed_at=timezone.now() - datetime.timedelta(days=9),
    )
    with committed():
        make_article(title="Fresh", published_at=timezone.now())
    (message,) = [message for message in mailoutbox if message.to == ["nina@example.com"]]
    assert_from_the_site(message)
    assert_one_click_unsubscribe(message)


def test_the_accounts_emails_verification_and_password_reset(client, make_user, mailoutbox):
    client.post(
        reverse("account_signup"),
        {
            "display_name": "Vera",
            "email": "vera@example.com",
            "password1": "a long pass phrase",
            "password2": "a long pass phrase",
        },
    )
    member = make_user(email="pat@example.com")
    client.post(reverse("account_reset_password"), {"email": member.email})
    assert {message.to[0] for message in mailoutbox} == {"vera@example.com", "pat@example.com"}
    for message in mailoutbox:
        assert_from_the_site(message)


def test_an_owner_who_sets_the_sender_gets_that_sender(
    settings, client, article, moderator, post_comment, committed, mailoutbox
):
    settings.DEFAULT_FROM_EMAIL_SET = True
    settings.DEFAULT_FROM_EMAIL = "Nerve Notes <news@mail.health.example>"
    with committed():
        post_comment(client, article)
    assert {message.from_email for message in mailoutbox} == {"Nerve Notes <news@mail.health.example>"}
