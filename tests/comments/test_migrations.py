"""Data migrations of the comments app, run on rows as the migration before them left them."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone
from django.utils.module_loading import import_string

from comments.notifications import send_held_comment_email

# Migrating back and forth needs real transactions; serialized_rollback brings back
# the rows other migrations made (the editorial groups, the site), for the tests after.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def migrate():
    """Move the comments app to a migration and return the models as they were then; the latest again at the end."""
    executor = MigrationExecutor(connection)
    latest = executor.loader.graph.leaf_nodes()

    def to(name: str):
        executor.loader.build_graph()
        executor.migrate([("comments", name)])
        others = [node for node in latest if node[0] != "comments"]
        return executor.loader.project_state([*others, ("comments", name)]).apps

    yield to
    executor.loader.build_graph()
    executor.migrate(latest)


def old_article(apps):
    author = apps.get_model("accounts", "User").objects.create(username="old-writer")
    return apps.get_model("articles", "Article").objects.create(
        title="An old article", slug="an-old-article", author=author, body="", body_html="", status="draft"
    )


def test_filling_depth_puts_each_reply_one_level_below_its_parent(migrate):
    apps = migrate("0003_depth_and_replies_outlive_their_parent")
    Comment = apps.get_model("comments", "Comment")
    article = old_article(apps)

    def reply(parent=None):
        # As 0003 left every comment: at depth 1.
        return Comment.objects.create(
            article=article, parent=parent, thread=(parent.thread or parent) if parent else None, body="", body_html=""
        ).pk

    first = [reply()]
    for _ in range(3):
        first.append(reply(Comment.objects.get(pk=first[-1])))
    second = [reply()]
    second.append(reply(Comment.objects.get(pk=second[0])))
    branch = reply(Comment.objects.get(pk=first[1]))

    apps = migrate("0004_fill_comment_depth")
    depths = dict(apps.get_model("comments", "Comment").objects.values_list("pk", "depth"))
    assert [depths[pk] for pk in first] == [1, 2, 3, 4]
    assert [depths[pk] for pk in second] == [1, 2]
    assert depths[branch] == 3


def test_emails_typed_in_capitals_are_stored_lower_cased(migrate):
    apps = migrate("0006_delivery_verbose_names")
    article = old_article(apps)
    comment = apps.get_model("comments", "Comment").objects.create(
        article=article, author_email="Rita@Example.COM", body="", body_html=""
    )
    # SQLite's LOWER() leaves letters outside ASCII as they are; Python's lower() does not.
    accented = apps.get_model("comments", "Comment").objects.create(
        article=article, author_email="ÉLODIE@Example.com", body="", body_html=""
    )
    subscription = apps.get_model("comments", "Subscription").objects.create(
        email="Rita@Example.COM", topic="comments", article=article
    )

    apps = migrate("0007_lower_case_emails")
    assert apps.get_model("comments", "Comment").objects.get(pk=comment.pk).author_email == "rita@example.com"
    assert apps.get_model("comments", "Comment").objects.get(pk=accented.pk).author_email == "élodie@example.com"
    assert apps.get_model("comments", "Subscription").objects.get(pk=subscription.pk).email == "rita@example.com"


def test_emails_already_queued_are_sent_by_the_tasks_new_modules(migrate):
    apps = migrate("0008_comment_places_and_lower_case_emails")
    queued = apps.get_model("django_tasks_database", "DBTaskResult").objects.create(
        task_path="comments.tasks.send_held_comment_email",
        args_kwargs={"args": [], "kwargs": {"comment_id": 1, "moderator_id": 1}},
        backend_name="default",
        run_after=timezone.now(),
    )

    apps = migrate("0009_queued_tasks_follow_their_new_modules")
    task_path = apps.get_model("django_tasks_database", "DBTaskResult").objects.get(pk=queued.pk).task_path
    assert import_string(task_path) is send_held_comment_email


def test_names_kept_with_line_breaks_are_put_on_one_line(migrate):
    # Found by a review: names were kept on one line from then on, and those kept before still started lines of
    # their own in the emails that name a commenter (a false "Approve it:" line).
    apps = migrate("0020_close_comments_after_a_century_at_most")
    article = old_article(apps)
    member = apps.get_model("accounts", "User").objects.create(
        username="member-1", display_name="Sam\r\nUnsubscribe: https://evil.example/"
    )
    Comment = apps.get_model("comments", "Comment")
    written = {"article": article, "body": "Hello.", "body_html": "<p>Hello.</p>", "status": "pending", "depth": 1}
    guest = Comment.objects.create(author_name="Rita\n\nApprove it: https://evil.example/", **written)
    plain = Comment.objects.create(author_name="Omar  Ortiz", **written)  # two spaces, no line: left as typed
    apps = migrate("0021_names_on_one_line")
    Comment, User = apps.get_model("comments", "Comment"), apps.get_model("accounts", "User")
    assert Comment.objects.get(pk=guest.pk).author_name == "Rita Approve it: https://evil.example/"
    assert Comment.objects.get(pk=plain.pk).author_name == "Omar  Ortiz"
    assert User.objects.get(pk=member.pk).display_name == "Sam Unsubscribe: https://evil.example/"


@pytest.mark.skipif(connection.vendor != "sqlite", reason="PostgreSQL's column keeps no longer time")
def test_times_saved_longer_than_postgresql_keeps_are_made_the_longest_allowed(migrate):
    # Saved on SQLite before they were refused, such times still made every comment sent a server error.
    apps = migrate("0021_names_on_one_line")
    apps.get_model("comments", "DiscussionSettings").objects.update_or_create(
        pk=1, defaults={"flood_seconds": 99_999_999_999, "minimum_fill_seconds": 40, "edit_window_minutes": 40_000}
    )
    apps = migrate("0022_times_within_what_postgresql_keeps")
    saved = apps.get_model("comments", "DiscussionSettings").objects.get(pk=1)
    assert (saved.flood_seconds, saved.minimum_fill_seconds, saved.edit_window_minutes) == (32767, 40, 32767)
