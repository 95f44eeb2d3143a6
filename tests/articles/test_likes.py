import datetime
import threading
import time
from urllib.parse import quote

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, Like
from articles.services import article_like, article_unlike
from comments.likes import likes_for

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery"
BROWSER_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
needs_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs PostgreSQL: SQLite runs one write at a time, so two likes can never race there",
)


def like_url(article: Article) -> str:
    return f"{article.get_absolute_url()}like/"


def unlike_url(article: Article) -> str:
    return f"{article.get_absolute_url()}unlike/"


def likes_block(response) -> str:
    text = response.text
    return text[text.index('<section id="likes"') : text.index("</section>", text.index('<section id="likes"'))]


@pytest.fixture
def reader(make_user):
    return make_user(display_name="Rita Reader", email="rita@example.com")


@pytest.fixture
def make_likers(make_user):
    def make(article: Article, count: int, **fields) -> list:
        """`count` likes, Liker 01 the oldest, saved newest first: the order of their ids is no guide."""
        likers = [make_user(display_name=f"Liker {number:02d}", **fields) for number in range(1, count + 1)]
        likes = Like.objects.bulk_create(Like(article=article, user=user) for user in reversed(likers))
        start = timezone.now() - datetime.timedelta(days=1)
        for minutes, like in enumerate(reversed(likes)):
            Like.objects.filter(pk=like.pk).update(created_at=start + datetime.timedelta(minutes=minutes))
        return likers

    return make


# The line under the button


@pytest.mark.parametrize(
    ("count", "line"),
    [
        (0, "Be the first to like this."),
        (1, "One blogger likes this:"),
        (2, "2 bloggers like this:"),
        (11, "11 bloggers like this:"),
    ],
)
def test_the_line_counts_the_bloggers_who_like_the_article_as_wordpress_says_it(
    client, article, make_likers, count, line
):
    make_likers(article, count)
    block = likes_block(client.get(article.get_absolute_url()))
    assert f'<p class="likes-line" aria-live="polite">{line}</p>' in block


def test_nobody_is_counted_before_the_first_like(client, article):
    block = likes_block(client.get(article.get_absolute_url()))
    assert "like this:" not in block
    assert "likes this:" not in block


def test_the_first_ten_likers_are_shown_oldest_first_then_how_many_more(client, article, make_likers):
    make_likers(article, 12)
    block = likes_block(client.get(article.get_absolute_url()))
    shown = [f'alt="Liker {number:02d}"' for number in range(1, 11)]
    assert [block.index(alt) for alt in shown] == sorted(block.index(alt) for alt in shown)
    assert 'alt="Liker 11"' not in block
    assert "and 2 more" in block


def test_no_more_is_mentioned_when_every_liker_is_shown(client, article, make_likers):
    make_likers(article, 10)
    assert " more" not in likes_block(client.get(article.get_absolute_url()))


def test_a_likers_avatar_links_to_their_website(client, article, make_user):
    reader = make_user(display_name="Wendy Writer", website="https://wendy.example/")
    article_like(article=article, user=reader)
    block = likes_block(client.get(article.get_absolute_url()))
    assert '<a href="https://wendy.example/" rel="external nofollow ugc"><img class="avatar"' in block
    assert 'alt="Wendy Writer"' in block


def test_a_liker_without_a_website_has_an_avatar_without_a_link(client, article, reader):
    article_like(article=article, user=reader)
    block = likes_block(client.get(article.get_absolute_url()))
    assert 'alt="Rita Reader"' in block
    assert "<a " not in block


def test_a_member_with_a_picture_from_their_provider_shows_that_picture(client, article, make_user):
    member = make_user(display_name="Pat Picture", avatar_version="abc123")
    article_like(article=article, user=member)
    block = likes_block(client.get(article.get_absolute_url()))
    assert f'src="{reverse("accounts:avatar", kwargs={"user_id": member.pk, "version": "abc123"})}"' in block


