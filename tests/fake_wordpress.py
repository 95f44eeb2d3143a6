"""A fake WordPress.com for tests: a real HTTP server on 127.0.0.1 that speaks its OAuth2 and /me.

It answers the three addresses the provider uses, under `base_url`:

- GET  /oauth2/authorize  the consent page, "Authorize <app> to connect to your WordPress.com account",
                          with an Approve and a Deny button (a form POST back to the same address);
  POST /oauth2/authorize  Approve redirects to `redirect_uri?code=...&state=...`,
                          Deny to `redirect_uri?error=access_denied&...&state=...`;
- POST /oauth2/token      form data client_id, client_secret, redirect_uri, code,
                          grant_type=authorization_code; JSON token, or a 400 JSON error;
- GET  /rest/v1.1/me      with `Authorization: Bearer <token>`: the user as JSON, or a 403 JSON error;
- GET  /avatar.png        a 1x1 PNG, where the default user's avatar_URL points.

`user` is a plain dict in the shape of WordPress.com's /me answer; edit it in a test before signing in.
`requests_seen` lists every "METHOD /path" the server answered, so a test can tell whether a page
made the reader's browser fetch something from here (the avatar, say).

Use the `fake_wordpress` fixture: it starts the server, points the site's "wordpress" provider at it
(client id, secret and BASE_URL, through pytest-django's `settings`) and stops it afterwards. The
site under test is then either Django's test client (redirect_uri on http://testserver) or
pytest-django's `live_server` for browser tests: the fake is a second origin either way.
"""

import base64
import html
import json
import secrets
import threading
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlencode, urlsplit

import pytest

AVATAR_PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
)


class FakeWordPress:
    """One fake WordPress.com server, with one signed-in user and one registered app."""

    def __init__(
        self,
        *,
        client_id: str = "61234",
        client_secret: str = "fake-wordpress-client-secret",
        app_name: str = "Leave a Reply",
    ) -> None:
        self.client_id = client_id
        self.client_secret = client_secret
        self.app_name = app_name
        self.user: dict = {}
        self.requests_seen: list[str] = []
        self._codes: dict[str, dict] = {}
        self._tokens: set[str] = set()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    @property
    def base_url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> "FakeWordPress":
        handler = type("Handler", (_Handler,), {"fake": self})
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self._server.daemon_threads = True
        # A short poll interval: shutdown() waits for it, at the end of every test.
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, name="fake-wordpress", daemon=True
        )
        self._thread.start()
        self.user = default_user(self.base_url)
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def __enter__(self) -> "FakeWordPress":
        return self.start()

    def __exit__(self, *exc_info) -> None:
        self.stop()

    def provider_settings(self) -> dict:
        """The site's SOCIALACCOUNT_PROVIDERS["wordpress"] entry for this server."""
        return {"APPS": [{"client_id": self.client_id, "secret": self.client_secret}], "BASE_URL": self.base_url}

    # The OAuth2 steps, kept apart from HTTP so they read like WordPress.com's documentation.

    def approve(self, form: dict) -> str:
        code = secrets.token_urlsafe(16)
        self._codes[code] = {"client_id": form.get("client_id"), "redirect_uri": form.get("redirect_uri")}
        return _with_query(form["redirect_uri"], {"code": code, "state": form.get("state", "")})

    def deny(self, form: dict) -> str:
        return _with_query(
            form["redirect_uri"],
            {
                "error": "access_denied",
                "error_description": "The user denied access to this application.",
                "state": form.get("state", ""),
            },
        )

    def exchange(self, form: dict) -> tuple[HTTPStatus, dict]:
        if form.get("client_id") != self.client_id or form.get("client_secret") != self.client_secret:
            return HTTPStatus.BAD_REQUEST, {"error": "invalid_client", "error_description": "Unknown client_id."}
        if form.get("grant_type") != "authorization_code":
            return HTTPStatus.BAD_REQUEST, {
                "error": "unsupported_grant_type",
                "error_description": "grant_type is unknown.",
            }
        grant = self._codes.pop(form.get("code", ""), None)  # A code works once.
        if grant is None or grant["client_id"] != self.client_id:
            return HTTPStatus.BAD_REQUEST, {"error": "invalid_grant", "error_description": "Invalid code."}
        if grant["redirect_uri"] != form.get("redirect_uri"):
            return HTTPStatus.BAD_REQUEST, {
                "error": "invalid_request",
                "error_description": "The redirect_uri must match the one used in the authorization request.",
            }
        token = secrets.token_urlsafe(32)
        self._tokens.add(token)
        return HTTPStatus.OK, {
            "access_token": token,
            "token_type": "bearer",
            "blog_id": "0",
            "blog_url": "",
            "scope": "auth",
        }

    def me(self, authorization: str) -> tuple[HTTPStatus, dict]:
        scheme, _, token = authorization.partition(" ")
        if scheme.lower() != "bearer" or token not in self._tokens:
            return HTTPStatus.FORBIDDEN, {
                "error": "authorization_required",
                "message": "An active access token must be used to query information about the current user.",
            }
        return HTTPStatus.OK, self.user


