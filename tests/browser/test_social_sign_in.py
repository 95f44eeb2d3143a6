"""Signing in from the Leave a Reply box, in Chromium, at a real identity provider and at a stand-in WordPress.com.

The reader's browser goes to the provider's own pages and comes back; nothing in allauth or the site
is patched or mocked. The OpenID Connect provider is tests/idp, a separate process; WordPress.com is
tests/fake_wordpress.py, a local server that speaks its OAuth2.
"""

from collections.abc import Callable
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page, Request, expect

from comments.models import Comment
from tests.idp.fixture import IdentityProvider, callback_url

pytestmark = [pytest.mark.django_db(transaction=True, serialized_rollback=True), pytest.mark.browser]

ARTICLE = "/2026/11/02/hemifacial-spasm/"
TYPED = "Does Botox help with the twitching around the eye?"
MODERATOR_PASSWORD = "correct horse battery"


def origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


@pytest.fixture
def idp(start_identity_provider, live_server) -> IdentityProvider:
    """The identity provider, set up as a site owner does it: a Social application in the admin."""
    provider = start_identity_provider(redirect_uris=[callback_url(live_server.url)])
    provider.register_on_site()
    return provider


@pytest.fixture
def wendy(fake_wordpress):
    """WordPress.com's signed-in user, with a verified address: she may comment at once."""
    fake_wordpress.user.update(display_name="Wendy WordPress", username="wendywp", email="wendy@example.com")
    return fake_wordpress


@pytest.fixture
def watch_sign_in_trip(live_server, page_watches) -> Callable[[Page, str], Callable[[], None]]:
    """`assert_well_behaved` for a page that goes to a provider's sign-in pages and back.

    PageWatch counts every request to another origin as a fault, and here the reader goes to
    the provider on purpose, so it cannot judge this page. What must not happen is one of our
    pages loading an image, a script or a style from the provider (or anywhere else): that is a
    subresource request, whereas going there is the main frame navigating. The providers' pages
    in these tests load nothing at all, so every request off our origin must be the main frame
    navigating to the provider's origin. Neither provider sends a Content Security Policy, so
    every CSP error in the console came from one of our pages.
    """

    def watch(page: Page, provider_origin: str) -> Callable[[], None]:
        away: list[Request] = []

        def record(request: Request) -> None:
            if origin(request.url) != live_server.url:
                away.append(request)

        page.on("request", record)

        def check() -> None:
            assert away, f"The reader never left {live_server.url}"
            unexpected = [
                f"{request.resource_type} {request.url}"
                for request in away
                if not (
                    request.is_navigation_request()
                    and request.frame.parent_frame is None
                    and origin(request.url) == provider_origin
                )
            ]
            assert not unexpected, "Requests other than the trip to the provider:\n" + "\n".join(unexpected)
            csp_errors = page_watches[page].csp_errors
            assert not csp_errors, "Content Security Policy errors:\n" + "\n".join(csp_errors)

        return check

    return watch


def start_comment_and_choose(page: Page, provider_name: str, **details: str) -> str:
    """Type a comment (and guest details), click the provider's icon; return what the box then said."""
    page.goto(ARTICLE)
    page.get_by_label("Comment", exact=True).fill(TYPED)
    for label, value in details.items():
        page.get_by_role("textbox", name=label.capitalize()).fill(value)
    icon = page.get_by_role("button", name=f"Log in with {provider_name}")
    expect(icon).to_be_visible()
    # A Playwright click returns once the next page is loading, and "Connecting to <Provider>…"
    # then sends the reader on at once (so does the site: connecting.js), which leaves neither
    # page to look at reliably. So the click happens in the page, and the box's status line is
    # read in the same task, before the browser leaves.
    return icon.evaluate("icon => { icon.click(); return document.getElementById('connecting-status').textContent; }")


def sign_in_at_test_idp(page: Page, idp: IdentityProvider) -> None:
    expect(page.get_by_role("heading", name="Test Identity Provider — Sign in")).to_be_visible()
    page.get_by_label("Username").fill(idp.username)
    page.get_by_label("Password").fill(idp.password)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Test Identity Provider — Authorize")).to_be_visible()
    page.get_by_role("button", name="Authorize").click()


