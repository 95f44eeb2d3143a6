"""The site in the environment README's Production section gives it (DEBUG off, the secure defaults kept), with
BEHIND_HTTPS_PROXY=true, asked as the shipped nginx forwards a request when it terminates TLS, the reader's scheme in
X-Forwarded-Proto: by Django's test client, in a `manage.py shell` of that environment (on a SQLite file), with no
nginx, gunicorn or TLS between. What it answers: a page over HTTPS with the security headers, one over plain HTTP
with a permanent redirect to HTTPS, the CSRF and session cookies marked Secure and SameSite=Lax (the session cookie
HttpOnly too), and static files at hashed names, as the process serves them itself (WhiteNoise: immutable, for ten
years). The shipped nginx serves static files itself, for a year: not checked here."""

import json
import re
import secrets

import pytest

from bench.stack import manage, production_env

SCRIPT = """
import json
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.test import Client

user = get_user_model().objects.create_user("rita", "rita@example.com", "correct horse battery")
EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
browser = Client(HTTP_HOST="health.example", HTTP_X_FORWARDED_PROTO="https")
plain = Client(HTTP_HOST="health.example", HTTP_X_FORWARDED_PROTO="http")

def answer(response, *, with_body=True):
    cookies = {
        name: {key: value for key, value in morsel.items() if value not in ("", None)}
        for name, morsel in response.cookies.items()
    }
    return {"status": response.status_code, "headers": dict(response.headers), "cookies": cookies,
            "body": response.content.decode(errors="replace") if with_body else ""}

front = answer(browser.get("/"))
stylesheet = front["body"].split('<link rel="stylesheet" href="', 1)[1].split('"', 1)[0]
print(json.dumps({
    "front": front,
    "plain": answer(plain.get("/")),
    "login form": answer(browser.get("/accounts/login/")),
    "signed in": answer(browser.post("/accounts/login/", {"login": user.email, "password": "correct horse battery"})),
    "stylesheet": answer(browser.get(stylesheet), with_body=False) | {"address": stylesheet},
}))
"""


@pytest.fixture(scope="module")
def answers(tmp_path_factory) -> dict:
    workdir = tmp_path_factory.mktemp("production")
    env = production_env(
        database_url=f"sqlite:///{workdir / 'site.sqlite3'}",
        redis_url="redis://127.0.0.1:6379/14",  # required with DEBUG off; nothing checked here needs it to answer
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="health.example",
        BEHIND_HTTPS_PROXY="true",
        PAGE_CACHE_SECONDS="0",
    )
    # The defaults, as README's Production section has them, not the benchmark's plain HTTP on loopback.
    for name in ("SECURE_SSL_REDIRECT", "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE", "SECURE_HSTS_SECONDS"):
        del env[name]
    manage(env, "migrate", "--noinput")
    manage(env, "collectstatic", "--noinput", "--verbosity", "0")
    return json.loads(manage(env, "shell", "--no-imports", "-c", SCRIPT).splitlines()[-1])


def test_a_page_asked_over_https_carries_the_security_headers(answers):
    headers = answers["front"]["headers"]
    assert answers["front"]["status"] == 200
    assert headers["Strict-Transport-Security"] == "max-age=31536000"
    assert headers["Referrer-Policy"] == "same-origin"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Cross-Origin-Opener-Policy"] == "same-origin"
    policy = dict(directive.strip().split(" ", 1) for directive in headers["Content-Security-Policy"].split(";"))
    assert policy["script-src"] == "'self'"
    assert policy["frame-ancestors"] == "'none'"


def test_a_page_asked_over_plain_http_leads_to_https_for_good(answers):
    assert answers["plain"]["status"] == 301
    assert answers["plain"]["headers"]["Location"] == "https://health.example/"


def test_the_csrf_cookie_is_sent_over_https_only(answers):
    csrf = answers["login form"]["cookies"]["csrftoken"]
    assert csrf["secure"] is True
    assert csrf["samesite"] == "Lax"


def test_the_session_cookie_is_sent_over_https_only_and_never_read_by_scripts(answers):
    assert answers["signed in"]["status"] == 302
    session = answers["signed in"]["cookies"]["sessionid"]
    assert session["secure"] is True
    assert session["httponly"] is True
    assert session["samesite"] == "Lax"


def test_static_files_the_site_serves_have_hashed_names_and_are_kept_for_ten_years(answers):
    stylesheet = answers["stylesheet"]
    assert re.fullmatch(r"/static/css/site\.[0-9a-f]{12}\.css", stylesheet["address"])
    assert stylesheet["status"] == 200
    assert "immutable" in stylesheet["headers"]["Cache-Control"]
    assert "max-age=315360000" in stylesheet["headers"]["Cache-Control"]