def default_user(base_url: str) -> dict:
    """A WordPress.com /me answer, trimmed to the fields a site might read."""
    return {
        "ID": 81726354,
        "display_name": "Hana Okafor",
        "username": "hanaokafor",
        "email": "hana@example.com",
        "email_verified": True,
        "verified": True,
        "primary_blog": 190283746,
        "primary_blog_url": "https://hanaokafor.wordpress.com",
        "primary_blog_is_jetpack": False,
        "language": "en",
        "locale_variant": "",
        "token_site_id": False,
        "token_scope": ["auth"],
        "avatar_URL": f"{base_url}/avatar.png",
        "profile_URL": "https://gravatar.com/hanaokafor",
        "date": "2012-03-14T09:26:53+00:00",
        "site_count": 1,
        "visible_site_count": 1,
        "has_unseen_notes": False,
        "newest_note_type": "",
        "phone_account": False,
        "meta": {"links": {"self": "https://public-api.wordpress.com/rest/v1.1/me"}},
        "is_valid_google_apps_country": True,
        "logout_URL": "https://wordpress.com/wp-login.php?action=logout",
    }


def _with_query(url: str, params: dict) -> str:
    separator = "&" if urlsplit(url).query else "?"
    return f"{url}{separator}{urlencode(params)}"


class _Handler(BaseHTTPRequestHandler):
    fake: FakeWordPress

    def do_GET(self) -> None:
        path, _, query = self.path.partition("?")
        self.fake.requests_seen.append(f"GET {path}")
        if path == "/oauth2/authorize":
            self._consent_page(dict(parse_qsl(query)))
        elif path == "/rest/v1.1/me":
            self._json(*self.fake.me(self.headers.get("Authorization", "")))
        elif path == "/avatar.png":
            self._send(HTTPStatus.OK, "image/png", AVATAR_PNG)
        else:
            self._json(HTTPStatus.NOT_FOUND, {"error": "unknown_path"})

    def do_POST(self) -> None:
        path = self.path.partition("?")[0]
        self.fake.requests_seen.append(f"POST {path}")
        length = int(self.headers.get("Content-Length") or 0)
        form = dict(parse_qsl(self.rfile.read(length).decode()))
        if path == "/oauth2/authorize" and form.get("redirect_uri"):
            location = self.fake.approve(form) if form.get("action") == "approve" else self.fake.deny(form)
            self.send_response(HTTPStatus.FOUND)
            self.send_header("Location", location)
            self.send_header("Content-Length", "0")
            self.end_headers()
        elif path == "/oauth2/token":
            self._json(*self.fake.exchange(form))
        else:
            self._json(HTTPStatus.BAD_REQUEST, {"error": "invalid_request"})

    def _consent_page(self, params: dict) -> None:
        if params.get("client_id") != self.fake.client_id or params.get("response_type") != "code":
            self._send(HTTPStatus.BAD_REQUEST, "text/html; charset=utf-8", b"<h1>Invalid client_id.</h1>")
            return
        hidden = "".join(
            f'<input type="hidden" name="{name}" value="{html.escape(params.get(name, ""))}">'
            for name in ("client_id", "redirect_uri", "state", "scope")
        )
        page = (
            "<!doctype html><html lang='en'><head><meta charset='utf-8'><title>WordPress.com</title></head><body>"
            f"<h1>Authorize {html.escape(self.fake.app_name)} to connect to your WordPress.com account</h1>"
            f"<p>Signed in as {html.escape(self.fake.user.get('display_name', ''))}.</p>"
            f'<form method="post" action="/oauth2/authorize">{hidden}'
            '<button type="submit" name="action" value="approve">Approve</button> '
            '<button type="submit" name="action" value="deny">Deny</button>'
            "</form></body></html>"
        )
        self._send(HTTPStatus.OK, "text/html; charset=utf-8", page.encode())

    def _json(self, status: HTTPStatus, body: dict) -> None:
        self._send(status, "application/json", json.dumps(body).encode())

    def _send(self, status: HTTPStatus, content_type: str, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args) -> None:
        pass  # Quiet: pytest shows failures, not every request.


@pytest.fixture
def fake_wordpress(settings):
    """A running fake WordPress.com, with the site's "wordpress" provider configured to use it."""
    with FakeWordPress() as server:
        settings.SOCIALACCOUNT_PROVIDERS = {**settings.SOCIALACCOUNT_PROVIDERS, "wordpress": server.provider_settings()}
        yield server
