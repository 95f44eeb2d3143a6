import socket
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from allauth.account.models import EmailAddress
from allauth.socialaccount.adapter import get_adapter
from allauth.socialaccount.models import SocialAccount, SocialApp
from allauth.socialaccount.providers import registry
from django.contrib.auth import get_user
from django.contrib.sites.models import Site
from django.urls import reverse

from accounts.providers.wordpress.provider import WordPressProvider
from config.settings import social_app

pytestmark = pytest.mark.django_db

NEXT_URL = "/an-article/"


def offered_provider_names(rf) -> list[str]:
    return [provider.name for provider in get_adapter().list_providers(rf.get("/"))]


def configure_wordpress(settings, apps: list[dict], base_url: str = "https://public-api.wordpress.com") -> None:
    settings.SOCIALACCOUNT_PROVIDERS = {
        **settings.SOCIALACCOUNT_PROVIDERS,
        "wordpress": {"APPS": apps, "BASE_URL": base_url},
    }


def start_sign_in(client, fake_wordpress) -> str:
    """Press the WordPress.com button on the site; returns the consent page's address."""
    response = client.post(reverse("wordpress_login"), {"next": NEXT_URL})
    assert response.status_code == 302
    assert response["Location"].startswith(f"{fake_wordpress.base_url}/oauth2/authorize?")
    return response["Location"]


def answer_consent(authorize_url: str, action: str) -> str:
    """Press Approve or Deny on the fake WordPress.com; returns where it sends the reader back to."""
    base, _, query = authorize_url.partition("?")
    form = {name: values[0] for name, values in parse_qs(query).items()}
    response = requests.post(base, data={**form, "action": action}, allow_redirects=False, timeout=5)
    assert response.status_code == 302
    return response.headers["Location"]


def sign_in_through_wordpress(client, fake_wordpress, action: str = "approve"):
    callback_url = answer_consent(start_sign_in(client, fake_wordpress), action)
    return client.get(callback_url)


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# ---- Registration and configuration -----------------------------------------


def test_wordpress_provider_is_registered_as_wordpress_com():
    assert registry.get_class("wordpress") is WordPressProvider
    assert WordPressProvider.name == "WordPress.com"
    assert reverse("wordpress_login") == "/accounts/wordpress/login/"
    assert reverse("wordpress_callback") == "/accounts/wordpress/login/callback/"


def test_wordpress_is_not_offered_without_keys(settings, rf):
    configure_wordpress(settings, apps=[])
    assert "WordPress.com" not in offered_provider_names(rf)


def test_wordpress_is_offered_with_keys_from_the_environment(settings, rf, monkeypatch):
    monkeypatch.setenv("WORDPRESS_CLIENT_ID", "61234")
    monkeypatch.setenv("WORDPRESS_CLIENT_SECRET", "from-the-environment")
    configure_wordpress(settings, apps=social_app("WORDPRESS"))
    assert "WordPress.com" in offered_provider_names(rf)


def test_wordpress_is_offered_with_a_social_application_added_in_the_admin(settings, rf):
    configure_wordpress(settings, apps=[])
    app = SocialApp.objects.create(provider="wordpress", name="WordPress.com", client_id="61234", secret="s3cret")
    app.sites.add(Site.objects.get_current())
    assert "WordPress.com" in offered_provider_names(rf)


# ---- Profile mapping -------------------------------------------------------


@pytest.fixture
def wordpress_provider(settings, rf):
    configure_wordpress(settings, apps=[{"client_id": "61234", "secret": "s3cret"}])
    return get_adapter().get_provider(rf.get("/"), "wordpress")


@pytest.fixture
def me() -> dict:
    return {
        "ID": 81726354,
        "display_name": "Hana Okafor",
        "username": "hanaokafor",
        "email": "hana@example.com",
        "email_verified": True,
        "avatar_URL": "https://0.gravatar.com/avatar/0123abcd?s=96&d=identicon",
        "profile_URL": "https://gravatar.com/hanaokafor",
    }


def test_wordpress_user_id_becomes_the_social_account_uid(wordpress_provider, me, rf):
    sociallogin = wordpress_provider.sociallogin_from_response(rf.get("/"), me)
    assert sociallogin.account.uid == "81726354"


