"""One page for every anonymous reader, kept in the shared cache, replaced the moment what it shows changes."""

import datetime
from unittest import mock

import pytest
from allauth.account.models import EmailAddress
from allauth.socialaccount.models import SocialApp
from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.contrib.sites.models import Site
from django.core.cache import cache
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, connection
from django.http import HttpResponse
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles.models import Like, MedicalDisclaimer, Page, Reference, Reviewer
from articles.services import article_like, article_unlike
from bench.stack import ROOT
from comments.models import Block, Comment, DiscussionSettings, SafetyRule
from comments.services import comment_delete, comment_edit, comment_moderate, comments_anonymise
from comments.tokens import HELD_COMMENTS_COOKIE, SAVED_DETAILS_COOKIE, form_started_stamp, form_timing_concern
from config import pagecache
from config.pagecache import SharedPageApplication, SharedPageCacheMiddleware

pytestmark = pytest.mark.django_db

SHARED = "public, max-age=0, s-maxage=10, stale-while-revalidate=30"
PERSONAL = "private, no-store"


@pytest.fixture(autouse=True)
def shared_pages(settings):
    settings.PAGE_CACHE_SECONDS = 600
    settings.PAGE_SHARED_MAX_AGE = 10
    settings.PAGE_STALE_WHILE_REVALIDATE = 30


def read(client, url: str):
    response = client.get(url)
    assert response.status_code == 200, url
    return response


def served_from_cache(client, url: str) -> bool:
    return read(client, url).get("X-Page-Cache") == "hit"


@pytest.fixture
def pages(article, category, tag):
    article.categories.add(category)
    article.tags.add(tag)
    day = article.permalink_kwargs
    return [
        "/",
        article.get_absolute_url(),
        category.get_absolute_url(),
        tag.get_absolute_url(),
        f"/{day['year']}/",
        f"/{day['year']}/{day['month']}/",
        f"/{day['year']}/{day['month']}/{day['day']}/",
        "/feed/",
        "/feed/atom/",
        "/sitemap.xml",
        "/robots.txt",
    ]


# ---- One page for everyone ------------------------------------------------------
def test_every_anonymous_reader_gets_the_same_page_from_the_cache(pages):
    for url in pages:
        first, second = read(Client(), url), read(Client(), url)
        assert first["X-Page-Cache"] == "miss", url
        assert second["X-Page-Cache"] == "hit", url
        assert first.content == second.content, url
        assert first["Cache-Control"] == second["Cache-Control"] == SHARED, url


def test_a_shared_page_sets_no_cookie_and_carries_no_token_or_signed_value(article):
    response = read(Client(), article.get_absolute_url())
    assert not response.cookies
    assert "csrfmiddlewaretoken" not in response.text
    assert 'name="started" value=""' not in response.text  # empty: asked for when the reader starts typing
    assert 'name="started"' in response.text
    assert 'data-form-started-url="/comments/form-started/"' in response.text


def test_a_signed_in_reader_gets_their_own_page_never_kept(client, article, reader):
    read(Client(), article.get_absolute_url())  # the shared page is in the cache
    client.force_login(reader)
    for _ in range(2):
        response = read(client, article.get_absolute_url())
        assert response["Cache-Control"] == PERSONAL
        assert "X-Page-Cache" not in response
        assert "csrfmiddlewaretoken" in response.text
        assert "You are commenting using your" in response.text


@pytest.mark.parametrize("cookie", ["sessionid", HELD_COMMENTS_COOKIE, SAVED_DETAILS_COOKIE, "messages"])
def test_a_reader_with_a_session_saved_details_or_messages_gets_their_own_page(article, cookie):
    read(Client(), article.get_absolute_url())
    reader = Client()
    reader.cookies[cookie] = "something"
    response = read(reader, article.get_absolute_url())
    assert response["Cache-Control"] == PERSONAL
    assert "X-Page-Cache" not in response


def test_a_message_in_the_comment_box_is_its_readers_alone_and_never_kept_with_the_thread(
    article, make_comment, make_user
):
    # The box shows the site's messages, next to the rendered thread every reader is given from the cache: a member
    # with no comment of their own is given it too, and their message must not go into it.
    make_comment(article=article, body="A comment every reader sees.")
    read(Client(), article.get_absolute_url())  # the thread is kept
    member = Client()
    member.force_login(make_user())
    back = member.post(reverse("comments:sign-out", args=[article.pk]), {"sign_out": "log-out"})["Location"]

    told = read(member, back)

    assert "You have signed out." in told.text
    assert told["Cache-Control"] == PERSONAL
    guest = read(Client(), article.get_absolute_url())
    assert "A comment every reader sees." in guest.text
    assert "You have signed out." not in guest.text


def test_a_guest_who_posted_a_held_comment_sees_it_and_others_do_not(client, article, post_comment, committed):
    read(Client(), article.get_absolute_url())
    with committed():
        post_comment(client, article, comment="My first question here.")
    assert "My first question here." in read(client, article.get_absolute_url()).text
    assert "My first question here." not in read(Client(), article.get_absolute_url()).text


def test_saved_details_fill_in_the_form_only_for_the_reader_who_saved_them(client, article, post_comment, committed):
    with committed():
        post_comment(client, article, name="Rita Reader", save_details="on")
    client.cookies.pop("sessionid", None)  # the saved-details cookie alone
    assert 'value="Rita Reader"' in read(client, article.get_absolute_url()).text
    assert 'value="Rita Reader"' not in read(Client(), article.get_absolute_url()).text


def test_a_page_answers_a_conditional_get_with_not_modified(article):
    first = read(Client(), article.get_absolute_url())
    for _ in range(2):  # once rendered again, once from the cache
        again = Client().get(article.get_absolute_url(), HTTP_IF_NONE_MATCH=first["ETag"])
        assert again.status_code == 304
        assert again.content == b""


def test_a_stale_or_odd_if_none_match_gets_the_whole_page(article):
    read(Client(), article.get_absolute_url())
    for tag in ('"not-this-page"', "*garbage*", '"' + "x" * 5000 + '"'):
        response = Client().get(article.get_absolute_url(), HTTP_IF_NONE_MATCH=tag)
        assert response.status_code == 200
        assert b"hemifacial" in response.content.lower() or b"Hemifacial" in response.content


