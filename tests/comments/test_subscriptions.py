import re

import pytest
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.test import Client
from django.utils import timezone

from comments.models import Comment, DiscussionSettings
from comments.services import CommentRejected, RequestMeta, comment_moderate, comment_submit
from comments.subscriptions.models import Delivery, Subscription
from comments.subscriptions.notices import (
    send_comment_notice,
    send_comment_to_subscribers,
    send_subscription_confirmation,
)
from comments.subscriptions.services import subscription_request
from comments.tokens import confirm_path, unsubscribe_path

pytestmark = pytest.mark.django_db


def link(message, path_prefix: str) -> str:
    return re.search(rf"https?://[^/\s]+({re.escape(path_prefix)}\S+)", message.body).group(1)


@pytest.fixture
def subscribed(seed_article):
    """Carla confirmed she wants new comments on the seed article."""
    return Subscription.objects.create(
        email="carla@example.com", topic="comments", article=seed_article, status="confirmed"
    )


def test_ticking_notify_me_sends_a_confirmation_and_nothing_else_before_it_is_confirmed(
    client, seed_article, post_comment, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        post_comment(client, seed_article, email="Rita@Example.com", notify_comments="on", notify_posts="on")
    subscriptions = Subscription.objects.order_by("topic")
    assert [(s.email, s.topic, s.status) for s in subscriptions] == [
        ("rita@example.com", "comments", "pending"),
        ("rita@example.com", "posts", "pending"),
    ]
    assert [m.subject for m in mailoutbox] == ["[Leave a Reply] Please confirm your subscription"] * 2
    assert "/subscriptions/confirm/" in mailoutbox[0].body


def test_following_the_confirmation_link_and_pressing_the_button_confirms(
    client, seed_article, post_comment, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        post_comment(client, seed_article, notify_comments="on")
    url = link(mailoutbox[0], "/subscriptions/confirm/")
    page = Client().get(url)
    assert "Yes, subscribe me" in page.text
    assert Subscription.objects.get().status == "pending"  # a mail scanner's GET changes nothing
    done = Client().post(url)
    assert "You are subscribed" in done.text
    assert Subscription.objects.get().status == "confirmed"
    again = Client().post(url)
    assert again.status_code == 200 and Subscription.objects.get().status == "confirmed"
    # The link opened again says it is done, rather than ask a second time.
    later = Client().get(url)
    assert "You are subscribed" in later.text
    assert "Yes, subscribe me" not in later.text


def test_subscriptions_a_comment_marked_spam_asked_for_are_withdrawn_unless_confirmed(
    client, seed_article, post_comment, mailoutbox, django_capture_on_commit_callbacks, moderator
):
    Subscription.objects.create(email="victim@example.com", topic="posts", status="confirmed")
    with django_capture_on_commit_callbacks(execute=True):
        post_comment(client, seed_article, email="victim@example.com", notify_comments="on", notify_replies="on")
    [confirmation, *_] = [message for message in mailoutbox if "confirm your subscription" in message.subject]
    link_sent = link(confirmation, "/subscriptions/confirm/")
    comment_moderate(comment=Comment.objects.get(), action="mark_spam", by=moderator)
    # What the address had confirmed itself stays.
    assert list(Subscription.objects.values_list("topic", "status")) == [("posts", "confirmed")]
    refused = Client().get(link_sent)
    assert refused.status_code == 400
    assert "This confirmation link is not valid." in refused.text


def test_a_forged_confirmation_link_is_refused_clearly(client):
    response = client.get("/subscriptions/confirm/not-a-real-token/")
    assert response.status_code == 400
    assert "This confirmation link is not valid" in response.text


def test_an_expired_confirmation_link_is_refused_clearly(client, subscribed, monkeypatch):
    subscribed.status = "pending"
    subscribed.save()
    monkeypatch.setattr("comments.tokens.CONFIRM_MAX_AGE", -1)
    response = client.post(confirm_path(subscribed))
    assert response.status_code == 410
    assert "expired" in response.text
    subscribed.refresh_from_db()
    assert subscribed.status == "pending"


def test_an_unsubscribe_token_cannot_confirm(client, subscribed):
    subscribed.status = "pending"
    subscribed.save()
    token = unsubscribe_path(subscribed).split("/")[-2]
    assert client.post(f"/subscriptions/confirm/{token}/").status_code == 400


def test_a_confirmed_subscriber_gets_each_newly_approved_comment_except_their_own(
    client, seed_article, subscribed, make_comment, editor, mailoutbox, django_capture_on_commit_callbacks
):
    from comments.services import comment_moderate

    held = make_comment(article=seed_article, status=Comment.Status.PENDING, body="A question about Botox.")
    with django_capture_on_commit_callbacks(execute=True):
        comment_moderate(comment=held, action="approve", by=editor)
    to_carla = [m for m in mailoutbox if m.to == ["carla@example.com"]]
    assert len(to_carla) == 1
    assert "A question about Botox." in to_carla[0].body
    assert to_carla[0].subject == "[Leave a Reply] New comment on “hemifacial spasm”"

    own = make_comment(article=seed_article, author_email="Carla@example.com", body="My own words.")
    send_comment_to_subscribers.call(comment_id=own.pk)
    assert len([m for m in mailoutbox if m.to == ["carla@example.com"]]) == 1


def test_every_subscription_email_has_one_click_unsubscribe(seed_article, subscribed, make_comment, mailoutbox):
    comment = make_comment(article=seed_article)
    send_comment_notice.call(subscription_id=subscribed.pk, comment_id=comment.pk)
    message = mailoutbox[0]
    unsubscribe = re.search(r"<(https?://\S+)>", message.extra_headers["List-Unsubscribe"]).group(1)
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert unsubscribe in message.body
    html = message.alternatives[0][0]
    assert unsubscribe in html
    # RFC 8058: the mail provider POSTs, with no cookie and no CSRF token, and no page to confirm.
    path = re.sub(r"^https?://[^/]+", "", unsubscribe)
    response = Client(enforce_csrf_checks=True).post(path, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    subscribed.refresh_from_db()
    assert subscribed.status == "unsubscribed"


def test_an_unsubscribed_reader_gets_nothing_more(seed_article, subscribed, make_comment, mailoutbox):
    subscribed.unsubscribe()
    send_comment_notice.call(subscription_id=subscribed.pk, comment_id=make_comment(article=seed_article).pk)
    assert mailoutbox == []


def test_the_unsubscribe_page_asks_first_and_says_so_after(client, subscribed):
    url = unsubscribe_path(subscribed)
    assert "Stop sending emails about new comments on “hemifacial spasm”" in client.get(url).text
    assert "You are unsubscribed" in client.post(url).text
    assert "no longer gets emails" in client.get(url).text


def test_a_forged_unsubscribe_link_changes_nothing(client, subscribed):
    token = signing.dumps({"subscription": subscribed.pk, "action": "unsubscribe"}, salt="another salt")
    response = client.post(f"/subscriptions/unsubscribe/{token}/")
    assert response.status_code == 400
    subscribed.refresh_from_db()
    assert subscribed.status == "confirmed"


def test_running_the_same_notice_twice_sends_one_email(seed_article, subscribed, make_comment, mailoutbox):
    comment = make_comment(article=seed_article)
    send_comment_notice.call(subscription_id=subscribed.pk, comment_id=comment.pk)
    send_comment_notice.call(subscription_id=subscribed.pk, comment_id=comment.pk)
    assert len(mailoutbox) == 1
    assert Delivery.objects.get().key == f"comment:{comment.pk}"


def test_a_failed_send_is_tried_again_by_the_next_run(seed_article, subscribed, make_comment, mailoutbox, monkeypatch):
    from django.core.mail import EmailMultiAlternatives

    comment = make_comment(article=seed_article)
    original = EmailMultiAlternatives.send
    monkeypatch.setattr(EmailMultiAlternatives, "send", lambda self, *a, **k: (_ for _ in ()).throw(OSError("down")))
    with pytest.raises(OSError):
        send_comment_notice.call(subscription_id=subscribed.pk, comment_id=comment.pk)
    assert not Delivery.objects.exists()
    monkeypatch.setattr(EmailMultiAlternatives, "send", original)
    send_comment_notice.call(subscription_id=subscribed.pk, comment_id=comment.pk)
    assert len(mailoutbox) == 1


def test_a_comment_approved_under_an_article_taken_down_meanwhile_is_sent_to_nobody(
    seed_article, subscribed, make_comment, mailoutbox
):
    # Found by an exploratory review: its link would have led subscribers to a 404.
    comment = make_comment(article=seed_article)
    type(seed_article).objects.filter(pk=seed_article.pk).update(status="draft")
    send_comment_to_subscribers.call(comment_id=comment.pk)
    assert mailoutbox == []


def test_a_reply_approved_under_a_held_comment_reaches_subscribers_once_readers_see_it(
    seed_article, subscribed, make_comment, moderator, mailoutbox, django_capture_on_commit_callbacks
):
    # Found by a review: the queue lists the newest first, so a reply is often approved before the comment it answers;
    # subscribers were sent it at once, with a link to a page that did not show it.
    question = make_comment(article=seed_article, status=Comment.Status.PENDING, body="Does it come back?")
    answer = make_comment(article=seed_article, parent=question, status=Comment.Status.PENDING, body="Mine did.")
    with django_capture_on_commit_callbacks(execute=True):
        comment_moderate(comment=answer, action="approve", by=moderator)
    assert [m for m in mailoutbox if m.to == ["carla@example.com"]] == []

    with django_capture_on_commit_callbacks(execute=True):
        comment_moderate(comment=question, action="approve", by=moderator)
    to_carla = [m.body for m in mailoutbox if m.to == ["carla@example.com"]]
    assert len(to_carla) == 2
    assert any("Does it come back?" in body for body in to_carla) and any("Mine did." in body for body in to_carla)


def test_the_writer_of_the_parent_comment_gets_a_reply_notice(seed_article, subscribed, make_comment, mailoutbox):
    parent = make_comment(article=seed_article, author_email="carla@example.com", author_name="Carla")
    reply = make_comment(article=seed_article, parent=parent, author_name="Dr. Ana", body="Yes, it usually helps.")
    send_comment_notice.call(subscription_id=subscribed.pk, comment_id=reply.pk)
    assert mailoutbox[0].subject == "[Leave a Reply] Dr. Ana replied to your comment"
    assert "Yes, it usually helps." in mailoutbox[0].body


def test_subscribing_with_an_invalid_email_is_a_form_error_that_keeps_the_comment(client, seed_article, post_comment):
    response = post_comment(client, seed_article, email="not-an-email", notify_comments="on", comment="Keep me.")
    assert response.status_code == 400
    assert "Please enter a valid email address" in response.text
    assert "Keep me.</textarea>" in response.text
    assert not Subscription.objects.exists()
    assert not Comment.objects.exists()


def test_a_member_without_an_email_who_ticks_notify_me_is_asked_for_one_and_keeps_the_comment(
    client, seed_article, post_comment, make_user
):
    client.force_login(make_user(email="", is_staff=True, is_superuser=True))
    response = post_comment(client, seed_article, notify_comments="on", notify_posts="on", comment="Keep me.")
    assert response.status_code == 400
    assert "To get emails, your account needs an email address: add one under Your account." in response.text
    assert "Keep me.</textarea>" in response.text
    assert not Subscription.objects.exists()
    assert not Comment.objects.exists()


def test_the_service_refuses_a_subscription_for_an_invalid_address_before_saving_anything(seed_article):
    with pytest.raises(CommentRejected):
        comment_submit(
            article=seed_article,
            author=None,
            body="Keep me.",
            name="Rita",
            email="not-an-email",
            meta=RequestMeta(ip_address="203.0.113.7", user_agent=""),
            subscribe_to=(Subscription.Topic.COMMENTS,),
        )
    assert not Comment.objects.exists()
    assert not Subscription.objects.exists()


def test_a_spam_comment_subscribes_nobody(client, seed_article, post_comment):
    post_comment(client, seed_article, notify_comments="on", leave_empty="bot")
    assert not Subscription.objects.exists()


def test_the_account_page_lists_and_cancels_subscriptions(client, make_user, seed_article, subscribed):
    member = make_user(email="carla@example.com")
    client.force_login(member)
    page = client.get("/accounts/subscriptions/").text
    assert "New comments on “hemifacial spasm”" in page
    client.post("/accounts/subscriptions/stop/", {"subscription": subscribed.pk})
    subscribed.refresh_from_db()
    assert subscribed.status == "unsubscribed"


def test_the_account_page_says_which_comment_each_replies_subscription_is_for(
    client, make_user, seed_article, make_comment
):
    # Found by an exploratory review: two such lines on one article read alike, each with its Stop button.
    member = make_user(email="carla@example.com")
    for words in ("Does Botox wear off after three months?", "Thank you for the list of clinics."):
        comment = make_comment(article=seed_article, user=member, body=words)
        Subscription.objects.create(
            email="carla@example.com",
            user=member,
            topic="replies",
            article=seed_article,
            comment=comment,
            status="confirmed",
        )
    client.force_login(member)
    page = client.get("/accounts/subscriptions/").text
    for comment in Comment.objects.all():
        when = timezone.localtime(comment.created_at)
        day = f"{when:%B} {when.day}, {when.year}"
        assert (
            f'<a class="subscribed-comment" href="/comments/{comment.pk}/">Your comment of {day}: “{comment.body}”</a>'
        ) in page
    # Off the page, it is named without a link (its permalink would be a 404).
    taken_off = Comment.objects.earliest("pk")
    Comment.objects.filter(pk=taken_off.pk).update(status="trash")
    page = client.get("/accounts/subscriptions/").text
    assert f'<span class="subscribed-comment">Your comment of {day}: “{taken_off.body}”</span>' in page
    assert f'href="/comments/{taken_off.pk}/"' not in page


def test_a_reader_cannot_cancel_someone_elses_subscription(client, make_user, subscribed):
    client.force_login(make_user(email="mallory@example.com"))
    assert client.post("/accounts/subscriptions/stop/", {"subscription": subscribed.pk}).status_code == 404
    subscribed.refresh_from_db()
    assert subscribed.status == "confirmed"


def test_a_crafted_stop_request_is_404_not_a_crash(client, make_user):
    client.force_login(make_user())
    assert client.post("/accounts/subscriptions/stop/", {"subscription": "abc"}).status_code == 404


def test_staff_see_and_search_subscribers_in_the_admin(client, subscribed, make_user):
    client.force_login(make_user(is_staff=True, is_superuser=True))
    page = client.get("/admin/comments/subscription/?q=carla").text
    assert "carla@example.com" in page
    assert "carla@example.com" not in client.get("/admin/comments/subscription/?q=nobody").text


def test_the_articles_admin_page_counts_its_confirmed_subscribers(client, seed_article, subscribed, make_user):
    Subscription.objects.create(email="pending@example.com", topic="comments", article=seed_article)
    client.force_login(make_user(is_staff=True, is_superuser=True))
    page = client.get(f"/admin/articles/article/{seed_article.pk}/change/").text
    assert "Subscribed to its comments" in page
    assert f'1 (<a href="/admin/comments/subscription/?article__id__exact={seed_article.pk}">see who</a>)' in page


def test_an_editor_is_told_how_many_subscribed_but_not_led_to_the_subscriptions_they_may_not_see(
    client, seed_article, subscribed, editor
):
    # Found by a review: "1 (see who)" led editors and authors to the list of subscriptions, refused to them (403).
    client.force_login(editor)
    page = client.get(f"/admin/articles/article/{seed_article.pk}/change/").text
    assert "Subscribed to its comments" in page
    assert "/admin/comments/subscription/" not in page
    assert '<div class="readonly">1</div>' in page
    assert client.get(f"/admin/comments/subscription/?article__id__exact={seed_article.pk}").status_code == 403


# ---- Races and repeated requests ------------------------------------------------------
def test_a_confirm_link_used_after_unsubscribing_is_refused_and_changes_nothing(client, subscribed):
    subscribed.status = "pending"
    subscribed.save()
    url = confirm_path(subscribed)
    subscribed.unsubscribe()
    response = client.post(url)
    assert response.status_code == 410
    assert "You unsubscribed since this link was sent" in response.text
    subscribed.refresh_from_db()
    assert (subscribed.status, subscribed.confirmed_at) == ("unsubscribed", None)


def test_a_confirmation_racing_an_unsubscribe_does_not_overwrite_it(subscribed):
    subscribed.status = "pending"
    subscribed.save()
    read_before_the_unsubscribe = Subscription.objects.get(pk=subscribed.pk)
    subscribed.unsubscribe()
    assert read_before_the_unsubscribe.confirm() is False
    assert read_before_the_unsubscribe.status == "unsubscribed"
    subscribed.refresh_from_db()
    assert subscribed.status == "unsubscribed"


def test_ticking_the_box_again_after_unsubscribing_asks_for_a_new_confirmation(
    subscribed, mailoutbox, django_capture_on_commit_callbacks
):
    subscribed.unsubscribe()
    with django_capture_on_commit_callbacks(execute=True):
        subscription_request(email="Carla@example.com", topic="comments", article=subscribed.article)
    subscribed.refresh_from_db()
    assert subscribed.status == "pending"
    assert [m.subject for m in mailoutbox] == ["[Leave a Reply] Please confirm your subscription"]


def test_a_confirmed_subscription_cannot_be_asked_for_again(subscribed):
    with pytest.raises(ValidationError):
        subscribed.ask_again()


# ---- Confirmation requests ------------------------------------------------------------
def test_one_address_gets_at_most_three_confirmation_requests_a_day(make_article, mailoutbox):
    def ask(email: str) -> None:
        subscription = Subscription.objects.create(email=email, topic="comments", article=make_article())
        send_subscription_confirmation.call(subscription_id=subscription.pk)

    for _ in range(4):
        ask("victim@example.com")
    ask("someone.else@example.com")
    assert [m.to for m in mailoutbox] == [["victim@example.com"]] * 3 + [["someone.else@example.com"]]


def test_a_reader_who_asks_past_the_days_confirmation_requests_is_told_why_no_email_comes(
    client, make_article, post_comment, mailoutbox, committed
):
    DiscussionSettings.objects.update_or_create(pk=1, defaults={"flood_seconds": 0})  # four comments in a row
    pages = []
    for number in range(4):
        with committed():
            posted = post_comment(client, make_article(), ip=f"203.0.113.{number}", notify_comments="on")
        pages.append(client.get(posted["Location"]).text)
    assert len(mailoutbox) == 3
    told = "No confirmation email comes today: this address has had as many as we send in a day."
    assert told not in pages[2]
    assert told in pages[3]


# ---- Failed sends ---------------------------------------------------------------------
def test_a_failed_comment_notice_leaves_the_others_and_a_second_fan_out_sends_only_the_missed_one(
    seed_article, subscribed, make_comment, mailoutbox, monkeypatch
):
    Subscription.objects.create(email="omar@example.com", topic="comments", article=seed_article, status="confirmed")
    comment = make_comment(article=seed_article)
    original = EmailMultiAlternatives.send

    def send_failing_to_carla(message, *args, **kwargs):
        if message.to == ["carla@example.com"]:
            raise OSError("mailbox unavailable")
        return original(message, *args, **kwargs)

    monkeypatch.setattr(EmailMultiAlternatives, "send", send_failing_to_carla)
    send_comment_to_subscribers.call(comment_id=comment.pk)
    assert [m.to for m in mailoutbox] == [["omar@example.com"]]

    monkeypatch.setattr(EmailMultiAlternatives, "send", original)
    send_comment_to_subscribers.call(comment_id=comment.pk)
    assert [m.to for m in mailoutbox] == [["omar@example.com"], ["carla@example.com"]]


def test_the_database_keeps_subscription_emails_lower_cased(seed_article):
    with pytest.raises(IntegrityError), transaction.atomic():
        Subscription.objects.create(email="Rita@Example.com", topic="comments", article=seed_article)
