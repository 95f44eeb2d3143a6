"""A guest edits their comment within the edit window and sees that it was edited."""

import pytest
from playwright.sync_api import expect

from comments.models import Comment

pytestmark = [pytest.mark.django_db(transaction=True, serialized_rollback=True), pytest.mark.browser]

ARTICLE = "/2026/11/02/hemifacial-spasm/"


def test_a_guest_edits_their_comment_within_the_window_and_sees_edited(
    seed, page, assert_well_behaved, assert_accessible
):
    page.goto(ARTICLE)
    page.get_by_label("Comment", exact=True).fill("Botox helps me every 3 months.")
    page.get_by_role("textbox", name="Email").fill("rita@example.com")
    page.get_by_role("textbox", name="Name").fill("Rita Reader")
    page.get_by_role("button", name="Post Comment").click()
    comment = Comment.objects.get()
    mine = page.locator(f"#comment-{comment.pk}")
    expect(mine).to_contain_text("Botox helps me every 3 months.")

    mine.get_by_role("link", name="Edit your comment").click()
    expect(page.get_by_role("heading", name="Edit your comment")).to_be_visible()
    assert_accessible(page)
    box = page.get_by_label("Comment", exact=True)
    expect(box).to_have_value("Botox helps me every 3 months.")
    box.fill("Botox helps me every 4 months, not 3.")
    page.get_by_role("button", name="Save the comment").click()

    expect(page).to_have_url(f"{ARTICLE}#messages")
    page.get_by_role("link", name="Go to your comment").click()
    mine = page.locator(f"#comment-{comment.pk}")
    expect(mine).to_contain_text("Botox helps me every 4 months, not 3.")
    expect(mine.locator(".comment-edited")).to_have_text("(edited)")
    assert_well_behaved(page)
