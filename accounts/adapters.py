"""How allauth fits this site: names, redirects, and who may sign in."""

import secrets

from allauth.account.adapter import DefaultAccountAdapter
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from allauth.socialaccount.adapter import get_adapter as get_social_adapter
from django.http import HttpRequest

from config.email import site_message_id, site_sender


def user_display(user) -> str:
    """The name allauth shows for a user: the same public name as bylines and comments."""
    return user.public_name


class AccountAdapter(DefaultAccountAdapter):
    def get_from_email(self) -> str:
        """The site's sender, as for every email the site sends."""
        return site_sender()

    def render_mail(self, template_prefix: str, email: str, context: dict, headers: dict | None = None):
        """allauth's email, with a Message-ID under the site's domain."""
        return super().render_mail(
            template_prefix, email, context, {"Message-ID": site_message_id(), **(headers or {})}
        )

    def populate_username(self, request: HttpRequest, user) -> None:
        """A random user name: allauth would take it from the email address, which is never to be shown."""
        if not user.username:
            user.username = f"reader-{secrets.token_hex(6)}"


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    def populate_user(self, request: HttpRequest, sociallogin, data: dict):
        """Fill the display name from what the provider says, so comments show it."""
        user = super().populate_user(request, sociallogin, data)
        name = data.get("name") or " ".join(filter(None, [data.get("first_name"), data.get("last_name")]))
        if name and not user.display_name:
            user.display_name = name[:150]
        return user


# How the reader of this session signed in: the comment box names the provider.
SIGNED_IN_WITH_SESSION_KEY = "signed_in_with"


def signed_in_with(request: HttpRequest) -> str:
    """The name of the provider this session's reader signed in with; "" after a password or an emailed code."""
    return request.session.get(SIGNED_IN_WITH_SESSION_KEY, "") if request.user.is_authenticated else ""


def sign_in_choices(request: HttpRequest) -> list:
    """The social providers configured here (in the environment or the admin), in allauth's order."""
    return get_social_adapter().list_providers(request)


def sign_in_choice(request: HttpRequest, sub_id: str):
    """The configured provider a sign-in button names (each OpenID Connect app by its own id), or None."""
    return next((provider for provider in sign_in_choices(request) if provider.sub_id == sub_id), None)


def provider_icon(provider) -> str:
    """The static path of a provider's icon: one per kind of provider (every OpenID Connect app shares one)."""
    return f"img/providers/{type(provider).id}.svg"
