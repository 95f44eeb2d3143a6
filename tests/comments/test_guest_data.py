"""A guest's own data: asked for by email address, downloaded or erased through the emailed link."""

import datetime
import json
import re
import time
from unittest import mock

import pytest
from django.urls import reverse
from django.utils import timezone

from comments.models import Comment, GuestDataRequest
from comments.services import guest_data_erase
from comments.subscriptions.models import Subscription
from config.email import absolute_url

pytestmark = pytest.mark.django_db

ASK = "/comments/your-data/"


def link_in(message) -> str:
    return re.search(r"https?://[^/\s]+(/comments/your-data/[^\s]+/)", message.body).group(1)


@pytest.fixture
def ask(client, committed):
    def asking(email="rita@example.com", ip="203.0.113.7"):
        with committed():  # the email's task is queued with the request it sends the link of
            return client.post(ASK, {"email": email}, REMOTE_ADDR=ip)

    return asking


@pytest.fixture
def ritas(seed_article, make_comment):
    """Rita's comments as a guest: one published (with a reply by someone else), one held, and a subscription."""
    published = make_comment(
        article=seed_article,
        author_name="Rita",
        author_email="rita@example.com",
        body="Botox helped me.",
        ip_address="198.51.100.4",
    )
    make_comment(article=seed_article, parent=published, author_name="Sam", body="Me too.")
    make_comment(
        article=seed_article,
        author_name="Rita",
        author_email="rita@example.com",
        body="Held words.",
        status=Comment.Status.PENDING,
    )
    Subscription.objects.create(email="rita@example.com", topic=Subscription.Topic.COMMENTS, article=seed_article)
    return published


def test_every_page_links_to_the_guests_data_page(client, seed_article):
    text = client.get(seed_article.get_absolute_url()).text
    assert f'<a href="{ASK}">Your comments’ data</a>' in text


def test_a_guest_is_emailed_a_link_that_shows_what_their_address_holds(ask, client, ritas, mailoutbox):
    response = ask(email="Rita@Example.com")
    assert "a link to them is on its way to that address. It works for 24 hours." in response.text
    [message] = mailoutbox
    assert message.to == ["rita@example.com"]
    assert message.subject == "[Leave a Reply] Your comments’ data"
    assert "rita@example.com" not in link_in(message)  # the link names a request, not the address (server logs)
    page = client.get(link_in(message)).text
    assert "Written or asked for with rita@example.com without an account:" in page
    assert "1 published comment</li>" in page
    assert "1 comment not published</li>" in page
    assert "1 email subscription</li>" in page


def test_the_form_answers_the_same_for_an_address_with_nothing_here_and_sends_nothing(ask, client, ritas, mailoutbox):
    known, unknown = ask(), ask(email="nobody@example.com", ip="203.0.113.8")
    assert unknown.text.replace("nobody@example.com", "rita@example.com") == known.text
    assert [message.to for message in mailoutbox] == [["rita@example.com"]]


def test_a_members_comments_are_not_a_guests_to_ask_for(ask, client, seed_article, make_comment, reader, mailoutbox):
    make_comment(article=seed_article, user=reader, author_email=reader.email)
    ask(email=reader.email)
    assert mailoutbox == []


def test_the_download_holds_every_comment_of_the_address_with_its_ip_address(ask, client, ritas, mailoutbox):
    ask()
    response = client.post(link_in(mailoutbox[0]), {"action": "download"})
    assert response["Content-Disposition"].startswith('attachment; filename="comments-data-')
    data = json.loads(response.content)
    assert data["email"] == "rita@example.com"
    assert [(c["comment"], c["status"]) for c in data["comments"]] == [
        ("Botox helped me.", "approved"),
        ("Held words.", "pending"),
    ]
    assert data["comments"][0]["ip_address"] == "198.51.100.4"
    assert [s["email"] for s in data["subscriptions"]] == ["rita@example.com"]
    assert "Me too." not in response.text  # Sam's reply is Sam's


def test_erasing_keeps_published_comments_as_anonymous_and_ends_the_link(ask, client, ritas, seed_article, mailoutbox):
    ask()
    link = link_in(mailoutbox[0])
    refused = client.post(link, {"action": "erase"})
    assert "Tick the box to confirm that you want to erase your data." in refused.text
    assert Comment.objects.filter(author_email="rita@example.com").count() == 2  # nothing erased yet
    erased = client.post(link, {"action": "erase", "confirm": "on"}, follow=True)
    assert "Your data is erased. 1 published comment stays, signed “Anonymous”." in erased.text
    ritas.refresh_from_db()
    assert (ritas.author_name, ritas.author_email, ritas.ip_address) == ("Anonymous", "", None)
    assert not Comment.objects.filter(body="Held words.").exists()
    assert Comment.objects.filter(body="Me too.", author_name="Sam").exists()
    assert not Subscription.objects.exists()
    assert not GuestDataRequest.objects.exists()
    page = client.get(seed_article.get_absolute_url()).text
    assert "Botox helped me." in page and ">Rita<" not in page
    used = client.get(link)
    assert used.status_code == 410
    assert "Nothing is left to show at this link: the data was erased, or the link expired." in used.text