@pytest.mark.parametrize("query", ["?utm_source=newsletter", "?cpage=1&cpage=2", "?page=1&x=<script>"])
def test_an_address_with_parameters_the_page_does_not_use_is_neither_served_nor_kept(article, query):
    read(Client(), article.get_absolute_url())
    response = Client().get(article.get_absolute_url() + query)
    assert "X-Page-Cache" not in response
    assert response["Cache-Control"] == PERSONAL
    assert read(Client(), article.get_absolute_url())["X-Page-Cache"] == "hit"


def test_the_parameters_a_page_uses_are_part_of_its_address(article, make_comment):
    top = make_comment(article=article, body="A question about botox.")
    plain = read(Client(), article.get_absolute_url())
    replying = read(Client(), f"{article.get_absolute_url()}?replytocom={top.pk}")
    assert replying["X-Page-Cache"] == "miss"
    title = '<span class="reply-title-text">Leave a Reply to'
    assert title in replying.text
    assert title not in plain.text


def test_an_old_reply_link_kept_shows_the_page_the_comment_answered_is_on_now(article, make_comment, committed):
    # ?replytocom= without ?cpage= shows the page of the comment it names (WordPress's reply links carried no page):
    # kept for everyone, it follows the comment when a comment before it goes and it moves to another page.
    DiscussionSettings.objects.update_or_create(pk=1, defaults={"comments_per_page": 1})
    gone = make_comment(article=article, body="Taken off soon.")
    answered = make_comment(article=article, body="Answer me.", author_name="Noa")
    url = f"{article.get_absolute_url()}?replytocom={answered.pk}"
    assert "Comments page 2 of 2" in read(Client(), url).text
    assert served_from_cache(Client(), url)
    with committed():
        comment_delete(comment=gone)
    page = read(Client(), url).text
    assert "Answer me." in page
    assert f'name="parent" value="{answered.pk}"' in page


def test_odd_cookies_or_encodings_never_poison_the_shared_page(article):
    odd = Client(HTTP_ACCEPT_ENCODING="gzip, br, x-evil", HTTP_ACCEPT_LANGUAGE="xx")
    odd.cookies["sessionid"] = "forged"
    read(odd, article.get_absolute_url())
    plain = read(Client(), article.get_absolute_url())
    assert plain["X-Page-Cache"] == "miss"  # nothing from the odd request was kept


def test_a_cache_that_fails_makes_pages_slower_never_errors(article, caplog):
    down = ConnectionError("cache down")
    with (
        mock.patch.object(cache, "get_many", side_effect=down),
        mock.patch.object(cache, "get_many_current", side_effect=down, create=True),
    ):
        for _ in range(3):
            response = read(Client(), article.get_absolute_url())
            assert "X-Page-Cache" not in response
    assert sum("Page cache unavailable" in record.message for record in caplog.records) <= 1


def test_a_change_the_cache_could_not_mark_is_logged_as_an_error(article, make_comment, committed, caplog, monkeypatch):
    monkeypatch.setattr(pagecache, "_last_unmarked", -float(pagecache.WARN_EVERY_SECONDS))  # not said lately
    with mock.patch.object(cache, "set_many", side_effect=lambda data, timeout: list(data)), committed():
        make_comment(article=article, body="Marked nowhere.")
    assert [record.levelname for record in caplog.records if "could not be marked" in record.message] == ["ERROR"]


def test_a_cache_that_keeps_no_generation_keeps_no_page(article):
    url = article.get_absolute_url()
    # It answers, but what is added to it is gone at once (full, or failing quietly).
    with mock.patch.object(cache, "add", return_value=True):
        assert read(Client(), url)["X-Page-Cache"] == "miss"
        assert read(Client(), url)["X-Page-Cache"] == "miss"
        assert pagecache.version(url) is None


# ---- Exact invalidation: each change shows on the very next request ---------------
@pytest.fixture
def cached_article_page(article):
    url = article.get_absolute_url()
    read(Client(), url)
    assert served_from_cache(Client(), url)
    return url


def test_a_comment_approved_shows_at_once(cached_article_page, article, make_comment, moderator, committed):
    held = make_comment(article=article, body="Waiting for a moderator.", status=Comment.Status.PENDING)
    assert "Waiting for a moderator." not in read(Client(), cached_article_page).text
    with committed():
        comment_moderate(comment=held, action="approve", by=moderator)
    assert "Waiting for a moderator." in read(Client(), cached_article_page).text


def test_a_comment_approved_is_in_the_comment_feeds_at_once(article, make_comment, moderator, committed):
    feeds = [f"{article.get_absolute_url()}feed/", f"{article.get_absolute_url()}feed/atom/"]
    feeds += ["/comments/feed/", "/comments/feed/atom/"]
    for url in feeds:
        read(Client(), url)
        assert served_from_cache(Client(), url), url
    held = make_comment(article=article, body="Waiting for a moderator.", status=Comment.Status.PENDING)
    with committed():
        comment_moderate(comment=held, action="approve", by=moderator)
    for url in feeds:
        assert "Waiting for a moderator." in read(Client(), url).text, url


def test_a_comment_approved_is_counted_in_the_lists_at_once(pages, article, make_comment, moderator, committed):
    lists = [url for url in pages if url != article.get_absolute_url() and "feed" not in url and "." not in url]
    lists.append(f"/author/{article.author.author_slug}/")
    for url in lists:
        read(Client(), url)
        assert served_from_cache(Client(), url), url
    held = make_comment(article=article, status=Comment.Status.PENDING)
    with committed():
        comment_moderate(comment=held, action="approve", by=moderator)
    for url in lists:
        assert f'href="{article.get_absolute_url()}#comments">1 Comment<' in read(Client(), url).text, url


def test_a_comment_approved_is_counted_in_the_article_feeds_at_once(
    pages, article, category, tag, make_comment, moderator, committed
):
    # Their items carry the count of comments (<slash:comments>, <thr:total>), as WordPress's feeds do.
    feeds = [url for url in pages if "feed" in url]
    for page in (category.get_absolute_url(), tag.get_absolute_url(), f"/author/{article.author.author_slug}/"):
        feeds += [f"{page}feed/", f"{page}feed/atom/"]

    def counted(url: str, count: int) -> str:
        return (
            f"<thr:total>{count}</thr:total>" if url.endswith("atom/") else f"<slash:comments>{count}</slash:comments>"
        )

    for url in feeds:
        assert counted(url, 0) in read(Client(), url).text, url
        assert served_from_cache(Client(), url), url
    held = make_comment(article=article, status=Comment.Status.PENDING)
    with committed():
        comment_moderate(comment=held, action="approve", by=moderator)
    for url in feeds:
        assert counted(url, 1) in read(Client(), url).text, url


