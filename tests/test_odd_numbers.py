"""Numbers in addresses and forms that cannot be a row's: "²" (a digit to Python, not to a database), and ids larger
than a database holds (SQLite fails on them instead of finding nothing). Each gets the site's answer, never a 500."""

import pytest
from django.test import Client
from django.urls import reverse

from config.requests import row_id

pytestmark = pytest.mark.django_db

HUGE = "99999999999999999999999"
# More digits than Python turns into a number (int() refuses over 4300: sys.get_int_max_str_digits).
ENDLESS = "9" * 5000


@pytest.mark.parametrize(
    ("value", "number"),
    [
        ("12", 12),
        ("²", None),
        ("٣", None),
        (HUGE, None),
        (ENDLESS, None),
        (str(2**63 - 1), 2**63 - 1),
        ("0", None),
        ("-1", None),
        ("", None),
    ],
)
def test_a_row_id_is_ascii_digits_of_a_number_a_database_holds(value, number):
    assert row_id(value) == number


@pytest.fixture
def staff(admin_client):
    admin_client.raise_request_exception = False
    return admin_client


@pytest.mark.parametrize("comment", ["²", HUGE])
def test_the_block_form_naming_an_odd_comment_is_the_plain_form(staff, comment):
    response = staff.get(reverse("admin:comments_block_add"), {"comment": comment, "email": "troll@example.com"})
    assert response.status_code == 200
    assert "writer_block_ways" not in response.context


@pytest.mark.parametrize("revision", ["²", HUGE])
def test_comparing_an_odd_revision_asks_for_two_revisions(staff, article, revision):
    url = reverse("admin:articles_article_revisions_compare", args=[article.pk])
    response = staff.get(url, {"revision": [revision, "1"]}, follow=True)
    assert response.status_code == 200
    assert "Choose two revisions to compare." in response.text


def test_an_avatar_of_an_account_number_too_large_is_not_found(reader):
    response = Client(raise_request_exception=False).get(f"/accounts/avatars/{HUGE}/x.img")
    assert response.status_code == 404


@pytest.mark.parametrize("paged", ["²", HUGE, ENDLESS])
def test_an_odd_wordpress_page_number_shows_the_front_page(article, paged):
    response = Client(raise_request_exception=False).get("/", {"paged": paged})
    assert response.status_code == 200
