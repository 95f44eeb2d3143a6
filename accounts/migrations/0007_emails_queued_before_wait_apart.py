"""Account emails queued before WaitingEmail (their words in the task's arguments): those still to be sent, or to be
tried again, wait as WaitingEmail and the task names its number; those sent keep no words. Nothing in the queue is
lost, and no reset link stays in it."""

from django.db import migrations

SEND = "accounts.tasks.send_rendered_email"
WORDS = ("subject", "body", "html", "from_email", "to", "headers")


def wait_apart(apps, schema_editor):
    WaitingEmail = apps.get_model("accounts", "WaitingEmail")
    DBTaskResult = apps.get_model("django_tasks_database", "DBTaskResult")
    for result in DBTaskResult.objects.filter(task_path=SEND):
        kwargs = dict(result.args_kwargs.get("kwargs", {}))
        if "body" not in kwargs:
            continue
        words = {field: kwargs.pop(field) for field in WORDS if field in kwargs}
        if result.status in ("READY", "RUNNING", "FAILED"):  # still to send, or to try again (queue_lost_retries)
            kwargs["email_id"] = WaitingEmail.objects.create(
                subject=words.get("subject", ""),
                body=words.get("body", ""),
                html=words.get("html", ""),
                from_email=words.get("from_email", ""),
                to=words.get("to", []),
                headers=words.get("headers", {}),
            ).pk
        else:
            kwargs["email_id"] = None  # sent: nothing to keep
        result.args_kwargs = {**result.args_kwargs, "kwargs": kwargs}
        result.save(update_fields=["args_kwargs"])


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0006_emails_wait_apart_from_the_queue"),
        ("django_tasks_database", "0021_conditional_partial_index_ordering"),
    ]

    operations = [migrations.RunPython(wait_apart, migrations.RunPython.noop)]
