import datetime
import re

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from comments.models import Comment, DiscussionSettings
from tests.pages import body

pytestmark = pytest.mark.django_db

TOO_DEEP = "This conversation cannot go any deeper: reply to an earlier comment."


def thread_depth(levels: int) -> None:
    DiscussionSettings.objects.update_or_create(pk=1, defaults={"thread_depth": levels})


def chain(make_comment, article, length: int) -> list[Comment]:
    """A top-level comment and its replies, each answering the one before."""
    comments = [make_comment(article=article)]
    for _ in range(length - 1):
        comments.append(make_comment(article=article, parent=comments[-1]))
    return comments


def test_a_reply_is_one_level_below_its_parent_in_the_same_thread(client, seed_article, post_comment, make_comment):
    top, second = chain(make_comment, seed_article, 2)
    assert post_comment(client, seed_article, parent=str(second.pk)).status_code == 302
    reply = Comment.objects.get(parent=second)
    assert (reply.depth, reply.thread) == (3, top)


def test_a_reply_to_a_comment_at_the_deepest_level_is_refused(client, seed_article, post_comment, make_comment):
    thread_depth(3)
    deepest = chain(make_comment, seed_article, 3)[-1]
    response = post_comment(client, seed_article, parent=str(deepest.pk))
    assert response.status_code == 400
    assert TOO_DEEP in response.text
    assert not Comment.objects.filter(parent=deepest).exists()


def test_a_reply_refused_as_too_deep_is_given_back_as_a_comment_on_the_article_and_posts_so(
    client, seed_article, post_comment, make_comment
):
    # The page was opened, or kept by a cache, before the site owner lowered the depth.
    DiscussionSettings.objects.update_or_create(pk=1, defaults={"require_previous_approval": False})
    thread_depth(2)
    deepest = chain(make_comment, seed_article, 2)[-1]
    refused = post_comment(client, seed_article, parent=str(deepest.pk), comment="My deep words")
    assert refused.status_code == 400
    assert TOO_DEEP in refused.text
    assert '<span class="reply-title-text">Leave a Reply</span>' in refused.text
    parent = re.search(r'<input type="hidden" name="parent"[^>]*>', refused.text).group(0)
    assert "value=" not in parent  # as the box says: no longer a reply
    again = post_comment(client, seed_article, parent="", comment="My deep words")
    assert again.status_code == 302
    assert Comment.objects.get(body="My deep words").parent is None


def test_with_threading_off_no_reply_is_accepted(client, seed_article, post_comment, make_comment):
    thread_depth(1)
    top = make_comment(article=seed_article)
    response = post_comment(client, seed_article, parent=str(top.pk))
    assert TOO_DEEP in response.text
    assert Comment.objects.count() == 1
    assert post_comment(client, seed_article, comment="On the article itself.").status_code == 302


def test_the_page_shows_the_stored_depth(client, seed_article, make_comment):
    top, second, third = chain(make_comment, seed_article, 3)
    text = client.get(seed_article.get_absolute_url()).text
    assert f'id="comment-{third.pk}" class="comment depth-3' in text


def test_a_reply_stamped_earlier_than_its_parent_is_still_shown_under_it(client, seed_article, make_comment):
    # The two were saved by hosts whose clocks disagree.
    now = timezone.now()
    top = make_comment(article=seed_article, body="The question.", created_at=now - datetime.timedelta(minutes=5))
    parent = make_comment(article=seed_article, parent=top, body="An answer.", created_at=now)
    make_comment(
        article=seed_article,
        parent=parent,
        body="Thanks for the answer.",
        created_at=now - datetime.timedelta(minutes=1),
    )
    text = body(client.get(seed_article.get_absolute_url()))
    assert "Thanks for the answer." in text
    assert text.index(f'id="comment-{parent.pk}"') < text.index("Thanks for the answer.")


@pytest.mark.parametrize(
    "place",
    [
        {"depth": 2},  # a comment on the article, but one level down
        {"parent": "top", "depth": 2},  # a reply outside any thread
        {"parent": "top", "thread": "top", "depth": 1},  # a reply at the top level
    ],
)
def test_the_database_refuses_a_comment_out_of_its_place_in_a_thread(seed_article, make_comment, place):
    top = make_comment(article=seed_article)
    fields = {key: top if value == "top" else value for key, value in place.items()}
    with pytest.raises(IntegrityError), transaction.atomic():
        Comment.objects.create(article=seed_article, author_name="X", body="x", body_html="x", **fields)
