import re
from unittest import mock

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import MD5PasswordHasher
from django.contrib.sites.models import Site
from django.test import Client

from accounts.models import WaitingEmail
from comments.models import Comment

pytestmark = pytest.mark.django_db

PASSWORD = "a long and unusual passphrase"


def link_in(message) -> str:
    return re.search(r"https?://\S+", message.body).group(0)


def sign_up(client, email="sam@example.com"):
    return client.post(
        "/accounts/signup/",
        {"display_name": "Sam Signup", "email": email, "password1": PASSWORD, "password2": PASSWORD},
    )


def test_signing_up_by_email_sends_a_verification_link_and_does_not_sign_in(client, mailoutbox):
    response = sign_up(client)
    assert response.status_code == 302
    assert response["Location"] == "/accounts/confirm-email/"
    assert len(mailoutbox) == 1
    assert "/accounts/confirm-email/" in link_in(mailoutbox[0])
    assert not EmailAddress.objects.get(email="sam@example.com").verified
    assert "_auth_user_id" not in client.session


def test_a_new_account_gets_the_name_typed_and_a_user_name_that_reveals_nothing(client, mailoutbox):
    sign_up(client, email="jane.doe.private@example.com")
    user = get_user_model().objects.get(email="jane.doe.private@example.com")
    assert user.public_name == "Sam Signup"
    assert user.username.startswith("reader-")
    assert "jane" not in user.username


def test_following_the_verification_link_verifies_and_signs_in(client, mailoutbox):
    sign_up(client)
    link = link_in(mailoutbox[0]).replace("http://testserver", "")
    client.post(link)
    assert EmailAddress.objects.get(email="sam@example.com").verified
    assert "_auth_user_id" in client.session


def test_an_unverified_account_cannot_sign_in_yet(client, mailoutbox):
    sign_up(client)
    other = Client()
    response = other.post("/accounts/login/", {"login": "sam@example.com", "password": PASSWORD})
    assert "_auth_user_id" not in other.session
    assert response.status_code == 302 and response["Location"] == "/accounts/confirm-email/"


def test_a_signed_in_member_with_an_unverified_email_is_told_why_they_cannot_comment(
    client, seed_article, post_comment, make_user
):
    member = make_user(verified=False)
    client.force_login(member)
    response = post_comment(client, seed_article, email=None, name=None)
    assert response.status_code == 400
    assert "Please confirm your email address first" in response.text
    assert not Comment.objects.exists()


def test_a_verified_member_comments_under_their_display_name(client, seed_article, post_comment, make_user):
    member = make_user(display_name="Sam Member")
    client.force_login(member)
    post_comment(client, seed_article, email=None, name=None, comment="Thanks for the clear explanation.")
    comment = Comment.objects.get()
    assert comment.user == member
    assert comment.status_reason == "first comment from this author"


def test_signing_up_with_an_address_already_in_use_does_not_say_whose_it_is(client, make_user, mailoutbox):
    make_user(email="taken@example.com")
    response = sign_up(client, email="taken@example.com")
    # Enumeration prevention: the same answer as for a new address; the owner gets an email instead.
    assert response.status_code == 302 and response["Location"] == "/accounts/confirm-email/"
    assert get_user_model().objects.filter(email="taken@example.com").count() == 1
    assert mailoutbox and mailoutbox[0].to == ["taken@example.com"]


def test_password_reset_by_email(client, make_user, mailoutbox):
    make_user(email="sam@example.com", password=PASSWORD)
    client.post("/accounts/password/reset/", {"email": "sam@example.com"})
    link = link_in(mailoutbox[0]).replace("http://testserver", "")
    form_page = client.get(link, follow=True)
    new = "another long passphrase here"
    client.post(form_page.redirect_chain[-1][0], {"password1": new, "password2": new})
    assert Client().login(username=get_user_model().objects.get(email="sam@example.com").username, password=new)


def test_password_reset_for_an_unknown_address_looks_the_same(client, mailoutbox):
    response = client.post("/accounts/password/reset/", {"email": "nobody@example.com"})
    assert response.status_code == 302
    assert response["Location"] == "/accounts/password/reset/done/"


