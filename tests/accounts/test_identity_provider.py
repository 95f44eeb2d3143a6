"""Signing in through a real OpenID Connect identity provider (tests/idp), without a browser.

Django's test client plays the site; a `requests` session plays the reader at the identity
provider, which runs as its own process. Only the callback is handed back to the test client.
"""

from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
import requests
from allauth.account.models import EmailAddress
from allauth.socialaccount.models import SocialApp
from django.contrib import auth
from django.urls import reverse

from tests.idp.fixture import PROVIDER_ID, IdentityProvider

pytestmark = pytest.mark.django_db


class FormFields(HTMLParser):
    """The named, non-button fields of a page's form, as a browser would submit them."""

    def __init__(self) -> None:
        super().__init__()
        self.fields: dict[str, str] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "input" and attributes.get("name") and attributes.get("type") != "submit":
            self.fields[attributes["name"]] = attributes.get("value") or ""


def form_fields(page: str) -> dict[str, str]:
    parser = FormFields()
    parser.feed(page)
    return parser.fields


def answer_at_identity_provider(authorize_url: str, provider: IdentityProvider, *, allow: bool) -> str:
    """Sign in at the identity provider, answer its consent page, and return where it redirects."""
    with requests.Session() as reader:
        login_page = reader.get(authorize_url, timeout=10)
        assert "Test Identity Provider — Sign in" in login_page.text
        credentials = {"username": provider.username, "password": provider.password}
        consent_page = reader.post(login_page.url, data=form_fields(login_page.text) | credentials, timeout=10)
        assert "Test Identity Provider — Authorize" in consent_page.text
        answer = form_fields(consent_page.text) | ({"allow": "Authorize"} if allow else {})
        response = reader.post(consent_page.url, data=answer, allow_redirects=False, timeout=10)
    assert response.status_code == 302, response.text
    return response.headers["Location"]


def return_to_site(client, location: str):
    """Follow the identity provider's redirect to our callback with the test client."""
    callback = urlsplit(location)
    assert (callback.scheme, callback.netloc) == ("http", "testserver")
    return client.get(f"{callback.path}?{callback.query}")


@pytest.fixture
def identity_provider_app(identity_provider) -> SocialApp:
    return identity_provider.register_on_site()


@pytest.fixture
def authorize_url(client, identity_provider_app) -> str:
    response = client.post(reverse("openid_connect_login", kwargs={"provider_id": PROVIDER_ID}), {"next": "/"})
    assert response.status_code == 302
    return response["Location"]


def test_reader_who_approves_at_the_identity_provider_is_signed_in_and_returned(
    client, identity_provider, authorize_url
):
    location = answer_at_identity_provider(authorize_url, identity_provider, allow=True)

    response = return_to_site(client, location)

    assert response.status_code == 302
    assert response["Location"] == "/"
    assert auth.get_user(client).is_authenticated


def test_new_account_takes_its_name_and_email_from_the_identity_provider(client, identity_provider, authorize_url):
    return_to_site(client, answer_at_identity_provider(authorize_url, identity_provider, allow=True))

    user = auth.get_user(client)
    assert (user.display_name, user.email) == ("Olivia Okafor", "olivia@idp.example")


def test_email_address_the_identity_provider_verified_needs_no_confirmation_mail(
    client, identity_provider, authorize_url, mailoutbox
):
    return_to_site(client, answer_at_identity_provider(authorize_url, identity_provider, allow=True))

    address = EmailAddress.objects.get(email="olivia@idp.example")
    assert (address.verified, address.primary) == (True, True)
    assert mailoutbox == []


def test_reader_who_denies_consent_returns_to_a_cancelled_page_signed_out(client, identity_provider, authorize_url):
    location = answer_at_identity_provider(authorize_url, identity_provider, allow=False)

    response = return_to_site(client, location)
    page = client.get(response["Location"])

    assert response["Location"] == reverse("socialaccount_login_cancelled")
    assert page.status_code == 200
    assert not auth.get_user(client).is_authenticated
