"""Deleting an account leaves its name and addresses in no line of the admin's history (django.contrib.admin's
LogEntry, named by what the object was called when staff changed it), whatever the line is about."""

import pytest
from allauth.account.models import EmailAddress
from allauth.socialaccount.models import SocialAccount
from django.contrib.admin.models import LogEntry
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.services import account_delete
from articles.models import Like
from articles.services import article_unlike
from comments.models import Block, Comment
from comments.subscriptions.models import Subscription

pytestmark = pytest.mark.django_db


@pytest.fixture
def sam(make_user):
    return make_user(username="sam", email="sam@example.com", display_name="Sam Member")


@pytest.fixture
def superuser_client(make_user):
    staff = Client()
    staff.force_login(make_user(is_staff=True, is_superuser=True))
    return staff


def test_deleting_the_account_leaves_its_name_in_no_line_of_the_admins_history_of_likes(superuser_client, sam, article):
    # A superuser once added the member's like in the admin: its history line says who likes what.
    added = superuser_client.post(reverse("admin:articles_like_add"), {"article": article.pk, "user": sam.pk})
    assert added.status_code == 302
    assert LogEntry.objects.get().object_repr == "Sam Member likes “Hemifacial spasm”"

    account_delete(user=sam)

    assert not Like.objects.exists()
    assert "Sam" not in LogEntry.objects.get().object_repr


def test_deleting_the_account_leaves_an_address_it_had_removed_in_no_line_of_the_admins_history(
    client, superuser_client, sam
):
    # Staff once marked the member's second address verified in the admin; the member later took it off the account
    # (Your account → Email addresses), so the account no longer says the line was about one of its addresses.
    work = EmailAddress.objects.create(user=sam, email="sam.work@example.com", verified=False)
    sent = {"email": work.email, "user": sam.pk, "verified": "on"}
    assert superuser_client.post(reverse("admin:account_emailaddress_change", args=[work.pk]), sent).status_code == 302
    client.force_login(sam)
    assert client.post(reverse("account_email"), {"action_remove": "", "email": work.email}).status_code == 302
    assert not EmailAddress.objects.filter(email=work.email).exists()

    account_delete(user=sam)

    assert "sam.work@example.com" not in LogEntry.objects.get().object_repr


def test_deleting_the_account_leaves_an_address_staff_replaced_in_no_line_of_the_admins_history(superuser_client, sam):
    # Staff corrected the member's address in the admin: the line of the first change is named by the old one.
    address = EmailAddress.objects.get(user=sam)
    change = reverse("admin:account_emailaddress_change", args=[address.pk])
    for email in ("sam@example.com", "sam@example.org"):
        sent = {"email": email, "user": sam.pk, "primary": "on", "verified": "on"}
        assert superuser_client.post(change, sent).status_code == 302
    assert sorted(LogEntry.objects.values_list("object_repr", flat=True)) == ["sam@example.com", "sam@example.org"]

    account_delete(user=sam)

    assert not [line for line in LogEntry.objects.values_list("object_repr", flat=True) if "sam@" in line]


def test_deleting_the_account_leaves_its_name_in_no_line_of_the_admins_history_of_a_like_it_took_back(
    superuser_client, sam, article
):
    added = superuser_client.post(reverse("admin:articles_like_add"), {"article": article.pk, "user": sam.pk})
    assert added.status_code == 302
    article_unlike(article=article, user=sam)

    account_delete(user=sam)

    assert "Sam" not in LogEntry.objects.get().object_repr


def test_deleting_the_account_leaves_its_name_in_no_line_of_the_admins_history_of_a_connection_it_ended(
    superuser_client, sam
):
    # Staff once corrected the member's Google connection in the admin; the member later disconnected it.
    google = SocialAccount.objects.create(user=sam, provider="google", uid="g-123", extra_data={"id": "g-123"})
    change = reverse("admin:socialaccount_socialaccount_change", args=[google.pk])
    sent = {"user": sam.pk, "provider": "google", "uid": "g-123", "extra_data": '{"id": "g-123"}'}
    sent |= {
        "date_joined_0": "2026-01-01",
        "date_joined_1": "10:00",
        "last_login_0": "2026-01-01",
        "last_login_1": "10:00",
    }
    assert superuser_client.post(change, sent).status_code == 302
    assert LogEntry.objects.get().object_repr == "Sam Member"
    google.delete()

    account_delete(user=sam)

    assert "Sam" not in LogEntry.objects.get().object_repr


