"""The shipped nginx config in front of gunicorn, both as in production, on free ports.

The stack has a database of its own (a SQLite file) and shares Redis with nothing
else (a database number of its own), so it runs beside the test database. Changes
are made by management commands, other processes, as a moderator's would be.
"""

import shutil
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
import redis

from bench.stack import STATIC_ROOT, free_port, gunicorn, manage, nginx, production_env
from tests.needs import missing

REDIS_URL = "redis://127.0.0.1:6379/12"
SHARED_FOR = 2  # s-maxage, kept short so that the test waits for it
ARTICLE = "/2026/11/02/hemifacial-spasm/"


def get(url: str, *, cookie: str = "") -> tuple[int, dict[str, str], str]:
    request = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})  # noqa: S310 (loopback)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 (loopback)
            return response.status, dict(response.headers), response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read().decode()


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    if not shutil.which("nginx"):
        missing("nginx is not installed; `make test` installs Debian's nginx")
    try:
        redis.Redis.from_url(REDIS_URL).flushdb()
    except redis.RedisError:
        missing(f"Redis is not answering at {REDIS_URL}")
    workdir: Path = tmp_path_factory.mktemp("stack")
    env = production_env(
        database_url=f"sqlite:///{workdir / 'site.sqlite3'}",
        redis_url=REDIS_URL,
        PAGE_SHARED_MAX_AGE=str(SHARED_FOR),
        PAGE_STALE_WHILE_REVALIDATE="0",
        PROXY_COUNT="1",
    )
    manage(env, "migrate", "--noinput")
    manage(env, "load_seed_article")
    manage(env, "collectstatic", "--noinput", "--verbosity", "0")
    app, front = free_port(), free_port()
    with (
        gunicorn(env, port=app, workers=2, log=workdir / "gunicorn.log"),
        nginx(listen=front, upstream=app, static_root=STATIC_ROOT, workdir=workdir / "nginx"),
    ):
        yield env, f"http://127.0.0.1:{front}"


def test_an_anonymous_page_is_a_cache_hit_the_second_time(stack):
    _env, front = stack
    statuses = [get(front + ARTICLE)[1]["X-Cache-Status"] for _ in range(3)]
    assert statuses[0] in ("MISS", "HIT", "EXPIRED", "UPDATING", "STALE")
    assert statuses[1:] == ["HIT", "HIT"]


def test_static_files_come_from_nginx(stack):
    _env, front = stack
    status, headers, _body = get(front + "/robots.txt")
    assert status == 200
    page = get(front + "/")[2]
    stylesheet = page.split('<link rel="stylesheet" href="', 1)[1].split('"', 1)[0]
    status, headers, _body = get(front + stylesheet)
    assert status == 200
    assert "immutable" in headers["Cache-Control"]
    assert headers["X-Content-Type-Options"] == "nosniff"  # as the site's pages, and the uploads
    assert "X-Cache-Status" not in headers  # served from disk, not through gunicorn


def test_a_signed_in_readers_page_never_comes_from_the_cache(stack):
    env, front = stack
    session = manage(
        env,
        "shell",
        "-c",
        "from django.contrib.auth import get_user_model, SESSION_KEY, BACKEND_SESSION_KEY, HASH_SESSION_KEY\n"
        "from django.contrib.sessions.backends.cached_db import SessionStore\n"
        "user = get_user_model().objects.create_user('rita', 'rita@example.com', 'x', display_name='Rita Reader')\n"
        "s = SessionStore()\n"
        "s[SESSION_KEY] = str(user.pk)\n"
        "s[BACKEND_SESSION_KEY] = 'django.contrib.auth.backends.ModelBackend'\n"
        "s[HASH_SESSION_KEY] = user.get_session_auth_hash()\n"
        "s.create()\n"
        "print(s.session_key)",
    ).split()[-1]
    get(front + ARTICLE)  # the anonymous page is in the cache
    for _ in range(3):
        status, headers, body = get(front + ARTICLE, cookie=f"sessionid={session}")
        assert status == 200
        assert headers["X-Cache-Status"] == "BYPASS"
        assert headers["Cache-Control"] == "private, no-store"
        assert "You are commenting using your" in body
        assert "Rita Reader" in body


def test_a_newly_approved_comment_shows_through_the_proxy_within_its_shared_lifetime(stack):
    env, front = stack
    comment = "The injections helped my left eye within a week."
    manage(
        env,
        "shell",
        "-c",
        "from articles.models import Article\nfrom articles.sanitize import clean_comment_html\n"
        "from comments.models import Comment\n"
        f"body = {comment!r}\n"
        "Comment.objects.create(article=Article.objects.get(slug='hemifacial-spasm'), author_name='Gina',"
        " author_email='gina@example.com', body=body, body_html=clean_comment_html(body), status='pending')",
    )
    assert comment not in get(front + ARTICLE)[2]
    assert get(front + ARTICLE)[1]["X-Cache-Status"] == "HIT"
    manage(
        env,
        "shell",
        "-c",
        "from comments.models import Comment, moderators\nfrom comments.services import comment_moderate\n"
        "from django.contrib.auth import get_user_model\n"
        "mo = get_user_model().objects.create_superuser('mo', 'mo@example.com', 'x')\n"
        "comment_moderate(comment=Comment.objects.get(author_name='Gina'), action='approve', by=mo)",
    )
    approved_at = time.monotonic()  # committed: the command has ended
    while comment not in get(front + ARTICLE)[2]:
        assert time.monotonic() - approved_at <= SHARED_FOR + 1, "not visible within s-maxage"
        time.sleep(0.2)


def test_with_gunicorn_down_readers_get_the_sites_own_page_not_nginxs(stack, tmp_path):
    _env, _front = stack  # its static files collected
    front, nowhere = free_port(), free_port()
    with nginx(listen=front, upstream=nowhere, static_root=STATIC_ROOT, workdir=tmp_path / "nginx"):
        page = get(f"http://127.0.0.1:{front}/search/?q=botox")
        request = urllib.request.Request(  # noqa: S310 (loopback)
            f"http://127.0.0.1:{front}/comments/post/1/", data=b"comment=Typed+words", method="POST"
        )
        try:
            urllib.request.urlopen(request, timeout=10)  # noqa: S310 (loopback)
        except urllib.error.HTTPError as error:
            posted = (error.code, error.read().decode())
    assert page[0] == 502
    assert "The site is not answering just now" in page[2]
    assert posted[0] == 502
    assert "go back with your browser’s Back button" in posted[1]
