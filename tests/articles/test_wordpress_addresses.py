"""Old WordPress addresses keep working: a post whose slug was in another alphabet answers at its old address."""

import datetime

import pytest
from django.utils import timezone

pytestmark = pytest.mark.django_db


@pytest.fixture
def summer(make_article):
    return make_article(title="Été", slug="ete", published_at=timezone.make_aware(datetime.datetime(2020, 7, 1, 12, 0)))


def test_an_old_address_with_a_non_ascii_slug_leads_to_the_article_for_good(client, summer):
    response = client.get("/2020/07/01/%C3%A9t%C3%A9/")
    assert response.status_code == 301
    assert response["Location"] == summer.get_absolute_url()


def test_an_unknown_or_ascii_address_is_not_found(client, summer):
    assert client.get("/2020/07/01/%C3%A9t%C3%A9-2/").status_code == 404
    assert client.get("/2020/07/01/nothing-here/").status_code == 404


def test_a_draft_is_not_found_at_its_old_address_either(client, make_article):
    make_article(slug="hiver", status="draft", title="Hiver")
    assert client.get("/2020/01/01/h%C3%AFver/").status_code == 404
