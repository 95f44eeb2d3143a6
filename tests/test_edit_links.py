"""WordPress's Edit links on the site itself: under an article or a page for those who may change it, and under each
comment for those who may moderate it, each to its page in the admin. Readers never see them, nor does a page or a
rendered thread kept for others."""

import pytest
from django.test import Client
from django.urls import reverse

from articles.models import Page

pytestmark = pytest.mark.django_db


@pytest.fixture(params=[0, 600], ids=["thread rendered", "thread kept"])
def kept_thread(request, settings):
    settings.PAGE_CACHE_SECONDS = request.param


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def edit_article_link(article) -> str:
    return f'<a href="{reverse("admin:articles_article_change", args=[article.pk])}">Edit article</a>'


@pytest.fixture
def authors_article(make_article, author):
    return make_article(title="Alice's article", author=author)


def test_an_editor_and_the_articles_author_have_an_edit_link_under_it(authors_article, author, editor):
    for user in (editor, author):
        assert edit_article_link(authors_article) in signed_in(user).get(authors_article.get_absolute_url()).text


def test_another_author_a_moderator_a_reader_and_a_guest_have_none(authors_article, make_user, moderator, reader):
    other_author = make_user(username="bob", display_name="Bob Author", is_staff=True, groups=("Authors",))
    for client in (signed_in(other_author), signed_in(moderator), signed_in(reader), Client()):
        assert "Edit article" not in client.get(authors_article.get_absolute_url()).text


def test_staff_who_may_change_pages_have_an_edit_link_under_a_page(editor, reader):
    about = Page.objects.create(title="About us", slug="about", body="<p>Who we are.</p>", published=True)
    link = f'<a href="{reverse("admin:articles_page_change", args=[about.pk])}">Edit page</a>'
    assert link in signed_in(editor).get("/about/").text
    assert "Edit page" not in signed_in(reader).get("/about/").text


def test_those_who_moderate_a_comment_have_an_edit_link_under_it(kept_thread, article, make_comment, moderator, reader):
    comment = make_comment(article=article)
    link = f'<a href="{reverse("admin:comments_comment_change", args=[comment.pk])}">Edit</a>'
    assert link in signed_in(moderator).get(article.get_absolute_url()).text
    # The thread kept for the moderator is not the one readers get, signed in or not.
    assert 'class="comment-edit-link"' not in signed_in(reader).get(article.get_absolute_url()).text
    assert 'class="comment-edit-link"' not in Client().get(article.get_absolute_url()).text
    assert link in signed_in(moderator).get(article.get_absolute_url()).text
