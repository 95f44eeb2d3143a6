import threading
from unittest import mock

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import OperationalError, connection, transaction
from django.test.utils import CaptureQueriesContext

from comments import notifications
from comments.models import Comment, DiscussionSettings
from comments.services import CommentRejected, RequestMeta, comment_submit

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL's advisory locks: SQLite locks the whole database for each write anyway",
    ),
    # Each thread has its own connection: the rows must be committed for both to see them.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

DUPLICATE = "Duplicate comment detected; it looks as though you’ve already said that!"


def _post(article, *, body: str, email: str, ip: str) -> Comment:
    return comment_submit(
        article=article,
        author=AnonymousUser(),
        body=body,
        name=email.split("@")[0].title(),
        email=email,
        meta=RequestMeta(ip_address=ip, user_agent="Mozilla/5.0"),
    )


def _sent_at_once(article, *posts: dict) -> list[str]:
    """Each post sent from its own connection, all at the same moment: what each got back, sorted."""
    all_ready = threading.Barrier(len(posts), timeout=10)
    outcomes: list[str] = []

    def send(post: dict) -> None:
        try:
            all_ready.wait()
            _post(article, **post)
            outcomes.append("saved")
        except CommentRejected as rejection:
            outcomes.append(rejection.message)
        finally:
            connection.close()

    senders = [threading.Thread(target=send, args=(post,)) for post in posts]
    for sender in senders:
        sender.start()
    for sender in senders:
        sender.join(timeout=30)
    return sorted(outcomes)


def test_the_same_comment_sent_twice_at_once_is_saved_once(make_article):
    article = make_article()
    double_click = {"body": "Is surgery risky?", "email": "rita@example.com", "ip": "203.0.113.7"}
    assert _sent_at_once(article, double_click, double_click) == sorted(["saved", DUPLICATE])
    assert Comment.objects.count() == 1


def test_two_comments_from_one_address_at_once_meet_the_flood_check(make_article):
    DiscussionSettings.objects.update_or_create(pk=1, defaults={"flood_seconds": 15})
    article = make_article()
    outcomes = _sent_at_once(
        article,
        *(
            {"body": f"A question from {email}", "email": email, "ip": "203.0.113.9"}
            for email in ("ann@example.com", "bob@example.com")
        ),
    )
    assert outcomes == sorted(["saved", "You are posting comments too quickly. Slow down."])
    assert Comment.objects.count() == 1


def test_a_post_in_progress_holds_up_only_its_own_writer(make_article):
    """Readers commenting on one busy article at once are not queued behind each other, only behind themselves."""
    DiscussionSettings.objects.update_or_create(pk=1, defaults={"flood_seconds": 0})
    article = make_article()
    inside, finish = threading.Event(), threading.Event()
    comment_posted = notifications.comment_posted

    def slow_notice(comment: Comment) -> None:
        comment_posted(comment)
        if comment.author_email == "ann@example.com":
            inside.set()  # Ann's post is saved, its transaction still open
            finish.wait(timeout=20)

    def ann_posts() -> None:
        try:
            _post(article, body="First question", email="ann@example.com", ip="203.0.113.1")
        finally:
            connection.close()

    with mock.patch.object(notifications, "comment_posted", slow_notice):
        ann = threading.Thread(target=ann_posts)
        ann.start()
        try:
            assert inside.wait(timeout=20)
            with connection.cursor() as cursor:
                cursor.execute("SET lock_timeout = '500ms'")
            try:
                # Another reader, same article: not held up.
                _post(article, body="My question", email="bob@example.com", ip="203.0.113.2")
                # Ann again, before her first post is committed: she waits her turn (here, past the timeout).
                with pytest.raises(OperationalError, match="lock timeout"), transaction.atomic():
                    _post(article, body="Second question", email="ann@example.com", ip="203.0.113.1")
            finally:
                with connection.cursor() as cursor:
                    cursor.execute("SET lock_timeout = 0")
        finally:
            finish.set()
            ann.join(timeout=30)

    assert sorted(Comment.objects.values_list("body", flat=True)) == ["First question", "My question"]


@pytest.mark.parametrize(("flood_seconds", "locks"), [(15, 2), (0, 1)])
def test_a_post_holds_its_writers_lock_and_its_addresss_while_the_flood_check_counts_it(
    make_article, flood_seconds, locks
):
    DiscussionSettings.objects.update_or_create(pk=1, defaults={"flood_seconds": flood_seconds})
    article = make_article()
    held: list[int] = []
    comment_posted = notifications.comment_posted

    def count_locks(comment: Comment) -> None:
        comment_posted(comment)
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid() AND granted"
            )
            held.append(cursor.fetchone()[0])

    with mock.patch.object(notifications, "comment_posted", count_locks), CaptureQueriesContext(connection) as seen:
        _post(article, body="A question", email="ann@example.com", ip="203.0.113.1")
    assert held == [locks]
    # Taken in one statement, whatever their number.
    assert len([query for query in seen if "pg_advisory_xact_lock" in query["sql"]]) == 1
