"""A comment sent again (a second click, a retry once the box gave its button back, Back and send): its writer is led
to the comment they sent, as after posting it; nobody is shown another reader's held comment."""

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from comments.models import Comment
from comments.tokens import HELD_COMMENTS_COOKIE

pytestmark = pytest.mark.django_db

Status = Comment.Status
SAID = "Is surgery risky for hemifacial spasm?"
DUPLICATE = "Duplicate comment detected; it looks as though you’ve already said that!"
SENT_ALREADY = "You sent this comment already."


def leads_on_to(page: str, comment: Comment) -> bool:
    """Whether the page's message, where its reader lands (#messages), leads on to the comment."""
    return f'<a href="#comment-{comment.pk}">Go to your comment</a>' in page


def test_a_guest_whose_answer_was_lost_is_led_to_their_held_comment_when_they_send_it_again(seed_article, post_comment):
    # The first answer, with the cookie that shows the held comment to its writer, never reached the browser: a
    # second click replaced it (JavaScript off), or the reader sent again once the box gave its button back.
    post_comment(Client(), seed_article, comment=SAID)
    held = Comment.objects.get()
    browser = Client()

    response = post_comment(browser, seed_article, comment=SAID)

    assert response.status_code == 302
    assert response["Location"].endswith(f"{seed_article.get_absolute_url()}#messages")
    page = browser.get(response["Location"]).text
    assert f'id="comment-{held.pk}"' in page
    assert leads_on_to(page, held)
    assert "Your comment is awaiting moderation." in page
    assert SENT_ALREADY in page
    # Known by the address and browser alone, which a household or an office shares: not given Edit and Delete.
    assert f"/comments/{held.pk}/edit/" not in page
    assert Comment.objects.count() == 1


def test_a_guest_whose_browser_posted_the_held_comment_is_led_to_it_from_another_network_later(
    seed_article, post_comment
):
    browser = Client()
    post_comment(browser, seed_article, comment=SAID)
    held = Comment.objects.get()
    Comment.objects.filter(pk=held.pk).update(created_at=timezone.now() - datetime.timedelta(days=1))

    response = post_comment(browser, seed_article, comment=SAID, ip="198.51.100.20")

    assert response.status_code == 302
    assert response["Location"].endswith("#messages")
    assert leads_on_to(browser.get(response["Location"]).text, held)


def test_a_member_sending_their_held_comment_again_is_led_to_it(client, seed_article, post_comment, make_user):
    client.force_login(make_user())
    post_comment(client, seed_article, comment=SAID, ip="198.51.100.1")
    held = Comment.objects.get()
    assert held.status == Status.PENDING

    response = post_comment(client, seed_article, comment=SAID, ip="203.0.113.50", follow=True)

    assert response.redirect_chain[-1][0].endswith("#messages")
    assert leads_on_to(response.text, held)
    assert "Your comment is awaiting moderation." in response.text
    assert SENT_ALREADY in response.text


def test_a_published_comment_sent_again_leads_to_it(seed_article, post_comment, make_comment):
    published = make_comment(
        article=seed_article, body=SAID, author_email="reader@example.com", ip_address="198.51.100.9"
    )

    browser = Client()
    response = post_comment(browser, seed_article, comment=SAID)

    assert response.status_code == 302
    assert response["Location"].endswith("#messages")
    assert leads_on_to(browser.get(response["Location"]).text, published)
    assert Comment.objects.count() == 1


@pytest.mark.parametrize(
    ("earlier", "status"),
    [
        ({"ip_address": "198.51.100.9"}, Status.PENDING),
        ({"user_agent": "Another browser/1.0"}, Status.PENDING),
        ({"created_at": timezone.now() - datetime.timedelta(minutes=11)}, Status.PENDING),
        ({}, Status.SPAM),
    ],
    ids=["from another network", "from another browser", "sent long before", "marked as spam"],
)
def test_a_comment_not_shown_to_this_reader_stays_hidden_when_its_words_and_email_are_sent_again(
    seed_article, post_comment, make_comment, earlier, status
):
    # Whoever knows a guest's email and their words must not be shown their held comment, nor a spammer told where
    # their spam went.
    fields = {"ip_address": "203.0.113.7", "user_agent": "Mozilla/5.0 (test)", **earlier}
    hidden = make_comment(article=seed_article, body=SAID, author_email="reader@example.com", status=status, **fields)

    response = post_comment(Client(), seed_article, comment=SAID)

    assert response.status_code == 400
    assert DUPLICATE in response.text
    assert f"comment-{hidden.pk}" not in response.text
    assert HELD_COMMENTS_COOKIE not in response.cookies
    assert Comment.objects.count() == 1


def test_a_guest_known_by_address_and_browser_alone_is_not_given_edit_and_delete_by_sending_the_comment_once_more(
    seed_article, post_comment
):
    # Shown the held comment by the address and browser (which a household or an office shares), the neighbour had
    # its cookie; sent once more, the comment was taken for one this browser posted, and given its Edit and Delete.
    post_comment(Client(), seed_article, comment=SAID)
    held = Comment.objects.get()
    neighbour = Client()
    post_comment(neighbour, seed_article, comment=SAID)

    response = post_comment(neighbour, seed_article, comment=SAID)

    assert response["Location"].endswith("#messages")
    page = neighbour.get(response["Location"]).text
    assert leads_on_to(page, held)
    assert "Your comment is awaiting moderation." in page
    assert f"/comments/{held.pk}/edit/" not in page
    assert neighbour.get(f"/comments/{held.pk}/edit/").status_code == 403