def test_a_draft_preview_has_no_likes(client, make_article, editor):
    draft = make_article(status=Article.Status.DRAFT)
    client.force_login(editor)
    response = client.get(draft.get_absolute_url())
    assert response.status_code == 200
    assert 'id="likes"' not in response.text


# Liking and unliking, without JavaScript


def test_a_guest_sees_the_like_button_not_pressed(client, article):
    block = likes_block(client.get(article.get_absolute_url()))
    assert f'action="{like_url(article)}"' in block
    assert 'aria-pressed="false"' in block


def test_a_signed_in_reader_likes_the_article_and_comes_back_to_the_likes(client, article, reader):
    client.force_login(reader)
    response = client.post(like_url(article))
    assert response.status_code == 302
    assert response["Location"] == f"{article.get_absolute_url()}#likes"
    assert list(Like.objects.values_list("article", "user")) == [(article.pk, reader.pk)]


def test_a_reader_who_liked_sees_liked_pressed_and_a_way_to_undo_it(client, article, reader):
    article_like(article=article, user=reader)
    client.force_login(reader)
    block = likes_block(client.get(article.get_absolute_url()))
    assert f'action="{unlike_url(article)}"' in block
    assert 'aria-pressed="true"' in block
    assert "Liked</button>" in block


def test_a_reader_takes_their_like_back(client, article, reader):
    article_like(article=article, user=reader)
    client.force_login(reader)
    response = client.post(unlike_url(article))
    assert response["Location"] == f"{article.get_absolute_url()}#likes"
    assert not Like.objects.exists()


def test_a_double_click_on_like_makes_one_like_and_no_error(client, article, reader):
    client.force_login(reader)
    responses = [client.post(like_url(article)), client.post(like_url(article))]
    assert [response.status_code for response in responses] == [302, 302]
    assert Like.objects.count() == 1


def test_taking_back_a_like_that_is_not_there_is_harmless(client, article, reader):
    client.force_login(reader)
    assert client.post(unlike_url(article)).status_code == 302
    assert not Like.objects.exists()


def test_a_like_is_counted_for_its_own_article_only(client, make_article, reader):
    liked, other = make_article(), make_article()
    article_like(article=liked, user=reader)
    assert "Be the first to like this." in likes_block(client.get(other.get_absolute_url()))


def test_the_services_say_whether_anything_changed(article, reader):
    assert article_like(article=article, user=reader) is True
    assert article_like(article=article, user=reader) is False
    assert article_unlike(article=article, user=reader) is True
    assert article_unlike(article=article, user=reader) is False


def test_the_service_refuses_to_like_a_draft(make_article, reader):
    with pytest.raises(ValidationError):
        article_like(article=make_article(status=Article.Status.DRAFT), user=reader)


def test_the_database_refuses_a_second_like_by_the_same_reader(article, reader):
    Like.objects.create(article=article, user=reader)
    with pytest.raises(IntegrityError), transaction.atomic():
        Like.objects.create(article=article, user=reader)


# Bad input


@pytest.fixture(params=["draft", "scheduled", "unknown slug", "wrong date"])
def missing_article_url(request, make_article):
    if request.param == "draft":
        return make_article(status=Article.Status.DRAFT).get_absolute_url()
    if request.param == "scheduled":
        return make_article(published_at=timezone.now() + datetime.timedelta(days=1)).get_absolute_url()
    if request.param == "unknown slug":
        return "/2026/11/02/no-such-article/"
    article = make_article(published_at=datetime.datetime(2026, 11, 2, 9, 0, tzinfo=datetime.UTC))
    return f"/2025/01/01/{article.slug}/"


@pytest.mark.parametrize("action", ["like", "unlike"])
def test_liking_what_readers_cannot_see_is_not_found(client, reader, missing_article_url, action):
    client.force_login(reader)
    assert client.post(f"{missing_article_url}{action}/").status_code == 404
    assert not Like.objects.exists()


@pytest.mark.parametrize("action", ["like", "unlike"])
def test_a_guest_liking_what_readers_cannot_see_is_not_found_either(client, missing_article_url, action):
    assert client.post(f"{missing_article_url}{action}/").status_code == 404


