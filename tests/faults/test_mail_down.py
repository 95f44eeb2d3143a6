"""The mail server refusing: no email lost, none sent twice, each attempt and its error in the admin."""

import contextlib
import email
import logging
import os
import re
import socket
import subprocess
import sys
from datetime import timedelta
from io import StringIO
from unittest import mock

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import OperationalError
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from accounts.tasks import send_rendered_email
from bench.stack import ROOT
from comments import notifications, services
from comments.models import Block, Comment
from comments.services import block_hide_comments
from comments.subscriptions.models import Subscription
from config.tasks import WorkerStopped
from tests.faults.outages import failing_once, read_only_moment
from tests.smtp_server import Mailbox, SMTPServer

pytestmark = pytest.mark.django_db


@pytest.fixture
def smtp(settings, monkeypatch):
    """Production's queue and a mail server that refuses the first three messages it is offered."""
    # The worker closes connections left in a transaction; the test's own transaction must stay open.
    monkeypatch.setattr("django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None)
    mailbox = Mailbox(refuse_first=3)
    server = SMTPServer(mailbox)
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": server.port, "timeout": 5},
        }
    }
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    loggers = [logging.getLogger(name) for name in ("django.tasks", "django_tasks_db")]
    levels = [logger.level for logger in loggers]
    yield mailbox
    server.shutdown()
    server.server_close()
    for logger, level in zip(loggers, levels, strict=True):  # the worker command changes them
        logger.setLevel(level)


def sweep() -> str:
    """What cron's queue_lost_retries does and says, a while after the failures."""
    DBTaskResult.objects.filter(status="FAILED").update(finished_at=timezone.now() - timedelta(minutes=2))
    out = StringIO()
    call_command("queue_lost_retries", stdout=out)
    return out.getvalue().strip()


def work_until_nothing_is_due() -> None:
    """The worker runs what is due; then time passes until the next retry is due."""
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    DBTaskResult.objects.filter(status="READY").update(run_after=timezone.now())


def test_a_mail_server_refusing_at_first_gets_every_email_exactly_once(smtp, client, article, moderator, post_comment):
    post_comment(client, article, comment="Held for a moderator.")  # one email to the moderator
    for _ in range(6):
        work_until_nothing_is_due()
    assert smtp.offered == 4  # three refusals, then the one that went through
    assert len(smtp.received) == 1
    assert b"Held for a moderator." in smtp.received[0]
    sends = DBTaskResult.objects.filter(task_path="comments.notifications.send_held_comment_email")
    assert sorted(sends.values_list("status", flat=True)) == ["FAILED", "FAILED", "FAILED", "SUCCESSFUL"]
    assert set(sends.filter(status="FAILED").values_list("exception_class_path", flat=True)) == {
        "smtplib.SMTPDataError"
    }


def test_a_retry_waits_longer_each_time(smtp, client, article, moderator, post_comment):
    post_comment(client, article)
    waits = []
    for _ in range(3):
        call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
        due = DBTaskResult.objects.get(status="READY")
        waits.append(round((due.run_after - timezone.now()).total_seconds() / 60))
        DBTaskResult.objects.filter(pk=due.pk).update(run_after=timezone.now())
    assert waits == [1, 5, 30]


def test_staff_see_each_attempt_and_send_a_failed_email_again(
    smtp, admin_client, client, article, moderator, post_comment
):
    smtp.refuse_first = 1
    post_comment(client, article)
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    failed = DBTaskResult.objects.get(status="FAILED")  # the first offered, refused
    page = admin_client.get(reverse("admin:django_tasks_database_dbtaskresult_changelist")).text
    assert "send_held_comment_email" in page
    assert "SMTPDataError" in page
    DBTaskResult.objects.filter(status="READY").delete()  # as if the retries had run out
    admin_client.post(
        reverse("admin:django_tasks_database_dbtaskresult_changelist"),
        {"action": "send_again", "_selected_action": [failed.pk]},
    )
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    # The superuser signed in here moderates too: two moderators, each with one email, the refused one resent.
    refused_to = get_user_model().objects.get(pk=failed.args_kwargs["kwargs"]["moderator_id"]).email
    assert len(smtp.received) == 2
    assert sum(f"To: {refused_to}".encode() in message for message in smtp.received) == 1


