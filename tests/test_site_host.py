"""One host name for the site: asked by www.health.example when the site is health.example (or the other way
round), a page leads to the same address on the site's domain, as WordPress leads to its Site Address; asked by any
host name the site answers, a page gives its address on the site's domain (canonical link, og:url, JSON-LD), as
robots.txt its sitemap's."""

import json
import re

import pytest
from django.contrib.sites.models import Site
from django.test import Client

from articles.models import Page

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


# What a page says its address is, whatever host name it was asked by: the site's domain (Sites), as its feeds and
# sitemap say, with the scheme it was asked with. A copy on another host name must not call itself the original.
CANONICAL = re.compile(r'<link rel="canonical" href="([^"]*)">')
OG_URL = re.compile(r'<meta property="og:url" content="([^"]*)">')
JSON_LD = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)


@pytest.mark.parametrize(("secure", "scheme"), [(False, "http"), (True, "https")])
def test_an_article_asked_by_another_host_name_names_the_sites_domain_as_its_address(site_at, article, secure, scheme):
    site_at("health.example")
    page = Client(HTTP_HOST="mirror.example").get(article.get_absolute_url(), secure=secure).text
    address = f"{scheme}://health.example{article.get_absolute_url()}"
    assert (CANONICAL.search(page)[1], OG_URL.search(page)[1]) == (address, address)


def test_an_articles_structured_data_asked_by_another_host_name_names_the_sites_domain(site_at, article, make_comment):
    site_at("health.example")
    comment = make_comment(article=article)
    page = Client(HTTP_HOST="mirror.example").get(article.get_absolute_url()).text
    data = json.loads(JSON_LD.search(page)[1])
    address = f"http://health.example{article.get_absolute_url()}"
    assert (data["@id"], data["url"], data["mainEntityOfPage"]) == (address, address, address)
    assert data["publisher"]["url"] == "http://health.example/"
    assert data["author"]["url"].startswith("http://health.example/author/")
    assert data["comment"][0]["url"] == f"http://health.example/comments/{comment.pk}/"


def test_a_site_page_asked_by_another_host_name_names_the_sites_domain_as_its_address(site_at):
    site_at("health.example")
    Page.objects.create(title="About us", slug="about", body="<p>Who we are.</p>", published=True)
    page = Client(HTTP_HOST="mirror.example").get("/about/", secure=True).text
    assert CANONICAL.search(page)[1] == "https://health.example/about/"


def test_robots_txt_asked_by_another_host_name_names_the_sitemap_on_the_sites_domain(site_at):
    site_at("health.example")
    robots = Client(HTTP_HOST="mirror.example").get("/robots.txt", secure=True).text
    assert "Sitemap: https://health.example/sitemap.xml" in robots.splitlines()


def test_a_page_kept_for_another_host_name_names_the_sites_domain_there_too(site_at, settings, article):
    settings.PAGE_CACHE_SECONDS = 600
    site_at("health.example")
    assert Client(HTTP_HOST="mirror.example").get(article.get_absolute_url())["X-Page-Cache"] == "miss"
    kept = Client(HTTP_HOST="mirror.example").get(article.get_absolute_url())
    assert kept["X-Page-Cache"] == "hit"
    page = Client(HTTP_HOST="health.example").get(article.get_absolute_url(), secure=True)
    assert page["X-Page-Cache"] == "miss"  # kept for each scheme and host name, each naming the site's domain
    assert CANONICAL.search(kept.text)[1] == f"http://health.example{article.get_absolute_url()}"
    assert CANONICAL.search(page.text)[1] == f"https://health.example{article.get_absolute_url()}"
