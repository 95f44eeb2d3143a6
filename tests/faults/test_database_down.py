"""The database failing: no typed text lost, no lie told, and the site works again once it is back."""

import json
import os
import subprocess
import sys
import threading
from io import StringIO
from unittest import mock

import psycopg
import pytest
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DataError, IntegrityError, OperationalError, connection
from django.db.models import QuerySet
from django.test import Client
from django.utils.html import escape
from django_tasks_db.models import DBTaskResult

from articles.models import Article, Category, Page, Revision
from bench.stack import ROOT
from comments import services
from comments.models import Comment, Report
from tests.articles.admin_forms import change_form_data, change_url
from tests.articles.test_writing import autosave_url, new_article_form
from tests.comments.wxr import export, post, write
from tests.faults.outages import LOST, failing_once, read_only_moment

TYPED = "Does the spasm come back after the injections wear off?"


@pytest.fixture
def client_without_exceptions():
    client = Client()
    client.raise_request_exception = False
    return client


@pytest.mark.django_db
def test_a_comment_the_database_could_not_save_comes_back_with_a_503_and_the_words(
    client_without_exceptions, article, post_comment
):
    outage = OperationalError("server closed the connection unexpectedly")
    with mock.patch.object(services, "_check_duplicate", side_effect=outage):
        response = post_comment(client_without_exceptions, article, comment=TYPED)
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert f"{TYPED}</textarea>" in response.text
    assert "nothing was saved" in response.text
    assert not Comment.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "fault",
    [
        DataError("value too long for type character varying(100)"),
        IntegrityError("duplicate key"),
        RuntimeError("a bug"),
    ],
    ids=["a value refused", "a constraint", "a bug"],
)
def test_a_fault_of_the_sites_own_is_a_500_not_an_outage_and_the_words_come_back(
    client_without_exceptions, article, post_comment, fault
):
    with mock.patch.object(services, "_check_duplicate", side_effect=fault):
        response = post_comment(client_without_exceptions, article, comment=TYPED)
    assert response.status_code == 500
    assert "Retry-After" not in response
    assert "Something went wrong" in response.text
    assert f"{TYPED}</textarea>" in response.text
    assert not Comment.objects.exists()


@pytest.mark.django_db
def test_a_comment_saved_gets_its_normal_answer_though_the_database_fails_right_after(
    client_without_exceptions, article, post_comment
):
    outage = OperationalError("server closed the connection unexpectedly")
    with mock.patch("comments.views.comment_page_url", side_effect=outage):
        response = post_comment(client_without_exceptions, article, comment=TYPED)
    comment = Comment.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"{article.get_absolute_url()}#comment-{comment.pk}"


@pytest.mark.django_db
def test_a_failovers_read_only_moment_is_an_outage_not_a_fault_of_the_sites(
    client_without_exceptions, article, post_comment
):
    # Found by a review: PostgreSQL refuses a write while a standby is promoted (InternalError, SQLSTATE 25006).
    with mock.patch.object(services, "_check_duplicate", side_effect=read_only_moment()):
        response = post_comment(client_without_exceptions, article, comment=TYPED)
    assert response.status_code == 503
    assert f"{TYPED}</textarea>" in response.text


@pytest.mark.django_db
def test_an_edit_saved_is_said_saved_though_the_database_fails_right_after(
    client_without_exceptions, article, post_comment
):
    # Found by a review: the edit was saved, and the answer was the 503 page saying nothing was.
    post_comment(client_without_exceptions, article, comment=TYPED)
    mine = Comment.objects.get()
    outage = OperationalError("server closed the connection unexpectedly")
    with mock.patch("comments.views.comment_page_url", side_effect=outage):
        response = client_without_exceptions.post(f"/comments/{mine.pk}/edit/", {"comment": "Second words."})
    mine.refresh_from_db()
    assert mine.body == "Second words."
    assert response.status_code == 302
    # The article's first page of comments, at the message (which leads on to the comment), when its own is not known.
    assert response["Location"] == f"{article.get_absolute_url()}#messages"
    page = client_without_exceptions.get(response["Location"]).text
    assert "Your comment is updated and waits for a moderator again." in page
    assert f'href="#comment-{mine.pk}"' in page


