"""Follow-up notices: "Notify me of replies to my comment", apart from all new comments on the article, with the same
double opt-in and one-click unsubscribe."""

import re

import pytest
from django.test import Client

from comments.models import Comment
from comments.subscriptions.models import Subscription
from comments.subscriptions.notices import send_comment_to_subscribers

pytestmark = pytest.mark.django_db


def link(message, path_prefix: str) -> str:
    return re.search(rf"https?://[^/\s]+({re.escape(path_prefix)}\S+)", message.body).group(1)


def to(mailoutbox, address: str) -> list:
    return [message for message in mailoutbox if message.to == [address]]


@pytest.fixture
def ritas_comment(client, seed_article, post_comment, mailoutbox, django_capture_on_commit_callbacks) -> Comment:
    """Rita asked for replies to her comment, and confirmed; a moderator published it (replies under a comment readers
    do not see are sent once they see it)."""
    with django_capture_on_commit_callbacks(execute=True):
        post_comment(client, seed_article, comment="Does Botox wear off?", notify_replies="on")
    comment = Comment.objects.get()
    confirmation = to(mailoutbox, "reader@example.com")[0]
    assert "replies to your comment on “hemifacial spasm”" in confirmation.body
    Client().post(link(confirmation, "/subscriptions/confirm/"))
    comment.approve(by=None)
    mailoutbox.clear()
    return comment


def test_the_form_offers_replies_to_my_comment_apart_from_all_new_comments(client, seed_article):
    page = client.get(seed_article.get_absolute_url()).text
    assert "Notify me of replies to my comment via email." in page
    assert "Notify me of new comments via email." in page


def test_asking_for_replies_is_confirmed_by_email_first(
    client, seed_article, post_comment, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        post_comment(client, seed_article, comment="Does Botox wear off?", notify_replies="on")
    subscription = Subscription.objects.get()
    assert (subscription.topic, subscription.comment, subscription.status) == (
        "replies",
        Comment.objects.get(),
        "pending",
    )
    assert [message.subject for message in mailoutbox] == ["[Leave a Reply] Please confirm your subscription"]


def test_a_member_asking_with_their_verified_address_is_subscribed_at_once(
    client, seed_article, post_comment, make_user, mailoutbox, django_capture_on_commit_callbacks
):
    # (A member comments only once their address is verified; a guest is asked to confirm, above.)
    client.force_login(make_user(email="sam@example.com"))
    with django_capture_on_commit_callbacks(execute=True):
        post_comment(client, seed_article, email=None, name=None, url=None, notify_replies="on")
    subscription = Subscription.objects.get()
    assert (subscription.email, subscription.status) == ("sam@example.com", "confirmed")
    assert not [message for message in mailoutbox if "confirm your subscription" in message.subject]


def test_a_reply_to_the_comment_is_emailed_and_other_comments_are_not(ritas_comment, make_comment, mailoutbox):
    other = make_comment(article=ritas_comment.article, body="Unrelated thoughts.")
    send_comment_to_subscribers.call(comment_id=other.pk)
    assert to(mailoutbox, "reader@example.com") == []

    reply = make_comment(article=ritas_comment.article, parent=ritas_comment, author_name="Dr. Ana", body="In months.")
    send_comment_to_subscribers.call(comment_id=reply.pk)
    [message] = to(mailoutbox, "reader@example.com")
    assert message.subject == "[Leave a Reply] Dr. Ana replied to your comment"
    assert "In months." in message.body
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_a_reply_to_a_reply_is_not_a_reply_to_the_comment(ritas_comment, make_comment, mailoutbox):
    answer = make_comment(article=ritas_comment.article, parent=ritas_comment, body="First answer.")
    deeper = make_comment(article=ritas_comment.article, parent=answer, body="Answer to the answer.")
    send_comment_to_subscribers.call(comment_id=deeper.pk)
    assert to(mailoutbox, "reader@example.com") == []


def test_one_email_for_a_reply_when_also_subscribed_to_the_whole_article(ritas_comment, make_comment, mailoutbox):
    Subscription.objects.create(
        email="reader@example.com", topic="comments", article=ritas_comment.article, status="confirmed"
    )
    reply = make_comment(article=ritas_comment.article, parent=ritas_comment, body="Once, please.")
    send_comment_to_subscribers.call(comment_id=reply.pk)
    send_comment_to_subscribers.call(comment_id=reply.pk)  # run again: still once
    assert len(to(mailoutbox, "reader@example.com")) == 1


def test_unsubscribing_from_replies_stops_them_in_one_click(ritas_comment, make_comment, mailoutbox):
    first = make_comment(article=ritas_comment.article, parent=ritas_comment, body="One.")
    send_comment_to_subscribers.call(comment_id=first.pk)
    unsubscribe = re.search(r"<(https?://\S+)>", mailoutbox[0].extra_headers["List-Unsubscribe"]).group(1)
    path = re.sub(r"^https?://[^/]+", "", unsubscribe)
    assert Client(enforce_csrf_checks=True).post(path, {"List-Unsubscribe": "One-Click"}).status_code == 200
    mailoutbox.clear()
    second = make_comment(article=ritas_comment.article, parent=ritas_comment, body="Two.")
    send_comment_to_subscribers.call(comment_id=second.pk)
    assert to(mailoutbox, "reader@example.com") == []


def test_the_account_page_names_what_a_replies_subscription_is_about(ritas_comment):
    subscription = Subscription.objects.get(topic="replies")
    assert str(subscription) == "reader@example.com: replies to your comment on “hemifacial spasm”"
