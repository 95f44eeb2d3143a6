"""Medical review: who checked an article and when, shown to readers, and kept up to date by editors."""

import datetime
import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import strip_tags

from articles.models import Article, Reviewer
from tests.articles.admin_forms import change_form_data, change_url

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:articles_article_changelist")
SCRIPT = "<script>alert(1)</script>"


def days_from_today(days: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=days)


def spelled(day: datetime.date) -> str:
    """A date as the article page writes it: November 30, 2026."""
    return f"{day:%B} {day.day}, {day.year}"


def text(html: str) -> str:
    return " ".join(strip_tags(html).split())


def review_line(page: str) -> str:
    """The words under the byline, or "" when the article shows no review."""
    found = re.search(r'<p class="medical-review">(.*?)</p>', page, re.S)
    return text(found.group(1)) if found else ""


def reviewer_section(page: str) -> str:
    found = re.search(r'<section class="reviewer".*?</section>', page, re.S)
    return found.group() if found else ""


def listed(page: str) -> list[str]:
    """The titles in the admin's article list, in order."""
    return re.findall(r'<th class="field-title"><a href="[^"]*">([^<]*)</a>', page)


def review_column(page: str) -> dict[str, str]:
    """The admin's article list: each title and its medical review column."""
    rows = re.findall(r'<th class="field-title"><a [^>]*>([^<]*)</a>.*?<td class="field-review">(.*?)</td>', page, re.S)
    return {title: text(review) for title, review in rows}


def review_module(page: str) -> str:
    """The words of the admin index's medical review box."""
    found = re.search(r'<div class="module" id="medical-review-module">(.*?)</div>', page, re.S)
    return text(found.group(1)) if found else ""


@pytest.fixture
def reviewer():
    return Reviewer.objects.create(
        name="Dr Ana Ruiz",
        credentials="MD, FRCP (Neurology)",
        bio="Consultant neurologist.\n\nShe treats movement disorders.",
        website="https://registry.example.org/ana-ruiz",
    )


@pytest.fixture
def make_reviewed(make_article, reviewer):
    """A published article whose next review falls `due_in` days from today (negative: overdue)."""

    def make(*, due_in: int, **fields) -> Article:
        fields.setdefault("reviewed_by", reviewer)
        return make_article(
            reviewed_on=days_from_today(due_in - 365), next_review_due=days_from_today(due_in), **fields
        )

    return make


# ---- Validation -----------------------------------------------------------------
@pytest.mark.parametrize(
    ("with_reviewer", "reviewed", "next_due", "field", "message"),
    [
        (True, None, None, "reviewed_on", "Give the date of the review."),
        (False, -10, None, "reviewed_by", "Choose who reviewed the article."),
        (True, 1, None, "reviewed_on", "A review cannot be dated in the future."),
        (True, -10, -10, "next_review_due", "The next review comes after the last one."),
        (True, -10, -20, "next_review_due", "The next review comes after the last one."),
        (False, None, 30, "next_review_due", "Record the review first: the next one follows it."),
    ],
    ids=[
        "reviewer without a date",
        "date without a reviewer",
        "date in the future",
        "next due that day",
        "next due before",
        "next due without a review",
    ],
)
def test_an_incomplete_or_impossible_review_is_refused(
    make_article, reviewer, with_reviewer, reviewed, next_due, field, message
):
    article = make_article()
    article.reviewed_by = reviewer if with_reviewer else None
    article.reviewed_on = None if reviewed is None else days_from_today(reviewed)
    article.next_review_due = None if next_due is None else days_from_today(next_due)
    with pytest.raises(ValidationError) as refused:
        article.full_clean()
    assert refused.value.message_dict[field] == [message]


def test_a_review_done_today_is_accepted_and_the_next_one_is_due_one_cycle_later(make_article, reviewer, settings):
    settings.REVIEW_CYCLE_DAYS = 180
    article = make_article()
    article.reviewed_by, article.reviewed_on = reviewer, timezone.localdate()
    article.full_clean()
    assert article.next_review_due == days_from_today(180)


def test_a_next_review_date_given_by_the_editor_is_kept(make_article, reviewer):
    article = make_article()
    article.reviewed_by = reviewer
    article.reviewed_on = days_from_today(-5)
    article.next_review_due = days_from_today(90)
    article.full_clean()
    assert article.next_review_due == days_from_today(90)


def test_a_reviewer_website_must_be_a_web_address(reviewer):
    reviewer.website = "javascript:alert(1)"
    with pytest.raises(ValidationError) as refused:
        reviewer.full_clean()
    assert "website" in refused.value.message_dict


