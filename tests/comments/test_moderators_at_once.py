"""Two moderators at once: what one did while the other's action waited for the same comment is what counts."""

import threading
import time

import pytest
from django.db import connection, transaction

from comments.models import Comment, ModerationAction
from comments.services import comments_delete

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="needs PostgreSQL's row locks: SQLite locks the whole database"
    ),
    # Each thread has its own connection: the rows must be committed for both to see them.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_emptying_the_trash_keeps_a_comment_another_moderator_restored_meanwhile(article, make_comment):
    # Found by a review: the trash was chosen before the wait for the restorer's lock, and the comment went for good.
    trashed = make_comment(article=article, status=Comment.Status.TRASH, body="Restore me")
    locked, release = threading.Event(), threading.Event()
    deleted: list[int] = []

    def restore() -> None:
        try:
            with transaction.atomic():
                comment = Comment.objects.select_for_update().get(pk=trashed.pk)
                comment.moderate(ModerationAction.RESTORE, by=None)
                locked.set()
                release.wait(10)
        finally:
            connection.close()

    def empty_trash() -> None:
        try:
            # As "Delete selected spam and trash permanently" chooses them.
            doomed = Comment.objects.filter(pk__in=[trashed.pk], status__in=(Comment.Status.SPAM, Comment.Status.TRASH))
            deleted.append(comments_delete(comments=doomed))
        finally:
            connection.close()

    restorer = threading.Thread(target=restore)
    restorer.start()
    assert locked.wait(10)
    emptier = threading.Thread(target=empty_trash)
    emptier.start()
    time.sleep(1)  # the emptier now waits for the restorer's lock on the comment
    release.set()
    restorer.join(10)
    emptier.join(10)
    assert deleted == [0]
    assert Comment.objects.get(pk=trashed.pk).status == Comment.Status.PENDING
