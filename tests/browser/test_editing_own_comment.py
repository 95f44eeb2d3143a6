"""A guest edits or deletes their comment within the edit window and sees that it was done."""

import pytest
from playwright.sync_api import expect

from comments.models import Comment, DiscussionSettings

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


def test_a_guest_who_deletes_their_comment_goes_back_to_the_page_of_comments_it_was_on(
    seed, make_comment, page, assert_well_behaved
):
    DiscussionSettings.objects.filter(pk=1).update(comments_per_page=2)
    for name in ("Person 0", "Person 1", "Person 2"):
        make_comment(article=seed, author_name=name)
    page.goto(ARTICLE)
    page.get_by_label("Comment", exact=True).fill("Botox helps me every 3 months.")
    page.get_by_role("textbox", name="Email").fill("rita@example.com")
    page.get_by_role("textbox", name="Name").fill("Rita Reader")
    page.get_by_role("button", name="Post Comment").click()
    comment = Comment.objects.get(author_name="Rita Reader")
    expect(page).to_have_url(f"{ARTICLE}?cpage=2#comment-{comment.pk}")  # after Person 2, on the second page

    page.locator(f"#comment-{comment.pk}").get_by_role("link", name="Delete it").click()
    page.get_by_role("button", name="Yes, delete my comment").click()

    expect(page).to_have_url(f"{ARTICLE}?cpage=2#messages")
    expect(page.get_by_text("Comments page 2 of 2")).to_be_visible()
    expect(page.locator(".comment-list")).to_contain_text("Person 2")
    expect(page.get_by_role("status").filter(has_text="Your comment is deleted.")).to_be_in_viewport()
    assert_well_behaved(page)