def test_a_held_comment_or_an_edit_leaves_the_lists_kept(article, make_comment, committed):
    # Their counts cannot change: the front page stays kept (one less render for every reader after each comment).
    read(Client(), "/")
    assert served_from_cache(Client(), "/")
    with committed():
        held = make_comment(article=article, status=Comment.Status.PENDING)
    with committed():
        held.body = "Edited words."
        held.save(update_fields=["body"])
    assert served_from_cache(Client(), "/")


@pytest.mark.parametrize("action", ["unapprove", "mark_spam", "trash"])
def test_a_comment_taken_off_goes_at_once(article, make_comment, moderator, committed, action):
    comment = make_comment(article=article, body="Soon gone.")
    url = article.get_absolute_url()
    assert "Soon gone." in read(Client(), url).text
    with committed():
        comment_moderate(comment=comment, action=action, by=moderator)
    assert "Soon gone." not in read(Client(), url).text


def test_a_comment_edited_shows_its_new_words_at_once(article, make_comment, committed):
    comment = make_comment(article=article, body="Old words.")
    url = article.get_absolute_url()
    read(Client(), url)
    with committed():
        comment_edit(comment=comment, body="New words.", author_name="R", author_email="r@example.com", author_url="")
    assert "New words." in read(Client(), url).text


def test_a_comment_deleted_goes_at_once(article, make_comment, committed):
    comment = make_comment(article=article, body="Deleted soon.", status=Comment.Status.TRASH)
    kept = make_comment(article=article, body="Stays here.")
    url = article.get_absolute_url()
    read(Client(), url)
    with committed():
        comment_delete(comment=comment)
        kept.delete()
    assert "Stays here." not in read(Client(), url).text


def test_an_article_saved_shows_at_once_on_every_page(pages, article, committed):
    for url in pages:
        read(Client(), url)
    article.title = "Hemifacial spasm, revised"
    with committed():
        article.save()
    for url in pages[:4] + pages[7:9]:  # the pages that show the title
        assert "Hemifacial spasm, revised" in read(Client(), url).text, url


def test_an_article_unpublished_leaves_at_once(cached_article_page, article, committed):
    read(Client(), "/")
    with committed():
        article.unpublish()
    assert Client().get(cached_article_page).status_code == 404
    assert article.title not in read(Client(), "/").text


def test_an_article_published_arrives_at_once(make_article, committed):
    draft = make_article(title="Fresh from the editor", status="draft")
    read(Client(), "/")
    with committed():
        draft.publish()
    assert "Fresh from the editor" in read(Client(), "/").text


def test_a_scheduled_article_arrives_when_its_time_comes_though_nothing_was_saved(make_article, committed):
    publish_at = timezone.now() + datetime.timedelta(hours=1)
    with committed():
        make_article(title="Arriving soon", published_at=publish_at)
    assert "Arriving soon" not in read(Client(), "/").text
    assert served_from_cache(Client(), "/")
    later = publish_at + datetime.timedelta(seconds=1)
    with mock.patch("django.utils.timezone.now", return_value=later):
        assert "Arriving soon" in read(Client(), "/").text


def test_an_article_says_its_review_is_overdue_the_day_after_it_was_due_though_nothing_was_saved(
    make_article, committed
):
    today = timezone.localdate()
    reviewer = Reviewer.objects.create(name="Dr Ana Ruiz")
    with committed():
        article = make_article(
            reviewed_by=reviewer, reviewed_on=today - datetime.timedelta(days=365), next_review_due=today
        )
    url = article.get_absolute_url()
    assert "Next review due" in read(Client(), url).text
    assert served_from_cache(Client(), url)
    tomorrow = timezone.make_aware(
        datetime.datetime.combine(today + datetime.timedelta(days=1), datetime.time(0, 0, 1))
    )
    with mock.patch("django.utils.timezone.now", return_value=tomorrow):
        assert "Review overdue since" in read(Client(), url).text


def test_pages_are_still_kept_when_the_next_review_is_due_on_the_last_day_a_calendar_holds(make_article, committed):
    # The day after December 31, 9999, when its page would say the review is overdue, is no date: asking when pages
    # next change failed, and no page of the site was kept any more, with a warning that the cache was unavailable.
    reviewer = Reviewer.objects.create(name="Dr Ana Ruiz")
    with committed():
        article = make_article(
            reviewed_by=reviewer, reviewed_on=timezone.localdate(), next_review_due=datetime.date(9999, 12, 31)
        )
    for url in ("/", article.get_absolute_url()):
        read(Client(), url)
        assert served_from_cache(Client(), url), url


def test_the_shared_cache_is_told_to_keep_a_page_no_longer_than_until_a_scheduled_article(make_article, committed):
    with committed():
        make_article(title="Arriving soon", published_at=timezone.now() + datetime.timedelta(seconds=5))
    assert "s-maxage=5" in read(Client(), "/")["Cache-Control"] or "s-maxage=4" in read(Client(), "/")["Cache-Control"]


def test_a_page_made_while_a_scheduled_article_comes_out_is_not_kept_past_that_time(make_article, committed):
    publish_at = timezone.now() + datetime.timedelta(hours=1)
    with committed():
        make_article(title="Arriving soon", published_at=publish_at)
    clock = [publish_at - datetime.timedelta(seconds=1)]

    def made_as_the_time_passes(request):
        clock[0] = publish_at + datetime.timedelta(seconds=1)
        return pagecache.shared_page(lambda request: HttpResponse("Made before it came out."))(request)

    with mock.patch("django.utils.timezone.now", side_effect=lambda: clock[0]):
        first = SharedPageCacheMiddleware(made_as_the_time_passes)(RequestFactory().get("/"))
        assert "s-maxage=0" in first["Cache-Control"]
        fresh = pagecache.shared_page(lambda request: HttpResponse("Made after."))
        assert SharedPageCacheMiddleware(fresh)(RequestFactory().get("/")).content == b"Made after."


