import datetime

import pytest

from articles.models import Article

pytestmark = pytest.mark.django_db

WHEN = datetime.datetime(2024, 3, 7, 10, 30, tzinfo=datetime.UTC)


def test_permalink_is_year_month_day_slug(make_article):
    article = make_article(slug="bells-palsy", published_at=WHEN)
    assert article.get_absolute_url() == "/2024/03/07/bells-palsy/"


def test_permalink_date_follows_the_site_time_zone(make_article, settings):
    settings.TIME_ZONE = "America/New_York"
    late = datetime.datetime(2024, 3, 8, 2, 0, tzinfo=datetime.UTC)  # still March 7 in New York
    assert make_article(slug="late", published_at=late).get_absolute_url() == "/2024/03/07/late/"


def test_article_page_answers_at_its_permalink(make_article, client):
    article = make_article(title="Bell’s palsy", slug="bells-palsy", published_at=WHEN)
    response = client.get("/2024/03/07/bells-palsy/")
    assert response.status_code == 200
    assert '<h1 class="entry-title">Bell’s palsy</h1>' in response.text
    assert article.body in response.text


def test_wrong_date_redirects_permanently_to_the_permalink(make_article, client):
    make_article(slug="bells-palsy", published_at=WHEN)
    response = client.get("/2023/01/01/bells-palsy/")
    assert response.status_code == 301
    assert response["Location"] == "/2024/03/07/bells-palsy/"


def test_unknown_slug_is_404(client):
    assert client.get("/2024/03/07/no-such-article/").status_code == 404


def test_date_archives_list_articles_of_that_period(make_article, client):
    make_article(title="In March", published_at=WHEN)
    make_article(title="In April", published_at=WHEN + datetime.timedelta(days=30))
    assert "In March" in client.get("/2024/").text and "In April" in client.get("/2024/").text
    month = client.get("/2024/03/")
    assert "Articles of March 2024" in month.text
    assert "In March" in month.text and "In April" not in month.text
    assert "In March" in client.get("/2024/03/07/").text
    assert client.get("/2024/03/08/").status_code == 404


@pytest.mark.parametrize(
    "path",
    ["/9999/12/31/", "/9999/12/", "/9999/", "/0000/", "/0001/01/01/", "/2024/02/30/", "/2024/13/", "/2024/00/00/"],
)
def test_a_date_no_calendar_has_is_not_found(make_article, client, path):
    make_article(published_at=WHEN)
    assert client.get(path).status_code == 404


def test_date_archives_do_not_show_drafts_or_scheduled(make_article, client):
    make_article(title="Draft", status=Article.Status.DRAFT)
    assert client.get("/2024/").status_code == 404


def test_category_and_tag_archives(make_article, client, category, tag):
    make_article(title="Filed", categories=[category], tags=[tag])
    make_article(title="Elsewhere")
    by_category = client.get("/category/conditions/")
    assert "Category: Conditions" in by_category.text
    assert "Filed" in by_category.text and "Elsewhere" not in by_category.text
    by_tag = client.get("/tag/nerves/")
    assert "Tag: Nerves" in by_tag.text and "Filed" in by_tag.text
    assert client.get("/category/unknown/").status_code == 404
