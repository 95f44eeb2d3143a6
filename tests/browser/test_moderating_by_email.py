"""A moderator approves a held comment from the email about it, with one click and a confirmation."""

import re

import pytest
from playwright.sync_api import expect

from comments.models import Comment

pytestmark = [pytest.mark.django_db(transaction=True, serialized_rollback=True), pytest.mark.browser]

ARTICLE = "/2026/11/02/hemifacial-spasm/"


def test_a_moderator_approves_from_the_email_and_goes_to_the_comment_on_the_article(
    seed, moderator, new_page, mailoutbox, assert_well_behaved, assert_accessible
):
    guest = new_page()
    guest.goto(ARTICLE)
    guest.get_by_label("Comment", exact=True).fill("Is the surgery for it risky?")
    guest.get_by_role("textbox", name="Email").fill("rita@example.com")
    guest.get_by_role("textbox", name="Name").fill("Rita Reader")
    guest.get_by_role("button", name="Post Comment").click()
    expect(guest.get_by_text("Your comment is awaiting moderation.")).to_be_visible()
    held = Comment.objects.get()

    [email] = [message for message in mailoutbox if message.to == [moderator.email]]
    approve = re.search(r"Approve it: https?://[^/\s]+(/\S+)", email.body).group(1)
    page = new_page()  # the moderator's phone: not signed in
    page.goto(approve)
    expect(page.get_by_role("heading", name="Approve this comment?")).to_be_visible()
    expect(page.get_by_text("Is the surgery for it risky?")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Approve").click()

    expect(page.get_by_role("status")).to_contain_text("Comment approved.")
    expect(page.get_by_role("heading", name="Comment moderated")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="See the comment on the article").click()
    expect(page).to_have_url(re.compile(rf"{ARTICLE}#comment-{held.pk}$"))
    shown = page.locator(f"#comment-{held.pk}")
    expect(shown).to_contain_text("Is the surgery for it risky?")
    expect(shown.get_by_text("Your comment is awaiting moderation.")).to_have_count(0)
    assert_well_behaved(page)