def test_a_link_older_than_a_day_or_altered_is_refused(ask, client, ritas, mailoutbox):
    with mock.patch("django.core.signing.time.time", return_value=time.time() - 25 * 3600):
        ask()  # the link is signed a day and an hour ago
    link = link_in(mailoutbox[0])
    assert client.get(link[:-5] + "xxxx/").status_code == 400
    expired = client.get(link)
    assert expired.status_code == 410
    assert "This link has expired: it works for 24 hours. Ask for a new one." in expired.text
    assert client.post(link, {"action": "download"}).status_code == 410


def test_asking_again_and_again_is_limited_per_address_from_a_network(ask, ritas, mailoutbox):
    for _ in range(3):
        assert ask().status_code == 200
    refused = ask()
    assert refused.status_code == 429
    assert "rita@example.com" in refused.text  # what was typed is given back
    assert len(mailoutbox) == 3
    # Someone else using up the address's asks does not lock its owner out: Rita asks from her own network.
    assert ask(ip="198.51.100.4").status_code == 200
    assert len(mailoutbox) == 4


def test_asking_for_many_addresses_is_limited_per_network(ask, ritas, mailoutbox):
    for number in range(10):
        assert ask(email=f"someone{number}@example.com").status_code == 200
    assert ask().status_code == 429
    assert mailoutbox == []  # none of them had anything here
    assert ask(ip="198.51.100.4").status_code == 200


def test_a_bad_address_is_said_and_kept(ask, client):
    response = ask(email="rita at example")
    assert "Please enter a valid email address, like name@example.com." in response.text
    assert 'value="rita at example"' in response.text
    assert "<title>Error: Your comments’ data – " in response.text


def test_expired_requests_are_cleared_when_the_next_is_made(ask, ritas):
    ask()
    with mock.patch("django.utils.timezone.now", return_value=timezone.now() + datetime.timedelta(hours=25)):
        ask(email="sam@example.com")
    assert list(GuestDataRequest.objects.values_list("email", flat=True)) == []  # Sam has nothing here either


def test_a_link_emailed_late_still_ends_a_day_after_the_asking(ask, client, ritas, mailoutbox):
    ask()
    # As if the queue had sent the email only now, a day and an hour after the asking.
    GuestDataRequest.objects.update(created_at=timezone.now() - datetime.timedelta(hours=25))
    expired = client.get(link_in(mailoutbox[0]))
    assert expired.status_code == 410
    assert "This link has expired: it works for 24 hours." in expired.text


def test_a_second_erase_of_the_same_request_finds_nothing_to_do(ask, ritas, mailoutbox):
    ask()
    asked = GuestDataRequest.objects.get()
    assert guest_data_erase(asked) == 1
    assert guest_data_erase(asked) is None


def test_erasing_a_guests_address_leaves_what_a_member_wrote_with_it(ask, client, ritas, reader, mailoutbox):
    assert ritas.author_email == reader.email  # Rita also commented signed out, with her account's address
    signed_in = Comment.objects.create(
        article=ritas.article, user=reader, author_name="Rita Reader", author_email=reader.email, body="Signed in."
    )
    ask(email=reader.email)
    client.post(link_in(mailoutbox[0]), {"action": "erase", "confirm": "on"})
    signed_in.refresh_from_db()
    assert (signed_in.user, signed_in.author_name) == (reader, "Rita Reader")
    ritas.refresh_from_db()
    assert ritas.author_name == "Anonymous"


def test_the_guest_pages_are_never_kept_by_a_shared_cache(ask, client, ritas, mailoutbox):
    assert reverse("comments:guest-data-ask") == ASK
    ask()
    for response in (client.get(ASK), client.get(link_in(mailoutbox[0]))):
        assert "no-store" in response["Cache-Control"]
        assert "public" not in response["Cache-Control"]


def test_the_download_gives_each_comments_full_address(ask, client, ritas, mailoutbox):
    ask()
    data = json.loads(client.post(link_in(mailoutbox[0]), {"action": "download"}).content)
    assert data["comments"][0]["url"] == absolute_url(f"/comments/{ritas.pk}/")  # read away from the site
    assert data["comments"][0]["url"].startswith("http")
