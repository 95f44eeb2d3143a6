import logging

import pytest
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from comments.models import Comment

# The worker closes its database connection between tasks, as in production:
# only a test outside a wrapping transaction survives that on PostgreSQL.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def queued_tasks(settings):
    """Production's backend: tasks wait in the database for `manage.py db_worker`."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    # The worker command sets the level of these loggers for the whole process.
    loggers = [logging.getLogger(name) for name in ("django.tasks", "django_tasks_db")]
    levels = [logger.level for logger in loggers]
    yield
    for logger, level in zip(loggers, levels, strict=True):
        logger.setLevel(level)


def test_in_production_a_held_comment_is_queued_and_the_worker_emails_the_moderators(
    queued_tasks, client, seed_article, post_comment, make_user, mailoutbox
):
    make_user(username="mo", email="mo@example.com", groups=("Moderators",))
    response = post_comment(client, seed_article, comment="Is surgery risky?")
    assert response.status_code == 302
    assert mailoutbox == []  # the reader's request sent nothing itself
    # Queued: only asking the moderators, whom the worker looks up (the seed article is too old to be announced).
    assert list(DBTaskResult.objects.values_list("task_path", flat=True)) == ["comments.notifications.ask_moderators"]

    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)

    assert [message.to for message in mailoutbox] == [["mo@example.com"]]
    assert "Is surgery risky?" in mailoutbox[0].body
    assert Comment.objects.get().status == Comment.Status.PENDING
