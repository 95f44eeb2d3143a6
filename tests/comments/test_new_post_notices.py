import datetime
from unittest import mock

import pytest
from django.core import serializers
from django.core.mail import EmailMultiAlternatives
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from articles.models import Article
from comments.subscriptions.models import Subscription
from comments.subscriptions.notices import ANNOUNCE_WITHIN, announce_new_posts

pytestmark = pytest.mark.django_db


@pytest.fixture
def site_subscriber():
    return Subscription.objects.create(
        email="nina@example.com",
        topic="posts",
        status="confirmed",
        confirmed_at=timezone.now() - datetime.timedelta(days=30),
    )


def test_publishing_an_article_emails_each_confirmed_site_subscriber_once(
    make_article, site_subscriber, mailoutbox, django_capture_on_commit_callbacks
):
    Subscription.objects.create(email="pending@example.com", topic="posts")
    draft = make_article(title="Living with spasms", excerpt="Practical advice.", status=Article.Status.DRAFT)
    with django_capture_on_commit_callbacks(execute=True):
        draft.publish()
    assert [m.to for m in mailoutbox] == [["nina@example.com"]]
    assert mailoutbox[0].subject == "[Leave a Reply] New article: Living with spasms"
    assert "Practical advice." in mailoutbox[0].body
    assert draft.get_absolute_url() in mailoutbox[0].body
    assert mailoutbox[0].extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    with django_capture_on_commit_callbacks(execute=True):
        draft.save()  # edited later: no second announcement
    announce_new_posts.call()
    assert len(mailoutbox) == 1


def test_a_scheduled_article_is_announced_when_its_time_comes_and_only_once(make_article, site_subscriber, mailoutbox):
    when = timezone.now() + datetime.timedelta(hours=2)
    make_article(title="Tomorrow's news", published_at=when)
    announce_new_posts.call()
    assert mailoutbox == []
    with mock.patch("django.utils.timezone.now", return_value=when + datetime.timedelta(minutes=1)):
        call_command("announce_new_posts")
        call_command("announce_new_posts")
    assert [m.subject for m in mailoutbox] == ["[Leave a Reply] New article: Tomorrow's news"]


def test_a_new_subscriber_is_not_sent_older_articles(make_article, mailoutbox):
    make_article(title="Old news", published_at=timezone.now() - datetime.timedelta(hours=1))
    Subscription.objects.create(
        email="late@example.com", topic="posts", status="confirmed", confirmed_at=timezone.now()
    )
    announce_new_posts.call()
    assert mailoutbox == []


def test_drafts_are_never_announced(make_article, site_subscriber, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        make_article(status=Article.Status.DRAFT)
    announce_new_posts.call()
    assert mailoutbox == []


def test_a_failed_send_leaves_the_other_subscribers_and_the_next_run_sends_only_the_missed_one(
    make_article, site_subscriber, mailoutbox, monkeypatch
):
    Subscription.objects.create(
        email="omar@example.com", topic="posts", status="confirmed", confirmed_at=site_subscriber.confirmed_at
    )
    make_article(title="Living with spasms")
    original = EmailMultiAlternatives.send

    def send_failing_to_nina(message, *args, **kwargs):
        if message.to == ["nina@example.com"]:
            raise OSError("mailbox unavailable")
        return original(message, *args, **kwargs)

    monkeypatch.setattr(EmailMultiAlternatives, "send", send_failing_to_nina)
    announce_new_posts.call()
    assert [m.to for m in mailoutbox] == [["omar@example.com"]]

    monkeypatch.setattr(EmailMultiAlternatives, "send", original)
    assert announce_new_posts.call() == 1  # queued for Nina only
    assert [m.to for m in mailoutbox] == [["omar@example.com"], ["nina@example.com"]]


def test_in_production_a_scheduled_article_queues_its_announcement_for_its_publish_time(
    settings, make_article, site_subscriber, django_capture_on_commit_callbacks
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    when = timezone.now() + datetime.timedelta(hours=2)
    with django_capture_on_commit_callbacks(execute=True):
        make_article(title="Tomorrow's news", published_at=when)
    assert list(DBTaskResult.objects.values_list("task_path", "run_after")) == [
        ("comments.subscriptions.notices.announce_new_posts", when)
    ]


def test_loading_an_article_from_a_fixture_announces_nothing(
    make_article, site_subscriber, django_capture_on_commit_callbacks
):
    article = make_article()
    (loaded,) = serializers.deserialize("json", serializers.serialize("json", [article]))
    with django_capture_on_commit_callbacks() as callbacks:
        loaded.save()  # as loaddata does: a raw save
    assert callbacks == []


def test_editing_an_article_published_long_ago_announces_nothing(
    make_article, site_subscriber, django_capture_on_commit_callbacks
):
    article = make_article(published_at=timezone.now() - ANNOUNCE_WITHIN - datetime.timedelta(hours=1))
    with (
        mock.patch("comments.notifications.article_published") as announce,
        django_capture_on_commit_callbacks(execute=True),
    ):
        article.save()
    announce.assert_not_called()
