"""The article page in the reader's dark colour scheme, and on paper."""

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.django_db(transaction=True, serialized_rollback=True), pytest.mark.browser]

# Relative luminance (WCAG) of the page behind the text: white is 1, black 0, #333 about 0.03.
DARK_LUMINANCE = 0.03
LUMINANCE_SCRIPT = """(element) => {
  const [r, g, b] = getComputedStyle(element).backgroundColor.match(/[\\d.]+/g).map(Number);
  const linear = (c) => (c / 255 <= 0.04045 ? c / 255 / 12.92 : ((c / 255 + 0.055) / 1.055) ** 2.4);
  return 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b);
}"""


@pytest.fixture
def discussed(seed, make_comment, make_likers):
    """The seed article, liked, with a comment and a reply: every colour the page uses is on it."""
    make_likers(seed, 2)
    question = make_comment(article=seed, body="Does it <em>always</em> start around the eye?")
    make_comment(article=seed, parent=question, author_url="https://example.com/", body="Mine did.")
    return seed


@pytest.fixture
def referenced(make_article):
    """An article whose body links to its source."""
    return make_article(
        title="Blepharospasm",
        body='<p>Read the <a href="https://www.ninds.nih.gov/health-information">NINDS fact sheet</a>.</p>',
    )


def test_in_a_dark_colour_scheme_the_article_page_is_dark(page, discussed):
    page.emulate_media(color_scheme="dark")
    page.goto(discussed.get_absolute_url())

    assert page.locator("body").evaluate(LUMINANCE_SCRIPT) < DARK_LUMINANCE


def test_in_a_light_colour_scheme_the_article_page_stays_light(page, discussed):
    page.emulate_media(color_scheme="light")
    page.goto(discussed.get_absolute_url())

    assert page.locator("body").evaluate(LUMINANCE_SCRIPT) > 0.9


@pytest.mark.parametrize("path", ["article", "/", "/accounts/login/"], ids=["article", "front page", "sign-in"])
def test_in_a_dark_colour_scheme_pages_keep_their_contrast_and_accessibility(
    page, discussed, assert_accessible, assert_well_behaved, path
):
    page.emulate_media(color_scheme="dark")
    page.goto(discussed.get_absolute_url() if path == "article" else path)

    assert_accessible(page)
    assert_well_behaved(page)


def test_in_a_dark_colour_scheme_a_comment_sent_back_and_a_held_comment_keep_their_contrast(
    page, discussed, assert_accessible
):
    page.emulate_media(color_scheme="dark")
    page.goto(discussed.get_absolute_url())
    page.get_by_label("Comment", exact=True).fill("Does it come back after surgery?")
    page.get_by_role("textbox", name="Email").fill("rita-at-example")
    page.get_by_role("textbox", name="Name").fill("Rita Reader")
    page.get_by_role("button", name="Post Comment").click()

    expect(page.locator("#comment-errors")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("textbox", name="Email").fill("rita@example.com")
    page.get_by_role("button", name="Post Comment").click()

    expect(page.get_by_text("Your comment is awaiting moderation.")).to_be_visible()
    assert_accessible(page)


def test_a_printed_article_has_its_text_but_no_leave_a_reply_box(page, discussed):
    page.emulate_media(media="print")
    page.goto(discussed.get_absolute_url())

    expect(page.get_by_role("heading", level=1, name="hemifacial spasm")).to_be_visible()
    expect(page.locator(".byline")).to_be_visible()
    expect(page.locator(".entry-content")).to_be_visible()
    expect(page.locator("#respond")).to_be_hidden()


def test_a_printed_article_leaves_out_navigation_search_and_the_like_button(page, discussed):
    page.emulate_media(media="print")
    page.goto(discussed.get_absolute_url())

    expect(page.get_by_role("navigation", name="Site", include_hidden=True)).to_be_hidden()
    expect(page.get_by_role("search", include_hidden=True)).to_be_hidden()
    expect(page.get_by_role("button", name="Like", exact=True, include_hidden=True)).to_be_hidden()
    expect(page.locator(".skip-link")).to_be_hidden()


def test_a_printed_article_gives_each_links_address_after_its_words(page, referenced):
    page.emulate_media(media="print")
    page.goto(referenced.get_absolute_url())

    link = page.get_by_role("link", name="NINDS fact sheet")
    after = link.evaluate("(element) => getComputedStyle(element, '::after').content")
    assert after == '" (https://www.ninds.nih.gov/health-information)"'


def test_on_screen_a_link_shows_only_its_words(page, referenced):
    page.goto(referenced.get_absolute_url())

    link = page.get_by_role("link", name="NINDS fact sheet")
    assert link.evaluate("(element) => getComputedStyle(element, '::after').content") == "none"
