import json
import re
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import Page, expect

from comments.models import Comment

pytestmark = [pytest.mark.django_db(transaction=True, serialized_rollback=True), pytest.mark.browser]

ARTICLE = "/2026/11/02/hemifacial-spasm/"
PASSWORD = "correct horse battery"


def test_a_member_downloads_their_data_then_deletes_the_account_giving_the_password_once(
    seed, make_user, make_comment, page: Page, assert_well_behaved, assert_accessible
):
    article = seed
    rita = make_user(display_name="Rita Reader", email="rita@example.com", password=PASSWORD)
    make_comment(article=article, user=rita, body="Botulinum toxin helped me.")

    page.goto("/accounts/your-data/")
    expect(page.get_by_role("heading", name="Sign In")).to_be_visible()
    page.get_by_label("Email").fill("rita@example.com")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    expect(page.get_by_role("heading", name="Your data", exact=True)).to_be_visible()
    assert_accessible(page)

    # Signing in a moment ago is not enough: the data is given only after the password is typed again.
    page.get_by_role("button", name="Download my data").click()
    expect(page.get_by_role("heading", name="Confirm Access")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Password").fill("not my password")
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_text("Incorrect password.")).to_be_visible()
    page.get_by_label("Password").fill(PASSWORD)
    with page.expect_download() as download:
        page.get_by_role("button", name="Confirm").click()
    data = json.loads(Path(download.value.path()).read_text())
    assert data["profile"]["display_name"] == "Rita Reader"
    assert [comment["comment"] for comment in data["comments"]] == ["Botulinum toxin helped me."]

    # Minutes later, deleting is not asked for again.
    page.goto("/accounts/your-data/")
    page.get_by_role("button", name="Delete my account").click()
    expect(page.get_by_text("Tick the box to confirm that you want to delete your account.").first).to_be_visible()
    page.get_by_label(re.compile("I understand")).check()
    page.get_by_role("button", name="Delete my account").click()

    expect(page).to_have_url(re.compile(r"/$"))
    expect(page.get_by_text("Your account was deleted.")).to_be_visible()
    assert not get_user_model().objects.filter(email="rita@example.com").exists()
    assert list(Comment.objects.values_list("author_name", flat=True)) == ["Anonymous"]
    page.goto(ARTICLE)
    expect(page.locator("#comments").get_by_text("Anonymous")).to_be_visible()
    expect(page.get_by_text("Rita Reader")).to_have_count(0)
    assert_well_behaved(page)


def test_a_member_logs_out_from_the_header_of_any_page(seed, make_user, page: Page, assert_accessible):
    make_user(display_name="Rita Reader", email="rita@example.com", password=PASSWORD)
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill("rita@example.com")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.goto("/accounts/subscriptions/")
    header = page.get_by_role("navigation", name="Site")
    expect(header.get_by_role("link", name="Your account")).to_be_visible()
    assert_accessible(page)
    header.get_by_role("button", name="Log out").click()
    expect(page).to_have_url(re.compile(r"/$"))
    expect(header.get_by_role("link", name="Log in")).to_be_visible()
    expect(header.get_by_role("button", name="Log out")).to_have_count(0)
    page.goto("/accounts/subscriptions/")
    expect(page.get_by_role("heading", name="Sign In")).to_be_visible()


def test_a_guest_gets_the_link_by_email_downloads_their_data_then_erases_it(
    seed, make_comment, page: Page, mailoutbox, assert_well_behaved, assert_accessible
):
    make_comment(article=seed, author_name="Rita", author_email="rita@example.com", body="Botox helped me.")

    page.goto(ARTICLE)
    page.get_by_role("link", name="Your comments’ data").click()
    expect(page.get_by_role("heading", name="Your comments’ data")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Email").fill("rita@example")
    page.get_by_role("button", name="Email me the link").click()
    expect(page.get_by_text("Please enter a valid email address, like name@example.com.")).to_be_visible()
    page.get_by_label("Email").fill("rita@example.com")
    page.get_by_role("button", name="Email me the link").click()
    expect(page.get_by_role("heading", name="Check your inbox")).to_be_visible()

    [message] = mailoutbox
    link = re.search(r"https?://[^/\s]+(/comments/your-data/\S+/)", message.body).group(1)
    page.goto(link)
    expect(page.get_by_text("1 published comment", exact=True)).to_be_visible()
    assert_accessible(page)
    with page.expect_download() as download:
        page.get_by_role("button", name="Download my data").click()
    data = json.loads(Path(download.value.path()).read_text())
    assert [comment["comment"] for comment in data["comments"]] == ["Botox helped me."]

    page.get_by_role("button", name="Erase my data").click()
    expect(page.get_by_text("Tick the box to confirm that you want to erase your data.").first).to_be_visible()
    page.get_by_label(re.compile("I understand")).check()
    page.get_by_role("button", name="Erase my data").click()
    expect(page.get_by_text("Your data is erased. 1 published comment stays, signed “Anonymous”.")).to_be_visible()
    page.goto(ARTICLE)
    expect(page.locator("#comments").get_by_text("Anonymous")).to_be_visible()
    expect(page.locator("#comments").get_by_text("Rita", exact=True)).to_have_count(0)
    assert_well_behaved(page)
