import json

import pytest
from allauth.account.models import EmailAddress
from allauth.socialaccount.models import SocialAccount
from django.contrib.admin.models import LogEntry
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from accounts.models import Avatar
from articles.models import Like
from comments.models import Block, Comment, DiscussionSettings
from comments.subscriptions.models import Subscription
from config.email import absolute_url

pytestmark = pytest.mark.django_db


@pytest.fixture
def member_with_comments(make_user, make_comment, seed_article):
    member = make_user(username="sam", email="sam@example.com", display_name="Sam Member")
    SocialAccount.objects.create(user=member, provider="google", uid="g-123", extra_data={"name": "Sam M"})
    make_comment(article=seed_article, user=member, body="Published words.", ip_address="203.0.113.5", user_agent="UA")
    make_comment(article=seed_article, user=member, body="Held words.", status=Comment.Status.PENDING)
    Like.objects.create(article=seed_article, user=member)
    Subscription.objects.create(
        email="sam@example.com", user=member, topic="comments", article=seed_article, status="confirmed"
    )
    return member


@pytest.fixture
def signed_in(client, member_with_comments):
    """The member, who gave their password again a moment ago (export and deletion ask: accounts.views.privacy)."""
    client.force_login(member_with_comments)
    response = client.post(reverse("account_reauthenticate"), {"password": "correct horse battery"})
    assert response.status_code == 302
    return member_with_comments


def test_a_reader_downloads_their_data_as_json(client, signed_in):
    response = client.post(reverse("accounts:export"))
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="leave-a-reply-sam-')
    data = json.loads(response.content)
    assert data["profile"]["display_name"] == "Sam Member"
    assert data["email_addresses"] == [{"email": "sam@example.com", "verified": True, "primary": True}]
    assert data["social_connections"][0]["provider"] == "Google"
    assert data["social_connections"][0]["uid"] == "g-123"
    assert [(c["comment"], c["status"]) for c in data["comments"]] == [
        ("Published words.", "approved"),
        ("Held words.", "pending"),
    ]
    first = Comment.objects.get(body="Published words.")
    assert data["comments"][0]["url"] == absolute_url(f"/comments/{first.pk}/")  # its permalink, whole
    assert (data["comments"][0]["name"], data["comments"][0]["email"]) == (first.author_name, first.author_email)
    assert data["comments"][0]["ip_address"] == "203.0.113.5"
    assert data["likes"] == [
        {
            "article": "hemifacial spasm",
            "url": absolute_url("/2026/11/02/hemifacial-spasm/"),
            "liked": data["likes"][0]["liked"],
        }
    ]
    assert data["avatar"] is None
    assert data["subscriptions"] == [
        {"email": "sam@example.com", "about": "new comments on “hemifacial spasm”", "status": "confirmed"}
    ]


def test_the_export_holds_what_deleting_the_account_would_erase(client, signed_in, seed_article, make_comment):
    make_comment(article=seed_article, author_name="Sam as a guest", author_email="sam@example.com", body="Earlier.")
    make_comment(article=seed_article, author_name="Someone", author_email="someone@example.com", body="Not Sam's.")
    data = json.loads(client.post(reverse("accounts:export")).content)
    assert [comment["comment"] for comment in data["comments"]] == ["Published words.", "Held words.", "Earlier."]
    assert data["comments"][2]["name"] == "Sam as a guest"


def test_export_is_for_the_signed_in_reader_only(client):
    response = client.post(reverse("accounts:export"))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_deleting_the_account_also_erases_what_its_address_did_as_a_guest(
    client, signed_in, seed_article, make_comment
):
    make_comment(article=seed_article, author_name="Sam as a guest", author_email="Sam@Example.com", body="Earlier.")
    Subscription.objects.create(email="sam@example.com", topic="posts", status="confirmed")
    client.post(reverse("accounts:privacy"), {"confirm": "on"})
    assert not Subscription.objects.exists()
    assert set(Comment.objects.values_list("author_name", "author_email")) == {("Anonymous", "")}


def test_a_block_on_the_account_outlives_it_as_a_block_on_its_addresses(
    client, signed_in, seed_article, post_comment, moderator
):
    Block.objects.create(user=signed_in, reason="Harassment", created_by=moderator)
    client.post(reverse("accounts:privacy"), {"confirm": "on"})
    assert list(Block.objects.values_list("email", "reason", "created_by")) == [
        ("sam@example.com", "Harassment", moderator.pk)
    ]
    DiscussionSettings.objects.update_or_create(pk=1, defaults={"flood_seconds": 0})
    post_comment(Client(), seed_article, email="sam@example.com", comment="Back again.")
    assert Comment.objects.get(body="Back again.").status == Comment.Status.SPAM


