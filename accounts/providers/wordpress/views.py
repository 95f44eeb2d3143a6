"""The OAuth2 exchange with WordPress.com: where to send the reader, and how to fetch who they are."""

from allauth.socialaccount import app_settings
from allauth.socialaccount.adapter import get_adapter
from allauth.socialaccount.models import SocialApp, SocialLogin, SocialToken
from allauth.socialaccount.providers.base import ProviderException
from allauth.socialaccount.providers.oauth2.views import OAuth2Adapter, OAuth2CallbackView, OAuth2LoginView
from django.http import HttpRequest

DEFAULT_BASE_URL = "https://public-api.wordpress.com"


class WordPressOAuth2Adapter(OAuth2Adapter):
    provider_id = "wordpress"

    @property
    def base_url(self) -> str:
        # Read on every request, not at import, so tests and staging can point it at another server.
        settings = app_settings.PROVIDERS.get(self.provider_id, {})
        return (settings.get("BASE_URL") or DEFAULT_BASE_URL).rstrip("/")

    @property
    def authorize_url(self) -> str:
        return f"{self.base_url}/oauth2/authorize"

    @property
    def access_token_url(self) -> str:
        return f"{self.base_url}/oauth2/token"

    @property
    def profile_url(self) -> str:
        return f"{self.base_url}/rest/v1.1/me"

    def complete_login(self, request: HttpRequest, app: SocialApp, token: SocialToken, **kwargs) -> SocialLogin:
        headers = {"Authorization": f"Bearer {token.token}"}
        with get_adapter().get_requests_session() as session:
            response = session.get(self.profile_url, headers=headers)
            response.raise_for_status()
            data = response.json()
        if not isinstance(data, dict) or not data.get("ID"):
            # allauth turns this into its sign-in error page instead of a server error.
            raise ProviderException("WordPress.com answered /me without a user ID")
        return self.get_provider().sociallogin_from_response(request, data)


oauth2_login = OAuth2LoginView.adapter_view(WordPressOAuth2Adapter)
oauth2_callback = OAuth2CallbackView.adapter_view(WordPressOAuth2Adapter)
