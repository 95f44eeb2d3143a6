import re

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.django_db(transaction=True, serialized_rollback=True), pytest.mark.browser]

ARTICLE = "/2026/11/02/hemifacial-spasm/"


def test_a_reader_searches_from_the_header_finds_the_seed_article_with_the_word_marked_and_opens_it(
    seed, page, assert_accessible, assert_well_behaved
):
    page.goto("/")
    search = page.locator("form.search-form").get_by_role("searchbox", name="Search articles")
    expect(search).to_have_id("site-search")
    search.fill("botulinum")
    search.press("Enter")

    expect(page).to_have_url("/search/?q=botulinum")
    expect(page.get_by_role("heading", level=1)).to_have_text("Search results for “botulinum”")
    expect(page.locator(".search-count")).to_have_text("1 article found.")
    results = page.locator("article.search-result")
    expect(results).to_have_count(1)
    expect(results.get_by_role("heading", level=2)).to_have_text("hemifacial spasm")
    marked = results.locator(".entry-summary mark")
    expect(marked.first).to_have_text(re.compile(r"^botulinum$", re.IGNORECASE))
    assert {word.lower() for word in marked.all_text_contents()} == {"botulinum"}
    # Two search landmarks, the header's and the page's: a screen reader's list of landmarks tells them apart.
    expect(page.get_by_role("search", name="Site", exact=True)).to_have_count(1)
    expect(page.get_by_role("search", name="Search articles", exact=True)).to_have_count(1)
    assert_accessible(page)
    assert_well_behaved(page)

    results.get_by_role("link", name="hemifacial spasm", exact=True).click()
    expect(page).to_have_url(ARTICLE)
    expect(page.get_by_role("heading", level=1)).to_have_text("hemifacial spasm")
    expect(page.locator(".entry-content")).to_contain_text("botulinum")
    assert_well_behaved(page)