@pytest.mark.django_db
def test_a_report_recorded_is_said_recorded_though_the_database_fails_right_after(
    client_without_exceptions, article, make_comment
):
    comment = make_comment(article=article)
    outage = OperationalError("server closed the connection unexpectedly")
    with mock.patch("comments.views.comment_page_url", side_effect=outage):
        response = client_without_exceptions.post(f"/comments/{comment.pk}/report/", {"reason": "spam"})
    assert Report.objects.filter(comment=comment).exists()
    assert response.status_code == 200
    assert "Thank you: moderators will look at this comment." in response.text
    assert f'href="{article.get_absolute_url()}#comment-{comment.pk}"' in response.text


@pytest.mark.django_db
@pytest.mark.parametrize("session", ["new", "existing"])
def test_words_kept_for_signing_in_come_back_when_the_session_cannot_be_saved(
    client_without_exceptions, article, session
):
    # Found by a review: the session's save failed unseen at the end of the request, and the reader, sent on to sign
    # in, came back to an empty box; a second review: a guest's first session, or a session the database could not
    # update (a failover's read-only moment), came out as a 400 or a 500 page without the words.
    if session == "existing":
        client_without_exceptions.post(f"/comments/sign-in/{article.pk}/", {"comment": "First.", "provider": "local"})
    with mock.patch.object(Session, "save", side_effect=read_only_moment()):
        response = client_without_exceptions.post(
            f"/comments/sign-in/{article.pk}/", {"comment": TYPED, "provider": "local"}
        )
    assert response.status_code == 503
    assert f"{escape(TYPED)}</textarea>" in response.text


needs_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="cuts a PostgreSQL connection with pg_terminate_backend"
)


def cut_this_connection() -> None:
    """Another session kills the request's connection, as a PostgreSQL restart would."""
    settings = connection.settings_dict
    pid = connection.connection.info.backend_pid

    def terminate() -> None:
        with psycopg.connect(
            host=settings["HOST"],
            port=settings["PORT"],
            user=settings["USER"],
            dbname=settings["NAME"],
            autocommit=True,
        ) as other:
            other.execute("SELECT pg_terminate_backend(%s)", [pid])

    thread = threading.Thread(target=terminate)
    thread.start()
    thread.join()


@needs_postgresql
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_connection_cut_mid_request_loses_no_words_and_the_next_request_succeeds(article, post_comment):
    client = Client()
    client.raise_request_exception = False
    real_check = services._check_duplicate

    def cut_then_check(comment):
        cut_this_connection()
        return real_check(comment)

    with mock.patch.object(services, "_check_duplicate", side_effect=cut_then_check):
        response = post_comment(client, article, comment=TYPED)
    assert response.status_code == 503
    assert f"{TYPED}</textarea>" in response.text
    assert not Comment.objects.filter(body=TYPED).exists()

    again = post_comment(client, article, comment=TYPED)  # no restart: a new connection
    assert again.status_code == 302
    assert Comment.objects.filter(body=TYPED).count() == 1


