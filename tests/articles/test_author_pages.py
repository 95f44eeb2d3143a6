"""Bylines sign an article with the author's name, never their login, and link to their author page."""

import re

import pytest
from django.contrib.sites.models import Site

from articles.models import Article

pytestmark = pytest.mark.django_db


def byline(page: str) -> str:
    return re.search(r'<p class="byline">(.*?)</p>', page, re.S).group(1)


def test_the_byline_shows_the_display_name_linked_to_the_author_page(client, article, writer):
    page = client.get(article.get_absolute_url()).text
    assert '<a class="author" href="/author/wanda-writer/" rel="author">Wanda Writer</a>' in byline(page)


def test_an_article_by_a_member_without_a_name_is_signed_with_the_sites_name(client, make_user, make_article):
    admin = make_user(username="admin")
    article = make_article(author=admin, title="A page by the admin")
    site = Site.objects.get_current()
    shown = byline(client.get(article.get_absolute_url()).text)
    assert f'<span class="author">{site.name}</span>' in shown
    assert "admin" not in shown
    assert admin.author_slug is None


def test_the_byline_time_is_machine_readable_to_the_second(client, article):
    # The Nu Html Checker refuses datetime values with microseconds.
    page = client.get(article.get_absolute_url()).text
    assert re.search(r'<time datetime="\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d{4}">', page)


def test_the_author_page_lists_their_published_articles_only(client, article, writer, make_article):
    make_article(author=writer, title="Still a draft", status=Article.Status.DRAFT)
    make_article(title="By someone else")
    response = client.get("/author/wanda-writer/")
    assert response.status_code == 200
    assert "<title>Articles by Wanda Writer" in response.text
    assert "Hemifacial spasm" in response.text
    assert "Still a draft" not in response.text
    assert "By someone else" not in response.text


def test_members_who_wrote_nothing_have_no_author_page(client, reader):
    assert reader.author_slug == "rita-reader"
    assert client.get("/author/rita-reader/").status_code == 404
    assert client.get("/author/nobody/").status_code == 404


def test_two_authors_of_the_same_name_get_their_own_pages(make_user):
    first, second = make_user(display_name="Sam Lee"), make_user(display_name="Sam Lee")
    assert (first.author_slug, second.author_slug) == ("sam-lee", "sam-lee-2")


def test_the_author_page_keeps_its_address_when_the_name_changes(writer):
    writer.display_name = "Wanda W. Writer"
    writer.save()
    writer.refresh_from_db()
    assert writer.author_slug == "wanda-writer"


def test_a_member_who_gives_a_name_later_gets_an_author_page(make_user):
    member = make_user(username="quiet")
    member.display_name = "Quiet Quill"
    member.save(update_fields=["display_name"])
    member.refresh_from_db()
    assert member.author_slug == "quiet-quill"


def test_an_author_who_no_longer_gives_a_name_has_no_author_page(client, article, writer):
    writer.display_name = ""
    writer.save()
    assert client.get("/author/wanda-writer/").status_code == 404
