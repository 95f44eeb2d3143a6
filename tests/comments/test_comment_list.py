import datetime

import pytest
from django.utils import timezone
from django.utils.http import urlencode

from accounts.avatars import avatar_token
from comments.models import Comment, DiscussionSettings
from comments.threads import comment_page_url
from tests.pages import body

pytestmark = pytest.mark.django_db


@pytest.fixture(params=[0, 600], ids=["thread rendered", "thread kept"])
def kept_thread(request, settings):
    """The test runs with the rendered thread kept in the cache, and without (each page is read once)."""
    settings.PAGE_CACHE_SECONDS = request.param


def page(client, article, **params):
    return body(client.get(article.get_absolute_url(), params))


def test_heading_counts_approved_comments_only(client, seed_article, make_comment):
    assert "thoughts on" not in page(client, seed_article)
    make_comment(article=seed_article)
    assert "One thought on “hemifacial spasm”" in page(client, seed_article)
    make_comment(article=seed_article)
    make_comment(article=seed_article, status=Comment.Status.PENDING)
    make_comment(article=seed_article, status=Comment.Status.SPAM)
    assert "2 thoughts on “hemifacial spasm”" in page(client, seed_article)


@pytest.mark.usefixtures("kept_thread")
def test_comments_are_shown_oldest_first(client, seed_article, make_comment):
    now = timezone.now()
    make_comment(article=seed_article, body="Second said.", created_at=now - datetime.timedelta(hours=1))
    make_comment(article=seed_article, body="First said.", created_at=now - datetime.timedelta(hours=2))
    text = page(client, seed_article)
    assert text.index("First said.") < text.index("Second said.")


@pytest.mark.usefixtures("kept_thread")
def test_replies_are_nested_under_their_parent(client, seed_article, make_comment):
    parent = make_comment(article=seed_article, body="Parent words.")
    reply = make_comment(article=seed_article, parent=parent, body="Reply words.")
    text = page(client, seed_article)
    parent_item = text.index(f'id="comment-{parent.pk}"')
    children = text.index('<ol class="children">', parent_item)
    assert children < text.index(f'id="comment-{reply.pk}"')
    assert 'class="comment depth-2' in text


@pytest.mark.usefixtures("kept_thread")
def test_reply_link_is_offered_until_the_thread_depth(client, seed_article, make_comment):
    DiscussionSettings.objects.update_or_create(pk=1, defaults={"thread_depth": 2})
    top = make_comment(article=seed_article)
    second = make_comment(article=seed_article, parent=top)
    text = page(client, seed_article)
    assert f"replytocom={top.pk}" in text
    assert f"replytocom={second.pk}" not in text


@pytest.mark.usefixtures("kept_thread")
def test_author_name_links_to_their_website_with_nofollow_ugc(client, seed_article, make_comment):
    make_comment(article=seed_article, author_name="Rita", author_url="https://rita.example/")
    assert '<a href="https://rita.example/" rel="external nofollow ugc">Rita</a>' in page(client, seed_article)


def test_names_are_escaped_and_emails_never_published(client, seed_article, make_comment):
    make_comment(article=seed_article, author_name="<script>alert(1)</script>", author_email="secret@example.com")
    text = page(client, seed_article)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text
    assert "secret@example.com" not in text


def test_date_links_to_the_comment_permalink(client, seed_article, make_comment):
    comment = make_comment(article=seed_article)
    assert f'<a class="comment-date" href="#comment-{comment.pk}">' in page(client, seed_article)
    response = client.get(comment.get_absolute_url())
    assert response["Location"] == f"{seed_article.get_absolute_url()}#comment-{comment.pk}"


def test_avatars_are_drawn_here_from_a_keyed_hash_of_the_email(client, seed_article, make_comment):
    make_comment(article=seed_article, author_email="Rita@Example.com")
    text = page(client, seed_article)
    token = avatar_token("rita@example.com")
    assert f'src="/avatars/{token}.svg"' in text
    assert "gravatar" not in text
    svg = client.get(f"/avatars/{token}.svg")
    assert svg["Content-Type"] == "image/svg+xml"
    assert svg.content.startswith(b"<svg")
    assert b"<script" not in svg.content
    assert client.get("/avatars/not-a-token.svg").status_code == 404


