from django.db import migrations

# The email tasks left comments/tasks.py: tasks already queued in the database
# are found by their dotted path, so they follow to their new modules.
MOVED = {
    "comments.tasks.send_held_comment_email": "comments.notifications.send_held_comment_email",
    "comments.tasks.send_new_comment_email": "comments.notifications.send_new_comment_email",
    "comments.tasks.send_subscription_confirmation": "comments.subscriptions.notices.send_subscription_confirmation",
    "comments.tasks.send_comment_to_subscribers": "comments.subscriptions.notices.send_comment_to_subscribers",
    "comments.tasks.send_comment_notice": "comments.subscriptions.notices.send_comment_notice",
    "comments.tasks.announce_new_posts": "comments.subscriptions.notices.announce_new_posts",
    "comments.tasks.send_new_post_notice": "comments.subscriptions.notices.send_new_post_notice",
}


def _follow(apps, moves: dict[str, str]) -> None:
    tasks = apps.get_model("django_tasks_database", "DBTaskResult").objects
    for old, new in moves.items():
        tasks.filter(task_path=old).update(task_path=new)


def to_new_modules(apps, schema_editor):
    _follow(apps, MOVED)


def back_to_comments_tasks(apps, schema_editor):
    _follow(apps, {new: old for old, new in MOVED.items()})


class Migration(migrations.Migration):
    dependencies = [
        ("comments", "0008_comment_places_and_lower_case_emails"),
        ("django_tasks_database", "0021_conditional_partial_index_ordering"),
    ]

    operations = [
        migrations.RunPython(to_new_modules, back_to_comments_tasks),
    ]