# ---- Which articles are due -----------------------------------------------------------
@pytest.mark.parametrize(
    ("due_in", "status", "due", "overdue"),
    [
        (-1, Article.Status.PUBLISHED, True, True),
        (0, Article.Status.PUBLISHED, True, False),
        (30, Article.Status.PUBLISHED, True, False),
        (31, Article.Status.PUBLISHED, False, False),
        (-1, Article.Status.DRAFT, False, False),
    ],
    ids=["yesterday", "today", "in 30 days", "in 31 days", "a draft overdue"],
)
def test_an_article_is_due_for_review_30_days_ahead_and_overdue_the_day_after(
    make_reviewed, due_in, status, due, overdue
):
    article = make_reviewed(due_in=due_in, status=status)
    assert (article in Article.objects.review_due()) is due
    assert (article in Article.objects.review_overdue()) is overdue


def test_an_article_never_reviewed_is_neither_due_nor_overdue(make_article):
    make_article()
    assert not Article.objects.review_due().exists()
    assert not Article.objects.review_overdue().exists()


def test_the_due_window_follows_the_setting(make_reviewed, settings):
    article = make_reviewed(due_in=45)
    assert article not in Article.objects.review_due()
    settings.REVIEW_DUE_SOON_DAYS = 60
    assert article in Article.objects.review_due()


# ---- Marking a review done -------------------------------------------------------------
def test_marking_reviewed_dates_the_review_today_and_the_next_one_a_cycle_later(make_reviewed):
    article = make_reviewed(due_in=-3)
    article.mark_reviewed()
    article.refresh_from_db()
    assert article.reviewed_on == timezone.localdate()
    assert article.next_review_due == days_from_today(365)
    assert article not in Article.objects.review_due()


def test_an_article_without_a_reviewer_cannot_be_marked_reviewed(make_article):
    article = make_article(title="Unsigned")
    with pytest.raises(ValidationError, match="“Unsigned” has no medical reviewer yet."):
        article.mark_reviewed()
    article.refresh_from_db()
    assert article.reviewed_on is None


# ---- What readers see ------------------------------------------------------------------
def test_a_reviewed_article_names_its_reviewer_and_dates_under_the_byline(client, make_article, reviewer):
    article = make_article(
        reviewed_by=reviewer, reviewed_on=datetime.date(2026, 3, 4), next_review_due=datetime.date(2027, 3, 4)
    )
    page = client.get(article.get_absolute_url()).text
    assert review_line(page) == (
        "Medically reviewed by Dr Ana Ruiz, MD, FRCP (Neurology) · Last reviewed March 4, 2026 "
        "· Next review due March 2027"
    )
    assert page.index('class="byline"') < page.index('class="medical-review"') < page.index('class="entry-content"')


def test_readers_are_told_when_the_next_review_date_has_passed(client, make_reviewed):
    due_today = make_reviewed(due_in=0, title="Due today")
    assert review_line(client.get(due_today.get_absolute_url()).text).endswith(
        f"· Next review due {days_from_today(0):%B %Y}"
    )
    overdue = make_reviewed(due_in=-10, title="Overdue")
    page = client.get(overdue.get_absolute_url()).text
    line = review_line(page)
    assert line.endswith(f"· Review overdue since {spelled(days_from_today(-10))}")
    assert "Next review due" not in line
    assert (
        f'<strong class="review-overdue">Review overdue since <time datetime="{days_from_today(-10):%Y-%m-%d}">' in page
    )


def test_the_medical_review_section_after_the_body_gives_the_reviewers_bio_and_profile(client, make_article, reviewer):
    article = make_article(reviewed_by=reviewer, reviewed_on=datetime.date(2026, 3, 4))
    page = client.get(article.get_absolute_url()).text
    section = reviewer_section(page)
    assert "<h2" in section and "Medical review" in section
    assert "This article was reviewed by Dr Ana Ruiz, MD, FRCP (Neurology) on March 4, 2026." in text(section)
    assert "<p>Consultant neurologist.</p>" in section
    assert "<p>She treats movement disorders.</p>" in section
    assert '<a href="https://registry.example.org/ana-ruiz" rel="external noopener">About the reviewer</a>' in section
    assert page.index('class="entry-content"') < page.index('class="reviewer"')


def test_the_seed_article_has_no_reviewer_and_shows_no_review(client, seed_article):
    page = client.get(seed_article.get_absolute_url()).text
    assert seed_article.reviewed_by is None
    assert "Medically reviewed by" not in page
    assert "Last reviewed" not in page
    assert reviewer_section(page) == ""


