"""The site's own pages (WordPress's Pages): About us, Editorial policy, Privacy policy, at /slug/, in the footer."""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles import services
from articles.models import Page
from tests.articles.test_images import library_image, media  # noqa: F401 (media: a fixture)

pytestmark = pytest.mark.django_db


@pytest.fixture
def make_page():
    def make(**fields) -> Page:
        fields.setdefault("title", "About us")
        fields.setdefault("slug", "about")
        fields.setdefault("body", "<p>Who writes here, and how we check what we publish.</p>")
        fields.setdefault("published", True)
        return Page.objects.create(**fields)

    return make


def change_form(page: Page, **fields) -> dict:
    """The page's change form as it was opened now, sent with `fields` changed."""
    data = {
        "title": page.title,
        "slug": page.slug,
        "body": page.body,
        "published": "on" if page.published else "",
        "footer_position": str(page.footer_position),
        "opened_version": Page.objects.get(pk=page.pk).saved_at.isoformat(),
        **fields,
    }
    return {key: value for key, value in data.items() if value != ""}


def test_a_published_page_is_at_its_address_with_its_cleaned_body(client, make_page):
    page = make_page(body='<h2>Our team</h2><p>Doctors.<script>alert(1)</script></p><p onclick="x()">Nurses.</p>')
    response = client.get("/about/")
    assert response.status_code == 200
    assert response.text.count("<h1") == 1
    assert '<h1 class="entry-title">About us</h1>' in response.text
    assert "<h2>Our team</h2><p>Doctors.</p><p>Nurses.</p>" in response.text
    assert "<script>alert" not in response.text and "onclick" not in response.text
    assert page.get_absolute_url() == "/about/"


def test_a_draft_page_is_not_found_by_readers_and_previewed_by_editors(client, make_page, editor, author):
    make_page(published=False)
    assert client.get("/about/").status_code == 404
    client.force_login(author)  # writes articles, not pages
    assert client.get("/about/").status_code == 404
    client.force_login(editor)
    response = client.get("/about/")
    assert response.status_code == 200
    assert "Preview: this page is a draft and is not visible to readers." in response.text
    assert '<meta name="robots" content="noindex">' in response.text


def test_every_page_of_the_site_links_the_footer_pages_in_their_order(client, make_page, article):
    make_page(title="Privacy policy", slug="privacy-policy", in_footer=True, footer_position=2)
    make_page(title="About us", slug="about", in_footer=True, footer_position=1)
    make_page(title="Not in the footer", slug="elsewhere")
    make_page(title="A draft", slug="draft", in_footer=True, published=False)
    for address in ("/", article.get_absolute_url(), "/elsewhere/", "/search/?q=spasm"):
        text = client.get(address).text
        footer = text.split('<footer class="site-footer">')[1]
        assert (
            '<nav aria-label="About this site"><ul class="footer-pages"><li><a href="/about/">About us</a></li>'
            '<li><a href="/privacy-policy/">Privacy policy</a></li></ul></nav>'
        ) in footer, address
        assert "A draft" not in footer and "Not in the footer" not in footer


def test_the_footer_marks_the_page_being_read(client, make_page):
    make_page(in_footer=True)
    make_page(title="Privacy policy", slug="privacy-policy", in_footer=True)
    footer = client.get("/about/").text.split('<footer class="site-footer">')[1]
    assert '<a href="/about/" aria-current="page">About us</a>' in footer
    assert '<a href="/privacy-policy/">Privacy policy</a>' in footer


def test_a_site_without_footer_pages_has_no_empty_list_in_its_footer(client):
    assert "footer-pages" not in client.get("/").text


@pytest.mark.parametrize("slug", ["feed", "search", "admin", "comments", "accounts", "static", "media", "2026"])
def test_a_page_cannot_take_an_address_the_site_uses(slug):
    page = Page(title="Taken", slug=slug, body="<p>x</p>")
    with pytest.raises(ValidationError) as refused:
        page.full_clean()
    assert refused.value.message_dict["slug"] == [f"The site already uses /{slug}/: choose another."]


def test_a_published_page_given_another_slug_leads_its_old_address_to_the_new_one(client, make_page):
    page = make_page()
    page.slug = "who-we-are"
    page.save()
    response = client.get("/about/")
    assert (response.status_code, response["Location"]) == (301, "/who-we-are/")
    draft = make_page(title="Draft", slug="draft", published=False)
    draft.slug = "renamed-draft"
    draft.save()  # readers never saw it: nothing to lead on
    assert client.get("/draft/").status_code == 404


def test_published_pages_are_in_the_sitemap(client, make_page):
    make_page()
    make_page(title="Draft", slug="draft", published=False)
    text = client.get("/sitemap.xml").text
    assert "/about/</loc>" in text
    assert "/draft/</loc>" not in text


def test_editors_write_pages_in_the_admin_and_readers_then_see_them(client, editor):
    assert {"add_page", "change_page", "delete_page", "view_page"} <= set(
        Group.objects.get(name="Editors").permissions.values_list("codename", flat=True)
    )
    client.force_login(editor)
    form = client.get(reverse("admin:articles_page_add"))
    assert form.status_code == 200
    assert "nonce-" in form["Content-Security-Policy"]  # the editor's import map
    response = client.post(
        reverse("admin:articles_page_add"),
        {
            "title": "Editorial policy",
            "slug": "editorial-policy",
            "body": "<p>Every article is reviewed by a doctor.</p>",
            "published": "on",
            "in_footer": "on",
            "footer_position": "0",
        },
    )
    assert response.status_code == 302
    client.logout()
    assert "Every article is reviewed by a doctor." in client.get("/editorial-policy/").text
    assert '<a href="/editorial-policy/">Editorial policy</a>' in client.get("/").text