def test_wordpress_display_name_and_username_fill_the_new_user(wordpress_provider, me, rf):
    user = wordpress_provider.sociallogin_from_response(rf.get("/"), me).user
    assert user.display_name == "Hana Okafor"
    assert user.username == "hanaokafor"
    assert user.email == "hana@example.com"


def test_a_wordpress_display_name_on_several_lines_is_kept_on_one(wordpress_provider, me, rf):
    # Found by a review: the sign-up and profile forms keep a name on one line, a name from WordPress.com was kept
    # as sent, and its lines went into the emails that name a commenter.
    me["display_name"] = "Hana Okafor\nUnsubscribe: https://evil.example/"
    user = wordpress_provider.sociallogin_from_response(rf.get("/"), me).user
    assert user.display_name == "Hana Okafor Unsubscribe: https://evil.example/"


@pytest.mark.parametrize("email_verified", [True, False])
def test_wordpress_email_is_kept_and_marked_verified_only_when_wordpress_says_so(
    wordpress_provider, me, rf, email_verified
):
    me["email_verified"] = email_verified
    sociallogin = wordpress_provider.sociallogin_from_response(rf.get("/"), me)
    [address] = sociallogin.email_addresses
    assert address.email == "hana@example.com"
    assert address.verified is email_verified
    assert address.primary


def test_wordpress_account_shows_display_name_avatar_and_profile(wordpress_provider, me, rf):
    account = wordpress_provider.sociallogin_from_response(rf.get("/"), me).account
    assert str(wordpress_provider.wrap_account(account)) == "Hana Okafor"
    assert account.get_avatar_url() == "https://0.gravatar.com/avatar/0123abcd?s=96&d=identicon"
    assert account.get_profile_url() == "https://gravatar.com/hanaokafor"


def test_wordpress_is_asked_only_for_the_auth_scope(wordpress_provider):
    assert wordpress_provider.get_scope() == ["auth"]


# ---- The OAuth2 round trip against the fake WordPress.com ------------------


def test_starting_sign_in_sends_the_reader_to_wordpress_consent(client, fake_wordpress):
    authorize_url = start_sign_in(client, fake_wordpress)
    query = parse_qs(urlsplit(authorize_url).query)
    assert query["client_id"] == [fake_wordpress.client_id]
    assert query["redirect_uri"] == ["http://testserver/accounts/wordpress/login/callback/"]
    assert query["response_type"] == ["code"]
    assert query["scope"] == ["auth"]
    assert query["state"][0]


def test_the_fake_consent_page_asks_to_authorize_the_site(client, fake_wordpress):
    page = requests.get(start_sign_in(client, fake_wordpress), timeout=5)
    assert page.status_code == 200
    assert "Authorize Leave a Reply to connect to your WordPress.com account" in page.text
    assert ">Approve</button>" in page.text
    assert ">Deny</button>" in page.text


def test_approving_on_wordpress_signs_the_reader_in_and_returns_to_next(client, fake_wordpress):
    response = sign_in_through_wordpress(client, fake_wordpress)
    assert response.status_code == 302
    assert response["Location"] == NEXT_URL
    assert get_user(client).is_authenticated


def test_a_new_wordpress_reader_gets_an_account_named_as_on_wordpress(client, fake_wordpress, django_user_model):
    sign_in_through_wordpress(client, fake_wordpress)
    user = django_user_model.objects.get()
    assert user.display_name == "Hana Okafor"
    assert user.public_name == "Hana Okafor"
    assert user.emailaddress_set.get().verified


def test_the_social_account_stores_what_wordpress_said(client, fake_wordpress):
    sign_in_through_wordpress(client, fake_wordpress)
    account = SocialAccount.objects.get(provider="wordpress")
    assert account.uid == str(fake_wordpress.user["ID"])
    assert account.extra_data["username"] == "hanaokafor"
    assert account.get_avatar_url() == f"{fake_wordpress.base_url}/avatar.png"


def test_the_avatar_url_is_served_by_the_fake_wordpress(fake_wordpress):
    response = requests.get(fake_wordpress.user["avatar_URL"], timeout=5)
    assert response.headers["Content-Type"] == "image/png"
    assert response.content.startswith(b"\x89PNG")