def test_a_like_needs_a_post(client, article, reader):
    client.force_login(reader)
    assert client.get(like_url(article)).status_code == 405
    assert not Like.objects.exists()


# A guest presses Like, signs in, comes back


def test_a_guest_who_presses_like_goes_to_log_in_and_then_back_to_the_likes(client, article):
    response = client.post(like_url(article))
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('account_login')}?next={quote(article.get_absolute_url() + '#likes')}"
    assert not Like.objects.exists()


def test_a_guest_who_signs_in_comes_back_to_an_article_that_finishes_the_like(client, article, reader):
    client.post(like_url(article))
    signed_in = client.post(
        reverse("account_login"),
        {"login": reader.email, "password": PASSWORD, "next": f"{article.get_absolute_url()}#likes"},
    )
    assert signed_in["Location"] == f"{article.get_absolute_url()}#likes"
    block = likes_block(client.get(article.get_absolute_url()))
    # Coming back is a GET: it likes nothing itself, it asks the page to send the like.
    assert not Like.objects.exists()
    assert "data-finish-like" in block
    assert "press Like to finish" in block
    assert f'action="{like_url(article)}"' in block


def test_the_page_asks_to_finish_the_like_only_once(client, article, reader):
    client.post(like_url(article))
    client.force_login(reader)
    client.get(article.get_absolute_url())
    assert "data-finish-like" not in likes_block(client.get(article.get_absolute_url()))


def test_finishing_the_like_likes_the_article(client, article, reader):
    client.post(like_url(article))
    client.force_login(reader)
    client.get(article.get_absolute_url())
    client.post(like_url(article), HTTP_ACCEPT="application/json")
    assert Like.objects.filter(article=article, user=reader).count() == 1


def test_a_guest_who_comes_back_without_signing_in_is_not_asked_later(client, article, reader):
    client.post(like_url(article))
    client.get(article.get_absolute_url())
    client.force_login(reader)
    assert "data-finish-like" not in likes_block(client.get(article.get_absolute_url()))


def test_another_article_does_not_finish_the_like(client, make_article, reader):
    pressed, other = make_article(), make_article()
    client.post(like_url(pressed))
    client.force_login(reader)
    assert "data-finish-like" not in likes_block(client.get(other.get_absolute_url()))


def test_a_link_alone_never_makes_a_signed_in_reader_like_anything(client, article, reader):
    client.force_login(reader)
    block = likes_block(client.get(f"{article.get_absolute_url()}?like=1"))
    assert "data-finish-like" not in block
    assert not Like.objects.exists()


# With JavaScript: fetch asks for JSON


def test_a_like_sent_by_fetch_answers_with_the_new_state_and_block(client, article, reader):
    client.force_login(reader)
    response = client.post(like_url(article), HTTP_ACCEPT="application/json")
    data = response.json()
    assert {key: data[key] for key in ("liked", "count", "summary")} == {
        "liked": True,
        "count": 1,
        "summary": "One blogger likes this:",
    }
    assert 'aria-pressed="true"' in data["html"]
    assert f'action="{unlike_url(article)}"' in data["html"]
    assert 'alt="Rita Reader"' in data["html"]


def test_an_unlike_sent_by_fetch_answers_with_the_new_state_and_block(client, article, reader, make_likers):
    make_likers(article, 2)
    article_like(article=article, user=reader)
    client.force_login(reader)
    data = client.post(unlike_url(article), HTTP_ACCEPT="application/json").json()
    assert (data["liked"], data["count"], data["summary"]) == (False, 2, "2 bloggers like this:")
    assert 'aria-pressed="false"' in data["html"]
    assert 'alt="Rita Reader"' not in data["html"]


def test_a_form_posted_by_a_browser_is_redirected_not_answered_with_json(client, article, reader):
    client.force_login(reader)
    response = client.post(like_url(article), HTTP_ACCEPT=BROWSER_ACCEPT)
    assert response.status_code == 302


