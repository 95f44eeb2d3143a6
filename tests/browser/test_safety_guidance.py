"""A reader who describes a stroke sign in a comment is told at once to get help, above their held comment."""

import pytest
from playwright.sync_api import expect

from comments.models import Comment

pytestmark = [pytest.mark.django_db(transaction=True, serialized_rollback=True), pytest.mark.browser]

ARTICLE = "/2026/11/02/hemifacial-spasm/"


def test_a_comment_naming_a_stroke_sign_shows_the_guidance_at_once(
    seed, page, new_page, assert_well_behaved, assert_accessible
):
    page.goto(ARTICLE)
    page.get_by_label("Comment", exact=True).fill(
        "Since this morning there is sudden drooping on one side of my face. Is this the same thing?"
    )
    page.get_by_role("textbox", name="Email").fill("rita@example.com")
    page.get_by_role("textbox", name="Name").fill("Rita Reader")
    page.get_by_role("button", name="Post Comment").click()

    comment = Comment.objects.get()
    expect(page).to_have_url(f"{ARTICLE}#comment-{comment.pk}")
    held = page.locator(f"#comment-{comment.pk}")
    guidance = held.get_by_role("alert")
    expect(guidance).to_contain_text("call an ambulance at once")
    expect(guidance.get_by_role("link", name="The signs of a stroke (NHS)")).to_have_attribute(
        "href", "https://www.nhs.uk/conditions/stroke/symptoms/"
    )
    expect(guidance).to_be_in_viewport()
    expect(held.get_by_role("status")).to_have_text("Your comment is awaiting moderation.")
    assert comment.status_reason == "safety rule “Stroke signs”: “sudden drooping”"
    assert_accessible(page)
    assert_well_behaved(page)

    # Another reader sees neither the comment nor the guidance.
    other = new_page()
    other.goto(ARTICLE)
    expect(other.get_by_role("alert")).to_have_count(0)
    expect(other.get_by_text("sudden drooping")).to_have_count(0)