def test_feeds_give_no_last_modified_that_would_hide_a_change(article, make_comment, committed):
    comment = make_comment(article=article, body="First words.")
    make_comment(article=article, body="A newer comment.")
    first = read(Client(), "/comments/feed/")
    assert "Last-Modified" not in first
    assert "ETag" in first
    with committed():
        comment_edit(
            comment=comment, body="Words corrected.", author_name="R", author_email="r@example.com", author_url=""
        )
    since = Client(HTTP_IF_MODIFIED_SINCE="Fri, 01 Jan 2100 00:00:00 GMT")
    assert "Words corrected." in read(since, "/comments/feed/").text
    assert Client(HTTP_IF_NONE_MATCH=first["ETag"]).get("/comments/feed/").status_code == 200


def test_comments_closing_by_age_show_at_once(make_article, committed):
    article = make_article(published_at=timezone.now() - datetime.timedelta(days=13, hours=23))
    with committed():
        DiscussionSettings.objects.update_or_create(pk=1, defaults={"close_after_days": 14})
    assert "Comments are closed." not in read(Client(), article.get_absolute_url()).text
    with mock.patch("django.utils.timezone.now", return_value=timezone.now() + datetime.timedelta(hours=2)):
        assert "Comments are closed." in read(Client(), article.get_absolute_url()).text


@pytest.mark.parametrize("undo", [False, True])
def test_a_like_added_or_taken_back_shows_at_once(cached_article_page, article, reader, committed, undo):
    with committed():
        article_like(article=article, user=reader)
    assert "One blogger likes this:" in read(Client(), cached_article_page).text
    if undo:
        with committed():
            article_unlike(article=article, user=reader)
        assert "Be the first to like this." in read(Client(), cached_article_page).text


def test_discussion_settings_changed_show_at_once(cached_article_page, committed):
    with committed():
        DiscussionSettings.objects.update_or_create(pk=1, defaults={"registration_required": True})
    assert "to post a comment." in read(Client(), cached_article_page).text


# ---- Settings and rules kept with the site's generation ---------------------------------
def test_a_discussion_rule_changed_applies_to_the_next_comment(article, post_comment, committed):
    with committed():
        DiscussionSettings.objects.update_or_create(pk=1, defaults={"require_previous_approval": False})
    post_comment(Client(), article, comment="Published at once.")
    assert Comment.objects.get(body="Published at once.").status == Comment.Status.APPROVED  # the rules now kept
    with committed():
        DiscussionSettings.objects.update_or_create(pk=1, defaults={"manual_approval": True})
    post_comment(Client(), article, comment="Held by the rule just set.", email="another@example.com", ip="203.0.113.8")
    held = Comment.objects.get(body="Held by the rule just set.")
    assert (held.status, held.status_reason) == (Comment.Status.PENDING, "every comment needs manual approval")


def test_a_safety_rule_added_applies_to_the_next_comment(article, post_comment, committed):
    post_comment(Client(), article, comment="My jaw is locked shut.", email="first@example.com")
    with committed():
        SafetyRule.objects.create(name="Lockjaw", phrases="jaw is locked", message="See a doctor today.")
    post_comment(Client(), article, comment="Now my jaw is locked again.", email="second@example.com", ip="203.0.113.8")
    held = Comment.objects.get(body="Now my jaw is locked again.")
    assert (held.status, held.safety_rule.name) == (Comment.Status.PENDING, "Lockjaw")


def test_a_safety_rule_turned_off_no_longer_holds_comments(committed):
    rule = SafetyRule.objects.filter(enabled=True).first()
    phrase = rule.phrases.splitlines()[0]
    assert SafetyRule.first_matching(f"I have {phrase} now")[0] == rule  # now kept
    rule.enabled = False
    with committed():
        rule.save()
    assert SafetyRule.first_matching(f"I have {phrase} now") == (None, None)


def test_an_article_unpublished_takes_no_comment_at_once_though_its_posts_keep_it(article, post_comment, committed):
    assert post_comment(Client(), article, comment="Before.").status_code == 302  # the article now kept for posts
    article.status = article.Status.DRAFT
    with committed():
        article.save()
    response = post_comment(Client(), article, comment="Typed while it was taken down.", ip="203.0.113.8")
    assert response.status_code == 404
    assert "Typed while it was taken down." in response.text
    assert not Comment.objects.filter(body="Typed while it was taken down.").exists()


def test_a_scheduled_article_takes_comments_from_its_time_though_nothing_was_saved(make_article, post_comment):
    article = make_article(title="Arriving soon", published_at=timezone.now() + datetime.timedelta(hours=1))
    assert post_comment(Client(), article, comment="Too early.").status_code == 404  # read, and kept
    later = timezone.now() + datetime.timedelta(hours=2)
    with mock.patch("django.utils.timezone.now", return_value=later):
        assert post_comment(Client(), article, comment="Right on time.", ip="203.0.113.8").status_code == 302
    assert Comment.objects.filter(body="Right on time.").exists()


def test_nothing_found_is_not_kept_but_read_again():
    reads = []
    assert pagecache.site_kept("nothing", lambda: reads.append(1)) is None
    assert pagecache.site_kept("nothing", lambda: reads.append(1)) is None
    assert len(reads) == 2


def test_a_block_added_or_lifted_applies_to_the_next_comment(article, post_comment, committed):
    with committed():
        DiscussionSettings.objects.update_or_create(pk=1, defaults={"flood_seconds": 0})  # three comments in a row
    post_comment(Client(), article, comment="First words.", email="pest@example.com")  # the blocks now kept
    with committed():
        block = Block.objects.create(email="pest@example.com", reason="Selling miracle cures")
    post_comment(Client(), article, comment="Buy my cure.", email="pest@example.com", ip="203.0.113.8")
    assert Comment.objects.get(body="Buy my cure.").status == Comment.Status.SPAM
    with committed():
        block.delete()
    post_comment(Client(), article, comment="I am sorry.", email="pest@example.com", ip="203.0.113.9")
    assert Comment.objects.get(body="I am sorry.").status != Comment.Status.SPAM


def test_an_address_a_blocked_account_verifies_is_blocked_at_the_next_comment(
    article, post_comment, make_user, committed
):
    # Found by a review: a block on an account covers its verified addresses, read with the blocks kept until the site
    # next changed; an address the account verified since was not among them, and its comments signed out got through.
    member = make_user(email="sam@example.com")
    with committed():
        Block.objects.create(user=member, reason="Harassment")
    post_comment(Client(), article, comment="First words.", email="sam@example.com")  # the blocks now kept
    with committed():
        EmailAddress.objects.create(user=member, email="sam.new@example.com", verified=True)
    post_comment(Client(), article, comment="Again, signed out.", email="sam.new@example.com", ip="203.0.113.8")
    assert Comment.objects.get(body="Again, signed out.").status == Comment.Status.SPAM


