"""A commenter's name written right to left (Hebrew, Arabic) leaves the line it stands on in order: found by QA, such a
name took the date or the words beside it into its own direction ("Leave a Reply to", a number after it read from
the right). Wherever a name is shown in HTML, it is isolated (<bdi>), as a comment's own words are shown in their
writer's direction (dir="auto")."""

import pytest
from django.urls import reverse

from comments.admin import block_form_url
from comments.models import Comment
from comments.services import comment_moderate
from comments.subscriptions.models import Subscription
from comments.subscriptions.notices import send_comment_to_subscribers
from comments.tokens import moderation_path
from tests.pages import body

pytestmark = pytest.mark.django_db

HEBREW = "שרה כהן 2"
ARABIC = "سارة"


@pytest.fixture(params=[0, 600], ids=["thread rendered", "thread kept"])
def kept_thread(request, settings):
    settings.PAGE_CACHE_SECONDS = request.param


@pytest.mark.usefixtures("kept_thread")
def test_a_name_in_the_thread_is_isolated_from_the_date_beside_it(client, seed_article, make_comment):
    make_comment(article=seed_article, author_name=HEBREW)
    make_comment(article=seed_article, author_name=ARABIC, author_url="https://example.org/")
    page = body(client.get(seed_article.get_absolute_url()))
    assert f'<bdi class="comment-author">{HEBREW}</bdi>' in page
    linked = f'<a href="https://example.org/" rel="external nofollow ugc">{ARABIC}</a>'
    assert f'<bdi class="comment-author">{linked}</bdi>' in page


def test_the_box_answering_a_comment_isolates_its_writers_name(client, seed_article, make_comment):
    answered = make_comment(article=seed_article, author_name=HEBREW)
    page = client.get(seed_article.get_absolute_url(), {"replytocom": answered.pk}).text
    assert f'<span class="reply-title-text">Leave a Reply to <bdi>{HEBREW}</bdi></span>' in page
    # What the box says when Reply moves it under a comment without a page load (static/js/comments.js).
    assert '<template id="reply-title-to">Leave a Reply to <bdi></bdi></template>' in page


def test_a_signed_in_readers_name_in_the_box_is_isolated(client, seed_article, make_user):
    client.force_login(make_user(display_name=ARABIC))
    assert f"<strong><bdi>{ARABIC}</bdi></strong>" in client.get(seed_article.get_absolute_url()).text


def test_the_moderators_and_the_authors_emails_isolate_the_name(
    client, article, moderator, post_comment, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        post_comment(client, article, name=HEBREW)
    (held,) = mailoutbox
    assert f"<td><bdi>{HEBREW}</bdi></td>" in held.alternatives[0][0]
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        comment_moderate(comment=Comment.objects.get(), action="approve", by=moderator)
    (published,) = mailoutbox
    assert f"<strong><bdi>{HEBREW}</bdi></strong>" in published.alternatives[0][0]


@pytest.mark.parametrize("topic", [Subscription.Topic.COMMENTS, Subscription.Topic.REPLIES])
def test_the_subscribers_emails_isolate_the_name(article, make_comment, mailoutbox, topic):
    answered = make_comment(article=article)
    Subscription.objects.create(
        email="follower@example.com",
        topic=topic,
        article=article,
        comment=answered if topic == Subscription.Topic.REPLIES else None,
        status=Subscription.Status.CONFIRMED,
    )
    reply = make_comment(article=article, parent=answered, author_name=ARABIC)
    send_comment_to_subscribers.call(comment_id=reply.pk)
    (message,) = mailoutbox
    assert f"<p><bdi>{ARABIC}</bdi> " in message.alternatives[0][0]


def test_the_report_and_moderation_pages_isolate_the_name(client, article, make_comment, moderator):
    comment = make_comment(article=article, author_name=HEBREW)
    report = client.get(reverse("comments:report", args=[comment.pk])).text
    assert f"The comment by <bdi>{HEBREW}</bdi> on" in report
    confirm = client.get(moderation_path(comment, action="trash", moderator=moderator)).text
    assert f'<p class="byline"><bdi>{HEBREW}</bdi> on' in confirm


def test_the_admin_isolates_the_name(admin_client, article, make_comment):
    comment = make_comment(article=article, author_name=ARABIC)
    listed = admin_client.get(reverse("admin:comments_comment_changelist")).text
    assert f"<bdi>{ARABIC}</bdi><br>" in listed
    answering = admin_client.get(reverse("admin:comments_comment_reply", args=[comment.pk])).text
    assert f"Comment by <bdi>{ARABIC}</bdi>" in answering
    block = admin_client.get(block_form_url(comment, {"email": comment.author_email})).text
    assert f"Block <bdi>{ARABIC}</bdi>, the writer" in block