def test_a_reviewer_with_markup_in_their_details_is_shown_as_text(client, make_article):
    reviewer = Reviewer(name=f"Dr {SCRIPT}", credentials="<b>MD</b>", bio=f"Bio {SCRIPT} <b>bold</b>")
    reviewer.full_clean()  # plain text: accepted as typed
    reviewer.save()
    article = make_article(reviewed_by=reviewer, reviewed_on=datetime.date(2026, 3, 4))
    page = client.get(article.get_absolute_url()).text
    assert SCRIPT not in page
    assert "<b>" not in page
    assert review_line(page).startswith(
        "Medically reviewed by Dr &lt;script&gt;alert(1)&lt;/script&gt;, &lt;b&gt;MD&lt;/b&gt; ·"
    )
    assert "Bio &lt;script&gt;alert(1)&lt;/script&gt; &lt;b&gt;bold&lt;/b&gt;" in reviewer_section(page)


# ---- The admin: list, filter, action ----------------------------------------------------
@pytest.fixture
def articles_to_review(make_reviewed, make_article, author):
    """One article in each state, all by the author."""
    return {
        "overdue": make_reviewed(title="Overdue one", due_in=-2, author=author),
        "due": make_reviewed(title="Due soon one", due_in=10, author=author),
        "current": make_reviewed(title="Current one", due_in=200, author=author),
        "never": make_article(title="Never reviewed one", author=author),
    }


def test_the_article_list_shows_each_articles_review_state(client, editor, articles_to_review):
    client.force_login(editor)
    columns = review_column(client.get(CHANGELIST).text)
    assert columns == {
        "Overdue one": f"Overdue since {date_format(days_from_today(-2))}",
        "Due soon one": f"Due {date_format(days_from_today(10))}",
        "Current one": f"Next {date_format(days_from_today(200))}",
        "Never reviewed one": "Not reviewed",
    }


@pytest.mark.parametrize(
    ("review", "titles"),
    [
        ("overdue", ["Overdue one"]),
        ("due", ["Due soon one", "Overdue one"]),
        ("never", ["Never reviewed one"]),
    ],
)
def test_editor_filters_the_articles_by_medical_review(client, editor, articles_to_review, review, titles):
    client.force_login(editor)
    page = client.get(CHANGELIST, {"review": review}).text
    assert sorted(listed(page)) == sorted(titles)


def test_editor_marks_an_overdue_article_reviewed_today_and_readers_see_the_date(client, editor, articles_to_review):
    overdue = articles_to_review["overdue"]
    client.force_login(editor)
    response = client.post(
        f"{CHANGELIST}?review=overdue",
        {"action": "mark_reviewed_today", "_selected_action": [overdue.pk]},
        follow=True,
    )
    assert "1 article marked reviewed today." in response.text
    assert listed(response.text) == []  # the overdue list is now empty
    client.logout()
    line = review_line(client.get(overdue.get_absolute_url()).text)
    assert f"Last reviewed {spelled(timezone.localdate())}" in line


def test_an_article_without_a_reviewer_is_left_alone_with_a_warning(client, editor, articles_to_review):
    never, overdue = articles_to_review["never"], articles_to_review["overdue"]
    client.force_login(editor)
    response = client.post(
        CHANGELIST, {"action": "mark_reviewed_today", "_selected_action": [never.pk, overdue.pk]}, follow=True
    )
    assert "“Never reviewed one” has no medical reviewer yet." in response.text
    assert "1 article marked reviewed today." in response.text
    never.refresh_from_db()
    assert never.reviewed_on is None


def test_an_author_is_not_offered_the_review_action(client, author, articles_to_review):
    client.force_login(author)
    page = client.get(CHANGELIST).text
    assert "Overdue one" in listed(page)  # their own article, listed
    assert "Publish selected articles" in page
    assert "Mark the medical review done today" not in page
    assert "mark_reviewed_today" not in page


def test_an_author_cannot_mark_their_own_article_reviewed_with_a_forged_post(client, author, articles_to_review):
    overdue = articles_to_review["overdue"]
    client.force_login(author)
    client.post(CHANGELIST, {"action": "mark_reviewed_today", "_selected_action": [overdue.pk]})
    overdue.refresh_from_db()
    assert overdue.reviewed_on == days_from_today(-2 - 365)
    assert overdue.next_review_due == days_from_today(-2)