def test_a_kept_block_ends_at_its_time_though_nothing_was_saved(committed):
    with committed():
        Block.objects.create(
            network="203.0.113.0/24", reason="Cooling off", ends_at=timezone.now() + datetime.timedelta(minutes=5)
        )
    assert Block.first_covering(user=None, email="", ip="203.0.113.7") is not None  # now kept
    later = timezone.now() + datetime.timedelta(minutes=6)
    with mock.patch("django.utils.timezone.now", return_value=later):
        assert Block.first_covering(user=None, email="", ip="203.0.113.7") is None


def test_the_sites_name_changed_shows_at_once(cached_article_page, committed):
    site = Site.objects.get_current()
    site.name = "Nerve Health Notes"
    with committed():
        site.save()
    Site.objects.clear_cache()
    assert "Nerve Health Notes" in read(Client(), cached_article_page).text


def test_a_reviewer_renamed_shows_at_once_on_the_articles_they_reviewed(article, committed):
    reviewer = Reviewer.objects.create(name="Dr Ana Ruiz", credentials="MD")
    article.reviewed_by, article.reviewed_on = reviewer, timezone.localdate()
    article.save()
    url = article.get_absolute_url()
    assert "Medically reviewed by" in read(Client(), url).text
    assert served_from_cache(Client(), url)
    reviewer.name = "Prof Ana Ortega"
    with committed():
        reviewer.save()
    assert "Prof Ana Ortega, MD" in read(Client(), url).text


def test_the_medical_disclaimer_changed_shows_at_once(cached_article_page, committed):
    disclaimer = MedicalDisclaimer.load()
    disclaimer.text = "Ask your neurologist before changing a treatment."
    with committed():
        disclaimer.save()
    assert "Ask your neurologist before changing a treatment." in read(Client(), cached_article_page).text


def test_a_page_linked_in_the_footer_shows_at_once_on_every_page_and_its_own_edit_too(cached_article_page, committed):
    with committed():
        page = Page.objects.create(title="About us", slug="about", body="<p>Who we are.</p>", published=True)
    assert "Who we are." in read(Client(), "/about/").text
    assert served_from_cache(Client(), "/about/")
    page.body, page.in_footer = "<p>Doctors and nurses.</p>", True
    with committed():
        page.save()
    assert "Doctors and nurses." in read(Client(), "/about/").text
    assert '<a href="/about/">About us</a>' in read(Client(), cached_article_page).text


def test_a_reference_added_shows_at_once(cached_article_page, article, committed):
    with committed():
        Reference.objects.create(article=article, number=1, citation="Wang A, Jankovic J. Hemifacial spasm.")
    assert '<li id="ref-1" value="1">Wang A, Jankovic J. Hemifacial spasm.' in read(Client(), cached_article_page).text


def test_a_commenters_new_display_name_shows_at_once(article, make_comment, reader, committed):
    make_comment(article=article, user=reader, author_name="Rita Reader")
    url = article.get_absolute_url()
    assert "Rita Reader" in read(Client(), url).text
    reader.display_name = "Rita R."
    with committed():
        reader.save()
    assert "Rita R." in read(Client(), url).text


def test_a_commenters_new_avatar_shows_at_once(article, make_comment, reader, committed):
    make_comment(article=article, user=reader)
    url = article.get_absolute_url()
    read(Client(), url)
    reader.avatar_version = "0123456789abcdef"
    with committed():
        reader.save(update_fields=["avatar_version"])
    assert f"/accounts/avatars/{reader.pk}/0123456789abcdef.img" in read(Client(), url).text


def test_signing_in_changes_no_shared_page(cached_article_page, client, reader, committed):
    with committed():
        client.post(reverse("account_login"), {"login": reader.email, "password": "correct horse battery"})
    assert served_from_cache(Client(), cached_article_page)


def test_a_commenter_erased_is_anonymous_at_once(article, make_comment, committed):
    make_comment(article=article, author_name="Gina Guest", author_email="gina@example.com")
    url = article.get_absolute_url()
    assert "Gina Guest" in read(Client(), url).text
    with committed():
        comments_anonymise(email="gina@example.com")
    page = read(Client(), url).text
    assert "Gina Guest" not in page
    assert "Anonymous" in page


# ---- Forms on a shared page -------------------------------------------------------
@pytest.fixture
def guest():
    """A browser that sends no CSRF token: it read a shared page."""
    return Client(enforce_csrf_checks=True)


def test_a_guests_comment_from_the_sites_own_page_is_accepted(guest, article, post_comment):
    response = post_comment(guest, article, HTTP_ORIGIN="http://testserver")
    assert response.status_code == 302
    assert Comment.objects.count() == 1


@pytest.mark.parametrize(
    "headers",
    [
        {"HTTP_ORIGIN": "https://evil.example"},
        {"HTTP_ORIGIN": "null"},
        {"HTTP_SEC_FETCH_SITE": "cross-site", "HTTP_ORIGIN": "http://testserver"},
        {"HTTP_SEC_FETCH_SITE": "same-site"},
        {},
    ],
    ids=["another origin", "an opaque origin", "cross-site despite its origin", "a sibling subdomain", "no header"],
)
def test_a_guests_post_from_elsewhere_is_refused(guest, article, post_comment, headers):
    response = post_comment(guest, article, **headers)
    assert response.status_code == 403
    assert "Form not accepted" in response.text
    assert not Comment.objects.exists()


def test_a_members_post_needs_their_token_whatever_its_origin_says(guest, article, post_comment, reader):
    guest.force_login(reader)
    response = post_comment(guest, article, HTTP_ORIGIN="http://testserver", HTTP_SEC_FETCH_SITE="same-origin")
    assert response.status_code == 403
    assert not Comment.objects.exists()


def test_a_guests_like_from_the_sites_own_page_goes_to_sign_in(guest, article):
    response = guest.post(f"{article.get_absolute_url()}like/", HTTP_SEC_FETCH_SITE="same-origin")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_the_form_start_time_is_fetched_fresh_and_never_kept(client):
    response = client.get(reverse("comments:form-started"))
    assert "no-store" in response["Cache-Control"]
    assert not response.cookies
    # Signed now: a form sent back with it at once is too fast.
    assert form_timing_concern(response.json()["started"], minimum_seconds=3) == "form filled in under 3 seconds"