@needs_postgresql
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_figures_with_connections_cut(article, post_comment):
    """Every other post has its connection cut midway: server errors seen, comments lost or doubled."""
    client = Client()
    client.raise_request_exception = False
    real_check = services._check_duplicate
    cut = {"next": False}

    def maybe_cut(comment):
        if cut["next"]:
            cut_this_connection()
        return real_check(comment)

    answers = []
    with mock.patch.object(services, "_check_duplicate", side_effect=maybe_cut):
        for number in range(20):
            cut["next"] = number % 2 == 1
            text = f"Post number {number}."
            # Twenty readers (one writer twice within the flood interval would be told to slow down).
            reader = {"ip": f"203.0.113.{number + 1}", "email": f"reader{number}@example.com"}
            response = post_comment(client, article, comment=text, **reader)
            answers.append((text, response.status_code, f"{text}</textarea>" in response.text))
    saved = {text for text, status, _kept in answers if status == 302}
    refused_with_words = {text for text, status, kept in answers if status == 503 and kept}
    stored = list(Comment.objects.filter(body__startswith="Post number ").values_list("body", flat=True))
    errors = sum(status >= 500 and status != 503 for _text, status, _kept in answers)
    print(
        f"Connections cut: 20 posts, {len(saved)} saved, {len(refused_with_words)} refused with their words kept, "
        f"{errors} server errors, {len(stored) - len(set(stored))} doubled"
    )
    assert errors == 0
    assert sorted(stored) == sorted(saved)  # each saved once, none saved that was refused
    assert saved | refused_with_words == {text for text, _status, _kept in answers}  # none lost


@pytest.mark.django_db
def test_a_statement_postgresql_takes_too_long_over_ends_in_the_503_page_with_the_words(
    client_without_exceptions, article, post_comment
):
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL's statement_timeout; `.ci/run` runs this file on PostgreSQL too")
    assert connection.get_connection_params()["connect_timeout"] == 5

    def stuck_behind_a_lock():  # as a statement waiting on another transaction's lock would
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL statement_timeout = '100ms'")
            cursor.execute("SELECT pg_sleep(5)")

    with mock.patch.object(services, "_check_duplicate", side_effect=lambda comment: stuck_behind_a_lock()):
        response = post_comment(client_without_exceptions, article, comment=TYPED)
    assert response.status_code == 503
    assert f"{TYPED}</textarea>" in response.text
    assert not Comment.objects.exists()


@pytest.mark.django_db
def test_an_article_saved_while_the_database_fails_comes_back_with_its_body(client_without_exceptions, editor, article):
    client_without_exceptions.force_login(editor)
    body = "<p>An hour of careful writing about botulinum toxin.</p>"
    outage = OperationalError("server closed the connection unexpectedly")
    with mock.patch.object(Article, "save", side_effect=outage):
        response = client_without_exceptions.post(change_url(article), change_form_data(article, body=body))
    assert response.status_code == 503
    assert f'<textarea id="kept-comment" rows="8" readonly>{escape(body)}</textarea>' in response.text


def database_options(*, under_gunicorn: bool) -> dict:
    """The PostgreSQL options a process of the site gets: the web's (gunicorn with the shipped config) or another's."""
    code = "import json, runpy\n"
    if under_gunicorn:
        code += "runpy.run_path('deploy/gunicorn.conf.py')\n"
    code += "from config import settings\nprint(json.dumps(settings.DATABASES['default']['OPTIONS']))"
    env = {key: value for key, value in os.environ.items() if key != "DATABASE_STATEMENT_TIMEOUT"}
    env |= {"DEBUG": "true", "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/anything"}
    shown = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True, cwd=ROOT)
    return json.loads(shown.stdout)


def test_the_web_limits_each_statement_and_a_migration_run_by_hand_does_not():
    web = database_options(under_gunicorn=True)
    assert web["options"] == "-c statement_timeout=15s"  # below gunicorn's 30 s worker timeout
    assert web["connect_timeout"] == 5
    by_hand = database_options(under_gunicorn=False)
    assert "options" not in by_hand
    assert by_hand["connect_timeout"] == 5