@pytest.mark.parametrize("how", ["its page", "the list's action"])
def test_an_account_deleted_in_the_admin_is_erased_as_its_member_would_and_its_block_outlives_it(
    admin_client, member_with_comments, seed_article, post_comment, moderator, how
):
    # Found by a review: a superuser deleting a blocked troll's account in the admin deleted its block with it, and
    # left its name and address on its comments; the troll came back as a guest with the same address, published.
    Block.objects.create(user=member_with_comments, reason="Harassment", created_by=moderator)
    if how == "its page":
        delete = reverse("admin:accounts_user_delete", args=[member_with_comments.pk])
        response = admin_client.post(delete, {"post": "yes"})
    else:
        chosen = {"action": "delete_selected", "_selected_action": [member_with_comments.pk], "post": "yes"}
        response = admin_client.post(reverse("admin:accounts_user_changelist"), chosen)
    assert response.status_code == 302
    assert not get_user_model().objects.filter(pk=member_with_comments.pk).exists()
    assert list(Block.objects.values_list("email", "reason")) == [("sam@example.com", "Harassment")]
    assert list(Comment.objects.values_list("author_name", "author_email", "body")) == [
        ("Anonymous", "", "Published words.")
    ]
    DiscussionSettings.objects.update_or_create(pk=1, defaults={"flood_seconds": 0})
    post_comment(Client(), seed_article, email="sam@example.com", comment="Back again.")
    assert Comment.objects.get(body="Back again.").status == Comment.Status.SPAM


def test_deleting_the_account_keeps_published_comments_anonymised(client, signed_in, seed_article):
    refused = client.post(reverse("accounts:privacy"), {})
    assert refused.status_code == 400
    assert "Tick the box" in refused.text
    response = client.post(reverse("accounts:privacy"), {"confirm": "on"})
    assert response.status_code == 302
    assert not get_user_model().objects.filter(username="sam").exists()
    assert not SocialAccount.objects.exists()
    kept = Comment.objects.get()
    assert kept.body == "Published words."
    assert (kept.author_name, kept.author_email, kept.ip_address, kept.user_agent, kept.user) == (
        "Anonymous",
        "",
        None,
        "",
        None,
    )
    assert "_auth_user_id" not in client.session
    text = client.get(seed_article.get_absolute_url()).text
    assert "Anonymous" in text and "Sam Member" not in text


def test_an_articles_author_is_told_why_their_account_stays_rather_than_an_error(client, signed_in, make_article):
    # Found by an exploratory review: the article's byline protects its author, and deleting answered 500.
    make_article(title="Living with blepharospasm", author=signed_in)
    page = client.get(reverse("accounts:privacy"))
    assert "Your account cannot be deleted yet:" in page.text
    assert (
        "You are the author of 1 article here: delete it, or ask an editor to give it to another author, first."
        in page.text
    )
    assert 'class="danger"' not in page.text  # no button that cannot work
    refused = client.post(reverse("accounts:privacy"), {"confirm": "on"})
    assert refused.status_code == 400
    assert "ask an editor to give it to another author" in refused.text
    assert get_user_model().objects.filter(pk=signed_in.pk).exists()
    assert Comment.objects.filter(user=signed_in).count() == 2  # nothing of theirs was erased on the way


def test_deleting_the_account_asks_for_the_password_again_then_does_it(client, member_with_comments):
    client.force_login(member_with_comments)  # signed in some time ago: no password given since
    assert "Delete my account" in client.get(reverse("accounts:privacy")).text  # the page itself is open
    asked = client.post(reverse("accounts:privacy"), {"confirm": "on"})
    assert asked.status_code == 302
    assert asked["Location"] == f"{reverse('account_reauthenticate')}?next=%2Faccounts%2Fyour-data%2F"
    assert get_user_model().objects.filter(username="sam").exists()
    page = client.get(asked["Location"]).text
    assert "Enter your password" in page
    wrong = client.post(asked["Location"], {"password": "wrong horse"})
    assert wrong.status_code == 200 and "incorrect" in wrong.text.lower()
    assert get_user_model().objects.filter(username="sam").exists()
    # The password given, the deletion asked for is carried out: it was not lost on the way.
    done = client.post(asked["Location"], {"password": "correct horse battery"}, follow=True)
    assert "Your account was deleted" in done.text
    assert not get_user_model().objects.filter(username="sam").exists()


def test_downloading_the_data_asks_for_the_password_again_then_gives_the_file(client, member_with_comments):
    client.force_login(member_with_comments)
    asked = client.post(reverse("accounts:export"))
    assert asked.status_code == 302
    assert asked["Location"].startswith(reverse("account_reauthenticate"))
    given = client.post(asked["Location"], {"password": "correct horse battery"})
    assert given["Content-Disposition"].startswith('attachment; filename="leave-a-reply-sam-')
    assert json.loads(given.content)["profile"]["display_name"] == "Sam Member"
    # For a few minutes after, it is not asked again.
    assert client.post(reverse("accounts:export"))["Content-Type"] == "application/json; charset=utf-8"


def test_a_member_who_signs_in_only_through_a_provider_is_not_asked_for_a_password(
    client, member_with_comments, seed_article
):
    member_with_comments.set_unusable_password()
    member_with_comments.save()
    client.force_login(member_with_comments)
    assert client.post(reverse("accounts:export"))["Content-Type"] == "application/json; charset=utf-8"
    client.post(reverse("accounts:privacy"), {"confirm": "on"})
    assert not get_user_model().objects.filter(username="sam").exists()