def test_a_comment_and_its_email_are_saved_together(smtp, client, article, moderator, post_comment):
    post_comment(client, article)
    comment = Comment.objects.get()
    # Queued in the comment's own transaction: nothing to sweep up afterwards.
    assert DBTaskResult.objects.filter(
        task_path="comments.notifications.ask_moderators", args_kwargs__kwargs__comment_id=comment.pk
    ).exists()


@pytest.mark.parametrize("queue_fails", [False, True], ids=["queued", "the queue failing"])
def test_an_account_and_its_confirmation_email_are_saved_together(smtp, client, queue_fails):
    # Found by a review: allauth saved the account, then queueing its email failed: a 503 saying nothing was saved,
    # an account kept without its email, and "already exists" on the next try.
    client.raise_request_exception = False
    signing_up = {
        "display_name": "Nora New",
        "email": "nora@example.com",
        "password1": "a long and unusual passphrase",
        "password2": "a long and unusual passphrase",
    }
    outage = OperationalError("server closed the connection unexpectedly")
    with contextlib.ExitStack() as faults:
        if queue_fails:
            faults.enter_context(mock.patch.object(type(send_rendered_email), "enqueue", side_effect=outage))
        response = client.post(reverse("account_signup"), signing_up)
    created = get_user_model().objects.filter(email="nora@example.com").exists()
    queued = DBTaskResult.objects.filter(task_path="accounts.tasks.send_rendered_email").exists()
    if queue_fails:
        assert response.status_code == 503 and "nothing was saved" in response.text
        assert not created
    else:
        assert response.status_code == 302
        assert created and queued


def test_a_fan_out_met_by_a_failovers_read_only_moment_is_tried_again(smtp, client, article, moderator, post_comment):
    # Found by a review: PostgreSQL's refusal while a standby is promoted is an InternalError, not retried.
    smtp.refuse_first = 0
    post_comment(client, article, comment="Held for a moderator.")
    with mock.patch.object(
        notifications, "moderators_of", failing_once(notifications.moderators_of, read_only_moment())
    ):
        work_until_nothing_is_due()
    work_until_nothing_is_due()
    assert [b"Held for a moderator." in message for message in smtp.received] == [True]


def test_a_task_failing_for_a_bug_is_neither_tried_again_nor_swept(smtp, client, article, moderator, post_comment):
    smtp.refuse_first = 0
    post_comment(client, article, comment="Held for a moderator.")
    bug = ValueError("a bug")
    with mock.patch.object(notifications, "moderators_of", failing_once(notifications.moderators_of, bug)):
        work_until_nothing_is_due()
    assert sweep() == "Queued 0 tasks again."
    work_until_nothing_is_due()
    assert smtp.received == []


def test_a_held_comment_whose_fan_out_met_a_database_restart_reaches_each_moderator_once(
    smtp, client, article, moderator, make_user, post_comment
):
    # Found by a review: the fan-out failed for good, and no moderator ever heard of the comment.
    smtp.refuse_first = 0
    other = make_user(username="other-moderator", email="other@example.com", is_staff=True)
    other.groups.add(moderator.groups.get())
    post_comment(client, article, comment="Held for a moderator.")
    # The second moderator's email fails to queue: the first one's is not kept either (all or none).
    real_enqueue = type(notifications.send_held_comment_email).enqueue
    with mock.patch.object(
        type(notifications.send_held_comment_email), "enqueue", autospec=True, side_effect=failing_later(real_enqueue)
    ):
        work_until_nothing_is_due()
    assert not smtp.received
    for _ in range(3):
        work_until_nothing_is_due()
    for address in (moderator.email, other.email):
        assert sum(f"To: {address}".encode() in message for message in smtp.received) == 1


def failing_later(real):
    """`real`, failing the second time it is called."""
    calls = []

    def call(*args, **kwargs):
        calls.append(1)
        if len(calls) == 2:
            raise OperationalError("server closed the connection unexpectedly")
        return real(*args, **kwargs)

    return call


