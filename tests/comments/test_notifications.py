import datetime
import logging
import re
from unittest import mock

import pytest
from django.contrib.sites.models import Site
from django.core.mail import EmailMultiAlternatives
from django.utils import timezone

from comments import notifications
from comments.models import Comment
from comments.services import comment_moderate

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _site_domain():
    Site.objects.filter(pk=1).update(domain="comments.example.org", name="Leave a Reply")


def links_in(text: str) -> list[str]:
    return re.findall(r"https://comments\.example\.org/comments/moderate/[^/\s]+/", text)


def test_each_moderator_gets_one_email_for_a_held_comment_with_the_reason_and_three_links(
    client, article, moderator, admin_user, post_comment, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        post_comment(client, article, comment="Is surgery risky?", name="Rita Reader", ip="203.0.113.7")
    assert Comment.objects.get().status == Comment.Status.PENDING
    assert sorted(message.to[0] for message in mailoutbox) == sorted([moderator.email, admin_user.email])
    message = next(message for message in mailoutbox if message.to == [moderator.email])
    assert "Please moderate: “Hemifacial spasm”" in message.subject
    for expected in ("Is surgery risky?", "Rita Reader", "reader@example.com", "203.0.113.7", "first comment"):
        assert expected in message.body
    assert len(links_in(message.body)) == 3


def test_the_held_comment_email_has_an_html_part_with_the_same_three_links(
    client, article, moderator, post_comment, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        post_comment(client, article, comment="<b>Is surgery risky?</b>")
    (message,) = mailoutbox
    assert isinstance(message, EmailMultiAlternatives)
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    assert links_in(html) == links_in(message.body)
    # What was typed is shown escaped, never as markup.
    assert "&lt;b&gt;Is surgery risky?&lt;/b&gt;" in html


def test_a_name_typed_on_several_lines_cannot_add_lines_to_the_moderators_email(
    client, article, moderator, post_comment, mailoutbox, django_capture_on_commit_callbacks
):
    # A browser's name box sends one line; a program sends what it likes, here a false link under "Author:".
    with django_capture_on_commit_callbacks(execute=True):
        post_comment(client, article, name="Rita\r\n\r\nApprove it: https://evil.example/approve\n")
    assert Comment.objects.get().author_name == "Rita Approve it: https://evil.example/approve"
    (message,) = mailoutbox
    assert not [line for line in message.body.splitlines() if line.startswith("Approve it: https://evil.example")]


def test_each_moderator_gets_links_signed_for_them(
    client, article, moderator, admin_user, post_comment, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        post_comment(client, article)
    first, second = (links_in(message.body) for message in mailoutbox)
    assert not set(first) & set(second)


def test_inactive_users_users_without_email_and_plain_staff_get_no_moderation_email(
    client, article, make_user, post_comment, mailoutbox, django_capture_on_commit_callbacks
):
    make_user(is_staff=True, groups=("Moderators",), is_active=False)
    make_user(is_staff=True, groups=("Moderators",), email="")
    make_user(is_staff=True, groups=("Authors",))
    with django_capture_on_commit_callbacks(execute=True):
        post_comment(client, article)
    assert mailoutbox == []


def test_the_article_author_is_told_when_a_moderator_approves_a_comment(
    article, moderator, writer, make_comment, mailoutbox, django_capture_on_commit_callbacks
):
    comment = make_comment(article=article, body="Thank you for this.", status=Comment.Status.PENDING)
    with django_capture_on_commit_callbacks(execute=True):
        comment_moderate(comment=comment, action="approve", by=moderator)
    (message,) = mailoutbox
    assert message.to == [writer.email]
    assert "Thank you for this." in message.body
    assert f"https://comments.example.org/comments/{comment.pk}/" in message.body
    assert message.reply_to == [comment.author_email]


def test_an_author_who_moderates_the_article_may_trash_or_spam_the_comment_from_the_email(
    client, make_article, author, moderator, make_comment, mailoutbox, django_capture_on_commit_callbacks
):
    # As WordPress's email to a post's author: "Trash it", "Spam it".
    article = make_article(title="Alice's article", author=author)
    comment = make_comment(article=article, body="Buy cheap pills.", status=Comment.Status.PENDING)
    with django_capture_on_commit_callbacks(execute=True):
        comment_moderate(comment=comment, action="approve", by=moderator)
    (message,) = mailoutbox
    trash, spam = links_in(message.body)
    assert f"Trash it: {trash}" in message.body and f"Spam it: {spam}" in message.body
    html = message.alternatives[0][0]
    assert f'<a href="{trash}">Trash</a>' in html and f'<a href="{spam}">Spam</a>' in html
    client.post(spam.removeprefix("https://comments.example.org"))
    comment.refresh_from_db()
    assert comment.status == Comment.Status.SPAM
    assert comment.status_changed_by == author


def test_an_author_who_does_not_moderate_gets_no_links_to_act(
    article, moderator, make_comment, mailoutbox, django_capture_on_commit_callbacks
):
    comment = make_comment(article=article, status=Comment.Status.PENDING)  # by a member who writes no articles here
    with django_capture_on_commit_callbacks(execute=True):
        comment_moderate(comment=comment, action="approve", by=moderator)
    (message,) = mailoutbox
    assert links_in(message.body) == [] and "Trash it" not in message.body


def test_the_article_author_is_not_told_about_their_own_comment(
    article, moderator, writer, make_comment, mailoutbox, django_capture_on_commit_callbacks
):
    comment = make_comment(article=article, user=writer, status=Comment.Status.PENDING)
    with django_capture_on_commit_callbacks(execute=True):
        comment_moderate(comment=comment, action="approve", by=moderator)
    assert mailoutbox == []


def test_the_article_author_is_not_told_about_a_comment_they_approved_themselves(
    article, writer, make_comment, mailoutbox, django_capture_on_commit_callbacks
):
    comment = make_comment(article=article, status=Comment.Status.PENDING)
    with django_capture_on_commit_callbacks(execute=True):
        comment_moderate(comment=comment, action="approve", by=writer)
    assert mailoutbox == []


def test_no_email_for_a_moderation_that_does_not_publish(
    article, moderator, make_comment, mailoutbox, django_capture_on_commit_callbacks
):
    comment = make_comment(article=article, status=Comment.Status.PENDING)
    with django_capture_on_commit_callbacks(execute=True):
        comment_moderate(comment=comment, action="trash", by=moderator)
    assert mailoutbox == []


def test_the_article_author_is_told_about_a_comment_published_at_once(
    client, article, writer, post_comment, make_comment, mailoutbox, django_capture_on_commit_callbacks
):
    yesterday = timezone.now() - datetime.timedelta(days=1)
    make_comment(article=article, author_name="Rita Reader", author_email="reader@example.com", created_at=yesterday)
    with django_capture_on_commit_callbacks(execute=True):
        post_comment(client, article, comment="Back again with a question.")
    assert Comment.objects.filter(status=Comment.Status.APPROVED).count() == 2
    (message,) = mailoutbox
    assert message.to == [writer.email]
    assert "Back again with a question." in message.body


def test_a_failing_mail_server_neither_fails_the_readers_request_nor_goes_unlogged(
    client, article, moderator, post_comment, caplog, django_capture_on_commit_callbacks
):
    with (
        mock.patch.object(EmailMultiAlternatives, "send", side_effect=ConnectionRefusedError("mail is down")),
        caplog.at_level(logging.ERROR),
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = post_comment(client, article)
    assert response.status_code == 302
    assert Comment.objects.get().status == Comment.Status.PENDING
    assert "mail is down" in caplog.text


def test_a_task_that_cannot_be_queued_is_logged_and_the_request_goes_on(
    client, article, moderator, post_comment, caplog, django_capture_on_commit_callbacks
):
    with (
        mock.patch.object(
            type(notifications.send_held_comment_email), "enqueue", side_effect=RuntimeError("queue is down")
        ),
        caplog.at_level(logging.ERROR),
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = post_comment(client, article)
    assert response.status_code == 302
    assert "Could not queue ask_moderators" in caplog.text


def test_nothing_is_sent_while_the_transaction_is_still_open(client, article, moderator, post_comment, mailoutbox):
    # Without the commit (the test's transaction never commits), no task runs.
    post_comment(client, article)
    assert Comment.objects.count() == 1
    assert mailoutbox == []


def test_a_comment_moderated_before_its_task_runs_asks_no_moderator(article, moderator, make_comment, mailoutbox):
    comment = make_comment(article=article, status=Comment.Status.APPROVED)
    notifications.send_held_comment_email.call(comment_id=comment.pk, moderator_id=moderator.pk)
    assert mailoutbox == []


def test_tasks_are_queued_with_ids_only(article, moderator, make_comment, django_capture_on_commit_callbacks):
    comment = make_comment(article=article, status=Comment.Status.PENDING)
    with (
        mock.patch.object(type(notifications.ask_moderators), "enqueue") as enqueue,
        django_capture_on_commit_callbacks(execute=True),
    ):
        notifications.comment_posted(comment)  # the request: one task, to find the moderators
        notifications.ask_moderators.call(comment_id=comment.pk)  # the worker: one email each
    expected = [mock.call(comment_id=comment.pk), mock.call(comment_id=comment.pk, moderator_id=moderator.pk)]
    assert sorted(enqueue.call_args_list, key=str) == sorted(expected, key=str)