def test_an_account_deleted_in_the_admin_takes_its_addresses_and_likes_with_it(superuser_client, sam, article):
    # What goes with the account leaves nobody to note as the owner of its lines (a row naming a deleted account).
    added = superuser_client.post(reverse("admin:articles_like_add"), {"article": article.pk, "user": sam.pk})
    assert added.status_code == 302
    address = EmailAddress.objects.get(user=sam)
    sent = {"email": address.email, "user": sam.pk, "primary": "on", "verified": "on"}
    assert (
        superuser_client.post(reverse("admin:account_emailaddress_change", args=[address.pk]), sent).status_code == 302
    )

    deleted = superuser_client.post(reverse("admin:accounts_user_delete", args=[sam.pk]), {"post": "yes"})

    assert deleted.status_code == 302
    assert not EmailAddress.objects.filter(user_id=sam.pk).exists()
    assert not Like.objects.exists()


def test_deleting_the_account_leaves_an_address_it_had_removed_in_no_line_of_the_admins_history_of_subscriptions(
    client, superuser_client, sam, article
):
    # A superuser once deleted a subscription the member made with a second address; its line is named by the
    # address, which the member has since taken off the account.
    EmailAddress.objects.create(user=sam, email="sam.work@example.com", verified=True)
    subscription = Subscription.objects.create(
        email="sam.work@example.com", user=sam, topic="comments", article=article, status="confirmed"
    )
    delete = reverse("admin:comments_subscription_delete", args=[subscription.pk])
    assert superuser_client.post(delete, {"post": "yes"}).status_code == 302
    assert LogEntry.objects.get().object_repr.startswith("sam.work@example.com: ")
    client.force_login(sam)
    assert (
        client.post(reverse("account_email"), {"action_remove": "", "email": "sam.work@example.com"}).status_code == 302
    )

    account_delete(user=sam)

    assert "sam.work@example.com" not in LogEntry.objects.get().object_repr


def test_deleting_the_account_leaves_its_name_in_no_line_of_the_admins_history_of_a_comment_deleted_before(
    superuser_client, sam, article, make_comment
):
    trashed = make_comment(article=article, user=sam, author_name="Sam Member", status=Comment.Status.TRASH)
    delete = reverse("admin:comments_comment_delete", args=[trashed.pk])
    assert superuser_client.post(delete, {"post": "yes"}).status_code == 302
    assert LogEntry.objects.get().object_repr == "Sam Member on Hemifacial spasm"

    account_delete(user=sam)

    assert "Sam" not in LogEntry.objects.get().object_repr


@pytest.mark.parametrize("lifted", [False, True], ids=["in force", "lifted"])
def test_deleting_the_account_leaves_its_name_in_no_line_of_the_admins_history_of_blocks(
    client, moderator, sam, lifted
):
    # A moderator blocked the account in the admin (a block on an account is named by it), and maybe lifted it since.
    # The record of abuse outlives the account as blocks on its addresses, which name no account.
    client.force_login(moderator)
    added = client.post(reverse("admin:comments_block_add"), {"account": "sam@example.com", "reason": "Harassment"})
    assert added.status_code == 302
    block = Block.objects.get()
    if lifted:
        assert client.post(reverse("admin:comments_block_delete", args=[block.pk]), {"post": "yes"}).status_code == 302
    assert {line.object_repr for line in LogEntry.objects.all()} == {"Sam Member"}

    account_delete(user=sam)

    assert not [line.object_repr for line in LogEntry.objects.all() if "Sam" in line.object_repr]


def test_an_article_deleted_with_its_likes_and_subscriptions_reads_the_admins_history_once_for_each_kind(
    superuser_client, sam, make_user, article
):
    # Whose each line is was looked up one like and one subscription at a time: an article with a thousand readers
    # liking it and following its comments read the history two thousand times as it went.
    added = superuser_client.post(reverse("admin:articles_like_add"), {"article": article.pk, "user": sam.pk})
    assert added.status_code == 302
    readers = [sam, *(make_user(username=f"reader{number}") for number in range(20))]
    Like.objects.bulk_create(Like(article=article, user=reader) for reader in readers[1:])
    Subscription.objects.bulk_create(
        Subscription(email=reader.email, user=reader, topic="comments", article=article, status="confirmed")
        for reader in readers
    )

    with CaptureQueriesContext(connection) as deleting:
        article.delete()

    assert len([query for query in deleting.captured_queries if "django_admin_log" in query["sql"]]) <= 3
    # The like's line is still the member's to erase.
    account_delete(user=sam)
    assert "Sam" not in LogEntry.objects.get().object_repr