def test_gravatar_only_when_the_site_owner_turns_it_on(client, seed_article, make_comment):
    DiscussionSettings.objects.update_or_create(pk=1, defaults={"use_gravatar": True})
    make_comment(article=seed_article)
    response = client.get(seed_article.get_absolute_url())
    assert "https://secure.gravatar.com/avatar/" in response.text
    assert "https://secure.gravatar.com" in response["Content-Security-Policy"]


@pytest.mark.usefixtures("kept_thread")
def test_top_level_threads_are_paginated_past_the_per_page_setting(client, seed_article, make_comment):
    DiscussionSettings.objects.update_or_create(pk=1, defaults={"comments_per_page": 2})
    start = timezone.now() - datetime.timedelta(days=1)
    threads = [
        make_comment(article=seed_article, body=f"Thread {n}.", created_at=start + datetime.timedelta(minutes=n))
        for n in range(3)
    ]
    make_comment(article=seed_article, parent=threads[0], body="Reply on page one.")
    first = page(client, seed_article)
    assert "Thread 0." in first and "Thread 1." in first and "Reply on page one." in first
    assert "Thread 2." not in first
    assert "Comments page 1 of 2" in first
    second = page(client, seed_article, cpage=2)
    assert "Thread 2." in second and "Thread 0." not in second
    assert client.get(threads[2].get_absolute_url())["Location"].endswith(f"?cpage=2#comment-{threads[2].pk}")


def test_each_comment_links_to_the_page_of_its_thread(seed_article, make_comment):
    DiscussionSettings.objects.update_or_create(pk=1, defaults={"comments_per_page": 2})
    start = timezone.now() - datetime.timedelta(days=1)
    threads = [make_comment(article=seed_article, created_at=start + datetime.timedelta(minutes=n)) for n in range(5)]
    # Written after every thread began: its page is its thread's, not the last one.
    reply = make_comment(article=seed_article, parent=threads[2], created_at=start + datetime.timedelta(hours=1))
    article_url = seed_article.get_absolute_url()
    expected = [
        f"{article_url}#comment-{threads[0].pk}",
        f"{article_url}#comment-{threads[1].pk}",
        f"{article_url}?cpage=2#comment-{threads[2].pk}",
        f"{article_url}?cpage=2#comment-{threads[3].pk}",
        f"{article_url}?cpage=3#comment-{threads[4].pk}",
        f"{article_url}?cpage=2#comment-{reply.pk}",
    ]
    assert [comment_page_url(comment, held_ids=[]) for comment in [*threads, reply]] == expected


@pytest.mark.usefixtures("kept_thread")
def test_replytocom_link_works_without_javascript(client, seed_article, make_comment):
    parent = make_comment(article=seed_article, author_name="Rita")
    text = page(client, seed_article, replytocom=parent.pk)
    assert "Leave a Reply to <bdi>Rita</bdi>" in text
    assert f'name="parent" value="{parent.pk}"' in text
    assert 'id="cancel-comment-reply-link" rel="nofollow" href="/2026/11/02/hemifacial-spasm/#respond">' in text


@pytest.mark.usefixtures("kept_thread")
def test_where_readers_must_sign_in_a_guest_is_offered_log_in_to_reply_leading_back_to_the_comment(
    client, seed_article, make_comment, make_user
):
    # Found by QA: guests saw no Reply link at all, where WordPress shows "Log in to Reply" (get_comment_reply_link).
    DiscussionSettings.objects.update_or_create(pk=1, defaults={"registration_required": True})
    answered = make_comment(article=seed_article, author_name="Rita")
    back = f"{seed_article.get_absolute_url()}?replytocom={answered.pk}#respond"
    text = page(client, seed_article)
    log_in = f"/accounts/login/?{urlencode({'next': back})}"
    assert (
        f'<p class="reply"><a class="comment-reply-login" rel="nofollow" href="{log_in}"'
        ' aria-label="Log in to reply to Rita">Log in to Reply</a></p>'
    ) in text
    assert 'class="comment-reply-link"' not in text
    # An old reply link opened by a guest: the box's own way to sign in comes back to the reply too.
    assert f'You must be <a href="{log_in}">signed in</a>' in page(client, seed_article, replytocom=answered.pk)
    reader = make_user()
    signed_in = client.post(log_in, {"login": reader.email, "password": "correct horse battery"})
    assert signed_in["Location"] == back
    assert "Log in to Reply" not in page(client, seed_article)  # the thread kept for guests is theirs alone
    assert f'name="parent" value="{answered.pk}"' in client.get(back).text


