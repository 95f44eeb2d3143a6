"""Slugs are lowercase, as WordPress's: two addresses of the site never differ only by capitals, and an address typed
or linked with capitals leads on to the lowercase one."""

import datetime
import importlib

import pytest
from django.apps import apps
from django.contrib.redirects.models import Redirect
from django.contrib.sites.models import Site
from django.test import Client
from django.urls import reverse

from articles.models import Article, Category, Page, Tag
from tests.articles.admin_forms import change_form_data, change_url

pytestmark = pytest.mark.django_db

MIGRATION = importlib.import_module("articles.migrations.0017_lowercase_the_slugs_kept_with_capitals")


def page_form(**fields) -> dict:
    return {"title": "About us", "slug": "about-us", "body": "<p>Who we are.</p>", "footer_position": "0", **fields}


def test_an_editor_types_a_page_slug_with_capitals_and_the_page_is_at_the_lowercase_address(client, editor):
    client.force_login(editor)
    response = client.post(reverse("admin:articles_page_add"), page_form(slug="About-Us", published="on"))
    assert response.status_code == 302
    assert Page.objects.get().slug == "about-us"
    client.logout()
    assert "Who we are." in client.get("/about-us/").text


def test_a_page_slug_differing_only_by_capitals_is_refused_and_what_was_typed_is_kept(client, editor):
    Page.objects.create(title="About us", slug="about-us", body="<p>First.</p>", published=True)
    client.force_login(editor)
    response = client.post(
        reverse("admin:articles_page_add"), page_form(title="About Us", slug="ABOUT-US", body="<p>Kept as typed.</p>")
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["slug"] == ["Page with this Slug already exists."]
    assert "Kept as typed." in response.text
    assert Page.objects.count() == 1


def test_an_article_slug_differing_only_by_capitals_from_anothers_is_refused(client, editor, make_article):
    make_article(title="Hemifacial spasm", slug="hemifacial-spasm")
    mine = make_article(title="Mine", slug="mine")
    client.force_login(editor)
    response = client.post(change_url(mine), change_form_data(mine, slug="Hemifacial-Spasm"))
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["slug"] == [
        "Another article already uses this slug. Choose a different one."
    ]
    response = client.post(change_url(mine), change_form_data(mine, slug="Botox-Injections"))
    assert response.status_code == 302
    mine.refresh_from_db()
    assert mine.slug == "botox-injections"
    assert mine.get_absolute_url().endswith("/botox-injections/")


def test_categories_and_tags_keep_their_slugs_in_lowercase():
    category = Category(name="Conditions", slug="Conditions")
    category.full_clean()
    category.save()
    tag = Tag.objects.create(name="Nerves", slug="NERVES")  # saved without a form too
    assert (Category.objects.get().slug, Tag.objects.get().slug) == ("conditions", "nerves")
    assert (category.slug, tag.slug) == ("conditions", "nerves")


def test_an_address_with_capitals_leads_on_to_the_lowercase_one_keeping_its_query(client, make_article, category, tag):
    article = make_article(title="Hemifacial spasm", slug="hemifacial-spasm", categories=[category], tags=[tag])
    Page.objects.create(title="About us", slug="about-us", body="<p>Who we are.</p>", published=True)
    permalink = article.get_absolute_url()
    for asked, lowercase in (
        ("/About-Us/", "/about-us/"),
        (permalink.replace("hemifacial-spasm", "Hemifacial-Spasm"), permalink),
        ("/category/Conditions/", "/category/conditions/"),
        ("/tag/NERVES/", "/tag/nerves/"),
        ("/About-Us/?utm_source=newsletter", "/about-us/?utm_source=newsletter"),
    ):
        response = client.get(asked)
        assert (response.status_code, response["Location"]) == (301, lowercase), asked
        assert client.get(lowercase).status_code == 200, lowercase


def test_an_address_with_capitals_where_nothing_is_stays_not_found_without_a_detour(client, make_article):
    article = make_article(title="Hemifacial spasm", slug="hemifacial-spasm")
    for asked in ("/Wp-Admin/", "/category/Nothing/", article.get_absolute_url().replace("hemifacial", "Hemi-Facial")):
        assert client.get(asked).status_code == 404, asked


def test_a_moved_article_asked_with_a_wrong_date_keeps_the_query(client, make_article):
    article = make_article(title="Hemifacial spasm", slug="hemifacial-spasm")
    response = client.get("/2001/01/01/hemifacial-spasm/?cpage=2")
    assert (response.status_code, response["Location"]) == (301, f"{article.get_absolute_url()}?cpage=2")


def test_an_editors_redirect_to_an_address_with_capitals_that_went_away_is_no_loop(client):
    # Found by a review: the redirect to the lowercase address was made without looking, and this one led back.
    page = Page.objects.create(title="About us", slug="about-us", body="<p>Who we are.</p>", published=True)
    Page.objects.filter(pk=page.pk).update(slug="About-Us")
    Redirect.objects.create(site=Site.objects.get_current(), old_path="/about-us/", new_path="/About-Us/")
    Page.objects.all().delete()
    assert client.get("/About-Us/?utm_source=x").status_code == 404
    assert client.get("/about-us/")["Location"] == "/About-Us/"


def test_slugs_kept_with_capitals_before_become_lowercase_and_a_twin_takes_the_next_free_one(client, editor):
    twin = Page.objects.create(title="About us", slug="about-us", body="<p>First.</p>", published=True)
    capitals = Page.objects.create(title="About Us", slug="x", body="<p>Second.</p>", published=True)
    Page.objects.filter(pk=capitals.pk).update(slug="About-Us")  # as an earlier version stored it
    Tag.objects.create(name="Nerves", slug="x")
    Tag.objects.filter(name="Nerves").update(slug="Nerves")
    assert "Second." in client.get("/About-Us/").text
    MIGRATION.lowercase_the_slugs(apps, None)
    assert dict(Page.objects.values_list("pk", "slug")) == {twin.pk: "about-us", capitals.pk: "about-us-2"}
    assert Tag.objects.get().slug == "nerves"
    # Its old address leads to it, not to its twin (found by a review).
    assert client.get("/About-Us/?utm_source=x")["Location"] == "/about-us-2/?utm_source=x"
    assert client.get("/Nerves/").status_code == 404 and client.get("/tag/Nerves/")["Location"] == "/tag/nerves/"
    # Now an editor changes the second page's place in the footer from the list: it saves.
    client.force_login(editor)
    capitals.refresh_from_db()
    response = client.post(
        reverse("admin:articles_page_change", args=[capitals.pk]),
        page_form(
            title="About Us",
            slug=capitals.slug,
            body="<p>Second.</p>",
            published="on",
            footer_position="3",
            opened_version=capitals.saved_at.isoformat(),
        ),
    )
    assert response.status_code == 302
    assert Page.objects.get(pk=capitals.pk).footer_position == 3


def test_an_article_whose_slug_twin_had_no_capitals_keeps_its_dated_address(make_article):
    when = datetime.datetime(2020, 1, 1, 12, tzinfo=datetime.UTC)
    twin = make_article(title="Botox", slug="botox", published_at=when)
    capitals = make_article(title="Botox again", slug="x", published_at=when.replace(year=2024, month=5, day=5))
    Article.objects.filter(pk=capitals.pk).update(slug="Botox")
    MIGRATION.lowercase_the_slugs(apps, None)
    capitals.refresh_from_db()
    assert capitals.slug == "botox-2"
    assert Client().get("/2024/05/05/Botox/")["Location"] == capitals.get_absolute_url()
    assert Client().get("/2020/01/01/Botox/")["Location"] == twin.get_absolute_url()


def test_an_address_saved_with_capitals_before_slugs_were_lowercase_is_still_found_there(client):
    page = Page.objects.create(title="About us", slug="about-us", body="<p>Who we are.</p>", published=True)
    Page.objects.filter(pk=page.pk).update(slug="About-Us")  # as stored by an earlier version
    response = client.get("/About-Us/")
    assert response.status_code == 200
    assert "Who we are." in response.text


def test_an_editors_redirect_of_an_address_with_capitals_wins_over_the_lowercase_page(client):
    # A page is at the lowercase address: without the editor's redirect, /Old-Name/ would lead to it.
    Page.objects.create(title="Old name", slug="old-name", body="<p>Old.</p>", published=True)
    assert client.get("/Old-Name/")["Location"] == "/old-name/"
    Redirect.objects.create(site=Site.objects.get_current(), old_path="/Old-Name/", new_path="/about-us/")
    response = client.get("/Old-Name/")
    assert (response.status_code, response["Location"]) == (301, "/about-us/")


def test_an_address_without_capitals_that_is_not_found_stays_not_found(client):
    assert client.get("/no-such-page/").status_code == 404
    assert client.get("/2026/01/02/no-such-article/").status_code == 404
