"""What a person's data download holds and what erasing it leaves, found by a privacy review: earlier versions of
an edited comment, the admin's history (of comments and of subscriptions), the requests for a guest's data, an
account's full name."""

import pytest
from django.contrib.admin.models import LogEntry
from django.urls import reverse

from accounts.services import account_export
from comments.models import Comment, CommentVersion, DiscussionSettings, GuestDataRequest
from comments.personal_data import guest_export
from comments.services import comments_anonymise, guest_data_request
from comments.subscriptions.models import Subscription

pytestmark = pytest.mark.django_db

TYPED = "I am Rita Jones of 12 Elm St, and Botox helps me."


@pytest.fixture
def edited(client, seed_article, post_comment):
    """A guest's published comment, edited to take out her name and street."""
    DiscussionSettings.objects.update_or_create(pk=1, defaults={"require_previous_approval": False})
    post_comment(client, seed_article, email="rita@example.com", comment=TYPED)
    own = Comment.objects.get()
    assert client.post(reverse("comments:edit", args=[own.pk]), {"comment": "Botox helps me."}).status_code == 302
    return own


def test_a_guests_download_holds_what_her_comment_said_before_she_edited_it(edited):
    [comment] = guest_export("rita@example.com")["comments"]
    assert comment["comment"] == "Botox helps me."
    assert [version["comment"] for version in comment["earlier_versions"]] == [TYPED]


def test_a_members_download_holds_them_too_and_their_full_name(make_user, make_comment, seed_article):
    member = make_user(email="sam@example.com", first_name="Sam", last_name="Member")
    comment = make_comment(article=seed_article, user=member, body="Now.")
    CommentVersion.objects.create(comment=comment, body="Before.", written_at=comment.created_at)
    data = account_export(user=member)
    assert (data["profile"]["first_name"], data["profile"]["last_name"]) == ("Sam", "Member")
    assert [version["comment"] for version in data["comments"][0]["earlier_versions"]] == ["Before."]


def test_erasing_her_data_erases_what_her_comment_said_before(edited):
    comments_anonymise(email="rita@example.com")
    assert not CommentVersion.objects.exists()
    assert Comment.objects.get().body == "Botox helps me."  # the words readers see stay, signed Anonymous


def test_erasing_her_data_leaves_no_name_in_the_admins_history(moderator_client, article, make_comment):
    comment = make_comment(article=article, author_name="Rita Jones", author_email="rita@example.com", body="Words.")
    data = {"body": "Words, tidied.", "author_name": "Rita Jones", "author_email": "rita@example.com", "author_url": ""}
    assert moderator_client.post(reverse("admin:comments_comment_change", args=[comment.pk]), data).status_code == 302
    assert "Rita Jones" in LogEntry.objects.get().object_repr
    comments_anonymise(email="rita@example.com")
    assert LogEntry.objects.get().object_repr == "A comment of an erased person"


def test_erasing_her_data_in_the_admin_ends_her_requests_for_it(make_comment, article):
    make_comment(article=article, author_email="rita@example.com")
    guest_data_request("rita@example.com")
    guest_data_request("other@example.com")
    comments_anonymise(email="rita@example.com")
    assert list(GuestDataRequest.objects.values_list("email", flat=True)) == ["other@example.com"]


def test_erasing_an_accounts_comments_ends_the_requests_for_its_addresses_data(make_user):
    member = make_user(email="sam@example.com")
    guest_data_request("sam@example.com")
    comments_anonymise(user=member)
    assert not GuestDataRequest.objects.exists()


def test_erasing_her_address_leaves_it_in_no_line_of_the_admins_history_of_subscriptions(client, make_user, article):
    # A superuser once deleted one of her subscriptions in the admin: its history line was named by her address.
    client.force_login(make_user(is_staff=True, is_superuser=True))
    deleted = Subscription.objects.create(email="rita@example.com", topic="comments", article=article)
    assert (
        client.post(reverse("admin:comments_subscription_delete", args=[deleted.pk]), {"post": "yes"}).status_code
        == 302
    )
    assert LogEntry.objects.get().object_repr.startswith("rita@example.com")
    Subscription.objects.create(email="rita@example.com", topic="posts")
    comments_anonymise(email="rita@example.com")
    assert "rita@example.com" not in LogEntry.objects.get().object_repr


def test_erasing_a_long_address_leaves_it_in_no_line_of_the_admins_history_where_django_cut_its_name(
    client, make_user, article
):
    # A line's name is cut at 200 characters: that of a subscription of an address this long ends inside the address.
    long = "rita@" + ".".join(letter * 63 for letter in "abc") + ".example"
    client.force_login(make_user(is_staff=True, is_superuser=True))
    deleted = Subscription.objects.create(email=long, topic="comments", article=article)
    assert (
        client.post(reverse("admin:comments_subscription_delete", args=[deleted.pk]), {"post": "yes"}).status_code
        == 302
    )
    assert LogEntry.objects.get().object_repr == long[:200]

    comments_anonymise(email=long)

    assert LogEntry.objects.get().object_repr == "A subscription of an erased person"


def test_erasing_her_data_leaves_no_name_in_the_admins_history_of_a_comment_deleted_before(
    moderator_client, article, make_comment
):
    # A moderator once deleted her comment for good from the trash: the deletion's line is named by her name, and
    # nothing but that name ties it to her any more.
    trashed = make_comment(
        article=article, author_name="Rita Jones", author_email="rita@example.com", status=Comment.Status.TRASH
    )
    delete = reverse("admin:comments_comment_delete", args=[trashed.pk])
    assert moderator_client.post(delete, {"post": "yes"}).status_code == 302
    assert LogEntry.objects.get().object_repr == "Rita Jones on Hemifacial spasm"

    comments_anonymise(email="rita@example.com")

    assert LogEntry.objects.get().object_repr == "A comment of an erased person"


def test_erasing_her_data_leaves_no_name_in_the_admins_history_of_a_comment_gone_with_its_article(
    moderator_client, article, make_comment
):
    comment = make_comment(article=article, author_name="Rita Jones", author_email="rita@example.com", body="Words.")
    data = {"body": "Words, tidied.", "author_name": "Rita Jones", "author_email": "rita@example.com", "author_url": ""}
    assert moderator_client.post(reverse("admin:comments_comment_change", args=[comment.pk]), data).status_code == 302
    article.delete()

    comments_anonymise(email="rita@example.com")

    assert LogEntry.objects.get().object_repr == "A comment of an erased person"
