"""Whoever hears of a published comment hears of it once, by the email meant for them (found by an exploratory
review): the article's author by their "Comment:" notice, even when subscribed to the article or to replies to their
own comment (Jetpack sends one); a member who wrote the comment never, whatever address they have now."""

import pytest
from allauth.account.models import EmailAddress
from django.test import Client

from comments.models import Comment, DiscussionSettings, ModerationAction
from comments.services import comment_moderate
from comments.subscriptions.models import Subscription

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def published_at_once():
    DiscussionSettings.objects.update_or_create(pk=1, defaults={"require_previous_approval": False, "flood_seconds": 0})


def to(mailoutbox, address: str) -> list[str]:
    return [message.subject for message in mailoutbox if message.to == [address]]


def test_the_articles_author_subscribed_to_its_comments_hears_of_a_new_one_once(
    client, article, writer, post_comment, mailoutbox, committed
):
    client.force_login(writer)
    with committed():
        post_comment(client, article, email=None, name=None, url=None, comment="Ask me.", notify_comments="on")
    assert Subscription.objects.get(email=writer.email).status == Subscription.Status.CONFIRMED  # a member's address
    mailoutbox.clear()
    with committed():
        post_comment(Client(), article, comment="Thanks, very clear article.", ip="198.51.100.20")
    assert to(mailoutbox, writer.email) == [f"[Leave a Reply] Comment: “{article.title}”"]


def test_a_reply_to_the_authors_comment_reaches_the_author_once(
    client, article, writer, post_comment, mailoutbox, committed
):
    client.force_login(writer)
    with committed():
        post_comment(client, article, email=None, name=None, url=None, comment="Ask me.", notify_replies="on")
    asked = Comment.objects.get()
    mailoutbox.clear()
    with committed():
        post_comment(Client(), article, comment="What about botox?", parent=str(asked.pk), ip="198.51.100.21")
    assert len(to(mailoutbox, writer.email)) == 1


def test_a_member_is_not_told_of_their_own_comment_after_changing_their_address(
    client, article, make_user, post_comment, mailoutbox, committed
):
    sam = make_user(email="sam@old.example", display_name="Sam")
    client.force_login(sam)
    with committed():
        post_comment(client, article, email=None, name=None, url=None, comment="First.", notify_comments="on")
    EmailAddress.objects.filter(user=sam).update(primary=False)
    EmailAddress.objects.create(user=sam, email="sam@new.example", verified=True, primary=True)
    sam.email = "sam@new.example"
    sam.save()
    mailoutbox.clear()
    with committed():
        post_comment(client, article, email=None, name=None, url=None, comment="A second thought.")
    assert [message.to for message in mailoutbox if message.to[0].startswith("sam@")] == []
    with committed():
        post_comment(Client(), article, comment="Someone else's words.", ip="198.51.100.22")
    assert len(to(mailoutbox, "sam@old.example")) == 1  # still told of others' comments


def test_the_articles_author_subscribed_signed_out_from_another_of_their_addresses_hears_once(
    client, article, writer, post_comment, mailoutbox, committed
):
    # Found by a review: a subscription made signed out from another verified address of the account is theirs too.
    EmailAddress.objects.create(user=writer, email="wanda.home@example.com", verified=True, primary=False)
    Subscription.objects.create(email="wanda.home@example.com", topic="comments", article=article, status="confirmed")
    with committed():
        post_comment(client, article, comment="Thanks, very clear article.")
    assert [message.to for message in mailoutbox if message.to[0].startswith("wanda")] == [[writer.email]]


def test_the_author_is_told_of_a_comment_approved_again_when_the_first_notice_never_went(
    article, writer, moderator, make_comment, mailoutbox, committed
):
    # Found by a review: approved, then held again before the queue sent the author's email (its task found it held),
    # the comment approved later was taken as told already.
    held = make_comment(article=article, status=Comment.Status.PENDING)
    with committed():  # the queue runs after both clicks
        comment_moderate(comment=held, action=ModerationAction.APPROVE, by=moderator)
        comment_moderate(comment=held, action=ModerationAction.UNAPPROVE, by=moderator)
    assert [message for message in mailoutbox if message.to == [writer.email]] == []
    with committed():
        comment_moderate(comment=held, action=ModerationAction.APPROVE, by=moderator)
    assert len([message for message in mailoutbox if message.to == [writer.email]]) == 1
    with committed():  # and once only, however often it is put back
        comment_moderate(comment=held, action=ModerationAction.TRASH, by=moderator)
        comment_moderate(comment=held, action=ModerationAction.RESTORE, by=moderator)
    assert len([message for message in mailoutbox if message.to == [writer.email]]) == 1
