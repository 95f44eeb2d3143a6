"""Settings for Leave a Reply, read from the environment.

Every value has a harmless development default. With DEBUG off the project
refuses to start without a real SECRET_KEY: production fails closed.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    """A whole number from the environment; unset or empty, the default (as env_bool)."""
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}.") from None


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


# ---- Environment -----------------------------------------------------------
DEVELOPMENT_SECRET_KEY = "django-insecure-development-only-never-use-in-production"  # noqa: S105 (refused with DEBUG off)

DEBUG = env_bool("DEBUG", False)
SECRET_KEY = os.environ.get("SECRET_KEY", DEVELOPMENT_SECRET_KEY if DEBUG else "")
# What Django's deployment check (security.W009) takes for a real key: 50 characters or more, 5 different at least,
# not "django-insecure-…" (the development key is one). A weaker one would start, with a warning nobody reads.
if not DEBUG and (len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5 or SECRET_KEY.startswith("django-insecure-")):
    raise ImproperlyConfigured(
        "SECRET_KEY must be set to a random value of at least 50 characters when DEBUG is off, e.g. "
        "`python -c 'import secrets; print(secrets.token_urlsafe(50))'` "
        "(for development, set DEBUG=true instead; `make run` does)."
    )
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")
DATABASE_URL = os.environ.get("DATABASE_URL", "")
REDIS_URL = os.environ.get("REDIS_URL", "")
if not DEBUG and not (DATABASE_URL and REDIS_URL):
    # Several processes on several hosts must share one database, one cache
    # (sessions, rate limits, sign-in codes) and one task queue.
    raise ImproperlyConfigured("DATABASE_URL and REDIS_URL must be set when DEBUG is off.")
if not DATABASE_URL:
    (BASE_DIR / "var").mkdir(exist_ok=True)  # Ignored by git: the development database lives here.
    DATABASE_URL = f"sqlite:///{BASE_DIR / 'var' / 'db.sqlite3'}"
TIME_ZONE = os.environ.get("TIME_ZONE", "UTC")

# ---- Applications ----------------------------------------------------------
INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.messages",
    "django.contrib.redirects",  # an article's old addresses (articles/addresses.py)
    "django.contrib.sessions",
    "django.contrib.sitemaps",
    "django.contrib.sites",
    "django.contrib.staticfiles",
    "django.forms",  # its templates, for FORM_RENDERER below
    "django_tasks_db",
    "django_prose_editor",
    "allauth",
    "accounts.apps.EmailAddressesConfig",  # allauth.account, named so the admin has one "Accounts" section
    "allauth.socialaccount",
    "allauth.socialaccount.providers.facebook",
    "allauth.socialaccount.providers.google",
    "allauth.socialaccount.providers.openid_connect",
    "allauth.socialaccount.providers.twitter_oauth2",
    "accounts",
    "accounts.providers.wordpress",
    "articles",
    "comments",
]

MIDDLEWARE = [
    # ETag and 304, for pages from the cache as for the others.
    "django.middleware.http.ConditionalGetMiddleware",
    # A shared page is answered from the cache without what follows, and kept with all their headers.
    "config.pagecache.SharedPageCacheMiddleware",
    "config.requests.RefuseControlCharactersMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # After the https redirect: www.health.example leads to health.example (its Site), in one step more.
    "config.redirects.SiteHostMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "config.csp.RequestAllowancesMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # Last: a "not found" at an address that moved leads on to where it went.
    "config.redirects.RedirectFallbackMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
SITE_ID = 1

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.csp",
                "django.template.context_processors.request",
                "articles.context_processors.site",
            ],
            # Form elements' attributes in one call (templates/django/forms/ use it): config/form_templates.py.
            "libraries": {"form_attributes": "config.form_templates"},
        },
    },
]
# Forms render with the templates above, so that templates/django/forms/ replaces Django's own; their commonest
# elements are written in Python (config/form_templates.py).
FORM_RENDERER = "config.form_templates.FormRenderer"

# ---- Data ------------------------------------------------------------------
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60, conn_health_checks=True)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and env_bool("DATABASE_PREPARED_STATEMENTS", True):
    # Parameters sent apart from the query, and a query run a fifth time on a connection prepared: PostgreSQL
    # parses and plans it once per connection, not per request (README, Decisions). Off behind a pooler that
    # cannot keep a session's prepared statements (PgBouncer in transaction mode before 1.21).
    DATABASES["default"].setdefault("OPTIONS", {}).update(server_side_binding=True, prepare_threshold=5)
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # A PostgreSQL that does not answer (overloaded, a lock held, a network gone) costs a request a bounded wait, then
    # the 503 page that gives back what was typed; never gunicorn's bare 500 after its worker timeout, which kills the
    # worker with the reader's request. The statement limit is the web's (deploy/gunicorn.conf.py sets it): a
    # migration or an import run by hand may take longer.
    DATABASES["default"].setdefault("OPTIONS", {})["connect_timeout"] = env_int("DATABASE_CONNECT_TIMEOUT", 5)
    if statement_seconds := env_int("DATABASE_STATEMENT_TIMEOUT", 0):
        DATABASES["default"]["OPTIONS"]["options"] = f"-c statement_timeout={statement_seconds}s"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

if REDIS_URL:
    # Django's Redis backend, working on without Redis when it fails (config/cache.py says how).
    CACHES = {
        "default": {
            "BACKEND": "config.cache.RedisCache",
            "LOCATION": REDIS_URL,
            # A Redis that hangs costs a request a second at most, then is left alone a while.
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 1},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Sessions live in the database, read through the cache (shared by every process on
# every host with Redis): config/sessions.py.
SESSION_ENGINE = "config.sessions"

# ---- Accounts --------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
LOGIN_REDIRECT_URL = "/"
LOGIN_URL = "account_login"

ACCOUNT_ADAPTER = "accounts.adapters.AccountAdapter"
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
# A member is told by email when their password is changed or reset, or their addresses change (the old primary one
# too), as WordPress tells them: someone using a session left open cannot take the account over unseen.
ACCOUNT_EMAIL_NOTIFICATIONS = True
ACCOUNT_LOGIN_BY_CODE_ENABLED = True
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_LOGOUT_REDIRECT_URL = "/"
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": "10/m/ip,5/5m/key",
    "signup": "20/m/ip",
    "reset_password": "20/m/ip,5/m/key",
    "confirm_email": "1/3m/key",
}
# Failed sign-ins to one account from every address together (allauth's count is per account and address):
# accounts.adapters.AccountAdapter.pre_authenticate. The owner still signs in by a code sent by email.
LOGIN_FAILED_PER_ACCOUNT = "20/h/key"
# A guest asking for the link to their comments' data (comments.guest_data_views): per network, and per address
# from one network (a limit per address alone would let anyone lock its owner out of asking).
GUEST_DATA_REQUESTS = "10/h/ip,3/h/key"
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_SIGNUP_FORM_CLASS = "accounts.forms.SignupForm"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_USER_DISPLAY = "accounts.adapters.user_display"
# Members' pictures are copied from their provider by the worker: public HTTPS
# addresses only, unless a provider on a private network is being tried out.
AVATAR_FETCH_PRIVATE_ADDRESSES = env_bool("AVATAR_FETCH_PRIVATE_ADDRESSES", False)
SOCIALACCOUNT_ADAPTER = "accounts.adapters.SocialAccountAdapter"
SOCIALACCOUNT_EMAIL_AUTHENTICATION = False
SOCIALACCOUNT_LOGIN_ON_GET = False
SOCIALACCOUNT_STORE_TOKENS = False


def social_app(prefix: str, **extra) -> list[dict]:
    """A provider's app from <PREFIX>_CLIENT_ID and <PREFIX>_CLIENT_SECRET, when both are set."""
    client_id = os.environ.get(f"{prefix}_CLIENT_ID", "")
    secret = os.environ.get(f"{prefix}_CLIENT_SECRET", "")
    return [{"client_id": client_id, "secret": secret, **extra}] if client_id and secret else []


