"""A comment stored longer than a comment may be now, corrected in the admin by a moderator in a browser."""

import pytest
from playwright.sync_api import expect

from comments.models import Comment
from tests.browser.conftest import admin_log_in

pytestmark = [pytest.mark.django_db(transaction=True, serialized_rollback=True), pytest.mark.browser]

PASSWORD = "correct horse battery"


def test_an_imported_comment_longer_than_the_limit_is_saved_with_its_name_mended(
    monkeypatch, new_page, make_user, make_article, make_comment
):
    # Imported from WordPress, whose export gives line breaks as "\n"; a browser sends a text box's as "\r\n".
    make_user(username="mo", password=PASSWORD, is_staff=True, groups=("Moderators",))
    body = "\n".join(["A paragraph of a long story."] * 4)
    comment = make_comment(article=make_article(), body=body, author_name="rita", status=Comment.Status.PENDING)
    monkeypatch.setattr("comments.models.MAX_COMMENT_LENGTH", len(body) - 10)
    admin = new_page()
    admin_log_in(admin, "mo", PASSWORD)
    admin.goto(f"/admin/comments/comment/{comment.pk}/change/")

    admin.get_by_label("Name").fill("Rita Jones")
    admin.get_by_role("button", name="Save", exact=True).click()

    expect(admin.locator(".messagelist")).to_contain_text("was changed successfully")
    comment.refresh_from_db()
    assert comment.author_name == "Rita Jones"
    assert comment.body.replace("\r\n", "\n") == body