def test_replytocom_for_a_held_comment_is_ignored(client, seed_article, make_comment):
    held = make_comment(article=seed_article, status=Comment.Status.PENDING)
    assert '<span class="reply-title-text">Leave a Reply</span>' in page(client, seed_article, replytocom=held.pk)


def test_replytocom_for_a_reply_taken_off_the_page_with_the_comment_above_it_is_ignored(
    client, seed_article, make_comment
):
    top = make_comment(article=seed_article)
    held = make_comment(article=seed_article, parent=top, status=Comment.Status.PENDING)
    hidden = make_comment(article=seed_article, parent=held, author_name="Bob")
    assert '<span class="reply-title-text">Leave a Reply</span>' in page(client, seed_article, replytocom=hidden.pk)


@pytest.mark.parametrize("count", [10, 1000])
def test_the_article_page_needs_the_same_number_of_queries_whatever_the_number_of_comments(
    client, seed_article, make_user, count, django_assert_num_queries
):
    members = [make_user() for _ in range(3)]
    roots = Comment.objects.bulk_create(
        Comment(
            article=seed_article,
            author_name=f"Reader {n}",
            author_email=f"r{n}@example.com",
            body=f"Comment {n}",
            body_html=f"<p>Comment {n}</p>",
            status=Comment.Status.APPROVED,
            user=members[n % 3] if n % 2 else None,
        )
        for n in range(count // 2)
    )
    Comment.objects.bulk_create(
        Comment(
            article=seed_article,
            parent=root,
            thread=root,
            depth=2,
            author_name="Replier",
            author_email="replier@example.com",
            body="Reply",
            body_html="<p>Reply</p>",
            status=Comment.Status.APPROVED,
        )
        for root in roots
    )
    DiscussionSettings.load()
    client.get(seed_article.get_absolute_url())  # warm the site cache
    # Article with its reviewer, its categories, its tags, its references, the
    # medical disclaimer, the likes count, discussion settings, the counts of
    # approved and of top-level comments (one query), the comments of the page's
    # top-level threads with their accounts (one query, the page's threads a
    # subquery of it; read once for the thread and the structured data), and the
    # sign-in providers configured in the admin, the site's pages its footer links to, and the previous and the next
    # article (one query).
    with django_assert_num_queries(12):
        response = client.get(seed_article.get_absolute_url())
    assert response.status_code == 200
    assert f"{count} thoughts on" in response.text


@pytest.mark.usefixtures("kept_thread")
@pytest.mark.parametrize("status", [Comment.Status.PENDING, Comment.Status.SPAM, Comment.Status.TRASH])
def test_heading_leaves_out_replies_hidden_with_the_comment_above_them(client, seed_article, make_comment, status):
    shown = make_comment(article=seed_article, body="Shown words.")
    make_comment(article=seed_article, parent=shown, body="Shown reply.")
    taken_off = make_comment(article=seed_article, body="Taken off.")
    reply = make_comment(article=seed_article, parent=taken_off, body="Hidden reply.")
    make_comment(article=seed_article, parent=reply, body="Hidden reply to it.")
    Comment.objects.filter(pk=taken_off.pk).update(status=status)
    text = page(client, seed_article)
    assert "Hidden reply" not in text
    assert "2 thoughts on “hemifacial spasm”" in text  # the two readers see, not the 4 approved


@pytest.mark.usefixtures("kept_thread")
def test_heading_leaves_out_a_reply_hidden_by_a_comment_two_levels_up(client, seed_article, make_comment):
    top = make_comment(article=seed_article, body="Top words.", status=Comment.Status.PENDING)
    middle = make_comment(article=seed_article, parent=top, body="Middle words.")
    make_comment(article=seed_article, parent=middle, body="Bottom words.")
    text = page(client, seed_article)
    assert "Bottom words." not in text
    assert "thought" not in text  # no "2 thoughts" above an empty list