# Keys come from the environment here, or from Social applications in the admin.
# A provider with neither is not offered anywhere.
SOCIALACCOUNT_PROVIDERS = {
    "facebook": {"APPS": social_app("FACEBOOK"), "SCOPE": ["email", "public_profile"]},
    "google": {"APPS": social_app("GOOGLE"), "SCOPE": ["profile", "email"]},
    "openid_connect": {
        "APPS": social_app(
            "OIDC",
            provider_id=os.environ.get("OIDC_PROVIDER_ID", "sso"),
            name=os.environ.get("OIDC_NAME", "Single sign-on"),
            settings={"server_url": os.environ.get("OIDC_SERVER_URL", "")},
        )
        if os.environ.get("OIDC_SERVER_URL")
        else [],
    },
    "twitter_oauth2": {"APPS": social_app("TWITTER")},
    "wordpress": {
        "APPS": social_app("WORDPRESS"),
        "BASE_URL": os.environ.get("WORDPRESS_BASE_URL", "https://public-api.wordpress.com"),
    },
}

# ---- Email -----------------------------------------------------------------
# Unset, the site's emails come from its name at noreply@ its domain (the Sites admin): config/email.py.
DEFAULT_FROM_EMAIL_SET = bool(os.environ.get("DEFAULT_FROM_EMAIL"))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Leave a Reply <noreply@localhost>")
EMAIL_BACKEND_NAME = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend" if DEBUG else "django.core.mail.backends.smtp.EmailBackend",
)
MAILERS = {
    "default": {
        "BACKEND": EMAIL_BACKEND_NAME,
        "OPTIONS": (
            {
                "host": os.environ.get("EMAIL_HOST", "localhost"),
                "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
                "port": env_int("EMAIL_PORT", 25),
                # A mail server that takes the connection and never answers must not hold the task worker (and every
                # email queued behind) for good: the send fails after this, and the task is tried again later.
                "timeout": env_int("EMAIL_TIMEOUT", 20),
                "use_tls": env_bool("EMAIL_USE_TLS", False),
                "username": os.environ.get("EMAIL_HOST_USER", ""),
            }
            if EMAIL_BACKEND_NAME.endswith("smtp.EmailBackend")
            else {}
        ),
    }
}
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# ---- Internationalisation --------------------------------------------------
LANGUAGE_CODE = "en-us"
USE_I18N = True
USE_TZ = True

