import pytest
from allauth.socialaccount.models import SocialApp
from django.contrib.sites.models import Site
from playwright.sync_api import expect

from articles.models import Reference, Tag
from articles.services import seed_article_load

pytestmark = [pytest.mark.django_db(transaction=True, serialized_rollback=True), pytest.mark.browser]

# One address per page type readers can reach, with the status it must answer.
# The admin is Django's own and is left out: its issues are not ours to fix.
PAGES = {
    "front page": ("/", 200),
    "article": ("/2026/11/02/hemifacial-spasm/", 200),
    "category archive": ("/category/conditions/", 200),
    "tag archive": ("/tag/nerves/", 200),
    "year archive": ("/2026/", 200),
    "month archive": ("/2026/11/", 200),
    "day archive": ("/2026/11/02/", 200),
    "page not found": ("/no-such-page/", 404),
}


@pytest.fixture
def seed_article_tagged():
    article, _ = seed_article_load()
    article.tags.add(Tag.objects.create(name="Nerves", slug="nerves"))
    return article


@pytest.mark.parametrize(("path", "status"), PAGES.values(), ids=PAGES.keys())
def test_page_has_no_serious_accessibility_violations(
    page, seed_article_tagged, assert_accessible, assert_well_behaved, path, status
):
    response = page.goto(path)

    assert response.status == status
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert_accessible(page)
    assert_well_behaved(page)


OVERFLOWING = """(width) => [...document.querySelectorAll('body *')]
  .filter((e) => e.getBoundingClientRect().right > width + 0.5)
  .map((e) => `${e.tagName.toLowerCase()}.${e.className} ends at ${e.getBoundingClientRect().right}px`)"""


@pytest.mark.parametrize(
    "path",
    ["/", "/2026/11/02/hemifacial-spasm/", "/search/?q=spasm", "/accounts/login/", "/no-such-page/"],
    ids=["front page", "article", "search", "sign-in", "404"],
)
def test_at_320_px_wide_no_page_scrolls_sideways(seed_article_tagged, page, path):
    # Found by an accessibility review (WCAG 1.4.10 Reflow: 1280 px at 400 % zoom): the header's search stuck out.
    page.set_viewport_size({"width": 320, "height": 800})
    page.goto(path)
    assert page.evaluate("document.documentElement.scrollWidth") <= 320, page.evaluate(OVERFLOWING, 320)


def test_the_sign_in_pages_provider_buttons_hold_their_names(seed_article_tagged, page):
    # Found by an accessibility review: each was a 6 px sliver through its name, its focus outline across the words.
    for provider, name in [("google", "Google"), ("facebook", "Facebook")]:
        SocialApp.objects.create(provider=provider, name=name, client_id="id", secret="secret").sites.add(
            Site.objects.get_current()
        )
    page.goto("/accounts/login/")
    button, text = page.get_by_role("button", name="Google").evaluate(
        """(e) => { const r = document.createRange(); r.selectNodeContents(e);
          const b = e.getBoundingClientRect(), t = r.getBoundingClientRect();
          return [{top: b.top, bottom: b.bottom, height: b.height}, {top: t.top, bottom: t.bottom}]; }"""
    )
    assert button["top"] <= text["top"] and button["bottom"] >= text["bottom"] and button["height"] >= 24


def test_a_failed_sign_in_is_said_first_and_read_at_once(seed_article_tagged, page, make_user, assert_accessible):
    # Found by an accessibility review (WCAG 3.3.1): the page came back the same, focus on nothing, the error unsaid.
    make_user(display_name="Rita Reader", email="rita@example.com", password="correct horse battery")
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill("rita@example.com")
    page.get_by_label("Password").fill("not her password")
    page.get_by_role("button", name="Sign In").click()
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("The email address and/or password you specified are not correct.")
    expect(summary).to_be_focused()
    assert page.title().startswith("Error: Sign In")
    assert_accessible(page)


def test_a_cited_source_number_is_told_from_the_text_around_it(page, make_article, assert_accessible):
    # Found by an accessibility review: the "[1]" links had only their colour, 2.3:1 against the text (WCAG 1.4.1).
    article = make_article(title="Blepharospasm", body="<p>It often starts around the eye [1].</p>")
    Reference.objects.create(
        article=article, number=1, citation="NINDS: Blepharospasm.", url="https://www.ninds.nih.gov/"
    )
    page.goto(article.get_absolute_url())
    cited = page.locator(".citation a")
    expect(cited).to_have_text("[1]")
    assert "underline" in cited.evaluate("(element) => getComputedStyle(element).textDecorationLine")
    assert_accessible(page)
