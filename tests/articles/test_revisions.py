"""Revisions: each save in the admin keeps one; two are compared in words; one is restored as a new revision;
and a save made after someone else's is refused once, with nothing typed lost."""

import re

import pytest
from django.urls import reverse

from articles.models import Article, Revision
from tests.articles.admin_forms import change_form_data, change_url

pytestmark = pytest.mark.django_db


def revisions_url(article) -> str:
    return reverse("admin:articles_article_revisions", args=[article.pk])


@pytest.fixture
def own_article(make_article, author):
    return make_article(author=author, title="Facial spasm", body="<p>Injections every three months.</p>")


def save(client, article, **fields):
    """Open the article's change form as it is saved now, change `fields`, and save."""
    article.refresh_from_db()
    return client.post(change_url(article), change_form_data(article, **{"author": None, **fields}))


def test_each_save_in_the_admin_keeps_a_revision_of_what_readers_see(client, author, own_article):
    client.force_login(author)
    assert save(client, own_article, title="Hemifacial spasm").status_code == 302
    assert save(client, own_article, body="<p>Injections every four months.</p>").status_code == 302
    newest, first = Revision.objects.filter(article=own_article)
    assert (first.title, first.body, first.saved_by) == (
        "Hemifacial spasm",
        "<p>Injections every three months.</p>",
        author,
    )
    assert (newest.title, newest.body) == ("Hemifacial spasm", "<p>Injections every four months.</p>")
    assert newest.saved_at >= first.saved_at


def test_publishing_from_the_list_keeps_a_revision_saying_so(client, editor, make_article):
    draft = make_article(status=Article.Status.DRAFT, title="Soon")
    client.force_login(editor)
    response = client.post(
        reverse("admin:articles_article_changelist"),
        {"action": "publish_selected", "_selected_action": [draft.pk]},
    )
    assert response.status_code == 302
    revision = Revision.objects.get(article=draft)
    assert (revision.status, revision.note, revision.saved_by) == ("published", "Published", editor)


def test_the_revisions_page_lists_every_save_newest_first(client, author, own_article):
    client.force_login(author)
    save(client, own_article, title="First title")
    save(client, own_article, title="Second title")
    page = client.get(revisions_url(own_article)).text
    assert "2 revisions, newest first" in page
    assert page.index("Second title") < page.index("First title")
    assert page.count("Restore this revision") == 1  # the newest is the article as it is
    assert f'href="{revisions_url(own_article)}"' in client.get(change_url(own_article)).text


def test_two_revisions_are_compared_word_by_word(client, author, own_article):
    client.force_login(author)
    save(client, own_article)
    save(client, own_article, body="<p>Injections every <b>four</b> months &amp; more.</p>")
    older, newer = reversed(Revision.objects.filter(article=own_article))
    page = client.get(
        reverse("admin:articles_article_revisions_compare", args=[own_article.pk]), {"revision": [newer.pk, older.pk]}
    ).text
    body = re.search(r"<h2>Body</h2>\s*<p class=\"revision-words\">(.*?)</p>", page, re.S).group(1)
    assert body == "Injections every <del>three months.</del> <ins>four months &amp; more.</ins>"
    assert "<h2>Title · unchanged</h2>" in page


def test_markup_typed_in_a_title_is_shown_as_text_in_the_comparison(client, author, own_article):
    client.force_login(author)
    save(client, own_article)
    save(client, own_article, title="<script>alert(1)</script>")
    older, newer = reversed(Revision.objects.filter(article=own_article))
    page = client.get(
        reverse("admin:articles_article_revisions_compare", args=[own_article.pk]), {"revision": [older.pk, newer.pk]}
    ).text
    assert "<script>alert(1)</script>" not in page
    assert "<ins>&lt;script&gt;alert(1)&lt;/script&gt;</ins>" in page


def test_comparing_needs_two_revisions(client, author, own_article):
    client.force_login(author)
    save(client, own_article)
    only = Revision.objects.get(article=own_article)
    response = client.get(
        reverse("admin:articles_article_revisions_compare", args=[own_article.pk]), {"revision": [only.pk]}, follow=True
    )
    assert "Choose two revisions to compare." in response.text


def test_comparing_three_revisions_asks_for_two_rather_than_comparing_two_of_them(client, author, own_article):
    # Found by a review: the two newest of the three ticked were compared, without a word of the third.
    client.force_login(author)
    for title in ("One", "Two", "Three"):
        save(client, Article.objects.get(pk=own_article.pk), title=title)
    chosen = list(Revision.objects.filter(article=own_article).values_list("pk", flat=True))
    assert len(chosen) == 3
    response = client.get(
        reverse("admin:articles_article_revisions_compare", args=[own_article.pk]), {"revision": chosen}, follow=True
    )
    assert "Choose two revisions to compare." in response.text


def test_restoring_puts_back_the_words_and_is_itself_a_revision(client, author, own_article):
    client.force_login(author)
    save(client, own_article, title="Facial spasm")
    save(client, own_article, title="A worse title", body="<p>Wrong advice.</p>")
    current, earlier = Revision.objects.filter(article=own_article)
    response = client.post(reverse("admin:articles_article_revision_restore", args=[own_article.pk, earlier.pk]))
    assert response.status_code == 302
    own_article.refresh_from_db()
    assert (own_article.title, own_article.body) == ("Facial spasm", "<p>Injections every three months.</p>")
    restored, *kept = Revision.objects.filter(article=own_article)
    assert restored.note.startswith("Restored the revision of ")
    assert kept == [current, earlier]
    assert "Injections every three months." in client.get(own_article.get_absolute_url()).text
    assert "Wrong advice." not in client.get(own_article.get_absolute_url()).text


def test_restoring_is_a_post_by_someone_who_may_change_the_article(client, author, editor, make_user, make_article):
    others = make_article(author=editor, title="An editor's article")
    client.force_login(editor)
    response = save(client, others, author=editor.pk)
    assert response.status_code == 302, re.findall(r'class="errorlist[^"]*"[^>]*>(.*?)</ul>', response.text)
    revision = Revision.objects.get(article=others)
    restore = reverse("admin:articles_article_revision_restore", args=[others.pk, revision.pk])
    assert client.get(restore).status_code == 302  # a link followed changes nothing
    client.force_login(author)  # an author sees only their own articles
    assert client.get(revisions_url(others)).status_code == 404
    assert client.post(restore).status_code == 404
    assert Revision.objects.filter(article=others).count() == 1


def test_a_save_after_someone_elses_is_refused_once_with_nothing_lost(client, author, editor, own_article):
    opened = change_form_data(own_article, author=None)  # the author opens the form…
    client.force_login(editor)
    assert save(client, own_article, author=own_article.author_id, title="The editor's title").status_code == 302
    client.force_login(author)
    mine = {**opened, "title": "The author's title", "body": "<p>My new paragraph.</p>"}
    refused = client.post(change_url(own_article), mine)
    assert refused.status_code == 200
    assert "Edith Editor saved this article at" in refused.text
    assert "Nothing you typed is lost" in refused.text
    assert "The author&#x27;s title" in refused.text and "My new paragraph." in refused.text
    own_article.refresh_from_db()
    assert own_article.title == "The editor's title"
    # Saving again, knowing it, replaces their version; theirs stays among the revisions.
    again = dict(mine, opened_version=re.search(r'name="opened_version" value="([^"]+)"', refused.text).group(1))
    assert client.post(change_url(own_article), again).status_code == 302
    own_article.refresh_from_db()
    assert own_article.title == "The author's title"
    assert Revision.objects.filter(article=own_article, title="The editor's title").exists()