# ---- Static files and uploads ----------------------------------------------
STATIC_ROOT = BASE_DIR / "var" / "static"
STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Uploads (pictures) go through Django's storage API: this folder by default; an S3-compatible store by
# setting STORAGES["default"] (README, "Pictures"). Pages show pictures from this site's own address only.
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "var" / "media"))
MEDIA_URL = "/media/"
# Django serves the uploads itself only in development (runserver, the tests' live server); production's
# front server does (deploy/nginx/leave-a-reply.conf).
SERVE_MEDIA = env_bool("SERVE_MEDIA", DEBUG)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# ---- Security --------------------------------------------------------------
# A strict policy: nothing from another origin, no inline script or style.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "img-src": [CSP.SELF, "data:"],
    "object-src": [CSP.NONE],
    # No nonce: a page shared by every reader cannot carry one. The one inline script, the article editor's import
    # map, is on a personal admin page that adds the nonce for itself (articles.admin.ArticleAdmin.changeform_view).
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
}
CSRF_FAILURE_VIEW = "config.views.csrf_failure"
# What a reader typed that the 503 and 500 pages give back when a request fails midway: the comment box, and an
# article's body in the admin (an editor's hour of writing).
KEPT_WHEN_A_REQUEST_FAILS = ["comment", "body"]
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# How many reverse proxies in front of the site append to X-Forwarded-For:
# the reader's IP (for flood limits and moderators) is read from there.
PROXY_COUNT = env_int("PROXY_COUNT", 0)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("BEHIND_HTTPS_PROXY", False) else None
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = False
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", not DEBUG)
SILENCED_SYSTEM_CHECKS = [
    "security.W021",  # HSTS preload is a decision for the site owner, made outside this code.
    "security.W005",  # HSTS subdomains is the site owner's choice: SECURE_HSTS_INCLUDE_SUBDOMAINS.
]