def sign_in_with_wordpress(page: Page) -> None:
    start_comment_and_choose(page, "WordPress.com")
    page.get_by_role("button", name="Approve").click()
    expect(page.get_by_text("You are commenting using your WordPress.com account.")).to_be_visible()


def approve_in_the_admin(page: Page, comment: Comment, moderator) -> None:
    page.goto("/admin/")
    page.get_by_label("Username").fill(moderator.username)
    page.get_by_label("Password").fill(MODERATOR_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.goto("/admin/comments/comment/?status=pending")
    page.locator("#result_list tbody tr", has_text=comment.body).get_by_role("button", name="Approve").click()
    expect(page.locator(".messagelist")).to_contain_text("approved")


def post_then_see_it_published(page, check_trip, new_page, moderator, assert_well_behaved, *, author: str) -> None:
    """The signed-in reader posts; the comment waits, a moderator approves it, a second reader sees it."""
    page.get_by_role("button", name="Post Comment").click()
    comment = Comment.objects.get()
    expect(page.locator(f"#comment-{comment.pk}").get_by_role("status")).to_have_text(
        "Your comment is awaiting moderation."
    )
    check_trip()

    admin = new_page()
    approve_in_the_admin(admin, comment, moderator)
    assert_well_behaved(admin)

    reader = new_page()
    reader.goto(ARTICLE)
    published = reader.locator(f"#comment-{comment.pk}")
    expect(published.locator(".comment-author")).to_have_text(author)
    expect(published).to_contain_text(TYPED)
    assert_well_behaved(reader)


def test_reader_signs_in_at_an_openid_connect_provider_without_losing_the_comment_and_it_appears_once_approved(
    seed, idp, moderator, page, new_page, watch_sign_in_trip, assert_well_behaved, assert_accessible, live_server
):
    check_trip = watch_sign_in_trip(page, origin(idp.server_url))
    assert start_comment_and_choose(page, "Test IdP") == "Connecting to Test IdP…"

    sign_in_at_test_idp(page, idp)

    expect(page).to_have_url(f"{live_server.url}{ARTICLE}#respond")
    expect(page.get_by_label("Comment", exact=True)).to_have_value(TYPED)
    signed_in = page.locator(".logged-in-as")
    expect(signed_in).to_contain_text("You are commenting using your Test IdP account.")
    expect(signed_in.get_by_role("button", name="Log Out")).to_be_visible()
    expect(signed_in.get_by_role("button", name="Change")).to_be_visible()
    assert_accessible(page)
    post_then_see_it_published(page, check_trip, new_page, moderator, assert_well_behaved, author="Olivia Okafor")


def test_reader_signs_in_at_wordpress_com_without_losing_the_comment_and_it_appears_once_approved(
    seed, wendy, moderator, page, new_page, watch_sign_in_trip, assert_well_behaved, live_server
):
    check_trip = watch_sign_in_trip(page, wendy.base_url)
    assert start_comment_and_choose(page, "WordPress.com") == "Connecting to WordPress.com…"

    expect(page.get_by_role("heading", name="Authorize Leave a Reply to connect")).to_be_visible()
    page.get_by_role("button", name="Approve").click()

    expect(page).to_have_url(f"{live_server.url}{ARTICLE}#respond")
    expect(page.get_by_label("Comment", exact=True)).to_have_value(TYPED)
    expect(page.locator(".logged-in-as")).to_contain_text("You are commenting using your WordPress.com account.")
    post_then_see_it_published(page, check_trip, new_page, moderator, assert_well_behaved, author="Wendy WordPress")


def test_reader_who_denies_wordpress_com_gets_back_to_the_kept_comment_and_posts_it_as_a_guest(
    seed, wendy, page, watch_sign_in_trip, assert_accessible, live_server
):
    check_trip = watch_sign_in_trip(page, wendy.base_url)
    start_comment_and_choose(page, "WordPress.com", name="Rita Reader", email="rita@example.com")
    page.get_by_role("button", name="Deny").click()

    expect(page.get_by_role("heading", name="Sign-in did not work")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Back to your comment").click()

    expect(page).to_have_url(f"{live_server.url}{ARTICLE}#respond")
    expect(page.get_by_label("Comment", exact=True)).to_have_value(TYPED)
    expect(page.get_by_role("textbox", name="Name")).to_have_value("Rita Reader")
    expect(page.get_by_role("textbox", name="Email")).to_have_value("rita@example.com")
    page.get_by_role("button", name="Post Comment").click()

    comment = Comment.objects.get()
    assert (comment.user, comment.author_name) == (None, "Rita Reader")
    expect(page.locator(f"#comment-{comment.pk}").get_by_role("status")).to_have_text(
        "Your comment is awaiting moderation."
    )
    check_trip()


def test_log_out_in_the_box_returns_to_the_same_article_as_a_guest(
    seed, wendy, page, watch_sign_in_trip, live_server, assert_accessible
):
    check_trip = watch_sign_in_trip(page, wendy.base_url)
    sign_in_with_wordpress(page)
    page.get_by_role("textbox", name="Comment").fill("Typed before signing out.")

    page.locator(".logged-in-as").get_by_role("button", name="Log Out").click()

    expect(page).to_have_url(f"{live_server.url}{ARTICLE}#respond")
    expect(page.get_by_role("status").get_by_text("You have signed out.")).to_be_visible()
    assert_accessible(page)  # the message's list inside its status region
    # Nothing typed is lost.
    expect(page.get_by_role("textbox", name="Comment")).to_have_value("Typed before signing out.")
    expect(page.get_by_text("Fill in your details below or click an icon to log in:")).to_be_visible()
    expect(page.get_by_role("button", name="Log in with WordPress.com")).to_be_visible()
    expect(page.get_by_text("You are commenting using")).to_have_count(0)
    check_trip()


def test_change_in_the_box_signs_out_and_offers_the_sign_in_icons_on_the_same_article(
    seed, wendy, page, watch_sign_in_trip, live_server
):
    check_trip = watch_sign_in_trip(page, wendy.base_url)
    sign_in_with_wordpress(page)
    page.get_by_role("textbox", name="Comment").fill("Typed before changing account.")

    page.get_by_role("button", name="Change").click()

    expect(page).to_have_url(f"{live_server.url}{ARTICLE}#respond")
    expect(page.get_by_role("textbox", name="Comment")).to_have_value("Typed before changing account.")
    expect(page.get_by_role("button", name="Log in with WordPress.com")).to_be_in_viewport()
    expect(page.get_by_text("You are commenting using")).to_have_count(0)
    check_trip()


def stop_signing_in_with(page: Page, provider_name: str) -> None:
    """Type a comment, click the provider's icon, and press Stop (Esc) before the site answers."""
    page.goto(ARTICLE)
    page.get_by_label("Comment", exact=True).fill(TYPED)
    page.route("**/comments/sign-in/**", lambda route: route.abort("aborted"))
    page.get_by_role("button", name=f"Log in with {provider_name}").click(no_wait_after=True)
    expect(page.locator("#connecting-status")).to_have_text(f"Connecting to {provider_name}…")


def test_a_sign_in_the_reader_stopped_no_longer_says_connecting_half_a_minute_later(seed, wendy, page):
    # A browser tells a page nothing when its reader presses Stop: the box is given back as after "Posting…".
    page.clock.install()
    stop_signing_in_with(page, "WordPress.com")

    page.clock.run_for(30_000)
    expect(page.locator("#connecting-status")).to_have_text("")
    icon = page.get_by_role("button", name="Log in with WordPress.com")
    expect(icon).to_be_enabled()
    expect(icon).not_to_have_attribute("aria-disabled", "true")
    expect(page.get_by_label("Comment", exact=True)).to_have_value(TYPED)


def test_a_sign_in_the_reader_came_back_from_no_longer_says_connecting(seed, wendy, page):
    stop_signing_in_with(page, "WordPress.com")

    # What the browser fires when the back button takes the page out of the back/forward cache (Playwright keeps the
    # cache off).
    page.evaluate("() => window.dispatchEvent(new PageTransitionEvent('pageshow', { persisted: true }))")
    expect(page.locator("#connecting-status")).to_have_text("")
    expect(page.get_by_role("button", name="Log in with WordPress.com")).not_to_have_attribute("aria-disabled", "true")
