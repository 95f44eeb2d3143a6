"""How allauth fits this site: names, redirects, and who may sign in."""

import secrets

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.core.internal import ratelimit
from allauth.core.ratelimit import respond_429
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from allauth.socialaccount.adapter import get_adapter as get_social_adapter
from django import forms
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.sites.shortcuts import get_current_site
from django.http import HttpRequest

from config.email import absolute_url, site_message_id, site_sender
from config.requests import client_ip
from config.views import too_many_tries

from .tasks import queue_rendered_email
from .validators import one_line


def user_display(user) -> str:
    """The name allauth shows for a user: the same public name as bylines and comments."""
    return user.public_name


# allauth's rate limit of failed sign-ins per account, from every address (settings.LOGIN_FAILED_PER_ACCOUNT).
ACCOUNT_FAILURES = "login_failed_account"


class AccountAdapter(DefaultAccountAdapter):
    def get_client_ip(self, request: HttpRequest) -> str:
        """The address allauth's rate limits count by: the site's own reading, behind PROXY_COUNT proxies."""
        return client_ip(request) or "0.0.0.0"  # noqa: S104 (an unknown client, counted as one)

    def _get_login_attempts_cache_key(self, request: HttpRequest, **credentials) -> str:
        """Failed sign-ins are counted per account *and* address (5 in 5 minutes): someone guessing a password from
        elsewhere cannot lock the owner out of their own account. The account's own count, from every address,
        is LOGIN_FAILED_PER_ACCOUNT (pre_authenticate)."""
        return f"{self._account_key(request, **credentials)}:{self.get_client_ip(request)}"

    def _account_key(self, request: HttpRequest, **credentials) -> str:
        return super()._get_login_attempts_cache_key(request, **credentials)

    def pre_authenticate(self, request: HttpRequest, **credentials) -> None:
        """Too many failed sign-ins: the 429 page, not the form again (nothing to try on it now).

        Past the address's limit, the account's own: guesses spread over many addresses (a botnet, an IPv6 range)
        stop too. Its owner is then not locked out: a code by email signs them in, and a password reset clears it."""
        try:
            super().pre_authenticate(request, **credentials)
            self._account_usage = ratelimit.consume(
                request,
                app="allauth.account",
                action=ACCOUNT_FAILURES,
                config={ACCOUNT_FAILURES: settings.LOGIN_FAILED_PER_ACCOUNT},
                key=self._account_key(request, **credentials),
            )
            if not self._account_usage:
                self._rollback_login_failed_rl_usage()
                wait = max(rate.duration for rate in ratelimit.parse_rates(settings.LOGIN_FAILED_PER_ACCOUNT))
                raise ImmediateHttpResponse(too_many_tries(request, wait_seconds=int(wait)).render())
        except forms.ValidationError as error:
            if error.code == "too_many_login_attempts":
                raise ImmediateHttpResponse(respond_429(request)) from error
            raise

    def _rollback_login_failed_rl_usage(self) -> None:
        """A sign-in that succeeded (or was refused before trying) counts toward neither limit."""
        super()._rollback_login_failed_rl_usage()
        if usage := getattr(self, "_account_usage", None):
            usage.rollback()

    def _delete_login_attempts_cached_email(self, request: HttpRequest, **credentials) -> None:
        """A password reset clears the account's count too."""
        super()._delete_login_attempts_cached_email(request, **credentials)
        ratelimit.clear(
            request, app="allauth.account", action=ACCOUNT_FAILURES, key=self._account_key(request, **credentials)
        )

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        """allauth's emails go through the task queue, rendered here: the request answers as fast whatever it
        sends (or not: an address already registered must not be told apart by the time it takes)."""
        request = allauth_context.request
        if request is not None:
            # Its links lead to the site's domain (Sites), as every email's of the site do, whatever host name the
            # request came by: allauth builds them from the request (a reset link, a confirmation, "sign up").
            here, there = request.build_absolute_uri("/"), absolute_url("/")
            context = {
                key: there + value.removeprefix(here) if isinstance(value, str) and value.startswith(here) else value
                for key, value in context.items()
            }
        context = {"request": request, "email": email, "current_site": get_current_site(request), **context}
        queue_rendered_email(self.render_mail(template_prefix, email, context))

    def send_account_already_exists_mail(self, email: str) -> None:
        """Signing up with an address already in use takes as long as a new account does: a password is hashed."""
        make_password(secrets.token_urlsafe())
        super().send_account_already_exists_mail(email)

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
            user.display_name = one_line(name)[:150]  # as the sign-up and profile forms keep it
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
