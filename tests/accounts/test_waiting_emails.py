"""An account's emails (a password reset, a confirmation) wait for the worker apart from the task queue, and are
forgotten once sent: their words, a working reset link among them, are never in the queue's arguments (nor in the
admin's list of tasks), nor kept after the email went, nor after the account was deleted. Found by a privacy review."""

import datetime
import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from accounts.models import WaitingEmail
from accounts.services import account_delete

pytestmark = pytest.mark.django_db


@pytest.fixture
def queue(settings, monkeypatch):
    """Production's queue (django_tasks_db), run by its worker in the test's transaction."""
    monkeypatch.setattr("django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None)
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

    def work() -> None:
        call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)

    return work


@pytest.fixture
def reset_asked(client, reader, queue):
    assert client.post(reverse("account_reset_password"), {"email": reader.email}).status_code == 302
    [waiting] = WaitingEmail.objects.all()
    return waiting


def test_the_queue_holds_only_the_number_of_a_waiting_reset_email(reset_asked, admin_client):
    link = re.search(r"https?://\S+/password/reset/key/\S+", reset_asked.body).group(0)
    [task] = DBTaskResult.objects.filter(task_path="accounts.tasks.send_rendered_email")
    assert task.args_kwargs["kwargs"] == {"email_id": reset_asked.pk}
    listed = admin_client.get(reverse("admin:django_tasks_database_dbtaskresult_changelist")).text
    assert f"email_id={reset_asked.pk}" in listed and link not in listed


def test_a_reset_email_is_forgotten_once_sent(reset_asked, queue, mailoutbox, reader):
    queue()
    [sent] = mailoutbox
    assert sent.to == [reader.email] and "/password/reset/key/" in sent.body
    assert not WaitingEmail.objects.exists()


def test_deleting_the_account_deletes_the_emails_waiting_for_it(reset_asked, queue, mailoutbox, reader):
    account_delete(user=reader)
    queue()
    assert mailoutbox == [] and not WaitingEmail.objects.exists()


def test_an_email_given_up_after_every_attempt_is_forgotten_by_the_sweep(reset_asked):
    WaitingEmail.objects.update(queued_at=timezone.now() - datetime.timedelta(days=3))
    out = StringIO()
    call_command("queue_lost_retries", stdout=out)
    assert "Forgot 1 account emails given up." in out.getvalue()
    assert not WaitingEmail.objects.exists()