@pytest.mark.django_db
@pytest.mark.parametrize("failing", [Page, Category], ids=["a page", "a category"])
def test_an_import_the_database_fails_stops_with_what_it_brought_in_and_running_it_again_ends_it(tmp_path, failing):
    # Found by a fault test: only a post's own saving was caught; the database lost while the import saved a page,
    # a category or an author (or looked a post up) ended the command in a traceback, without its summary.
    path = write(
        tmp_path,
        export(
            post(1, title="Before"),
            post(2, title="About", slug="about", post_type="page", categories=(("health", "Health"),)),
            post(3, title="After", categories=(("health", "Health"),)),
        ),
    )
    out = StringIO()
    with mock.patch.object(failing, "save", side_effect=LOST), pytest.raises(CommandError) as stopped:
        call_command("import_wordpress", str(path), stdout=out)
    assert "the database failed" in str(stopped.value)
    assert "Posts: 1 imported" in out.getvalue()
    call_command("import_wordpress", str(path), stdout=StringIO())  # once it is back
    assert sorted(Article.objects.values_list("title", flat=True)) == ["After", "Before"]
    assert Page.objects.filter(slug="about").exists()


CHANGELIST = "/admin/comments/comment/"


def bulk_action(client, action: str, comments: list[Comment], *, listed: str):
    return client.post(
        f"{CHANGELIST}?status={listed}",
        {"action": action, "_selected_action": [comment.pk for comment in comments], "post": "yes"},
    )


@pytest.mark.django_db
def test_a_bulk_approval_the_database_fails_midway_changes_nothing_and_queues_nothing(
    client_without_exceptions, moderator, article, make_comment, settings
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}  # tasks queued with the change
    held = [make_comment(article=article, status=Comment.Status.PENDING) for _ in range(3)]
    client_without_exceptions.force_login(moderator)
    lost_at_the_second = failing_once(Comment.moderate, at=2)  # the first comment approved, then the database lost
    with mock.patch.object(Comment, "moderate", autospec=True, side_effect=lost_at_the_second):
        response = bulk_action(client_without_exceptions, "approve_selected", held, listed="pending")
    assert response.status_code == 503
    assert "Traceback" not in response.text
    assert set(Comment.objects.values_list("status", flat=True)) == {Comment.Status.PENDING}
    assert not DBTaskResult.objects.exists()  # no email of an approval that did not happen


@pytest.mark.django_db
def test_emptying_the_trash_the_database_fails_midway_moves_no_reply(
    client_without_exceptions, moderator, article, make_comment
):
    trashed = make_comment(article=article, status=Comment.Status.TRASH)
    reply = make_comment(article=article, parent=trashed)
    client_without_exceptions.force_login(moderator)
    with mock.patch.object(QuerySet, "delete", side_effect=LOST):  # the replies moved up, then the deletion fails
        response = bulk_action(client_without_exceptions, "delete_spam_and_trash", [trashed], listed="trash")
    assert response.status_code == 503
    reply.refresh_from_db()
    assert (reply.parent_id, reply.depth) == (trashed.pk, 2)
    assert Comment.objects.filter(pk=trashed.pk, status=Comment.Status.TRASH).exists()


@pytest.mark.django_db
def test_a_first_autosave_the_database_fails_keeps_no_half_draft_and_the_next_one_makes_one(
    client_without_exceptions, author
):
    client_without_exceptions.force_login(author)
    with mock.patch.object(Revision, "record", side_effect=LOST):  # the draft saved, then its revision fails
        response = client_without_exceptions.post(autosave_url(), new_article_form())
    assert response.status_code == 503
    assert not Article.objects.exists()
    again = client_without_exceptions.post(autosave_url(), new_article_form())  # the editor's next turn
    assert again.status_code == 201
    assert Article.objects.get().revisions.count() == 1


@pytest.mark.django_db
def test_a_feed_whose_count_of_comments_the_database_fails_is_a_503_no_cache_keeps(
    client_without_exceptions, article, make_comment, settings
):
    settings.PAGE_CACHE_SECONDS = 600  # the feed is a page every reader shares
    make_comment(article=article)
    with mock.patch("comments.feeds.shown_counts", side_effect=LOST):
        response = client_without_exceptions.get("/feed/")
    assert response.status_code == 503
    assert "no-store" in response["Cache-Control"]
    again = client_without_exceptions.get("/feed/")  # the database back
    assert again.status_code == 200
    assert "<slash:comments>1</slash:comments>" in again.text
