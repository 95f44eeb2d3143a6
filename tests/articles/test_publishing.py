import datetime
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from articles.models import Article

pytestmark = pytest.mark.django_db


def test_published_article_with_a_past_date_is_public(make_article, client):
    article = make_article(title="Visible")
    assert list(Article.objects.published()) == [article]
    assert client.get(article.get_absolute_url()).status_code == 200


def test_draft_is_not_public_and_its_page_is_404_for_readers(make_article, client):
    draft = make_article(title="Secret draft", status=Article.Status.DRAFT)
    assert not Article.objects.published().exists()
    response = client.get(draft.get_absolute_url())
    assert response.status_code == 404
    assert b"Secret draft" not in response.content


def test_scheduled_article_is_404_until_its_publish_time(make_article, client):
    scheduled = make_article(title="Tomorrow", published_at=timezone.now() + datetime.timedelta(days=1))
    assert list(Article.objects.scheduled()) == [scheduled]
    assert client.get(scheduled.get_absolute_url()).status_code == 404
    assert b"Tomorrow" not in client.get("/").content


def test_scheduled_article_appears_once_its_time_has_come(make_article, client):
    publish_at = timezone.now() + datetime.timedelta(hours=1)
    make_article(title="Arriving soon", published_at=publish_at)
    assert b"Arriving soon" not in client.get("/").content
    # Time passes; the article itself is left as it was scheduled.
    with mock.patch("django.utils.timezone.now", return_value=publish_at + datetime.timedelta(seconds=1)):
        assert b"Arriving soon" in client.get("/").content


def test_staff_preview_a_draft_with_a_notice_and_noindex(make_article, client, author):
    draft = make_article(title="Work in progress", status=Article.Status.DRAFT, author=author)
    client.force_login(author)
    response = client.get(draft.get_absolute_url())
    assert response.status_code == 200
    assert "Preview: this article is a draft" in response.text
    assert '<meta name="robots" content="noindex">' in response.text


def test_staff_preview_a_scheduled_article(make_article, client, editor):
    scheduled = make_article(title="Next week", published_at=timezone.now() + datetime.timedelta(days=7))
    client.force_login(editor)
    response = client.get(scheduled.get_absolute_url())
    assert "is scheduled for" in response.text


def test_signed_in_reader_who_is_not_staff_cannot_preview(make_article, make_user, client):
    draft = make_article(status=Article.Status.DRAFT)
    client.force_login(make_user())
    assert client.get(draft.get_absolute_url()).status_code == 404


def test_publishing_a_draft_sets_its_date_and_makes_it_public(make_article):
    draft = make_article(status=Article.Status.DRAFT)
    assert draft.published_at is None
    draft.publish()
    draft.refresh_from_db()
    assert draft.status == Article.Status.PUBLISHED
    assert draft.published_at <= timezone.now()
    assert draft.is_public


def test_publishing_at_a_future_time_schedules(make_article):
    draft = make_article(status=Article.Status.DRAFT)
    draft.publish(at=timezone.now() + datetime.timedelta(hours=2))
    assert draft.state_label == "Scheduled"
    assert not Article.objects.published().exists()


def test_publishing_twice_is_refused(make_article):
    article = make_article()
    with pytest.raises(ValidationError, match="already published"):
        article.publish()


def test_unpublishing_returns_to_draft_and_hides_it(make_article, client):
    article = make_article()
    article.unpublish()
    assert Article.objects.get(pk=article.pk).status == Article.Status.DRAFT
    assert client.get(article.get_absolute_url()).status_code == 404
    with pytest.raises(ValidationError, match="already a draft"):
        article.unpublish()


def test_database_refuses_a_published_article_without_a_date(make_article):
    from django.db import IntegrityError, transaction

    article = make_article()
    with pytest.raises(IntegrityError), transaction.atomic():
        Article.objects.filter(pk=article.pk).update(published_at=None)


def test_database_refuses_an_unknown_status(make_article):
    from django.db import IntegrityError, transaction

    article = make_article()
    with pytest.raises(IntegrityError), transaction.atomic():
        Article.objects.filter(pk=article.pk).update(status="pending")


def test_front_page_lists_newest_first_with_excerpts_and_paginates(make_article, client, settings):
    now = timezone.now()
    for days in range(12):
        make_article(title=f"Day {days}", excerpt=f"Excerpt {days}.", published_at=now - datetime.timedelta(days=days))
    first = client.get("/")
    assert first.text.index("Day 0") < first.text.index("Day 1")
    assert "Excerpt 0." in first.text
    assert "Day 11" not in first.text
    assert 'rel="next"' in first.text
    second = client.get("/?page=2")
    assert "Day 11" in second.text
    assert client.get("/?page=9").status_code == 404


def test_excerpt_falls_back_to_the_first_words_of_the_body(make_article):
    article = make_article(body="<p>" + " ".join(f"word{n}" for n in range(80)) + "</p>", excerpt="")
    assert article.summary.startswith("word0 word1")
    assert article.summary.endswith("…")
    assert "word79" not in article.summary


def test_slug_is_made_from_the_title_when_left_blank(make_article):
    assert make_article(title="Bell’s Palsy: What Now?", slug="").slug == "bells-palsy-what-now"


def test_an_author_cannot_preview_another_authors_draft(make_article, make_user, client, author):
    others = make_article(status=Article.Status.DRAFT, author=make_user(is_staff=True, groups=("Authors",)))
    client.force_login(author)
    assert client.get(others.get_absolute_url()).status_code == 404


def test_an_editor_previews_any_draft(make_article, client, author, editor):
    draft = make_article(status=Article.Status.DRAFT, author=author)
    client.force_login(editor)
    assert client.get(draft.get_absolute_url()).status_code == 200
