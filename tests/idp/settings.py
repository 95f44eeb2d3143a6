"""Settings for the test identity provider, a separate Django project that only tests start.

`serve.py` sets IDP_DATABASE and IDP_ISSUER before Django reads this module; the signing key
and the secret key are new on every start, so nothing here is a secret worth keeping.
"""

import os
import secrets
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

BASE_DIR = Path(__file__).resolve().parent


def rsa_private_key_pem() -> str:
    """A fresh RSA key for signing ID tokens (RS256)."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return key.private_bytes(
        encoding=serialization.Encoding.PEM,
        format=serialization.PrivateFormat.PKCS8,
        encryption_algorithm=serialization.NoEncryption(),
    ).decode()


# ---- Environment -----------------------------------------------------------
DEBUG = False
SECRET_KEY = secrets.token_urlsafe(50)
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
ISSUER = os.environ["IDP_ISSUER"]

# ---- Applications ----------------------------------------------------------
INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "oauth2_provider",
]

MIDDLEWARE = [
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
]

ROOT_URLCONF = "tests.idp.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {"context_processors": ["django.template.context_processors.request"]},
    },
]

# ---- Data ------------------------------------------------------------------
DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": os.environ["IDP_DATABASE"]}}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# A database that lives as long as the process: tables straight from the models (`migrate
# --run-syncdb`) rather than replaying every app's migrations, which took over a second per start.
MIGRATION_MODULES = {app.rpartition(".")[2]: None for app in INSTALLED_APPS}

# ---- Accounts --------------------------------------------------------------
LOGIN_URL = "login"
# A throwaway user in a throwaway database: hashing fast keeps sign-in fast.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Cookies ignore ports: on 127.0.0.1 the site under test sets `sessionid` and `csrftoken` too.
CSRF_COOKIE_NAME = "idp_csrftoken"
SESSION_COOKIE_NAME = "idp_sessionid"

# ---- OpenID Connect ----------------------------------------------------------
OAUTH2_PROVIDER = {
    "COMPLIANT_BCP_RFC9700_ACCESS_TOKEN_TRANSPORT": True,
    "COMPLIANT_BCP_RFC9700_AUTHZ_RESPONSE_ISS": True,
    "COMPLIANT_BCP_RFC9700_IMPLICIT_GRANT": True,
    "COMPLIANT_BCP_RFC9700_PASSWORD_GRANT": True,
    "COMPLIANT_BCP_RFC9700_PKCE_METHOD": True,
    "COMPLIANT_BCP_RFC9700_TOKEN_STORAGE": True,
    "DEFAULT_SCOPES": ["openid"],
    "OAUTH2_VALIDATOR_CLASS": "tests.idp.validators.ProfileClaimsValidator",
    "OIDC_ENABLED": True,
    "OIDC_ISS_ENDPOINT": ISSUER,
    "OIDC_RSA_PRIVATE_KEY": rsa_private_key_pem(),
    # allauth's openid_connect provider sends no code_challenge unless OAUTH_PKCE_ENABLED is set;
    # a challenge, when sent, is still checked.
    "PKCE_REQUIRED": False,
    "SCOPES": {
        "openid": "Confirm who you are",
        "profile": "See your name and user name",
        "email": "See your email address",
    },
}

# ---- Internationalisation --------------------------------------------------
LANGUAGE_CODE = "en-us"
USE_I18N = True
USE_TZ = True

# ---- Logging ---------------------------------------------------------------
# Tracebacks go to stderr, which the pytest fixture shows when the server fails to start.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
