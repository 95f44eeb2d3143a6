"""Two people save one article at the same moment: the second is told of the first's save, as if it came a moment
before, and nothing of either is half saved."""

import contextlib
import threading
from unittest import mock

import pytest
from django.db import connection
from django.test import Client

from articles.admin import ArticleAdmin
from articles.models import Reference
from tests.articles.admin_forms import change_form_data, change_url

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL's row locks: SQLite locks the whole database for each write anyway",
    ),
    # Each thread has its own connection: the rows must be committed for both to see them.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_two_editors_adding_a_first_source_at_once_are_told_of_each_other_not_given_a_server_error(
    make_article, author, editor
):
    article = make_article(author=author, title="Botulinum toxin", body="<p>Injections ease the spasms [1].</p>")
    saved = Reference.objects.create(article=article, number=1, citation="Costa J. Cochrane Review, 2005.")
    # Both opened the form before either saved: each puts a new source first and moves the saved one to [2].
    sent = {}
    for who, citation in ((author, "Wang A. Neurology, 1998."), (editor, "Kemp LW. Neurosurgery, 2012.")):
        sent[who.username] = change_form_data(
            article,
            author=None if who == author else author.pk,
            **{"references-TOTAL_FORMS": "2", "references-INITIAL_FORMS": "1"},
            **{"references-0-id": str(saved.pk), "references-0-number": "2", "references-0-citation": saved.citation},
            **{"references-1-id": "", "references-1-number": "1", "references-1-citation": citation},
        )
    # Each save goes on once both are past checking the form, or once one has waited a moment for the other.
    both_checked = threading.Barrier(2, timeout=0.5)
    save_model = ArticleAdmin.save_model

    def save_once_both_checked(*args, **kwargs):
        with contextlib.suppress(threading.BrokenBarrierError):
            both_checked.wait()
        return save_model(*args, **kwargs)

    answers = {}

    def send(who, browser: Client) -> None:
        try:
            answers[who.username] = browser.post(change_url(article), sent[who.username])
        finally:
            connection.close()

    browsers = {}
    for who in (author, editor):
        browsers[who] = Client(raise_request_exception=False)
        browsers[who].force_login(who)
    with mock.patch.object(ArticleAdmin, "save_model", save_once_both_checked):
        senders = [threading.Thread(target=send, args=(who, browser)) for who, browser in browsers.items()]
        for sender in senders:
            sender.start()
        for sender in senders:
            sender.join(timeout=30)

    assert sorted(answer.status_code for answer in answers.values()) == [200, 302]
    told = next(answer for answer in answers.values() if answer.status_code == 200)
    assert "saved this article at" in told.text
    # One save's sources, whole.
    assert [number for number, _citation in article.references.values_list("number", "citation")] == [1, 2]


def test_a_reader_posting_a_comment_does_not_wait_for_an_editor_saving_the_article(make_article, editor, post_comment):
    # Found by a review: the change form locked the article FOR UPDATE, which also holds back every row that points to
    # it (a comment, a like, a first autosave), until the editor's whole save was done. Saves need only wait for each
    # other.
    article = make_article(title="Botulinum toxin")
    checked, go_on = threading.Event(), threading.Event()
    save_model = ArticleAdmin.save_model

    def save_when_told(*args, **kwargs):
        checked.set()
        go_on.wait(timeout=30)
        return save_model(*args, **kwargs)

    def save() -> None:
        try:
            browser = Client(raise_request_exception=False)
            browser.force_login(editor)
            browser.post(change_url(article), change_form_data(article, title="Botulinum toxin, revised"))
        finally:
            connection.close()

    posted = {}

    def post() -> None:
        try:
            posted["answer"] = post_comment(Client(), article)
        finally:
            connection.close()

    with mock.patch.object(ArticleAdmin, "save_model", save_when_told):
        editor_saving = threading.Thread(target=save)
        editor_saving.start()
        try:
            assert checked.wait(timeout=10)
            reader_posting = threading.Thread(target=post)
            reader_posting.start()
            reader_posting.join(timeout=10)  # a post takes well under a second; a lock waits for the save
            waited = reader_posting.is_alive()
        finally:
            go_on.set()
            editor_saving.join(timeout=30)
        reader_posting.join(timeout=30)
    assert not waited
    assert posted["answer"].status_code == 302
