"""The comment box sends a comment once: a second click or Enter while the first is on its way sends nothing."""

import pytest
from playwright.sync_api import Page, Route, expect

from comments.models import Comment

pytestmark = [pytest.mark.django_db(transaction=True, serialized_rollback=True), pytest.mark.browser]

ARTICLE = "/2026/11/02/hemifacial-spasm/"
TYPED = "Does Botox help with the twitching around the eye?"
# Long enough for a second POST, had one been sent, to reach the route.
SETTLE_MS = 500


class SlowNetwork:
    """Counts the comment POSTs and holds the first one until the test lets it go; later ones go through."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.posts = 0
        self.held: list[Route] = []
        page.route("**/comments/post/**", self._route)

    def _route(self, route: Route) -> None:
        self.posts += 1
        if self.posts == 1:
            self.held.append(route)
        else:
            route.continue_()

    def first(self) -> Route:
        """The first POST, once it has left the page."""
        for _ in range(100):
            if self.held:
                return self.held[0]
            self.page.wait_for_timeout(50)
        raise AssertionError("The comment was never sent.")


# Safari before 15.4 has no SubmitEvent, so no event.submitter: the box must tell Post Comment from a sign-in icon
# without it.
WITH_AND_WITHOUT_SUBMITTER = pytest.mark.parametrize(
    "submitter", [True, False], ids=["event.submitter", "no event.submitter (Safari before 15.4)"]
)


def forget_submitter(page: Page) -> None:
    """Every page the browser opens from now on reads no event.submitter, as in Safari before 15.4."""
    page.add_init_script("delete SubmitEvent.prototype.submitter;")


def fill_in_the_comment_box(page: Page) -> None:
    page.goto(ARTICLE)
    page.get_by_label("Comment", exact=True).fill(TYPED)
    page.get_by_role("textbox", name="Email").fill("rita@example.com")
    page.get_by_role("textbox", name="Name").fill("Rita Reader")


def post_comment_button(page: Page):
    return page.locator("#commentform button.submit")


@WITH_AND_WITHOUT_SUBMITTER
def test_a_second_click_or_enter_while_the_comment_is_on_its_way_sends_no_second_post(
    seed, page, assert_well_behaved, submitter
):
    if not submitter:
        forget_submitter(page)
    fill_in_the_comment_box(page)
    network = SlowNetwork(page)
    post_comment_button(page).scroll_into_view_if_needed()
    button = post_comment_button(page).bounding_box()
    post_comment_button(page).click(no_wait_after=True)  # the answer is held back: not waiting for its page
    network.first()

    # While a page is on its way Playwright reads nothing from the one shown, but the reader still clicks and types.
    page.mouse.click(button["x"] + button["width"] / 2, button["y"] + button["height"] / 2)
    page.keyboard.press("Enter")
    page.wait_for_timeout(SETTLE_MS)
    assert network.posts == 1

    network.first().continue_()
    page.wait_for_url(f"**{ARTICLE}#comment-*")
    comment = Comment.objects.get()
    expect(page).to_have_url(f"{ARTICLE}#comment-{comment.pk}")
    # The answer that named the held comment to its writer was not replaced by a "Duplicate comment".
    expect(page.locator(f"#comment-{comment.pk}").get_by_role("status")).to_have_text(
        "Your comment is awaiting moderation."
    )
    assert network.posts == 1
    assert_well_behaved(page)


@pytest.fixture
def stopped(seed, page) -> SlowNetwork:
    """The comment sent, then stopped by the reader (Stop, Esc): the page stays, and no event tells it that the comment
    was not sent. The page's clock moves on when the test says so."""
    page.clock.install()
    fill_in_the_comment_box(page)
    network = SlowNetwork(page)
    post_comment_button(page).click(no_wait_after=True)
    network.first().abort("aborted")
    return network


def test_the_button_says_posting_and_the_status_line_says_it_too(stopped, page):
    expect(post_comment_button(page)).to_have_text("Posting…")
    expect(page.locator("#posting-status")).to_have_text("Posting…")


def test_the_button_on_its_way_is_aria_disabled_and_keeps_the_focus(stopped, page):
    button = post_comment_button(page)
    expect(button).to_have_attribute("aria-disabled", "true")
    expect(button).to_be_focused()  # aria-disabled, not disabled: the focus stays where the reader is


def test_the_comment_box_with_its_comment_on_its_way_is_accessible(stopped, page, assert_accessible):
    expect(post_comment_button(page)).to_have_text("Posting…")
    assert_accessible(page)


def test_a_click_on_the_button_on_its_way_sends_nothing(stopped, page, assert_well_behaved):
    button = post_comment_button(page)
    button.click(force=True)  # Playwright waits for an aria-disabled button to be enabled; a reader clicks anyway
    page.wait_for_timeout(SETTLE_MS)
    assert stopped.posts == 1
    assert_well_behaved(page)