def test_a_guest_who_fills_the_form_slower_than_the_minimum_is_not_held_for_speed(client, article, post_comment):
    stamp = form_started_stamp()
    with mock.patch("django.core.signing.time.time", return_value=timezone.now().timestamp() + 60):
        response = post_comment(client, article, started=stamp)
    assert response.status_code == 302
    assert "form filled in under" not in Comment.objects.get().status_reason


def test_a_form_sent_faster_than_the_minimum_is_held(client, article, post_comment):
    post_comment(client, article, started=form_started_stamp())
    assert Comment.objects.get().status_reason == "form filled in under 3 seconds"


def test_no_response_made_for_a_session_may_be_kept_by_a_shared_cache(pages, client, reader, moderator):
    urls = [*pages, reverse("comments:subscriptions"), reverse("accounts:profile"), reverse("admin:index"), "/no/such/"]
    for who in (reader, moderator):
        client.force_login(who)
        for url in urls:
            control = client.get(url).get("Cache-Control", "")
            assert "public" not in control, url
            assert "private" in control and "no-store" in control, (url, control)


def test_the_cookies_that_make_a_page_personal_are_those_the_site_sets(settings):
    cookies = {settings.SESSION_COOKIE_NAME, HELD_COMMENTS_COOKIE, SAVED_DETAILS_COOKIE, CookieStorage.cookie_name}
    assert cookies <= set(settings.PAGE_CACHE_PERSONAL_COOKIES)
    shipped = (ROOT / "deploy" / "nginx" / "leave-a-reply.conf").read_text()
    assert all(cookie in shipped for cookie in cookies)


# ---- Before Django: the WSGI application answers kept pages itself ----------------
class Answer:
    def __init__(self) -> None:
        self.status = ""
        self.headers: dict[str, str] = {}

    def __call__(self, status: str, headers: list[tuple[str, str]]) -> None:
        self.status, self.headers = status, dict(headers)


def django_must_not_run(environ, start_response):
    raise AssertionError("the request reached Django")


def test_the_wsgi_application_answers_a_kept_page_before_django(article):
    kept = read(Client(), article.get_absolute_url())
    environ = RequestFactory().get(article.get_absolute_url()).environ
    answer = Answer()
    body = b"".join(SharedPageApplication(django_must_not_run)(environ, answer))
    assert answer.status == "200 OK"
    assert body == kept.content
    assert answer.headers["X-Page-Cache"] == "hit"
    assert answer.headers["Cache-Control"] == SHARED
    assert answer.headers["Content-Length"] == str(len(body))
    assert "Content-Security-Policy" in answer.headers


def test_the_wsgi_application_answers_not_modified_to_a_matching_etag(article):
    kept = read(Client(), article.get_absolute_url())
    environ = RequestFactory().get(article.get_absolute_url(), HTTP_IF_NONE_MATCH=kept["ETag"]).environ
    answer = Answer()
    assert b"".join(SharedPageApplication(django_must_not_run)(environ, answer)) == b""
    assert answer.status == "304 Not Modified"


@pytest.mark.parametrize(
    "change",
    [{"HTTP_COOKIE": "sessionid=abc"}, {"QUERY_STRING": "utm_source=x"}, {"REQUEST_METHOD": "POST"}],
    ids=["a session", "an unknown parameter", "a POST"],
)
def test_the_wsgi_application_passes_what_it_may_not_share_to_django(article, change):
    read(Client(), article.get_absolute_url())
    environ = {**RequestFactory().get(article.get_absolute_url()).environ, **change}
    reached = []
    SharedPageApplication(lambda environ, start_response: reached.append(True) or [b""])(environ, Answer())
    assert reached == [True]


def server_environ(path: str, method: str = "GET", **headers) -> dict:
    """What a WSGI server hands over: the path as its bytes read as Latin-1 (PEP 3333). (A request that
    RequestFactory made has had its path decoded already.)"""
    environ = RequestFactory().generic(method, "/", **headers).environ.copy()
    environ["PATH_INFO"] = path.encode().decode("latin-1")
    return environ


def the_site(environ) -> tuple[Answer, bytes]:
    """The site's WSGI application as a server runs it: the shared pages first, then Django."""
    answer = Answer()
    # As Django's test client does: the test's connection to the database stays open across the request.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        return answer, b"".join(SharedPageApplication(WSGIHandler())(environ, answer))
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.mark.parametrize("path", ["/2026/11/02/жаба/", "/category/здоровье/", "/tag/健康/", "/2026/11/02/🙂/"])
def test_an_address_in_any_script_is_answered_by_the_site(path):
    answer, body = the_site(server_environ(path))
    assert answer.status == "404 Not Found"
    assert "Content-Security-Policy" in answer.headers  # the site's own page, not the server's
    assert b"<html" in body


def test_an_old_wordpress_address_with_accents_leads_to_the_article(make_article):
    article = make_article(title="Été", slug="ete", published_at=timezone.make_aware(datetime.datetime(2020, 7, 1, 12)))
    answer, _ = the_site(server_environ("/2020/07/01/été/"))
    assert answer.status == "301 Moved Permanently"
    assert answer.headers["Location"] == article.get_absolute_url()


def test_a_head_request_gets_the_headers_of_the_shared_page_and_no_body(article):
    url = article.get_absolute_url()
    first = Client().head(url)
    assert first.status_code == 200
    assert first["Cache-Control"] == SHARED
    # Kept by the HEAD request, as its GET would have kept it.
    page = Client().get(url)
    assert page["X-Page-Cache"] == "hit"
    assert page["ETag"] == first["ETag"]
    answer = Answer()
    environ = RequestFactory().head(url).environ
    assert b"".join(SharedPageApplication(django_must_not_run)(environ, answer)) == b""
    assert answer.status == "200 OK"
    assert answer.headers["ETag"] == page["ETag"]
    assert answer.headers["Content-Length"] == str(len(page.content))


@pytest.mark.parametrize("cookie", ["", "sessionid=abc"], ids=["a guest", "a session"])
def test_a_head_request_that_reaches_django_gets_no_body(article, cookie):
    answer, body = the_site(server_environ(article.get_absolute_url(), "HEAD", HTTP_COOKIE=cookie))
    assert answer.status == "200 OK"
    assert answer.headers["Cache-Control"] == (PERSONAL if cookie else SHARED)
    assert body == b""