def test_repeated_failed_logins_from_one_address_get_the_429_page_and_the_owner_elsewhere_signs_in(make_user):
    make_user(email="sam@example.com", password=PASSWORD)
    guesser = Client(REMOTE_ADDR="198.51.100.66")
    answers = [guesser.post("/accounts/login/", {"login": "sam@example.com", "password": "wrong"}) for _ in range(7)]
    assert answers[0].status_code == 200
    assert answers[-1].status_code == 429
    assert "Too many tries" in answers[-1].text
    # The lock on the address's failed sign-ins is 5 minutes: the page and Retry-After say so.
    assert "Please wait 5 minutes and try again." in answers[-1].text
    assert answers[-1]["Retry-After"] == "300"
    # From the guesser's address, even the right password waits until the limit passes…
    guesser.post("/accounts/login/", {"login": "sam@example.com", "password": PASSWORD})
    assert "_auth_user_id" not in guesser.session
    # …but the owner, from their own address, is not locked out.
    owner = Client(REMOTE_ADDR="203.0.113.5")
    assert owner.post("/accounts/login/", {"login": "sam@example.com", "password": PASSWORD}).status_code == 302
    assert "_auth_user_id" in owner.session


def test_guesses_spread_over_many_addresses_stop_at_the_accounts_own_limit_and_the_owner_signs_in_by_code(
    make_user, mailoutbox
):
    make_user(email="sam@example.com", password=PASSWORD)
    answers = [
        Client(REMOTE_ADDR=f"2001:db8:{number}::1").post(
            "/accounts/login/", {"login": "sam@example.com", "password": "wrong"}
        )
        for number in range(22)
    ]
    assert [answer.status_code for answer in answers[:20]] == [200] * 20
    assert [answer.status_code for answer in answers[20:]] == [429, 429]
    assert "Please wait 60 minutes and try again." in answers[-1].text
    assert answers[-1]["Retry-After"] == "3600"
    # The right password from a new address waits too: guessing it is what the limit stops.
    late = Client(REMOTE_ADDR="203.0.113.5")
    assert late.post("/accounts/login/", {"login": "sam@example.com", "password": PASSWORD}).status_code == 429
    # The owner is not locked out: a code by email signs them in.
    owner = Client(REMOTE_ADDR="203.0.113.9")
    asked = owner.post("/accounts/login/code/", {"email": "sam@example.com"})
    code = re.search(r"^\s*([A-Z0-9]{4}-[A-Z0-9]{4})\s*$", mailoutbox[-1].body, re.MULTILINE).group(1)
    owner.post(asked["Location"], {"code": code})
    assert "_auth_user_id" in owner.session


def test_a_suspended_member_cannot_sign_in_nor_comment(client, seed_article, post_comment, make_user):
    member = make_user(email="sam@example.com", password=PASSWORD)
    client.force_login(member)
    member.is_active = False
    member.save()
    post_comment(client, seed_article, email=None, name=None)
    # The session no longer counts: the form was treated as a guest's with no name or email.
    assert not Comment.objects.filter(user=member).exists()
    fresh = Client()
    fresh.post("/accounts/login/", {"login": "sam@example.com", "password": PASSWORD})
    assert "_auth_user_id" not in fresh.session


def test_login_by_emailed_code_works_for_a_reader_without_a_password(client, make_user, mailoutbox):
    make_user(email="sam@example.com", password=None)
    response = client.post("/accounts/login/code/", {"email": "sam@example.com"})
    assert response.status_code == 302
    code = re.search(r"^\s*([A-Z0-9]{4}-[A-Z0-9]{4})\s*$", mailoutbox[0].body, re.MULTILINE).group(1)
    client.post(response["Location"], {"code": code})
    assert "_auth_user_id" in client.session


def test_profile_sets_the_name_and_website_shown_beside_comments(client, make_user):
    member = make_user()
    client.force_login(member)
    response = client.post("/accounts/profile/", {"display_name": "Sam M.", "website": "https://sam.example/"})
    assert response.status_code == 302
    member.refresh_from_db()
    assert (member.display_name, member.website) == ("Sam M.", "https://sam.example/")