def test_a_published_comment_whose_fan_out_met_a_database_restart_reaches_its_subscriber(
    smtp, client, article, make_comment, post_comment
):
    smtp.refuse_first = 0
    yesterday = timezone.now() - timedelta(days=1)
    make_comment(
        article=article,
        author_email="reader@example.com",
        author_name="Rita Reader",
        body="Earlier.",
        created_at=yesterday,
    )
    Subscription.objects.create(
        email="sub@example.com",
        topic=Subscription.Topic.COMMENTS,
        article=article,
        status=Subscription.Status.CONFIRMED,
        confirmed_at=timezone.now(),
    )
    post_comment(client, article, comment="A second thought, published at once.")  # approved: a returning writer
    waiting = Subscription.objects.awaiting_comment
    with mock.patch.object(Subscription.objects, "awaiting_comment", failing_once(waiting)):
        work_until_nothing_is_due()
    for _ in range(3):
        work_until_nothing_is_due()
    assert sum(b"To: sub@example.com" in message for message in smtp.received) == 1


def test_a_fan_out_whose_retry_could_not_be_queued_is_found_by_the_sweep(
    smtp, client, article, moderator, post_comment
):
    smtp.refuse_first = 0
    post_comment(client, article, comment="Held for a moderator.")
    with (
        mock.patch.object(notifications, "moderators_of", failing_once(notifications.moderators_of)),
        mock.patch("config.tasks.enqueue_or_log"),  # the database still away as the worker queued the retry
    ):
        work_until_nothing_is_due()
    assert sweep() == "Queued 1 tasks again."
    work_until_nothing_is_due()
    assert [b"Held for a moderator." in message for message in smtp.received] == [True]


def test_a_retry_the_worker_could_not_queue_is_found_by_the_sweep(smtp, client, article, moderator, post_comment):
    smtp.refuse_first = 1
    post_comment(client, article)
    with mock.patch("config.tasks.enqueue_or_log"):  # the database failed as the worker queued the retry
        call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    assert not DBTaskResult.objects.filter(status="READY").exists()
    assert sweep() == "Queued 1 tasks again."
    assert sweep() == "Queued 0 tasks again."  # run again: nothing more
    work_until_nothing_is_due()
    assert len(smtp.received) == 1


def test_figures_with_the_mail_server_refusing(smtp, client, article, make_user, post_comment):
    """Ten held comments, two moderators, a server refusing the first five: emails lost and sent twice."""
    make_user(username="mo", email="mo@example.com", is_staff=True, groups=("Moderators",))
    make_user(username="max", email="max@example.com", is_staff=True, groups=("Moderators",))
    smtp.refuse_first = 5
    for number in range(10):
        post_comment(
            client,
            article,
            comment=f"Held comment {number}.",
            email=f"reader{number}@example.com",
            ip=f"203.0.113.{number + 1}",
        )
    for _ in range(4):
        work_until_nothing_is_due()
    expected = {(moderator, f"Held comment {number}.") for moderator in ("mo", "max") for number in range(10)}
    received = [
        (to, text)
        for message in smtp.received
        for to in ("mo", "max")
        if f"To: {to}@example.com".encode() in message
        for text in [f"Held comment {number}." for number in range(10)]
        if text.encode() in message
    ]
    print(
        f"SMTP refusing: {len(expected)} emails due, {smtp.offered} offered, {len(expected - set(received))} lost, "
        f"{len(received) - len(set(received))} sent twice"
    )
    assert sorted(received) == sorted(expected)


def test_a_mail_server_that_never_answers_fails_the_send_and_it_is_tried_again(
    smtp, settings, client, article, moderator, post_comment
):
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen()  # the connection is taken, no greeting ever comes
    settings.MAILERS["default"]["OPTIONS"] = {"host": "127.0.0.1", "port": silent.getsockname()[1], "timeout": 1}
    try:
        post_comment(client, article)
        call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    finally:
        silent.close()
    send = DBTaskResult.objects.get(task_path="comments.notifications.send_held_comment_email", status="FAILED")
    assert "timed out" in send.traceback
    assert DBTaskResult.objects.filter(status="READY", args_kwargs__kwargs__attempt=1).exists()