# ---- The rendered thread, kept for signed-in readers too ------------------------
def test_a_signed_in_reader_gets_the_thread_rendered_once_for_everyone(client, article, make_comment, reader):
    make_comment(article=article, body="Kept rendered.")
    client.force_login(reader)
    with CaptureQueriesContext(connection) as first:
        assert "Kept rendered." in read(client, article.get_absolute_url()).text
    with CaptureQueriesContext(connection) as second:
        page = read(client, article.get_absolute_url()).text
    assert "Kept rendered." in page
    assert "One thought on" in page
    assert '"commentCount": 1' in page

    def comments_read(queries) -> list[str]:
        return [query["sql"] for query in queries if 'FROM "comments_comment"' in query["sql"]]

    assert comments_read(first)
    # Neither the thread, nor its counts, nor the structured data are read again: only whether the reader has a
    # comment of their own held there.
    [own_held] = comments_read(second)
    assert '"comments_comment"."user_id" =' in own_held and '"comments_comment"."status" =' in own_held


def test_a_signed_in_reader_sees_an_approved_comment_at_once(
    client, article, make_comment, reader, moderator, committed
):
    make_comment(article=article, body="Approved before.")
    held = make_comment(article=article, body="Just approved.", status=Comment.Status.PENDING)
    client.force_login(reader)
    page = read(client, article.get_absolute_url()).text
    assert "Just approved." not in page
    assert ("One thought on" in page, '"commentCount": 1' in page) == (True, True)
    with committed():
        comment_moderate(comment=held, action="approve", by=moderator)
    page = read(client, article.get_absolute_url()).text
    assert "Just approved." in page
    assert ("2 thoughts on" in page, '"commentCount": 2' in page) == (True, True)


def test_a_readers_held_comment_never_reaches_the_thread_others_get(article, post_comment, committed):
    writer = Client()
    read(Client(), article.get_absolute_url())
    with committed():
        post_comment(writer, article, comment="Only mine for now.")
    assert "Only mine for now." in read(writer, article.get_absolute_url()).text
    other = Client()
    other.cookies["sessionid"] = "another-reader"  # a personal page, rendered, using the kept thread
    assert "Only mine for now." not in read(other, article.get_absolute_url()).text


def test_a_reader_whose_held_comment_was_approved_gets_the_thread_kept_for_everyone(
    article, post_comment, moderator, committed
):
    # No edit window: an editable comment of one's own is another reason for a page of one's own.
    DiscussionSettings.objects.update_or_create(pk=1, defaults={"edit_window_minutes": 0})
    writer = Client()
    with committed():
        post_comment(writer, article, comment="Held, then approved.")
    with committed():
        comment_moderate(comment=Comment.objects.get(), action="approve", by=moderator)
    url = article.get_absolute_url()
    read(writer, url)
    with CaptureQueriesContext(connection) as again:
        assert "Held, then approved." in read(writer, url).text
    # Their cookie still names the comment, but nothing of theirs is held: the thread is not read again.
    assert not [query for query in again if 'FROM "comments_comment" LEFT OUTER JOIN' in query["sql"]]


def test_a_comment_approved_while_a_page_renders_is_on_the_next_one(client, article, make_comment, reader):
    make_comment(article=article, body="First.")
    second = make_comment(article=article, body="Second.", status=Comment.Status.PENDING)
    url = article.get_absolute_url()
    kept_under = pagecache.kept_under

    def approved_meanwhile(version, name, read, **options):
        value = kept_under(version, name, read, **options)
        if name.startswith("comments:counts:") and second.status != Comment.Status.APPROVED:
            # Another worker approves the comment and marks the page changed, after this page counted.
            second.status = Comment.Status.APPROVED
            Comment.objects.filter(pk=second.pk).update(status=second.status)
            pagecache._bump(pagecache._path_generation_key(url))
        return value

    client.force_login(reader)
    with mock.patch.object(pagecache, "kept_under", approved_meanwhile):
        assert "Second." not in read(client, url).text
    # What that page read before the change is not kept as if it were after it.
    for visitor in (client, Client()):
        page = read(visitor, url).text
        assert "Second." in page
        assert ("2 thoughts on" in page, '"commentCount": 2' in page) == (True, True)


def test_a_readers_held_comment_never_changes_the_pages_of_comments_others_get(
    article, make_comment, post_comment, committed
):
    DiscussionSettings.objects.update_or_create(pk=1, defaults={"comments_per_page": 1})
    make_comment(article=article, body="Approved.")
    writer = Client()
    with committed():
        post_comment(writer, article, comment="Held, on a page of mine.")
    assert "Comments page 1 of 2" in read(writer, article.get_absolute_url()).text
    assert "Held, on a page of mine." in read(writer, f"{article.get_absolute_url()}?cpage=2").text
    other = Client()
    other.cookies["sessionid"] = "another-reader"
    page = read(other, article.get_absolute_url()).text
    assert "Approved." in page
    assert "Comments page" not in page


# ---- What a review found -------------------------------------------------------------
def test_an_article_never_shows_the_thread_kept_for_another(make_article, make_comment, reader, client):
    # Comments saved without a commit leave both articles at the generations they started with.
    first, second = make_article(title="First"), make_article(title="Second")
    make_comment(article=first, body="Said under the first.")
    make_comment(article=second, body="Said under the second.")
    client.force_login(reader)
    assert "Said under the first." in read(client, first.get_absolute_url()).text
    page = read(client, second.get_absolute_url()).text
    assert "Said under the second." in page
    assert "Said under the first." not in page


def test_a_lost_generation_never_brings_back_a_page_kept_before(article, make_comment):
    url = article.get_absolute_url()
    read(Client(), url)
    # Redis restarted or evicted the generations, but kept the page: it must not count as current.
    cache.delete_many(["pages:generation:site", pagecache._path_generation_key(url)])
    make_comment(article=article, body="Said while the cache was away.")
    response = read(Client(), url)
    assert response["X-Page-Cache"] == "miss"
    assert "Said while the cache was away." in response.text


def test_a_new_site_name_from_another_process_replaces_the_one_this_process_keeps(cached_article_page):
    Site.objects.get_current()  # kept in this process
    Site.objects.filter(pk=settings.SITE_ID).update(name="Renamed elsewhere")  # another process's change…
    pagecache._bump(pagecache.SITE_GENERATION)  # …and its bump
    assert "Renamed elsewhere" in read(Client(), cached_article_page).text
    signed_in = Client()
    signed_in.cookies["sessionid"] = "x"
    assert "Renamed elsewhere" in read(signed_in, cached_article_page).text