def test_a_returning_wordpress_reader_signs_in_to_the_same_account(client, fake_wordpress, django_user_model):
    sign_in_through_wordpress(client, fake_wordpress)
    client.logout()
    response = sign_in_through_wordpress(client, fake_wordpress)
    assert response["Location"] == NEXT_URL
    assert get_user(client).is_authenticated
    assert django_user_model.objects.count() == 1


def test_a_taken_wordpress_username_still_signs_the_reader_up(client, fake_wordpress, make_user, django_user_model):
    make_user(username="hanaokafor", email="someone.else@example.com")
    sign_in_through_wordpress(client, fake_wordpress)
    newcomer = django_user_model.objects.get(email="hana@example.com")
    assert newcomer.username != "hanaokafor"
    assert get_user(client) == newcomer


def test_an_unverified_wordpress_email_must_be_confirmed_before_signing_in(client, fake_wordpress, mailoutbox):
    fake_wordpress.user["email_verified"] = False
    response = sign_in_through_wordpress(client, fake_wordpress)
    assert response["Location"] == reverse("account_email_verification_sent")
    assert not get_user(client).is_authenticated
    assert not EmailAddress.objects.get(email="hana@example.com").verified
    [message] = mailoutbox
    assert message.to == ["hana@example.com"]


def test_a_wordpress_email_already_used_here_does_not_take_over_that_account(
    client, fake_wordpress, make_user, mailoutbox
):
    owner = make_user(email="hana@example.com")
    response = sign_in_through_wordpress(client, fake_wordpress)
    # Enumeration prevention: the page looks like "check your email", the mail tells the owner.
    assert response["Location"] == reverse("account_email_verification_sent")
    assert not get_user(client).is_authenticated
    assert not SocialAccount.objects.filter(user=owner).exists()
    assert [message.to for message in mailoutbox] == [["hana@example.com"]]


# ---- When it goes wrong: a page for the reader, never a 500 ----------------


def test_denying_consent_on_wordpress_shows_the_cancelled_page(client, fake_wordpress, django_user_model):
    response = sign_in_through_wordpress(client, fake_wordpress, action="deny")
    assert response["Location"] == reverse("socialaccount_login_cancelled")
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert "socialaccount/login_cancelled.html" in [template.name for template in page.templates]
    assert not django_user_model.objects.exists()


def test_a_forged_state_shows_the_sign_in_error_page(client, fake_wordpress, django_user_model):
    callback_url = answer_consent(start_sign_in(client, fake_wordpress), "approve")
    query = parse_qs(urlsplit(callback_url).query)
    response = client.get(reverse("wordpress_callback"), {"code": query["code"][0], "state": "forged"})
    assert response.status_code == 401
    assert "socialaccount/authentication_error.html" in [template.name for template in response.templates]
    assert not django_user_model.objects.exists()


def test_an_unreachable_wordpress_at_token_exchange_shows_the_sign_in_error_page(
    client, fake_wordpress, settings, django_user_model
):
    callback_url = answer_consent(start_sign_in(client, fake_wordpress), "approve")
    configure_wordpress(
        settings, apps=fake_wordpress.provider_settings()["APPS"], base_url=f"http://127.0.0.1:{closed_port()}"
    )
    response = client.get(callback_url)
    assert response.status_code == 401
    assert "socialaccount/authentication_error.html" in [template.name for template in response.templates]
    assert not django_user_model.objects.exists()


def test_a_code_wordpress_refuses_shows_the_sign_in_error_page(client, fake_wordpress, settings):
    callback_url = answer_consent(start_sign_in(client, fake_wordpress), "approve")
    configure_wordpress(
        settings, apps=[{"client_id": fake_wordpress.client_id, "secret": "wrong"}], base_url=fake_wordpress.base_url
    )
    response = client.get(callback_url)
    assert response.status_code == 401
    assert "socialaccount/authentication_error.html" in [template.name for template in response.templates]


def test_a_wordpress_answer_without_a_user_id_shows_the_sign_in_error_page(client, fake_wordpress):
    del fake_wordpress.user["ID"]
    response = sign_in_through_wordpress(client, fake_wordpress)
    assert response.status_code == 401
    assert "socialaccount/authentication_error.html" in [template.name for template in response.templates]
