"""Previous and next article under an article, as WordPress's themes show them: the neighbours readers can open."""

import datetime

import pytest
from django.utils import timezone

from articles.models import Article

pytestmark = pytest.mark.django_db


@pytest.fixture
def three(make_article):
    start = timezone.now() - datetime.timedelta(days=10)
    return [
        make_article(title=f"{name} article", published_at=start + datetime.timedelta(days=number))
        for number, name in enumerate(("Oldest", "Middle", "Newest"))
    ]


def navigation(client, article) -> str:
    page = client.get(article.get_absolute_url()).text
    return page[page.index('<nav class="post-navigation"') :].split("</nav>")[0] if "post-navigation" in page else ""


def test_an_article_leads_to_the_one_before_and_the_one_after(client, three):
    oldest, middle, newest = three
    shown = navigation(client, middle)
    assert (
        f'href="{oldest.get_absolute_url()}" rel="prev"><span class="meta-nav">Previous article</span> Oldest' in shown
    )
    assert f'href="{newest.get_absolute_url()}" rel="next"><span class="meta-nav">Next article</span> Newest' in shown


def test_the_first_and_the_last_lead_one_way_only(client, three):
    oldest, _, newest = three
    assert 'rel="prev"' not in navigation(client, oldest) and 'rel="next"' in navigation(client, oldest)
    assert 'rel="next"' not in navigation(client, newest) and 'rel="prev"' in navigation(client, newest)


def test_drafts_and_scheduled_articles_are_not_neighbours(client, three, make_article):
    oldest, middle, newest = three
    make_article(title="A draft", status=Article.Status.DRAFT)
    make_article(title="Scheduled", published_at=timezone.now() + datetime.timedelta(days=1))
    assert "Scheduled" not in navigation(client, newest) and "A draft" not in navigation(client, newest)
    assert navigation(client, newest).count("<a ") == 1


def test_the_neighbours_are_by_date_whatever_order_the_articles_were_made_in(make_article):
    # Found by a review: an article made first but published last (a draft that waited, an import) was both.
    start = timezone.now() - datetime.timedelta(days=10)
    newest = make_article(title="Newest", published_at=start + datetime.timedelta(days=2))
    middle = make_article(title="Middle", published_at=start + datetime.timedelta(days=1))
    oldest = make_article(title="Oldest", published_at=start)
    assert middle.neighbours() == (oldest, newest)


def test_two_published_at_the_same_moment_lead_to_each_other(make_article):
    moment = timezone.now() - datetime.timedelta(days=1)
    first, second = make_article(title="First", published_at=moment), make_article(title="Second", published_at=moment)
    assert first.neighbours() == (None, second)
    assert second.neighbours() == (first, None)


def test_a_lone_article_has_no_navigation(client, article):
    assert navigation(client, article) == ""
