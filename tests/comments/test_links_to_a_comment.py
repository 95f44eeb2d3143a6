"""Every link that leads to a comment, or to a page of comments, leads where the comment is: from a comment sent back
rejected (a page at the address it was sent to), after editing or deleting it, from its report page, by its permalink.
Found by an exploratory review; WordPress's links are whole permalinks with the comment page (get_comment_link)."""

import datetime
import re
from urllib.parse import urljoin

import pytest
from django.test import Client
from django.utils import timezone

from comments.models import Comment, DiscussionSettings

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_per_page():
    DiscussionSettings.objects.update_or_create(
        pk=1, defaults={"comments_per_page": 2, "require_previous_approval": False}
    )


def comments_in_order(make_comment, article, count: int) -> list[Comment]:
    """`count` approved comments a minute apart, by Person 0, Person 1…: two to a page, the last on page 2."""
    start = timezone.now() - datetime.timedelta(hours=5)
    made = []
    for number in range(count):
        comment = make_comment(article=article, author_name=f"Person {number}")
        Comment.objects.filter(pk=comment.pk).update(created_at=start + datetime.timedelta(minutes=number))
        made.append(comment)
    return made


def followed(response, pattern: str) -> str:
    """The address a link of the response's page leads to, as a browser reads it from that page's address."""
    href = re.search(pattern, response.text).group(1).replace("&amp;", "&")
    return urljoin(f"http://testserver{response.wsgi_request.path}", href).removeprefix("http://testserver")


def test_the_links_of_a_page_sent_back_with_a_rejected_comment_lead_to_the_article(
    client, article, make_comment, post_comment, two_per_page
):
    first = comments_in_order(make_comment, article, 3)[0]
    refused = post_comment(client, article, name="")  # shown at /comments/post/ID/, no page of its own
    assert refused.status_code == 400
    newer = followed(refused, r'<a href="([^"]*)" rel="next">Newer comments</a>')
    reply = followed(refused, rf'class="comment-reply-link" rel="nofollow" href="([^"]*replytocom={first.pk}[^"]*)"')
    assert newer == f"{article.get_absolute_url()}?cpage=2#comments"
    assert reply == f"{article.get_absolute_url()}?replytocom={first.pk}#respond"
    assert "Person 2" in Client().get(newer).text
    assert "Leave a Reply to <bdi>Person 0</bdi>" in Client().get(reply).text


def test_cancel_reply_on_a_later_page_of_comments_stays_on_it(client, article, make_comment, two_per_page):
    last = comments_in_order(make_comment, article, 3)[2]
    page = client.get(article.get_absolute_url(), {"cpage": 2, "replytocom": last.pk})
    assert "Leave a Reply to <bdi>Person 2</bdi>" in page.text
    cancel = followed(page, r'id="cancel-comment-reply-link" rel="nofollow" href="([^"]*)"')
    assert cancel == f"{article.get_absolute_url()}?cpage=2#respond"


def test_a_rejected_reply_to_a_comment_on_a_later_page_still_says_whom_it_answers(
    client, article, make_comment, post_comment, two_per_page
):
    answered = comments_in_order(make_comment, article, 3)[2]
    refused = post_comment(client, article, parent=str(answered.pk), name="", comment="Same here, Person 2.")
    assert refused.status_code == 400
    assert f'name="parent" value="{answered.pk}"' in refused.text
    assert '<span class="reply-title-text">Leave a Reply to <bdi>Person 2</bdi></span>' in refused.text
    assert f'id="comment-{answered.pk}"' in refused.text  # its page of comments: the box is shown under it
    assert 'id="cancel-comment-reply-link" rel="nofollow" href="' in refused.text
    assert "hidden>Cancel reply" not in refused.text
    assert "Same here, Person 2." in refused.text


def test_after_editing_a_comment_on_a_later_page_its_writer_lands_where_it_is(
    client, article, make_comment, post_comment, two_per_page
):
    comments_in_order(make_comment, article, 2)
    posted = post_comment(client, article, comment="My first words.")
    mine = Comment.objects.latest("pk")
    assert posted["Location"].endswith(f"?cpage=2#comment-{mine.pk}")
    edit_page = client.get(f"/comments/{mine.pk}/edit/")
    assert f'href="{article.get_absolute_url()}?cpage=2#comment-{mine.pk}"' in edit_page.text
    edited = client.post(f"/comments/{mine.pk}/edit/", {"comment": "My corrected words."})
    # At the message saying it is updated, which leads on to the comment, on its page.
    assert edited["Location"] == f"{article.get_absolute_url()}?cpage=2#messages"
    page = client.get(edited["Location"]).text
    assert f'<a href="#comment-{mine.pk}">Go to your comment</a>' in page
    assert "My corrected words." in page


def test_after_deleting_a_comment_on_a_later_page_its_writer_lands_on_that_page(
    client, article, make_comment, post_comment, two_per_page
):
    comments_in_order(make_comment, article, 3)
    post_comment(client, article, comment="My first words.")
    mine = Comment.objects.latest("pk")
    deleted = client.post(f"/comments/{mine.pk}/delete/")
    # At the message saying it is deleted, on the page of comments it was on (with Person 2), not the first.
    assert deleted["Location"] == f"{article.get_absolute_url()}?cpage=2#messages"
    page = client.get(deleted["Location"]).text
    assert "Your comment is deleted." in page
    assert "Person 2" in page and "Person 0" not in page


def test_the_report_page_leads_back_to_the_comments_page(article, make_comment, two_per_page):
    last = comments_in_order(make_comment, article, 3)[-1]
    page = Client().get(f"/comments/{last.pk}/report/")
    back = f"{article.get_absolute_url()}?cpage=2#comment-{last.pk}"
    assert f'<a href="{back}">Back to the article' in page.text


def test_the_permalink_of_a_reply_taken_off_the_page_with_the_comment_above_it_is_not_found(article, make_comment):
    parent = make_comment(article=article)
    reply = make_comment(article=article, parent=parent)
    assert Client().get(f"/comments/{reply.pk}/").status_code == 302
    Comment.objects.filter(pk=parent.pk).update(status=Comment.Status.PENDING)
    assert Client().get(f"/comments/{reply.pk}/").status_code == 404


def test_the_permalink_of_a_readers_own_held_reply_follows_what_their_page_shows(
    client, article, make_comment, post_comment
):
    DiscussionSettings.objects.update_or_create(pk=1, defaults={"require_previous_approval": True})
    parent = make_comment(article=article, author_name="Person P")
    post_comment(client, article, parent=str(parent.pk), comment="My held reply.")
    mine = Comment.objects.get(body="My held reply.")
    assert client.get(f"/comments/{mine.pk}/")["Location"] == f"{article.get_absolute_url()}#comment-{mine.pk}"
    assert Client().get(f"/comments/{mine.pk}/").status_code == 404  # held: not another reader's to see
    Comment.objects.filter(pk=parent.pk).update(status=Comment.Status.SPAM)
    assert "My held reply." not in client.get(article.get_absolute_url()).text
    assert client.get(f"/comments/{mine.pk}/").status_code == 404