def test_the_admin_refuses_a_slug_the_site_uses_and_keeps_what_was_typed(client, editor):
    client.force_login(editor)
    response = client.post(
        reverse("admin:articles_page_add"),
        {"title": "Feed", "slug": "feed", "body": "<p>Kept as typed.</p>", "footer_position": "0"},
    )
    assert response.status_code == 200
    assert "The site already uses /feed/: choose another." in response.text
    assert "Kept as typed." in response.text
    assert not Page.objects.exists()


def test_a_page_picture_without_alt_text_is_refused_as_in_an_article(client, editor):
    # Found by a review: the article form refused it, the page form published it.
    client.force_login(editor)
    body = '<p><img src="/media/team.jpg"></p>'
    response = client.post(
        reverse("admin:articles_page_add"),
        {"title": "Our team", "slug": "team", "body": body, "published": "on", "footer_position": "0"},
    )
    assert response.status_code == 200
    assert "A picture has no alt text (/media/team.jpg)." in response.text
    assert not Page.objects.exists()


def test_authors_and_moderators_do_not_manage_pages(client, author, moderator):
    for user in (author, moderator):
        client.force_login(user)
        assert client.get(reverse("admin:articles_page_add")).status_code == 403


# ---- Found by a review -------------------------------------------------------------------------
def test_a_new_alt_text_reaches_a_page_that_shows_the_picture(author):
    image = library_image(author, alt_text="A teal sqaure")
    page = Page.objects.create(title="About", slug="about", body=f'<p><img src="{image.url}"></p>', published=True)
    image.alt_text = "A teal square"
    services.image_update(image=image)  # what ImageAdmin.save_model calls
    page.refresh_from_db()
    assert 'alt="A teal square"' in page.body_html


@pytest.mark.parametrize("slug", ["", "a b"])
def test_a_bad_slug_is_not_also_said_to_be_an_address_the_site_uses(client, editor, slug):
    client.force_login(editor)
    response = client.post(
        reverse("admin:articles_page_add"), {"title": "About", "slug": slug, "body": "<p>x</p>", "footer_position": "0"}
    )
    assert "The site already uses" not in str(response.context["adminform"].form.errors["slug"])


def test_the_footer_reads_only_the_titles_and_slugs_it_shows(client):
    Page.objects.create(
        title="Privacy", slug="privacy", body="<p>" + "policy " * 20000 + "</p>", published=True, in_footer=True
    )
    with CaptureQueriesContext(connection) as queries:
        client.get("/")
    [footer] = [q["sql"] for q in queries if 'FROM "articles_page"' in q["sql"]]
    assert '"articles_page"."body"' not in footer


def test_moving_a_page_in_the_footer_does_not_change_its_last_updated_date(client, editor):
    page = Page.objects.create(title="Privacy policy", slug="privacy", body="<p>We keep nothing.</p>", published=True)
    Page.objects.filter(pk=page.pk).update(updated_at=timezone.make_aware(datetime.datetime(2024, 3, 1, 12)))
    client.force_login(editor)
    client.post(
        reverse("admin:articles_page_changelist"),
        {
            "form-TOTAL_FORMS": "1",
            "form-INITIAL_FORMS": "1",
            "form-MIN_NUM_FORMS": "0",
            "form-MAX_NUM_FORMS": "1000",
            "form-0-id": str(page.pk),
            "form-0-footer_position": "5",
            "_save": "Save",
        },
    )
    client.logout()
    assert "March 1, 2024" in client.get("/privacy/").text  # the policy's text did not change


def test_the_page_editor_offers_the_picture_library_as_the_article_editor_does(client, editor):
    client.force_login(editor)
    assert 'id="insert-image"' in client.get(reverse("admin:articles_article_add")).text
    assert 'id="insert-image"' in client.get(reverse("admin:articles_page_add")).text


def test_two_editors_on_a_page_the_later_save_is_refused_with_nothing_lost_and_saved_again_replaces(
    client, editor, make_user, make_page
):
    page = make_page(title="Privacy policy", slug="privacy-policy", body="<p>We keep your email.</p>")
    change = reverse("admin:articles_page_change", args=[page.pk])
    opened = change_form(page)  # Edith opens the page…
    other = make_user(display_name="Second Editor", is_staff=True, groups=("Editors",))
    client.force_login(other)
    gdpr = "<p>We keep your email. We delete it after 30 days (GDPR).</p>"
    assert client.post(change, change_form(page, body=gdpr)).status_code == 302

    client.force_login(editor)
    refused = client.post(change, {**opened, "title": "Privacy policy and cookies"})

    assert refused.status_code == 200
    assert "Someone saved this page at" in refused.text and "Nothing you typed is lost" in refused.text
    assert "Privacy policy and cookies" in refused.text
    page.refresh_from_db()
    assert (page.title, page.body) == ("Privacy policy", gdpr)
    # Saving again, knowing it, replaces their version.
    again = {**opened, "title": "Privacy policy and cookies", "opened_version": page.saved_at.isoformat()}
    assert client.post(change, again).status_code == 302
    assert Page.objects.get(pk=page.pk).title == "Privacy policy and cookies"


def test_a_page_moved_in_the_footer_after_it_was_opened_is_a_later_save_too(client, editor, make_page):
    page = make_page(title="Privacy policy", slug="privacy-policy", in_footer=True)
    opened = change_form(page, in_footer="on")
    client.force_login(editor)
    page.footer_position = 5
    page.save()  # as the list's footer positions save it: its "last updated" date stays

    refused = client.post(reverse("admin:articles_page_change", args=[page.pk]), {**opened, "title": "Privacy"})

    assert refused.status_code == 200
    assert Page.objects.get(pk=page.pk).title == "Privacy policy"
