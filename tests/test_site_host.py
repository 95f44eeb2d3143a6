"""One host name for the site: asked by www.health.example when the site is health.example (or the other way
round), a page leads to the same address on the site's domain, as WordPress leads to its Site Address."""

import pytest
from django.contrib.sites.models import Site
from django.test import Client

pytestmark = pytest.mark.django_db


@pytest.fixture
def site_at(settings):
    def named(domain: str) -> None:
        settings.ALLOWED_HOSTS = [".health.example", ".care.example", "mirror.example"]
        Site.objects.update(domain=domain)
        Site.objects.clear_cache()

    return named


def test_a_page_asked_with_www_leads_to_the_same_address_on_the_sites_domain(site_at, article):
    site_at("health.example")
    asked = Client(HTTP_HOST="www.health.example").get(f"{article.get_absolute_url()}?cpage=2&utm_source=forum")
    assert asked.status_code == 301
    assert asked["Location"] == f"http://health.example{article.get_absolute_url()}?cpage=2&utm_source=forum"


def test_a_site_whose_domain_has_www_leads_the_bare_name_there(site_at, article):
    site_at("www.health.example")
    asked = Client(HTTP_HOST="health.example").get("/feed/")
    assert asked.status_code == 301
    assert asked["Location"] == "http://www.health.example/feed/"


def test_the_page_at_the_sites_own_host_names_it_as_its_canonical_address(site_at, article):
    site_at("health.example")
    page = Client(HTTP_HOST="health.example").get(article.get_absolute_url())
    assert page.status_code == 200
    assert f'<link rel="canonical" href="http://health.example{article.get_absolute_url()}">' in page.text


def test_another_host_name_the_site_answers_is_left_as_it_is(site_at, article):
    site_at("health.example")
    assert Client(HTTP_HOST="mirror.example").get(article.get_absolute_url()).status_code == 200


def test_a_comment_sent_to_the_www_name_is_taken_not_redirected(site_at, article, post_comment):
    site_at("health.example")
    sent = post_comment(Client(HTTP_HOST="www.health.example"), article)
    assert sent.status_code == 302
    assert article.comments.count() == 1


def test_a_domain_changed_in_the_admin_is_where_the_www_name_leads(site_at, admin_client, article):
    site_at("health.example")
    site = Site.objects.get()
    changed = admin_client.post(
        f"/admin/sites/site/{site.pk}/change/", {"domain": "care.example", "name": site.name}, HTTP_HOST="care.example"
    )
    assert changed.status_code == 302
    assert Client(HTTP_HOST="www.care.example").get("/")["Location"] == "http://care.example/"
