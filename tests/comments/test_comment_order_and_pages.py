"""Discussion settings, as WordPress's: "Break comments into pages with N top level comments per page and the
[first/last] page displayed by default", and "Comments should be displayed with the [older/newer] comments at the
top of each page"."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from comments.models import DiscussionSettings
from comments.threads import comment_page_url
from tests.pages import body

pytestmark = pytest.mark.django_db


@pytest.fixture(params=[0, 600], ids=["thread rendered", "thread kept"])
def kept_thread(request, settings):
    settings.PAGE_CACHE_SECONDS = request.param


@pytest.fixture
def five_threads(seed_article, make_comment):
    """Five top-level comments a minute apart, two per page (pages 1, 2, 3), the first with two replies."""
    DiscussionSettings.objects.update_or_create(pk=1, defaults={"comments_per_page": 2})
    start = timezone.now() - datetime.timedelta(days=1)
    threads = [
        make_comment(article=seed_article, body=f"Thread {n}.", created_at=start + datetime.timedelta(minutes=n))
        for n in range(5)
    ]
    for n in range(2):
        make_comment(
            article=seed_article, parent=threads[0], body=f"Reply {n}.", created_at=start + datetime.timedelta(hours=n)
        )
    return threads


def settle(**settings) -> DiscussionSettings:
    DiscussionSettings.objects.filter(pk=1).update(**settings)
    return DiscussionSettings.load()


def shown(client, article, **params) -> list[str]:
    return re.findall(r"(Thread \d|Reply \d)\.", body(client.get(article.get_absolute_url(), params)))


@pytest.mark.usefixtures("kept_thread")
def test_newer_comments_at_the_top_of_each_page_with_replies_still_under_theirs(client, seed_article, five_threads):
    settle(comment_order=DiscussionSettings.CommentOrder.NEWER_FIRST)
    assert shown(client, seed_article) == ["Thread 1", "Thread 0", "Reply 0", "Reply 1"]
    assert shown(client, seed_article, cpage=3) == ["Thread 4"]


@pytest.mark.usefixtures("kept_thread")
def test_the_last_page_shown_first_leads_back_to_the_older_ones(client, seed_article, five_threads):
    settle(first_comment_page=DiscussionSettings.FirstCommentPage.LAST)
    page = client.get(seed_article.get_absolute_url()).text
    assert shown(client, seed_article) == ["Thread 4"]
    assert "Comments page 3 of 3" in page
    assert f'href="{seed_article.get_absolute_url()}?cpage=2#comments" rel="prev">Older comments' in page
    # Page 1 is one page among others: its links say so.
    first = client.get(seed_article.get_absolute_url(), {"cpage": 1}).text
    assert shown(client, seed_article, cpage=1) == ["Thread 0", "Reply 0", "Reply 1", "Thread 1"]
    assert f"?cpage=1&amp;replytocom={five_threads[0].pk}#respond" in first


def test_search_engines_know_the_page_the_address_shows_by_the_address_alone(
    client, seed_article, five_threads, site_root
):
    settle(first_comment_page=DiscussionSettings.FirstCommentPage.LAST)
    canonical = f'rel="canonical" href="{site_root}{{}}"'.format
    url = seed_article.get_absolute_url()
    assert canonical(url) in client.get(url).text
    assert canonical(url) in client.get(url, {"cpage": 3}).text
    assert canonical(f"{url}?cpage=1") in client.get(url, {"cpage": 1}).text


@pytest.mark.usefixtures("kept_thread")
def test_each_page_of_comments_with_an_address_of_its_own_has_a_title_of_its_own(
    client, seed_article, five_threads, committed
):
    # Found by a QA review: ?cpage=2 is a page of its own to search engines (its canonical address), with page 1's
    # title: two pages of one title.
    def title(**params) -> str:
        return re.search(r"<title>(.*?)</title>", client.get(seed_article.get_absolute_url(), params).text)[1]

    article = seed_article.title
    assert title() == f"{article} – Leave a Reply"
    assert title(cpage=2) == f"{article} – Comments page 2 – Leave a Reply"
    discussion = DiscussionSettings.load()
    discussion.first_comment_page = DiscussionSettings.FirstCommentPage.LAST
    with committed():
        discussion.save()  # as the admin saves it: the pages kept change with it
    assert title() == f"{article} – Leave a Reply"  # the last page, at the article's address
    assert title(cpage=1) == f"{article} – Comments page 1 – Leave a Reply"


def test_a_comments_link_names_its_page_whichever_the_article_shows_first(seed_article, five_threads):
    url = seed_article.get_absolute_url()
    assert comment_page_url(five_threads[0], held_ids=[]) == f"{url}#comment-{five_threads[0].pk}"
    settle(first_comment_page=DiscussionSettings.FirstCommentPage.LAST)
    assert comment_page_url(five_threads[0], held_ids=[]) == f"{url}?cpage=1#comment-{five_threads[0].pk}"
    assert comment_page_url(five_threads[4], held_ids=[]) == f"{url}?cpage=3#comment-{five_threads[4].pk}"


def test_the_site_owner_finds_both_settings_with_the_others(admin_client):
    form = admin_client.get(reverse("admin:comments_discussionsettings_changelist"), follow=True).text
    assert "the last page (the newest comments)" in form
    assert "newer comments at the top of each page" in form


def test_a_rejected_top_level_comment_comes_back_on_the_page_the_address_shows(client, seed_article, five_threads):
    # Found by a review: it came back on page 1, the oldest, where the article shows its last page first.
    settle(first_comment_page=DiscussionSettings.FirstCommentPage.LAST)
    rejected = client.post(
        reverse("comments:post", args=[seed_article.pk]),
        {"comment": "", "name": "Rita", "email": "rita@example.com", "started": "x"},
        HTTP_SEC_FETCH_SITE="same-origin",
        REMOTE_ADDR="203.0.113.9",
    )
    assert rejected.status_code == 400
    assert "Comments page 3 of 3" in rejected.text


@pytest.mark.usefixtures("kept_thread")
def test_older_comments_leads_back_to_the_articles_own_address_not_a_copy_of_it(client, seed_article, five_threads):
    # The first page is the article's address (its canonical one): ?cpage=1 is the same page at another address, a
    # duplicate search engines found linked from every second page, and a page the shared cache kept twice.
    url = seed_article.get_absolute_url()
    second = client.get(url, {"cpage": 2}).text
    assert f'<a href="{url}#comments" rel="prev">Older comments</a>' in second
    assert f'<a href="{url}?cpage=3#comments" rel="next">Newer comments</a>' in second


@pytest.mark.usefixtures("kept_thread")
@pytest.mark.parametrize(
    ("first_page", "answered"),
    [(DiscussionSettings.FirstCommentPage.FIRST, 3), (DiscussionSettings.FirstCommentPage.LAST, 0)],
    ids=["first page first", "last page first"],
)
def test_an_old_reply_link_without_its_page_shows_the_page_of_the_comment_with_the_box_answering_it(
    client, seed_article, five_threads, first_page, answered
):
    # Found by QA: WordPress wrote reply links as ?replytocom=ID alone, and they circulate. For a comment on another
    # page than the one the article's address shows, the box said "Leave a Reply" and the reply went on the article.
    settle(first_comment_page=first_page)
    answered = five_threads[answered]
    page = body(client.get(seed_article.get_absolute_url(), {"replytocom": answered.pk}))
    assert f'id="comment-{answered.pk}"' in page
    assert f"Leave a Reply to <bdi>{answered.author_name}</bdi>" in page
    assert f'name="parent" value="{answered.pk}"' in page


@pytest.mark.parametrize("asked", ["0", "-1", "abc", "", "00", "9" * 30])
def test_a_page_number_that_names_no_page_leads_to_the_articles_own_address(client, seed_article, five_threads, asked):
    # Found by QA: ?cpage=0 and ?cpage=-1 showed the last page instead of the first. WordPress reads a page number
    # that is no number of a page as none ((int) "abc" is 0, comments_template): the page the article's address shows.
    url = seed_article.get_absolute_url()
    response = client.get(url, {"cpage": asked})
    assert (response.status_code, response["Location"]) == (301, url)
    # What else the address asks is kept: an old reply link shows the page of its comment.
    answered = five_threads[3].pk
    assert client.get(url, {"cpage": asked, "replytocom": answered})["Location"] == f"{url}?replytocom={answered}"


@pytest.mark.parametrize("asked", ["0", "abc"])
def test_a_page_number_that_names_no_page_shows_the_last_page_where_the_article_shows_it_first(
    client, seed_article, five_threads, asked
):
    settle(first_comment_page=DiscussionSettings.FirstCommentPage.LAST)
    page = body(client.get(seed_article.get_absolute_url(), {"cpage": asked}, follow=True))
    assert "Comments page 3 of 3" in page
