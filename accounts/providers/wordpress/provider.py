"""WordPress.com as an allauth OAuth2 provider; the data comes from GET /rest/v1.1/me."""

from allauth.account.models import EmailAddress
from allauth.socialaccount.providers.base import ProviderAccount
from allauth.socialaccount.providers.oauth2.provider import OAuth2Provider

from accounts.providers.wordpress.views import WordPressOAuth2Adapter


class WordPressAccount(ProviderAccount):
    def get_profile_url(self) -> str | None:
        return self.account.extra_data.get("profile_URL") or None

    def get_avatar_url(self) -> str | None:
        return self.account.extra_data.get("avatar_URL") or None

    def to_str(self) -> str:
        data = self.account.extra_data
        return data.get("display_name") or data.get("username") or super().to_str()


class WordPressProvider(OAuth2Provider):
    id = "wordpress"
    name = "WordPress.com"
    account_class = WordPressAccount
    oauth2_adapter_class = WordPressOAuth2Adapter

    def get_default_scope(self) -> list[str]:
        # "auth" is the narrowest scope WordPress.com offers: it allows /me and nothing on the blogs.
        return ["auth"]

    def extract_uid(self, data: dict) -> str:
        return str(data["ID"])

    def extract_common_fields(self, data: dict) -> dict:
        return {
            "name": data.get("display_name") or "",
            "username": data.get("username") or "",
            "email": data.get("email") or "",
            "email_verified": bool(data.get("email_verified")),
            "avatar_url": data.get("avatar_URL") or "",
            "profile_url": data.get("profile_URL") or "",
        }

    def extract_email_addresses(self, data: dict) -> list[EmailAddress]:
        # Keep an unverified address too: allauth then asks the reader to confirm it before signing in.
        email = data.get("email")
        if not email:
            return []
        return [EmailAddress(email=email, verified=bool(data.get("email_verified")), primary=True)]


provider_classes = [WordPressProvider]