# ---- Logging ---------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    # Django's own console handler (in development) would write each of its lines a second time, beside the root's.
    "loggers": {"django": {"handlers": []}},
}

# ---- Tasks -----------------------------------------------------------------
# Development runs tasks at once, after the request's transaction commits.
# Production queues them in the database, and `manage.py task_worker` runs them,
# so a slow mail server never holds up a reader's request.
TASKS = {
    "default": {
        "BACKEND": os.environ.get(
            "TASKS_BACKEND",
            "django.tasks.backends.immediate.ImmediateBackend" if DEBUG else "django_tasks_db.DatabaseBackend",
        )
    }
}

# ---- Shared pages ------------------------------------------------------------
# How long the site keeps a page it shares between anonymous readers (every change
# that page shows replaces it at once), and what it tells caches in front of it.
PAGE_CACHE_SECONDS = env_int("PAGE_CACHE_SECONDS", 600)
PAGE_SHARED_MAX_AGE = env_int("PAGE_SHARED_MAX_AGE", 10)
PAGE_STALE_WHILE_REVALIDATE = env_int("PAGE_STALE_WHILE_REVALIDATE", 30)
# A request with one of these cookies gets its own page: a session (signed in, a
# draft), the held comments it posted, a comment just posted (for the time caches in
# front may keep a page), the comment box's saved details, a message to show.
PAGE_CACHE_PERSONAL_COOKIES = [
    "sessionid",
    "comments_held",
    "comments_mine",
    "comment_posted",
    "comment_author",
    "messages",
]
# PostgreSQL's text-search configuration for the site's language (articles/search.py): English words, read without
# their accents (made by articles migration 0019).
SEARCH_CONFIG = os.environ.get("SEARCH_CONFIG", "english_unaccent")
# The query parameters shared pages use (page numbers, a comment to reply to); each
# view says which of them it reads. A request with any other is not shared.
PAGE_CACHE_QUERY_PARAMETERS = {"cpage", "page", "replytocom"}

# ---- Articles --------------------------------------------------------------
ARTICLES_PER_PAGE = env_int("ARTICLES_PER_PAGE", 10)
# Pictures: the largest upload accepted, and the widths of the smaller copies made of each at upload
# (pages offer them in srcset; a copy is made only for widths smaller than the original).
IMAGE_UPLOAD_MAX_BYTES = env_int("IMAGE_UPLOAD_MAX_BYTES", 10 * 1024 * 1024)
IMAGE_WIDTHS = sorted(int(width) for width in env_list("IMAGE_WIDTHS", "480,960,1440"))
# Medical review: an article is checked again this long after its last review (the NHS Standard for
# creating health content asks for a review at least every 3 years; a year is the common practice),
# and the admin lists it as due this many days before.
REVIEW_CYCLE_DAYS = env_int("REVIEW_CYCLE_DAYS", 365)
# How often the article editor keeps what is being written (articles.admin.ArticleAdmin.autosave_view); 0: never.
ARTICLE_AUTOSAVE_SECONDS = env_int("ARTICLE_AUTOSAVE_SECONDS", 15)
REVIEW_DUE_SOON_DAYS = env_int("REVIEW_DUE_SOON_DAYS", 30)
