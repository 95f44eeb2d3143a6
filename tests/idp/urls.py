from django.contrib.auth.views import LoginView
from django.urls import include, path
from oauth2_provider import urls as oauth2_urls

# Only the endpoints an OpenID Connect relying party uses: no application management, no registration.
oidc_endpoints = oauth2_urls.base_urlpatterns + oauth2_urls.oidc_urlpatterns

urlpatterns = [
    path("login/", LoginView.as_view(), name="login"),
    path("o/", include((oidc_endpoints, "oauth2_provider"))),
]