def test_the_json_block_carries_a_csrf_token_for_the_next_click(client, article, reader):
    client.force_login(reader)
    data = client.post(like_url(article), HTTP_ACCEPT="application/json").json()
    assert 'name="csrfmiddlewaretoken"' in data["html"]


def test_a_like_without_the_csrf_token_is_refused(article, reader):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(reader)
    assert strict.post(like_url(article), HTTP_ACCEPT="application/json").status_code == 403
    assert not Like.objects.exists()


# Queries


@pytest.mark.parametrize("likers", [3, 50])
def test_the_likes_block_takes_two_queries_however_many_readers_liked(
    article, reader, make_likers, django_assert_num_queries, likers
):
    make_likers(article, likers, website="https://example.org/")
    request = RequestFactory().get(article.get_absolute_url())
    request.user = reader
    with django_assert_num_queries(2):
        likes = likes_for(request, article, use_gravatar=False)
        html = render_to_string("includes/likes.html", {"likes": likes, "user": reader, "csrf_token": "x"})
    assert html.count('class="avatar"') == min(likers, 10)


def test_a_guest_sees_the_likes_block_in_two_queries_too(article, make_likers, django_assert_num_queries):
    make_likers(article, 3)
    request = RequestFactory().get(article.get_absolute_url())
    request.user = AnonymousUser()
    with django_assert_num_queries(2):
        likes_for(request, article, use_gravatar=False)


def test_the_article_page_takes_as_many_queries_with_fifty_likers_as_with_three(
    client, make_article, make_likers, reader
):
    few, many = make_article(), make_article()
    make_likers(few, 3)
    make_likers(many, 50)
    client.force_login(reader)
    client.get(few.get_absolute_url())  # the session and the site's settings, loaded once
    counts = []
    for article in (few, many):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(article.get_absolute_url()).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


# Admin


def test_the_article_list_shows_each_articles_likes_and_sorts_by_them(admin_client, make_article, make_likers):
    quiet, popular = make_article(title="Quiet"), make_article(title="Popular")
    make_likers(quiet, 1)
    make_likers(popular, 3)
    response = admin_client.get(reverse("admin:articles_article_changelist"), {"o": "-6"})
    rows = [(article.title, article.like_count) for article in response.context["cl"].result_list]
    assert rows[:2] == [("Popular", 3), ("Quiet", 1)]
    assert '<td class="field-like_count">3</td>' in response.text


def test_the_article_list_counts_a_like_once_when_filtered_by_category(
    admin_client, make_article, make_likers, category, tag
):
    article = make_article(categories=[category], tags=[tag])
    make_likers(article, 2)
    response = admin_client.get(
        reverse("admin:articles_article_changelist"),
        {"categories__id__exact": category.pk, "tags__id__exact": tag.pk},
    )
    assert [a.like_count for a in response.context["cl"].result_list] == [2]


def test_the_article_page_in_the_admin_shows_the_likes_and_links_to_who_liked(admin_client, article, make_likers):
    make_likers(article, 3)
    response = admin_client.get(reverse("admin:articles_article_change", args=[article.pk]))
    who = f"{reverse('admin:articles_like_changelist')}?article__id__exact={article.pk}"
    assert f'3 (<a href="{who}">see who</a>)' in response.text


def test_an_author_sees_the_likes_in_the_admin_and_searches_them(client, author, article, reader, make_user):
    article_like(article=article, user=reader)
    article_like(article=article, user=make_user(display_name="Bob Other", email="bob@example.com"))
    client.force_login(author)
    response = client.get(reverse("admin:articles_like_changelist"), {"q": "Rita"})
    assert [like.user for like in response.context["cl"].result_list] == [reader]
    # An email address finds nobody: the admin never confirms who has an account.
    by_email = client.get(reverse("admin:articles_like_changelist"), {"q": "bob@example.com"})
    assert list(by_email.context["cl"].result_list) == []
    by_title = client.get(reverse("admin:articles_like_changelist"), {"q": "hemifacial"})
    assert len(by_title.context["cl"].result_list) == 2


