"""Data migrations of the accounts app, run on rows as the migration before them left them."""

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django_tasks_db.models import DBTaskResult

from accounts.models import WaitingEmail
from accounts.tasks import send_rendered_email

# Migrating back and forth needs real transactions; serialized_rollback brings back
# the rows other migrations made (the editorial groups, the site), for the tests after.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_account_emails_queued_before_they_waited_apart_are_still_sent_and_keep_no_words(
    settings, monkeypatch, mailoutbox
):
    # Found by a review: an email queued with its words as the task's arguments failed for good after the change
    # (the task takes a number now), and its reset link stayed in the queue.
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    monkeypatch.setattr("django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None)
    executor = MigrationExecutor(connection)
    latest = executor.loader.graph.leaf_nodes()
    executor.migrate([("accounts", "0006_emails_wait_apart_from_the_queue")])
    words = {
        "subject": "Password reset",
        "body": "Your link: https://health.example/accounts/password/reset/key/x-set-password/",
        "html": "",
        "from_email": "Site <noreply@health.example>",
        "to": ["sam@example.com"],
        "headers": {},
    }
    waiting = send_rendered_email.enqueue(**words)
    sent = send_rendered_email.enqueue(**{**words, "to": ["old@example.com"]})
    DBTaskResult.objects.filter(pk=sent.id).update(status="SUCCESSFUL")
    executor.loader.build_graph()
    executor.migrate(latest)

    for result in DBTaskResult.objects.all():
        assert "reset/key" not in str(result.args_kwargs)
    assert DBTaskResult.objects.get(pk=waiting.id).args_kwargs["kwargs"] == {"email_id": WaitingEmail.objects.get().pk}
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    [message] = mailoutbox
    assert message.to == ["sam@example.com"] and "reset/key" in message.body
    assert not WaitingEmail.objects.exists()
