"""One like per reader and article, whatever the clicks and tabs: services and the database."""

import threading
import time

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.test import Client

from articles.models import Article, Like
from articles.services import article_like, article_unlike
from tests.comments.likes import like_url

pytestmark = pytest.mark.django_db


needs_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs PostgreSQL: SQLite runs one write at a time, so two likes can never race there",
)


def test_the_services_say_whether_anything_changed(article, reader):
    assert article_like(article=article, user=reader) is True
    assert article_like(article=article, user=reader) is False
    assert article_unlike(article=article, user=reader) is True
    assert article_unlike(article=article, user=reader) is False


def test_the_service_refuses_to_like_a_draft(make_article, reader):
    with pytest.raises(ValidationError):
        article_like(article=make_article(status=Article.Status.DRAFT), user=reader)


def test_the_database_refuses_a_second_like_by_the_same_reader(article, reader):
    Like.objects.create(article=article, user=reader)
    with pytest.raises(IntegrityError), transaction.atomic():
        Like.objects.create(article=article, user=reader)


# Concurrency, on PostgreSQL


@needs_postgresql
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_likes_sent_at_once_by_one_reader_make_one_like_and_no_error(article, reader):
    both_ready = threading.Barrier(2, timeout=10)
    statuses: list[int] = []

    def press_like() -> None:
        try:
            tab = Client()
            tab.force_login(reader)
            both_ready.wait()
            statuses.append(tab.post(like_url(article), HTTP_ACCEPT="application/json").status_code)
        finally:
            connection.close()

    tabs = [threading.Thread(target=press_like) for _ in range(2)]
    for tab in tabs:
        tab.start()
    for tab in tabs:
        tab.join(timeout=30)

    assert statuses == [200, 200]
    assert Like.objects.count() == 1


@needs_postgresql
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_like_that_loses_the_race_to_the_constraint_returns_quietly(article, reader):
    # The first like is inserted but not committed; the second finds no like,
    # so it inserts too, and waits on the first's row in the constraint's index.
    inserted, commit = threading.Event(), threading.Event()
    results: dict[str, bool] = {}
    errors: list[Exception] = []

    def first() -> None:
        try:
            with transaction.atomic():
                results["first"] = article_like(article=article, user=reader)
                inserted.set()
                commit.wait(timeout=10)
        except Exception as error:
            errors.append(error)
        finally:
            connection.close()

    def second() -> None:
        try:
            inserted.wait(timeout=10)
            results["second"] = article_like(article=article, user=reader)
        except Exception as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + 10
    with connection.cursor() as cursor:
        while time.monotonic() < deadline:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'"
            )
            if cursor.fetchone()[0]:
                break
            time.sleep(0.01)
        else:
            pytest.fail("the second like never waited on the first")
    commit.set()
    for thread in threads:
        thread.join(timeout=30)

    assert not errors
    assert results == {"first": True, "second": False}
    assert Like.objects.count() == 1
