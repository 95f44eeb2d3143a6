"""What the site tells a reader after an action on the article page ("Your comment is updated.", "You have signed
out.") is where the reader lands: on a long article with its comments it was at the top of the page, thousands of
pixels above the comment or the box the reader was sent to, seen by nobody and announced by no screen reader."""

import pytest
from playwright.sync_api import Page, expect

from comments.models import Comment

pytestmark = [pytest.mark.django_db(transaction=True, serialized_rollback=True), pytest.mark.browser]

ARTICLE = "/2026/11/02/hemifacial-spasm/"
SAID = "Botox helps me every 3 months."
PASSWORD = "correct horse battery"
PHONE = {"width": 320, "height": 568}


@pytest.fixture
def long_thread(seed, make_comment):
    """The seed article with six readers' comments: the comment box and a new comment are far below its text."""
    for number in range(6):
        make_comment(article=seed, author_name=f"Reader {number}", body="My spasm started around the eye. " * 12)
    return seed


@pytest.fixture(params=[True, False], ids=["with JavaScript", "without JavaScript"])
def reader(request, long_thread, new_page) -> Page:
    return new_page(java_script_enabled=request.param)


def post_a_comment(page: Page, words: str = SAID, *, notify: bool = False) -> Comment:
    page.goto(ARTICLE)
    page.get_by_label("Comment", exact=True).fill(words)
    if notify:
        page.get_by_label("Notify me of new comments via email.").check()
    page.get_by_role("textbox", name="Email").fill("rita@example.com")
    page.get_by_role("textbox", name="Name").fill("Rita Reader")
    page.get_by_role("button", name="Post Comment").click()
    page.wait_for_url(f"**{ARTICLE}#*")
    return Comment.objects.get(body=words)


def edit_it(page: Page, comment: Comment, words: str = "Botox helps me every 4 months, not 3.") -> None:
    page.locator(f"#comment-{comment.pk}").get_by_role("link", name="Edit your comment").click()
    page.get_by_label("Comment", exact=True).fill(words)
    page.get_by_role("button", name="Save the comment").click()


def sign_in(page: Page) -> None:
    page.get_by_label("Email").fill("rita@example.com")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()


def told(page: Page, words: str):
    """The site's message saying `words`, in a status region (a screen reader reads it as a status)."""
    return page.get_by_role("status").filter(has_text=words)


def expect_in_view(message) -> None:
    # All of it (but for a pixel the page's scrolling may round away).
    expect(message).to_be_in_viewport(ratio=0.9)


def test_a_writer_who_edits_their_comment_is_told_it_is_updated_where_they_land(reader, assert_well_behaved):
    edit_it(reader, post_a_comment(reader))

    expect_in_view(told(reader, "Your comment is updated"))
    assert_well_behaved(reader)


def test_the_message_about_a_comment_leads_on_to_it(reader):
    comment = post_a_comment(reader)
    edit_it(reader, comment)

    told(reader, "Your comment is updated").get_by_role("link", name="Go to your comment").click()

    expect(reader.locator(f"#comment-{comment.pk}")).to_be_in_viewport()
    expect(reader.locator(f"#comment-{comment.pk}")).to_contain_text("Botox helps me every 4 months, not 3.")


def test_a_writer_who_deletes_their_comment_is_told_it_is_deleted_where_they_land(reader, assert_well_behaved):
    comment = post_a_comment(reader)
    reader.locator(f"#comment-{comment.pk}").get_by_role("link", name="Delete it").click()
    reader.get_by_role("button", name="Yes, delete my comment").click()

    expect_in_view(told(reader, "Your comment is deleted."))
    assert_well_behaved(reader)


def test_a_writer_who_sends_their_comment_again_is_told_so_where_they_land(reader):
    comment = post_a_comment(reader)
    post_a_comment(reader)  # the same words again: Back, then Post Comment

    expect_in_view(told(reader, "You sent this comment already"))
    assert Comment.objects.get(body=SAID) == comment


def test_a_writer_whose_confirmation_email_cannot_come_today_is_told_where_they_land(reader, monkeypatch):
    monkeypatch.setattr("comments.views.confirmations_left_today", lambda email: 0)
    post_a_comment(reader, notify=True)

    expect_in_view(told(reader, "No confirmation email comes today"))


@pytest.mark.parametrize("button", ["Log Out", "Change"])
def test_a_member_who_signs_out_in_the_comment_box_is_told_so_where_they_land(reader, make_user, button):
    make_user(display_name="Rita Reader", email="rita@example.com", password=PASSWORD)
    reader.goto(ARTICLE)
    reader.locator("#commentform button.sign-in-choice[value=local]").click()
    sign_in(reader)
    expect_in_view(told(reader, "Successfully signed in as Rita Reader."))

    reader.locator(".logged-in-as").get_by_role("button", name=button).click()

    expect_in_view(told(reader, "You have signed out."))


def test_a_guest_who_signs_in_to_like_the_article_is_told_so_where_they_land(reader, make_user):
    make_user(display_name="Rita Reader", email="rita@example.com", password=PASSWORD)
    reader.goto(ARTICLE)
    reader.locator("#likes").get_by_role("button", name="Like", exact=True).click()
    sign_in(reader)

    expect(reader.locator("#likes")).to_be_in_viewport()
    expect_in_view(told(reader, "Successfully signed in as Rita Reader."))
    expect(reader.get_by_text("Successfully signed in as Rita Reader.")).to_have_count(1)  # not in the box as well


def test_with_javascript_the_message_the_reader_lands_on_has_the_focus(long_thread, page):
    # A screen reader says what has the focus: the message, not the page from its top.
    edit_it(page, post_a_comment(page))

    expect(told(page, "Your comment is updated")).to_be_focused()


def test_a_reader_on_a_page_without_a_message_keeps_the_focus_where_it_was(long_thread, page):
    post_a_comment(page)

    assert page.evaluate("document.activeElement === document.body")


def test_on_a_phone_the_message_is_in_view_and_the_page_does_not_scroll_sideways(long_thread, new_page):
    page = new_page(viewport=PHONE)
    edit_it(page, post_a_comment(page))

    expect_in_view(told(page, "Your comment is updated"))
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_the_page_a_reader_lands_on_with_a_message_is_accessible(long_thread, page, assert_accessible):
    edit_it(page, post_a_comment(page))

    expect(told(page, "Your comment is updated")).to_be_visible()
    assert_accessible(page)
