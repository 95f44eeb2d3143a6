import threading

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection

from comments.models import Comment
from comments.services import CommentRejected, RequestMeta, comment_submit

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL: SQLite has no row locks, and locks the whole database for each write anyway",
    ),
    # Each thread has its own connection: the rows must be committed for both to see them.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

DUPLICATE = "Duplicate comment detected; it looks as though you’ve already said that!"


def test_the_same_comment_sent_twice_at_once_is_saved_once(make_article):
    article = make_article()
    both_ready = threading.Barrier(2, timeout=10)
    outcomes: list[str] = []

    def send() -> None:
        try:
            both_ready.wait()
            comment_submit(
                article=article,
                author=AnonymousUser(),
                body="Is surgery risky?",
                name="Rita Reader",
                email="rita@example.com",
                meta=RequestMeta(ip_address="203.0.113.7", user_agent="Mozilla/5.0 (double click)"),
            )
            outcomes.append("saved")
        except CommentRejected as rejection:
            outcomes.append(rejection.message)
        finally:
            connection.close()

    senders = [threading.Thread(target=send) for _ in range(2)]
    for sender in senders:
        sender.start()
    for sender in senders:
        sender.join(timeout=30)

    assert Comment.objects.count() == 1
    assert sorted(outcomes) == sorted(["saved", DUPLICATE])
