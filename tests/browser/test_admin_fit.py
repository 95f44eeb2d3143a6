"""The admin on a 1280-pixel screen: the moderation list fits, with every row's actions in reach."""

import pytest
from playwright.sync_api import expect

from comments.models import Comment
from tests.browser.conftest import admin_log_in

pytestmark = [pytest.mark.django_db(transaction=True, serialized_rollback=True), pytest.mark.browser]

PASSWORD = "correct horse battery"
LONG_WORDS = "Botulinum-toxin-injections-every-three-months-for-hemifacial-spasm " * 6


@pytest.mark.parametrize("width", [1280, 1400])
def test_the_moderation_list_needs_no_sideways_scrolling(new_page, make_user, make_article, make_comment, width):
    make_user(username="mo", password=PASSWORD, is_staff=True, groups=("Moderators",))
    article = make_article(title="A rather long article title about hemifacial spasm and its treatment")
    for number in range(3):
        make_comment(
            article=article,
            # One long word of a name, as long as a name may be.
            author_name=f"A reader with a long name {number}" if number else "N" * 100,
            author_email=f"someone.with.a.long.address.{number}@example-health-forum.org",
            body=LONG_WORDS,
            status=Comment.Status.PENDING,
        )
    admin = new_page()
    admin.set_viewport_size({"width": width, "height": 900})
    admin_log_in(admin, "mo", PASSWORD)
    admin.goto("/admin/comments/comment/?status=pending")
    rows = admin.locator("#result_list tbody tr")
    expect(rows).to_have_count(3)
    assert admin.evaluate("document.documentElement.scrollWidth") <= width
    # Every row's every action in sight, none cut off by the list's own box either.
    results = admin.locator(".results").bounding_box()
    for row in rows.all():
        for action in row.locator(".comment-row-actions .button").all():
            box = action.bounding_box()
            assert box is not None and box["x"] + box["width"] <= min(width, results["x"] + results["width"]), (
                action.inner_text()
            )


def test_a_comments_page_shows_it_as_published_within_the_screen(new_page, make_user, make_article, make_comment):
    make_user(username="mo", password=PASSWORD, is_staff=True, groups=("Moderators",))
    comment = make_comment(article=make_article(), body=LONG_WORDS + "https://example.org/" + "x" * 300)
    admin = new_page()
    admin.set_viewport_size({"width": 1280, "height": 900})
    admin_log_in(admin, "mo", PASSWORD)
    admin.goto(f"/admin/comments/comment/{comment.pk}/change/")
    published = admin.locator(".body-as-published")
    expect(published).to_contain_text("Botulinum-toxin-injections")
    box = published.bounding_box()
    assert box["x"] + box["width"] <= 1280
    assert admin.evaluate("document.documentElement.scrollWidth") <= 1280