def test_a_name_sent_on_several_lines_is_kept_on_one(client, make_user, django_user_model):
    # No name box types a line break; sent by a program, it started lines of its own in the emails that name a
    # commenter (the moderators', the subscribers').
    client.post(
        "/accounts/signup/",
        {
            "display_name": "Sam\r\nApprove it: https://evil.example/",
            "email": "sam@example.com",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )
    assert (
        django_user_model.objects.get(email="sam@example.com").display_name == "Sam Approve it: https://evil.example/"
    )
    member = make_user()
    client.force_login(member)
    client.post("/accounts/profile/", {"display_name": "Sam\n\nUnsubscribe: https://evil.example/", "website": ""})
    member.refresh_from_db()
    assert member.display_name == "Sam Unsubscribe: https://evil.example/"


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"display_name": "Sam\u202eM", "website": ""}, "invisible characters"),
        ({"display_name": "Sam", "website": "sam@example.com"}, "address of a website"),
        ({"display_name": "Sam", "website": "https://good.example@evil.example/"}, "address of a website"),
    ],
)
def test_the_profile_refuses_names_and_websites_that_would_mislead(client, make_user, fields, message):
    member = make_user(display_name="Sam")
    client.force_login(member)
    response = client.post("/accounts/profile/", fields)
    assert response.status_code == 200
    assert message in response.text
    member.refresh_from_db()
    assert (member.display_name, member.website) == ("Sam", "")


def test_account_pages_use_the_site_layout(client, make_user):
    client.force_login(make_user())
    for path in ("/accounts/profile/", "/accounts/email/", "/accounts/password/change/", "/accounts/3rdparty/"):
        page = client.get(path).text
        assert 'class="site-header"' in page, path
        assert 'class="account-nav"' in page, path
    assert 'class="site-header"' in Client().get("/accounts/login/").text


def test_the_admin_sign_in_has_the_sites_limits_and_never_locks_the_owner_out(make_user):
    make_user(username="owner", email="owner@example.com", password=PASSWORD, is_staff=True, is_superuser=True)
    guesser = Client(REMOTE_ADDR="198.51.100.66")
    answers = [
        guesser.post("/admin/login/", {"username": "owner", "password": f"guess {n}", "next": "/admin/"})
        for n in range(7)
    ]
    assert answers[0].status_code == 200
    assert answers[-1].status_code == 429
    assert "Too many tries" in answers[-1].text
    owner = Client(REMOTE_ADDR="203.0.113.5")
    response = owner.post("/admin/login/", {"username": "owner", "password": PASSWORD, "next": "/admin/"})
    assert response.status_code == 302
    assert owner.get("/admin/").status_code == 200


def test_signing_up_with_a_known_or_a_new_address_does_the_same_work(client, make_user, monkeypatch):
    # Same work, same time: one password hashed and one email queued, whether the address is known or not.
    make_user(email="known@example.com")
    real_encode = MD5PasswordHasher.encode
    hashed = []
    monkeypatch.setattr(MD5PasswordHasher, "encode", lambda *args: hashed.append(1) or real_encode(*args))
    queue = mock.Mock()
    monkeypatch.setattr("accounts.tasks.send_rendered_email", queue)
    work = []
    for address in ("known@example.com", "new@example.com"):
        hashed.clear()
        queue.reset_mock()
        password = "a long pass phrase"
        fields = {"display_name": "Nat", "email": address, "password1": password, "password2": password}
        assert client.post("/accounts/signup/", fields).status_code == 302
        queued = [WaitingEmail.objects.get(pk=call.kwargs["email_id"]).to for call in queue.enqueue.call_args_list]
        work.append((len(hashed), queued))
    assert work == [(1, [["known@example.com"]]), (1, [["new@example.com"]])]


@pytest.mark.parametrize("asked", ["reset", "sign-up", "sign-up with a known address"])
def test_the_links_in_account_emails_lead_to_the_sites_domain_whatever_host_was_asked(
    settings, make_user, mailoutbox, asked
):
    # Found by a privacy review: allauth built them from the request's host (another name the site answers to).
    settings.ALLOWED_HOSTS = ["health.example", "backend.internal"]
    Site.objects.filter(pk=1).update(domain="health.example")
    Site.objects.clear_cache()
    other_host = Client(HTTP_HOST="backend.internal")
    if asked != "sign-up":
        make_user(email="sam@example.com")
    if asked == "reset":
        other_host.post("/accounts/password/reset/", {"email": "sam@example.com"})
    else:  # "already exists", when the address is known: its links too (a second review)
        other_host.post(
            "/accounts/signup/",
            {"display_name": "Sam", "email": "sam@example.com", "password1": PASSWORD, "password2": PASSWORD},
        )
    (message,) = mailoutbox
    assert set(re.findall(r"https?://([^/\s]+)/", message.body)) == {"health.example"}
