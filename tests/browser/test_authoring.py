import re

import pytest
from django.contrib.auth.models import Group
from playwright.sync_api import expect

from tests.browser.conftest import admin_log_in

pytestmark = [pytest.mark.django_db(transaction=True, serialized_rollback=True), pytest.mark.browser]


def test_author_publishes_an_article_that_a_reader_opens_and_whose_old_link_works_once_renamed(
    new_page, make_user, assert_well_behaved
):
    # The groups come from a data migration; transactional tests flush them
    # unless serialized_rollback restores the migrated data.
    assert Group.objects.filter(name="Authors").exists()
    make_user(username="alice", password="correct horse battery", is_staff=True, groups=("Authors",))

    admin = new_page()
    admin_log_in(admin, "alice")
    expect(admin.get_by_role("button", name="Log out")).to_be_visible()

    admin.goto("/admin/articles/article/add/")
    # Django's admin scripts must load under the site's strict policy, or the slug stays empty.
    assert_well_behaved(admin)
    admin.get_by_label("Title").fill("Living with facial twitches")
    # Leaving the title fires the change event the admin's prepopulate.js listens to.
    admin.get_by_role("textbox", name="Body").click()
    admin.keyboard.type("Practical advice from readers who live with it.")
    expect(admin.get_by_label("Slug")).to_have_value("living-with-facial-twitches")
    admin.get_by_label("Status").select_option(label="Published")
    admin.get_by_role("button", name="Save", exact=True).click()
    expect(admin.locator(".messagelist")).to_contain_text("was added successfully")
    assert_well_behaved(admin)

    reader = new_page()
    reader.goto("/")
    reader.get_by_role("link", name="Living with facial twitches", exact=True).click()
    expect(reader.get_by_role("heading", level=1)).to_have_text("Living with facial twitches")
    expect(reader.locator(".entry-content")).to_contain_text("Practical advice from readers who live with it.")
    assert_well_behaved(reader)
    shared_link = reader.url

    # The author shortens its address; the link readers shared leads to the new one.
    admin.goto("/admin/articles/article/")
    admin.get_by_role("link", name="Living with facial twitches").click()
    admin.get_by_label("Slug").fill("facial-twitches")
    admin.get_by_role("button", name="Save", exact=True).click()
    expect(admin.locator(".messagelist")).to_contain_text("was changed successfully")
    reader.goto(shared_link)
    expect(reader).to_have_url(re.compile(r"/\d{4}/\d{2}/\d{2}/facial-twitches/$"))
    expect(reader.get_by_role("heading", level=1)).to_have_text("Living with facial twitches")
    assert_well_behaved(reader)