def test_staff_erase_a_guests_personal_data_by_email_in_the_admin(client, make_user, make_comment, seed_article):
    moderator = make_user(is_staff=True, groups=("Moderators",))
    make_comment(
        article=seed_article, author_name="Gina Guest", author_email="Gina@Example.com", ip_address="198.51.100.4"
    )
    make_comment(article=seed_article, author_email="gina@example.com", status=Comment.Status.SPAM)
    make_comment(article=seed_article, author_name="Someone Else", author_email="else@example.com")
    Subscription.objects.create(email="gina@example.com", topic="posts", status="confirmed")
    client.force_login(moderator)
    assert "Erase a guest’s personal data" in client.get(reverse("admin:comments_comment_changelist")).text
    response = client.post(reverse("admin:comments_comment_erase"), {"email": "gina@example.com"}, follow=True)
    assert "1 published comments kept as “Anonymous”" in response.text
    assert list(Comment.objects.values_list("author_name", "author_email", "ip_address")) == [
        ("Anonymous", "", None),
        ("Someone Else", "else@example.com", None),
    ]
    assert not Subscription.objects.exists()


def test_erasing_a_guests_address_leaves_a_members_comments_and_subscriptions_alone(
    client, make_user, make_comment, seed_article
):
    moderator = make_user(is_staff=True, groups=("Moderators",))
    member = make_user(email="rita@example.com", display_name="Rita Member")
    make_comment(article=seed_article, user=member, author_name="Rita Member", author_email="rita@example.com")
    make_comment(article=seed_article, author_name="Rita as a guest", author_email="rita@example.com")
    Subscription.objects.create(email="rita@example.com", user=member, topic="posts", status="confirmed")
    client.force_login(moderator)
    client.post(reverse("admin:comments_comment_erase"), {"email": "rita@example.com"})
    assert sorted(Comment.objects.values_list("author_name", "user")) == [
        ("Anonymous", None),
        ("Rita Member", member.pk),
    ]
    assert Subscription.objects.filter(user=member).exists()


def test_a_plain_reader_cannot_erase_anything(client, make_user, make_comment, seed_article):
    make_comment(article=seed_article, author_email="gina@example.com")
    client.force_login(make_user())
    response = client.post(reverse("admin:comments_comment_erase"), {"email": "gina@example.com"})
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")
    assert Comment.objects.get().author_email == "gina@example.com"


def test_the_export_holds_the_picture_copied_from_the_members_provider(client, signed_in):
    # The picture itself is kept here (pages never load it from the provider): it is theirs to take away too.
    Avatar.objects.create(
        user=signed_in, image=b"\x89PNG picture", content_type="image/png", source_url="https://idp.example/sam.png"
    )
    avatar = json.loads(client.post(reverse("accounts:export")).content)["avatar"]
    assert avatar["copied_from"] == "https://idp.example/sam.png"
    assert avatar["picture"] == "data:image/png;base64,iVBORyBwaWN0dXJl"


def test_deleting_the_account_leaves_its_name_in_no_line_of_the_admins_history_of_accounts(
    client, signed_in, make_user
):
    # A superuser once corrected the member's account in the admin: its history line was named by the member's name.
    staff = Client()
    staff.force_login(make_user(is_staff=True, is_superuser=True))
    change = reverse("admin:accounts_user_change", args=[signed_in.pk])
    form = staff.get(change).context["adminform"].form
    data = {name: value for name, value in form.initial.items() if value is not None and name != "password"}
    data.update({"date_joined_0": "2026-01-01", "date_joined_1": "10:00", "last_login_0": "", "last_login_1": ""})
    data.update({"groups": [], "user_permissions": [], "display_name": "Sam Member"})
    assert staff.post(change, data).status_code == 302
    assert LogEntry.objects.get().object_repr == "Sam Member"
    assert client.post(reverse("accounts:privacy"), {"confirm": "on"}).status_code == 302
    assert "Sam" not in LogEntry.objects.get().object_repr


def test_deleting_the_account_leaves_its_address_in_no_line_of_the_admins_history_of_email_addresses(
    client, signed_in, make_user
):
    # Found by a review: a superuser once marked the member's address verified in the admin (Email addresses); that
    # history line is named by the address, and it outlived the account.
    staff = Client()
    staff.force_login(make_user(is_staff=True, is_superuser=True))
    address = EmailAddress.objects.get(user=signed_in, primary=True)
    change = reverse("admin:account_emailaddress_change", args=[address.pk])
    sent = {"email": address.email, "user": signed_in.pk, "primary": "on", "verified": "on"}
    assert staff.post(change, sent).status_code == 302
    assert LogEntry.objects.get().object_repr == address.email

    assert client.post(reverse("accounts:privacy"), {"confirm": "on"}).status_code == 302

    assert address.email not in LogEntry.objects.get().object_repr