def test_half_a_minute_after_the_browser_stopped_the_button_is_given_back(stopped, page):
    page.clock.run_for(30_000)
    button = post_comment_button(page)
    expect(button).to_have_text("Post Comment")
    expect(button).not_to_have_attribute("aria-disabled", "true")
    expect(page.locator("#posting-status")).to_have_text("")


def test_half_a_minute_after_the_browser_stopped_the_comment_typed_is_still_there(stopped, page):
    page.clock.run_for(30_000)
    expect(page.get_by_label("Comment", exact=True)).to_have_value(TYPED)


def test_half_a_minute_after_the_browser_stopped_the_comment_is_sent_with_a_click(stopped, page, assert_well_behaved):
    page.clock.run_for(30_000)
    post_comment_button(page).click()
    comment = Comment.objects.get()
    expect(page).to_have_url(f"{ARTICLE}#comment-{comment.pk}")
    assert stopped.posts == 2
    assert_well_behaved(page)


def test_the_page_back_from_the_back_forward_cache_may_send_the_comment_again(seed, page):
    fill_in_the_comment_box(page)
    network = SlowNetwork(page)
    post_comment_button(page).click(no_wait_after=True)
    network.first().abort("aborted")
    expect(post_comment_button(page)).to_have_text("Posting…")

    # What the browser fires when the back button takes the page out of the back/forward cache (Playwright keeps the
    # cache off).
    page.evaluate("() => window.dispatchEvent(new PageTransitionEvent('pageshow', { persisted: true }))")
    expect(post_comment_button(page)).to_have_text("Post Comment")
    expect(post_comment_button(page)).not_to_have_attribute("aria-disabled", "true")
    post_comment_button(page).click()
    comment = Comment.objects.get()
    expect(page).to_have_url(f"{ARTICLE}#comment-{comment.pk}")
    assert network.posts == 2


def test_after_a_network_error_the_reader_goes_back_to_their_text_and_sends_it_again(seed, page):
    fill_in_the_comment_box(page)
    network = SlowNetwork(page)
    post_comment_button(page).click(no_wait_after=True)
    network.first().abort("connectionreset")
    expect(page).to_have_url("chrome-error://chromewebdata/")

    page.go_back()
    expect(page.get_by_label("Comment", exact=True)).to_have_value(TYPED)
    expect(post_comment_button(page)).to_have_text("Post Comment")
    post_comment_button(page).click()
    comment = Comment.objects.get()
    expect(page).to_have_url(f"{ARTICLE}#comment-{comment.pk}")


@WITH_AND_WITHOUT_SUBMITTER
def test_a_reader_who_stops_a_sign_in_posts_their_comment_as_a_guest_at_once(seed, page, submitter):
    # Found by a review: a sign-in icon's press counted as the comment on its way, so Post Comment did nothing for
    # half a minute, the button saying nothing of why.
    if not submitter:
        forget_submitter(page)
    fill_in_the_comment_box(page)
    page.route("**/comments/sign-in/**", lambda route: route.abort("aborted"))  # the reader pressed Stop
    page.locator("#commentform button.sign-in-choice[value=local]").click(no_wait_after=True)
    page.wait_for_timeout(SETTLE_MS)
    network = SlowNetwork(page)
    post_comment_button(page).click(no_wait_after=True)
    network.first().continue_()
    page.wait_for_url(f"**{ARTICLE}#comment-*")
    comment = Comment.objects.get()
    expect(page).to_have_url(f"{ARTICLE}#comment-{comment.pk}")


def test_a_reader_whose_answer_never_came_sends_again_and_is_led_to_their_held_comment(seed, page, assert_well_behaved):
    page.clock.install()
    fill_in_the_comment_box(page)
    network = SlowNetwork(page)
    post_comment_button(page).click(no_wait_after=True)
    first = network.first()
    first.fetch(max_redirects=0)  # the site got the comment and held it…
    first.abort("aborted")  # …and its answer, with the cookie that shows it to its writer, never came (Stop)
    page.clock.run_for(30_000)

    post_comment_button(page).click()  # given back: the reader sends again

    comment = Comment.objects.get()
    expect(page).to_have_url(f"{ARTICLE}#messages")
    expect(page.get_by_text("You sent this comment already.")).to_be_in_viewport()
    page.get_by_role("link", name="Go to your comment").click()
    expect(page.locator(f"#comment-{comment.pk}").get_by_role("status")).to_have_text(
        "Your comment is awaiting moderation."
    )
    assert network.posts == 2
    assert_well_behaved(page)