def test_a_moderator_sees_the_likes_in_the_admin(client, make_user, article, reader):
    article_like(article=article, user=reader)
    client.force_login(make_user(is_staff=True, groups=("Moderators",)))
    app_list = client.get(reverse("admin:index")).context["app_list"]
    assert "Like" in [model["object_name"] for app in app_list for model in app["models"]]
    assert client.get(reverse("admin:articles_like_changelist")).status_code == 200


def test_staff_who_are_not_superusers_cannot_change_or_delete_likes(client, editor, article, reader):
    article_like(article=article, user=reader)
    like = Like.objects.get()
    client.force_login(editor)
    assert client.get(reverse("admin:articles_like_add")).status_code == 403
    assert client.post(reverse("admin:articles_like_delete", args=[like.pk]), {"post": "yes"}).status_code == 403
    assert Like.objects.exists()
    change = client.get(reverse("admin:articles_like_change", args=[like.pk]))
    assert change.status_code == 200
    assert 'name="_save"' not in change.text


def test_a_superuser_may_delete_a_like(admin_client, article, reader):
    article_like(article=article, user=reader)
    like = Like.objects.get()
    admin_client.post(reverse("admin:articles_like_delete", args=[like.pk]), {"post": "yes"})
    assert not Like.objects.exists()


def test_readers_do_not_see_likes_in_the_admin(client, reader):
    client.force_login(reader)
    assert client.get(reverse("admin:articles_like_changelist")).status_code == 302


# Concurrency, on PostgreSQL


@needs_postgresql
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_likes_sent_at_once_by_one_reader_make_one_like_and_no_error(article, reader):
    from django.test import Client

    both_ready = threading.Barrier(2, timeout=10)
    statuses: list[int] = []

    def press_like() -> None:
        try:
            tab = Client()
            tab.force_login(reader)
            both_ready.wait()
            statuses.append(tab.post(like_url(article), HTTP_ACCEPT="application/json").status_code)
        finally:
            connection.close()

    tabs = [threading.Thread(target=press_like) for _ in range(2)]
    for tab in tabs:
        tab.start()
    for tab in tabs:
        tab.join(timeout=30)

    assert statuses == [200, 200]
    assert Like.objects.count() == 1


@needs_postgresql
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_like_that_loses_the_race_to_the_constraint_returns_quietly(article, reader):
    # The first like is inserted but not committed; the second finds no like,
    # so it inserts too, and waits on the first's row in the constraint's index.
    inserted, commit = threading.Event(), threading.Event()
    results: dict[str, bool] = {}
    errors: list[Exception] = []

    def first() -> None:
        try:
            with transaction.atomic():
                results["first"] = article_like(article=article, user=reader)
                inserted.set()
                commit.wait(timeout=10)
        except Exception as error:
            errors.append(error)
        finally:
            connection.close()

    def second() -> None:
        try:
            inserted.wait(timeout=10)
            results["second"] = article_like(article=article, user=reader)
        except Exception as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + 10
    with connection.cursor() as cursor:
        while time.monotonic() < deadline:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'"
            )
            if cursor.fetchone()[0]:
                break
            time.sleep(0.01)
        else:
            pytest.fail("the second like never waited on the first")
    commit.set()
    for thread in threads:
        thread.join(timeout=30)

    assert not errors
    assert results == {"first": True, "second": False}
    assert Like.objects.count() == 1


def test_a_guests_like_waits_only_minutes_for_them_to_sign_in(client, article, reader, monkeypatch):
    from comments.likes import PENDING_LIKE_MAX_AGE

    client.post(like_url(article))
    later = time.time() + PENDING_LIKE_MAX_AGE + 1
    monkeypatch.setattr("comments.likes.time.time", lambda: later)
    client.force_login(reader)
    page = client.get(article.get_absolute_url()).text
    assert "press Like to finish" not in page
