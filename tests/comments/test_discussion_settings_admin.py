"""The site owner's Discussion settings, as they are changed in the admin."""

import pytest
from django.urls import reverse

from comments.models import DiscussionSettings

pytestmark = pytest.mark.django_db


def settings_form_sent(client, **changes):
    """The Discussion settings form, sent back as the admin shows it but for `changes`."""
    url = reverse("admin:comments_discussionsettings_change", args=[DiscussionSettings.load().pk])
    form = client.get(url).context["adminform"].form
    data = {name: value for name, value in form.initial.items() if value not in (None, False)}
    return client.post(url, {**data, **changes})


def test_closing_comments_after_a_million_days_is_refused_and_every_article_page_still_opens(
    admin_client, client, article
):
    # Taken, a million days before today fell before the year 1: every article's page was a server error.
    response = settings_form_sent(admin_client, close_after_days="1000000")

    assert response.status_code == 200
    assert "Ensure this value is less than or equal to 36500." in response.text
    assert DiscussionSettings.load().close_after_days is None
    assert client.get(article.get_absolute_url()).status_code == 200


def test_comments_may_close_after_a_hundred_years(admin_client, client, article):
    assert settings_form_sent(admin_client, close_after_days="36500").status_code == 302
    assert DiscussionSettings.load().close_after_days == 36500
    assert client.get(article.get_absolute_url()).status_code == 200


def test_a_million_days_saved_before_the_limit_leaves_every_article_page_open_to_comments(client, article):
    # Found by a review: 0020 only refuses the number from now on; a site that saved it before still has it, and
    # every article's page was still a server error. So long ago is before any article: comments stay open.
    DiscussionSettings.load().save()
    DiscussionSettings.objects.update(close_after_days=1_000_000)

    page = client.get(article.get_absolute_url())

    assert page.status_code == 200
    assert "Comments are closed." not in page.text


@pytest.mark.parametrize("field", ["flood_seconds", "minimum_fill_seconds", "edit_window_minutes"])
def test_a_time_longer_than_postgresql_keeps_is_refused_on_sqlite_too(admin_client, field):
    # SQLite keeps any number: 99999999999 minutes to edit, or seconds between two comments, was saved, and every
    # comment sent after it was a server error (OverflowError counting back from now).
    response = settings_form_sent(admin_client, **{field: "99999999999"})

    assert response.status_code == 200
    assert "Ensure this value is less than or equal to 32767." in response.text
    assert getattr(DiscussionSettings.load(), field) == DiscussionSettings._meta.get_field(field).default


def test_the_longest_times_allowed_leave_comments_taken_and_pages_open(admin_client, client, article, post_comment):
    assert settings_form_sent(admin_client, flood_seconds="32767", edit_window_minutes="32767").status_code == 302

    assert post_comment(client, article).status_code == 302
    assert "Edit your comment" in client.get(article.get_absolute_url()).text
    assert "too quickly" in post_comment(client, article, email="other@example.com", comment="Again.").text
