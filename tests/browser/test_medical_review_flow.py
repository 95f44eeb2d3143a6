import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from articles.models import Article, Reviewer
from tests.browser.conftest import admin_log_in

pytestmark = [pytest.mark.django_db(transaction=True, serialized_rollback=True), pytest.mark.browser]

PASSWORD = "correct horse battery"


def spelled(day: datetime.date) -> str:
    """A date as the article page writes it: November 30, 2026."""
    return f"{day:%B} {day.day}, {day.year}"


def test_an_editor_marks_an_overdue_article_reviewed_in_the_admin_and_readers_see_todays_date(
    new_page, make_user, make_article, assert_well_behaved
):
    make_user(username="edith", password=PASSWORD, is_staff=True, groups=("Editors",))
    reviewer = Reviewer.objects.create(name="Dr Ana Ruiz", credentials="MD")
    today = timezone.localdate()
    overdue = make_article(
        title="Overdue for review",
        reviewed_by=reviewer,
        reviewed_on=today - datetime.timedelta(days=400),
        next_review_due=today - datetime.timedelta(days=35),
    )
    make_article(
        title="Reviewed last month",
        reviewed_by=reviewer,
        reviewed_on=today - datetime.timedelta(days=30),
        next_review_due=today + datetime.timedelta(days=335),
    )

    reader = new_page()
    reader.goto(overdue.get_absolute_url())
    expect(reader.locator(".medical-review")).to_contain_text(
        f"Last reviewed {spelled(today - datetime.timedelta(days=400))}"
    )

    admin = new_page()
    admin_log_in(admin, "edith", PASSWORD)
    expect(admin.get_by_role("button", name="Log out")).to_be_visible()

    admin.goto("/admin/articles/article/")
    admin.locator("#changelist-filter").get_by_role("link", name="Overdue", exact=True).click()
    expect(admin).to_have_url("/admin/articles/article/?review=overdue")
    rows = admin.locator("#result_list tbody tr")
    expect(rows).to_have_count(1)
    expect(rows).to_contain_text("Overdue for review")
    rows.get_by_role("checkbox").check()
    admin.get_by_label("Action:").select_option(label="Mark the medical review done today")
    admin.get_by_role("button", name="Run").click()
    expect(admin.locator(".messagelist")).to_contain_text("1 article marked reviewed today.")
    expect(admin.locator("#result_list")).to_have_count(0)  # nothing overdue now
    assert_well_behaved(admin)

    reader.reload()
    expect(reader.locator(".medical-review")).to_contain_text(f"Last reviewed {spelled(today)}")
    assert_well_behaved(reader)
    overdue.refresh_from_db()
    assert overdue.reviewed_on == today
    assert not Article.objects.review_overdue().exists()
