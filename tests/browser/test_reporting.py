"""A reader reports a comment; with two more readers' reports it is taken off the page for everyone."""

import pytest
from playwright.sync_api import expect

from comments.models import Comment
from comments.services import comment_report

pytestmark = [pytest.mark.django_db(transaction=True, serialized_rollback=True), pytest.mark.browser]

ARTICLE = "/2026/11/02/hemifacial-spasm/"


def test_a_reader_reports_a_comment_and_with_two_more_reports_it_disappears(
    seed, make_comment, page, new_page, assert_well_behaved, assert_accessible
):
    quack = make_comment(article=seed, author_name="Dr. Quack", body="Stop your medicine and drink vinegar.")
    for reader in ("member:101", "member:102"):
        comment_report(comment=quack, reason="harmful", reporter_key=reader)

    page.goto(ARTICLE)
    page.get_by_role("link", name="Report the comment by Dr. Quack").click()
    expect(page.get_by_role("heading", name="Report a comment")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Harmful or wrong medical advice").check()
    page.get_by_role("button", name="Send the report").click()
    expect(page.get_by_role("status")).to_contain_text("Thank you: moderators will look at this comment.")
    assert_well_behaved(page)

    quack.refresh_from_db()
    assert quack.status == Comment.Status.PENDING
    other = new_page()
    other.goto(ARTICLE)
    expect(other.get_by_role("heading", name="Leave a Reply")).to_be_visible()
    expect(other.get_by_text("drink vinegar")).to_have_count(0)
