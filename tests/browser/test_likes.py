import re

import pytest
from playwright.sync_api import Page, expect

from articles.models import Like

pytestmark = [pytest.mark.django_db(transaction=True, serialized_rollback=True), pytest.mark.browser]

ARTICLE = "/2026/11/02/hemifacial-spasm/"
PASSWORD = "correct horse battery"


@pytest.fixture
def rita(make_user):
    """A member with a verified address, who may sign in at once."""
    return make_user(display_name="Rita Reader", email="rita@example.com", password=PASSWORD)


def sign_in(page: Page, email: str) -> None:
    expect(page.get_by_role("heading", name="Sign In")).to_be_visible()
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()


def test_a_guest_presses_like_signs_in_comes_back_having_liked_and_unlikes_without_a_page_load(
    seed, rita, page, assert_well_behaved, assert_accessible
):
    page.goto(ARTICLE)
    likes = page.locator("#likes")
    expect(likes.locator(".likes-line")).to_have_text("Be the first to like this.")
    likes.get_by_role("button", name="Like", exact=True).click()

    expect(page).to_have_url(re.compile(r"/accounts/login/\?next="))
    sign_in(page, rita.email)

    expect(page).to_have_url(f"{ARTICLE}#likes")
    liked = likes.get_by_role("button", name="Liked")
    expect(liked).to_have_attribute("aria-pressed", "true")
    expect(likes.locator(".likes-line")).to_have_text("One blogger likes this:")
    expect(likes.get_by_role("img", name="Rita Reader")).to_be_visible()
    expect(likes.get_by_text("press Like to finish")).to_have_count(0)
    assert list(Like.objects.values_list("user", flat=True)) == [rita.pk]
    assert_accessible(page)

    navigations: list[str] = []
    page.on("framenavigated", lambda frame: navigations.append(frame.url) if frame == page.main_frame else None)
    page.evaluate("() => { window.samePage = true; }")
    liked.click()

    like = likes.get_by_role("button", name="Like", exact=True)
    expect(like).to_have_attribute("aria-pressed", "false")
    expect(like).to_be_focused()
    expect(likes.locator(".likes-line")).to_have_text("Be the first to like this.")
    expect(likes.get_by_role("img", name="Rita Reader")).to_have_count(0)
    assert not Like.objects.exists()
    assert page.evaluate("() => window.samePage") is True
    assert navigations == []
    assert_accessible(page)
    assert_well_behaved(page)


def test_a_double_click_on_like_makes_one_like(seed, rita, page):
    page.goto("/accounts/login/")
    sign_in(page, rita.email)
    page.goto(ARTICLE)
    page.locator("#likes").get_by_role("button", name="Like", exact=True).dblclick()
    expect(page.locator("#likes .likes-line")).to_have_text("One blogger likes this:")
    assert Like.objects.count() == 1


def test_without_javascript_a_guest_signs_in_presses_like_once_more_and_can_take_it_back(
    seed, rita, browser, live_server
):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(ARTICLE)
        page.locator("#likes").get_by_role("button", name="Like", exact=True).click()
        sign_in(page, rita.email)

        # Coming back is a GET and likes nothing: the page asks for the press that does.
        likes = page.locator("#likes")
        expect(likes.get_by_text("You signed in to like this article: press Like to finish.")).to_be_visible()
        assert not Like.objects.exists()
        likes.get_by_role("button", name="Like", exact=True).click()

        expect(page).to_have_url(f"{live_server.url}{ARTICLE}#likes")
        expect(likes.get_by_role("button", name="Liked")).to_have_attribute("aria-pressed", "true")
        expect(likes.locator(".likes-line")).to_have_text("One blogger likes this:")
        expect(likes.get_by_text("press Like to finish")).to_have_count(0)
        assert Like.objects.count() == 1

        likes.get_by_role("button", name="Liked").click()
        expect(likes.get_by_role("button", name="Like", exact=True)).to_have_attribute("aria-pressed", "false")
        assert not Like.objects.exists()
    finally:
        context.close()
