from unittest import mock

import pytest
from django.db import OperationalError

pytestmark = pytest.mark.django_db

# Each page type, with the status it is served with.
PAGE_TYPES = [
    ("/", 200),
    ("/2026/11/02/hemifacial-spasm/", 200),
    ("/category/conditions/", 200),
    ("/tag/nerves/", 200),
    ("/2026/", 200),
    ("/2026/11/", 200),
    ("/2026/11/02/", 200),
    ("/feed/", 200),
    ("/feed/atom/", 200),
    ("/comments/feed/", 200),
    ("/2026/11/02/hemifacial-spasm/feed/", 200),
    ("/search/?q=botulinum", 200),
    ("/author/no-one/", 404),
    ("/sitemap.xml", 200),
    ("/robots.txt", 200),
    ("/no-such-page/", 404),
    ("/admin/login/", 200),
]


@pytest.fixture
def seeded(tag):
    from articles.services import seed_article_load

    article, _ = seed_article_load()
    article.tags.add(tag)
    return article


@pytest.mark.parametrize(("path", "status"), PAGE_TYPES)
def test_every_page_type_is_served_under_a_strict_content_security_policy(client, seeded, path, status):
    response = client.get(path)
    assert response.status_code == status
    policy = dict(
        directive.strip().split(" ", 1) for directive in response.headers["Content-Security-Policy"].split(";")
    )
    assert policy["default-src"] == "'self'"
    assert policy["frame-ancestors"] == "'none'"
    assert policy["object-src"] == "'none'"
    assert set(policy["script-src"].split()) <= {"'self'"} | {
        token for token in policy["script-src"].split() if token.startswith("'nonce-")
    }
    assert "unsafe-inline" not in response.headers["Content-Security-Policy"]
    assert "unsafe-eval" not in response.headers["Content-Security-Policy"]
    assert response.headers["X-Frame-Options"] == "DENY"


def test_html_pages_have_no_inline_scripts_or_styles(client, seeded):
    for path in ("/", seeded.get_absolute_url(), "/category/conditions/", "/search/?q=spasm", "/no-such-page/"):
        page = client.get(path).text
        assert "<script>" not in page
        assert " style=" not in page
        assert "<style" not in page


def test_unknown_address_gives_the_site_styled_404(client):
    response = client.get("/this/does/not/exist/")
    assert response.status_code == 404
    assert "Page not found" in response.text
    assert 'class="site-header"' in response.text
    assert "Traceback" not in response.text


def test_a_database_outage_gives_a_page_saying_to_try_again_not_a_traceback(client):
    client.raise_request_exception = False
    outage = OperationalError('connection to server at "127.0.0.1", port 5432 failed: Connection refused')
    with mock.patch("articles.models.ArticleQuerySet.published", side_effect=outage):
        response = client.get("/")
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "The site cannot reach its database just now" in response.text
    assert "Traceback" not in response.text
    assert "5432" not in response.text


def test_any_other_failure_gives_the_site_error_page(client):
    client.raise_request_exception = False
    with mock.patch("articles.models.ArticleQuerySet.published", side_effect=RuntimeError("a bug")):
        response = client.get("/")
    assert response.status_code == 500
    assert "Something went wrong" in response.text
    assert "a bug" not in response.text


def test_one_h1_per_page(client, seeded):
    for path in ("/", seeded.get_absolute_url(), "/category/conditions/", "/2026/", "/no-such-page/"):
        assert client.get(path).text.count("<h1") == 1, path


@pytest.mark.parametrize(
    "address",
    ["/accounts/avatars/1/%00.img", "/avatars/%00.svg", "/?page=%00", "/tag/a%0d%0ab/", "/feed/?x=%7f", "/?q=a+%00"],
)
def test_a_control_character_in_an_address_gets_the_bad_request_page(client, address):
    response = client.get(address)
    assert response.status_code == 400
    assert "The site could not understand that request." in response.text


def test_a_form_too_large_to_read_says_so_and_where_the_text_is_kept(client, editor):
    client.raise_request_exception = False
    client.force_login(editor)
    response = client.post("/admin/articles/article/add/", {"title": "Long", "body": "x" * 3_000_000})
    assert response.status_code == 400
    assert "What was sent is too large: a form may send 2.5 MB at most." in response.text
    assert "autosave keeps what it last saved" in response.text
    assert "Traceback" not in response.text


def test_a_control_character_in_an_admin_filter_gets_the_bad_request_page(client, moderator):
    client.force_login(moderator)
    response = client.get("/admin/comments/comment/?status=%00")
    assert response.status_code == 400
