"""Under each article in a list, as WordPress's lists show: "3 Comments" leading to them, "Leave a comment" leading to
the box, nothing when comments are closed and there are none."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from comments.models import Comment

pytestmark = pytest.mark.django_db


def summary_of(page: str, article) -> str:
    start = page.index(f'<a href="{article.get_absolute_url()}" rel="bookmark">')
    return page[start : page.index("</article>", start)]


def test_the_front_page_counts_what_readers_see_of_each_articles_comments(client, article, make_comment):
    shown = make_comment(article=article)
    make_comment(article=article, parent=shown)
    make_comment(article=article, status=Comment.Status.PENDING)
    spam = make_comment(article=article, status=Comment.Status.SPAM)
    make_comment(article=article, parent=spam)  # approved, but hidden with the spam above it
    summary = summary_of(client.get("/").text, article)
    assert f'<a class="comments-link" href="{article.get_absolute_url()}#comments">2 Comments' in summary
    assert '<span class="visually-hidden"> on “Hemifacial spasm”</span>' in summary


def test_one_comment_is_said_in_the_singular(client, article, make_comment):
    make_comment(article=article)
    assert ">1 Comment<" in summary_of(client.get("/").text, article)


def test_an_article_without_comments_invites_one_unless_they_are_closed(client, article):
    assert f'href="{article.get_absolute_url()}#respond">Leave a comment<' in summary_of(client.get("/").text, article)
    article.comments_open = False
    article.save()
    assert "comments-link" not in summary_of(client.get("/").text, article)


def test_the_archives_count_them_too(client, article, make_comment, category):
    article.categories.add(category)
    make_comment(article=article)
    assert ">1 Comment<" in summary_of(client.get(category.get_absolute_url()).text, article)


def test_the_counts_of_a_whole_list_are_read_at_once(client, make_article, make_comment):
    def queries_of_the_front_page() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/").status_code == 200
        return len(queries)

    make_comment(article=make_article(title="The first"))
    queries_of_the_front_page()  # what the site reads once for every page (its settings) is read
    one = queries_of_the_front_page()
    for number in range(4):
        make_comment(article=make_article(title=f"Another {number}"))
    assert queries_of_the_front_page() == one