def test_production_waits_a_bounded_time_for_the_mail_server():
    shown = subprocess.run(
        [sys.executable, "-c", "from config import settings; print(settings.MAILERS['default']['OPTIONS']['timeout'])"],
        env={**os.environ, "DEBUG": "true", "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend"},
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    assert shown.stdout.strip() == "20"


def test_an_email_a_stopped_worker_left_running_is_sent_by_the_next_one(smtp, client, article, moderator, post_comment):
    smtp.refuse_first = 0
    post_comment(client, article)
    call_command("db_worker", "--batch", "--no-startup-delay", "--max-tasks", "1", verbosity=0)  # the fan-out
    # The worker took the email, then stopped (its database failed mid-send): the task stays running.
    send = DBTaskResult.objects.get(status="READY")
    DBTaskResult.objects.filter(pk=send.pk).update(status="RUNNING", started_at=timezone.now() - timedelta(minutes=5))
    call_command("queue_lost_retries", stdout=StringIO())
    assert DBTaskResult.objects.get(pk=send.pk).status == "RUNNING"  # maybe still sending: left alone
    DBTaskResult.objects.filter(pk=send.pk).update(started_at=timezone.now() - timedelta(minutes=20))
    out = StringIO()
    call_command("queue_lost_retries", stdout=out)
    assert out.getvalue().strip() == "Queued 1 tasks again."
    stopped = DBTaskResult.objects.get(pk=send.pk)
    assert stopped.status == "FAILED"
    assert stopped.task_result.errors[0].exception_class is WorkerStopped  # the admin shows what it was
    work_until_nothing_is_due()
    assert len(smtp.received) == 1


def test_the_task_worker_waits_out_a_database_outage_and_carries_on(smtp, client, article, moderator, post_comment):
    smtp.refuse_first = 0
    post_comment(client, article)
    runs = []
    real_run = Worker.run

    def run_failing_twice(worker):
        runs.append(1)
        if len(runs) <= 2:
            raise OperationalError("connection to server at 127.0.0.1 failed: Connection refused")
        return real_run(worker)

    with (
        mock.patch.object(Worker, "run", run_failing_twice),
        mock.patch("comments.management.commands.task_worker.time.sleep") as slept,
        mock.patch("comments.management.commands.task_worker.connections.close_all"),  # the test's own transaction
    ):
        call_command("task_worker", "--batch", "--no-startup-delay", verbosity=0)
    assert [call.args[0] for call in slept.call_args_list] == [1, 2]
    assert len(smtp.received) == 1


def test_a_block_whose_end_met_a_database_restart_gives_back_its_comments_on_the_retry(smtp, article, make_comment):
    theirs = make_comment(article=article, author_email="troll@example.com", body="Troll words")
    block = Block.objects.create(
        email="troll@example.com", reason="Cooling off", ends_at=timezone.now() + timedelta(days=7)
    )
    block_hide_comments(block=block, by=None)  # their comment's return queued for the block's end
    Block.objects.filter(pk=block.pk).update(ends_at=timezone.now() - timedelta(seconds=1))  # a week later
    DBTaskResult.objects.filter(task_path="comments.services.block_ended").update(run_after=timezone.now())
    with mock.patch.object(services, "block_show_comments", failing_once(services.block_show_comments)):
        work_until_nothing_is_due()
    assert Comment.objects.get(pk=theirs.pk).status == Comment.Status.PENDING
    work_until_nothing_is_due()
    assert Comment.objects.get(pk=theirs.pk).status == Comment.Status.APPROVED


def test_a_subscriptions_confirmation_the_mail_server_refused_reaches_the_reader_once_and_confirms(
    smtp, client, article, post_comment
):
    post_comment(client, article, comment="Does it wear off?", notify_replies="on")  # no moderator: one email
    for _ in range(5):
        work_until_nothing_is_due()
    assert smtp.offered == 4  # three refusals, then the one that went through
    (message,) = (email.message_from_bytes(data) for data in smtp.received)
    assert message["To"] == "reader@example.com" and "confirm your subscription" in message["Subject"]
    text = next(part for part in message.walk() if part.get_content_type() == "text/plain").get_payload(decode=True)
    confirm = re.search(r"https?://[^/\s]+(/subscriptions/confirm/\S+)", text.decode())
    client.post(confirm.group(1))
    assert Subscription.objects.get().status == Subscription.Status.CONFIRMED
