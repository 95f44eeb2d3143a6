import pytest
from playwright.sync_api import expect

from articles.models import Tag
from articles.services import seed_article_load

pytestmark = [pytest.mark.django_db(transaction=True, serialized_rollback=True), pytest.mark.browser]

# One address per page type readers can reach, with the status it must answer.
# The admin is Django's own and is left out: its issues are not ours to fix.
PAGES = {
    "front page": ("/", 200),
    "article": ("/2026/11/02/hemifacial-spasm/", 200),
    "category archive": ("/category/conditions/", 200),
    "tag archive": ("/tag/nerves/", 200),
    "year archive": ("/2026/", 200),
    "month archive": ("/2026/11/", 200),
    "day archive": ("/2026/11/02/", 200),
    "page not found": ("/no-such-page/", 404),
}


@pytest.fixture
def seed_article_tagged():
    article, _ = seed_article_load()
    article.tags.add(Tag.objects.create(name="Nerves", slug="nerves"))
    return article


@pytest.mark.parametrize(("path", "status"), PAGES.values(), ids=PAGES.keys())
def test_page_has_no_serious_accessibility_violations(
    page, seed_article_tagged, assert_accessible, assert_well_behaved, path, status
):
    response = page.goto(path)

    assert response.status == status
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert_accessible(page)
    assert_well_behaved(page)