# ---- The admin: the review fields on the change form --------------------------------------
def test_editor_records_a_review_on_the_change_form_and_the_next_one_is_filled_in(
    client, editor, author, make_article, reviewer
):
    article = make_article(author=author)
    client.force_login(editor)
    response = client.post(
        change_url(article),
        change_form_data(article, reviewed_by=reviewer.pk, reviewed_on=days_from_today(-1).isoformat()),
    )
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.reviewed_by == reviewer
    assert article.next_review_due == days_from_today(364)


def test_editor_finds_the_reviewer_by_name_in_the_change_forms_search_box(client, editor, reviewer):
    Reviewer.objects.create(name="Dr Bo Lind")
    client.force_login(editor)
    response = client.get(
        reverse("admin:autocomplete"),
        {"app_label": "articles", "model_name": "article", "field_name": "reviewed_by", "term": "ruiz"},
    )
    assert [found["text"] for found in response.json()["results"]] == ["Dr Ana Ruiz, MD, FRCP (Neurology)"]


def test_editor_is_told_when_the_review_date_is_missing(client, editor, author, make_article, reviewer):
    article = make_article(author=author)
    client.force_login(editor)
    response = client.post(change_url(article), change_form_data(article, reviewed_by=reviewer.pk))
    assert response.status_code == 200
    assert "Give the date of the review." in response.text
    article.refresh_from_db()
    assert article.reviewed_by is None


def test_an_author_sees_the_review_fields_but_cannot_change_them(client, author, make_article, reviewer):
    article = make_article(author=author)
    client.force_login(author)
    form = client.get(change_url(article)).text
    assert "Medically reviewed by" in form
    assert 'name="reviewed_by"' not in form
    assert 'name="reviewed_on"' not in form
    assert 'name="next_review_due"' not in form
    response = client.post(
        change_url(article),
        change_form_data(article, author=None, reviewed_by=reviewer.pk, reviewed_on=timezone.localdate().isoformat()),
    )
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.reviewed_by is None
    assert article.reviewed_on is None


def test_an_author_edits_an_article_whose_stored_review_the_rules_would_refuse(client, author, make_article, reviewer):
    # Saved outside the admin, or under a review cycle of 0 days: the author cannot change the review,
    # so it is neither checked nor changed when they save their words.
    day = days_from_today(-10)
    article = make_article(author=author, reviewed_by=reviewer, reviewed_on=day, next_review_due=day)
    client.force_login(author)
    response = client.post(change_url(article), change_form_data(article, author=None, title="Words changed"))
    assert response.status_code == 302
    article.refresh_from_db()
    assert (article.title, article.reviewed_on, article.next_review_due) == ("Words changed", day, day)


def test_a_scheduled_article_is_not_yet_due_for_review(make_reviewed):
    make_reviewed(due_in=-5, published_at=timezone.now() + datetime.timedelta(days=2))
    assert not Article.objects.review_due().exists()
    assert not Article.objects.review_overdue().exists()


# ---- The admin index -------------------------------------------------------------------
def test_the_admin_index_counts_articles_due_for_review_and_overdue(client, editor, articles_to_review, make_reviewed):
    make_reviewed(title="Someone else's overdue", due_in=-100)
    client.force_login(editor)
    assert (
        review_module(client.get(reverse("admin:index")).text)
        == "Medical review 3 articles due for review · 2 overdue · 1 never reviewed"
    )


def test_an_author_counts_only_their_own_articles_on_the_admin_index(client, author, articles_to_review, make_reviewed):
    make_reviewed(title="Someone else's overdue", due_in=-100)
    make_reviewed(title="Someone else's due", due_in=5)
    client.force_login(author)
    assert (
        review_module(client.get(reverse("admin:index")).text)
        == "Medical review 2 articles due for review · 1 overdue · 1 never reviewed"
    )


def test_a_draft_not_reviewed_yet_is_not_counted_as_never_reviewed(client, editor, make_article):
    make_article(title="A draft", status=Article.Status.DRAFT, published_at=None)
    make_article(title="Published, never reviewed")
    client.force_login(editor)
    index = client.get(reverse("admin:index")).text
    assert review_module(index) == "Medical review 0 articles due for review · 1 never reviewed"
    listed = client.get(CHANGELIST + "?review=never").text
    assert "Published, never reviewed" in listed and "A draft" not in listed


def test_the_admin_index_says_so_when_nothing_is_due(client, editor, make_reviewed):
    make_reviewed(due_in=200)
    client.force_login(editor)
    assert review_module(client.get(reverse("admin:index")).text) == "Medical review 0 articles due for review"