def test_a_conditional_get_that_renders_the_page_answers_304_and_keeps_it(article):
    url = article.get_absolute_url()
    etag = read(Client(), url)["ETag"]
    cache.clear()  # every kept page gone; the page itself has not changed
    response = Client().get(url, HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 304
    assert response["Cache-Control"] == SHARED
    assert served_from_cache(Client(), url)


@pytest.mark.parametrize("tag", ["{etag}", "W/{etag}", "*", '"other", {etag}'])
def test_if_none_match_as_caches_send_it_gets_not_modified(article, tag):
    url = article.get_absolute_url()
    etag = read(Client(), url)["ETag"]
    if_none_match = tag.format(etag=etag)
    assert Client().get(url, HTTP_IF_NONE_MATCH=if_none_match).status_code == 304  # through Django
    environ = RequestFactory().get(url, HTTP_IF_NONE_MATCH=if_none_match).environ
    answer = Answer()
    assert b"".join(SharedPageApplication(django_must_not_run)(environ, answer)) == b""  # before Django
    assert answer.status == "304 Not Modified"
    assert answer.headers["Cache-Control"] == SHARED


@pytest.mark.parametrize("query", ["?replytocom=zz1", "?replytocom=1e9", "?page=2", "?cpage=" + "9" * 12])
def test_only_the_numbers_a_page_reads_make_a_page_of_their_own(article, query):
    response = Client().get(article.get_absolute_url() + query)
    assert "X-Page-Cache" not in response or response["X-Page-Cache"] != "hit"
    assert not served_from_cache(Client(), article.get_absolute_url() + query)


@pytest.mark.parametrize("query", ["?cpage=0", "?cpage=00", "?cpage=-1", "?cpage=zz1"])
def test_a_page_number_that_names_no_page_is_no_page_of_its_own(article, query):
    # Found by QA: ?cpage=0 was kept as a page of its own (the last page of comments). It leads to the article's
    # address, and is never kept.
    for _ in range(2):
        response = Client().get(article.get_absolute_url() + query)
        assert (response.status_code, response["Location"]) == (301, article.get_absolute_url())
        assert "X-Page-Cache" not in response
        assert response["Cache-Control"] == PERSONAL


def test_a_page_read_over_https_is_not_the_one_kept_for_http(article, site_root):
    url = article.get_absolute_url()
    read(Client(), url)
    secure = Client().get(url, secure=True)
    assert secure.get("X-Page-Cache") == "miss"
    assert f'href="{site_root.replace("http://", "https://", 1)}/' in secure.text


def test_a_sign_in_service_added_in_the_admin_shows_at_once(cached_article_page, committed):
    with committed():
        app = SocialApp.objects.create(provider="google", name="Google", client_id="id", secret="secret")
        app.sites.add(Site.objects.get_current())
    assert "Log in with Google" in read(Client(), cached_article_page).text


def test_a_guest_who_posted_gets_their_own_page_while_caches_in_front_may_keep_the_old(
    client, article, post_comment, returning_guest_of
):
    returning_guest_of(article)
    response = post_comment(client, article, comment="Approved at once.")
    posted = response.cookies["comment_posted"]
    assert int(posted["max-age"]) == 10 + 30 + 1
    assert read(client, article.get_absolute_url())["Cache-Control"] == PERSONAL


@pytest.fixture
def returning_guest_of(make_comment):
    return lambda article: make_comment(
        article=article,
        author_name="Rita Reader",
        author_email="reader@example.com",
        body="Earlier.",
        created_at=timezone.now() - datetime.timedelta(days=1),
    )


def test_a_shared_page_does_not_vary_by_cookie(article):
    vary = read(Client(), article.get_absolute_url()).get("Vary", "")
    assert "cookie" not in vary.lower()


def test_near_a_scheduled_article_a_kept_page_tells_caches_in_front_to_keep_it_less(make_article, committed):
    with committed():
        make_article(title="Soon", published_at=timezone.now() + datetime.timedelta(seconds=8))
    read(Client(), "/")
    later = timezone.now() + datetime.timedelta(seconds=5)
    with mock.patch("django.utils.timezone.now", return_value=later):
        response = read(Client(), "/")
    assert response["X-Page-Cache"] == "hit"
    assert "s-maxage=2" in response["Cache-Control"] or "s-maxage=3" in response["Cache-Control"]


def test_a_like_moved_to_another_article_in_the_admin_changes_both_pages(make_article, reader, committed):
    first, second = make_article(), make_article()
    with committed():
        like = Like.objects.create(article=first, user=reader)
    read(Client(), first.get_absolute_url())
    like.article = second
    with committed():
        like.save()
    assert "Be the first to like this." in read(Client(), first.get_absolute_url()).text


def test_a_comment_deleted_alone_goes_at_once(article, make_comment, committed):
    comment = make_comment(article=article, body="Deleted for good.", status=Comment.Status.TRASH)
    url = article.get_absolute_url()
    read(Client(), url)
    make_comment(article=article, body="Approved meanwhile, without a commit.")
    with committed():
        comment_delete(comment=comment)
    assert "Approved meanwhile" in read(Client(), url).text


def test_the_kept_page_content_failing_to_load_makes_a_page_rendered_anew(article):
    url = article.get_absolute_url()
    read(Client(), url)
    pagecache._contents.clear()
    with mock.patch.object(cache, "get", side_effect=ConnectionError("cache down")):
        response = read(Client(), url)
    assert "X-Page-Cache" not in response or response["X-Page-Cache"] != "hit"


def test_a_category_list_shows_a_comment_approved_after_the_article_was_filed_in_it(
    article, category, make_comment, moderator, committed
):
    # Found by a review: the article's lists were asked once per transaction, and a test's captured commits share one.
    make_comment(article=article)  # the article's lists asked now, before it is in the category
    held = make_comment(article=article, status=Comment.Status.PENDING)
    with committed():
        article.categories.add(category)
    url = category.get_absolute_url()
    read(Client(), url)
    assert served_from_cache(Client(), url)
    with committed():
        comment_moderate(comment=held, action="approve", by=moderator)
    assert f'href="{article.get_absolute_url()}#comments">2 Comments<' in read(Client(), url).text
