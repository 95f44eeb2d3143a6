"""Every page reads as many queries for thirty of what it lists as for three: no query per article, comment,
reference, liker, picture or row (an N+1). Pages tested for this in their own modules (the front page's comment
counts, search, the article's comments and likes, the comments list) are not repeated here."""

import datetime
import itertools
import re

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from accounts.models import Avatar, User
from articles.models import Article, Category, Image, Like, Page, Reference, Revision, Tag
from comments.models import Block, Comment, CommentStatus, CommentVersion, Report
from comments.subscriptions.models import Subscription

pytestmark = pytest.mark.django_db

FEW, MANY = 3, 30
DAY = datetime.datetime(2025, 3, 4, 9, tzinfo=datetime.UTC)  # every article's: its day, month and year archives

_numbers = itertools.count(1)


@pytest.fixture(scope="module")
def few(django_db_setup, django_db_blocker):
    """An author, their category and tag, the article they grow around and a page linked in the footer, with three of
    everything the pages list: built once for the module, in a transaction rolled back after its last test, so that
    no other module sees it. Each test's own changes (the many) are rolled back after it, as any test's are."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield _few()
        transaction.set_rollback(True)


@pytest.fixture
def site(few, settings):
    """The site of three of everything, as a dict of its own: `add` records the newest rows in it."""
    settings.ARTICLES_PER_PAGE = 100  # every article of the lists on their first page
    return dict(few)


def _few() -> dict:
    author = User.objects.create_user(
        username="alice", email="alice@example.com", display_name="Alice Author", is_staff=True
    )
    EmailAddress.objects.create(user=author, email=author.email, verified=True, primary=True)
    author.groups.add(Group.objects.get(name="Editors"))
    site = {
        "author": author,
        "category": Category.objects.create(name="Conditions", slug="conditions"),
        "tag": Tag.objects.create(name="Nerves", slug="nerves"),
        "article": Article.objects.create(
            title="Hemifacial spasm",
            slug="hemifacial-spasm",
            body="<p>Botulinum toxin helps [1].</p>",
            status=Article.Status.PUBLISHED,
            published_at=DAY,
            author=author,
        ),
        "page": Page.objects.create(title="About us", slug="about", body="<p>Us.</p>", published=True, in_footer=True),
    }
    add(site, FEW)
    return site


def add(site: dict, count: int) -> None:
    """`count` more of everything the pages list: articles (half of them by authors of their own) in the category and
    tag, with pictures; around the site's article, categories, tags, references, revisions, likers, comments with
    replies, one with reports and earlier versions; members with avatars, subscriptions, blocks, pages in the footer."""
    article, author = site["article"], site["author"]
    numbers = [next(_numbers) for _ in range(count)]
    members = User.objects.bulk_create(
        User(username=f"member{n}", email=f"member{n}@example.com", display_name=f"Member {n}", author_slug=f"m{n}")
        for n in numbers
    )
    EmailAddress.objects.bulk_create(EmailAddress(user=user, email=user.email, verified=True) for user in members)
    Avatar.objects.bulk_create(
        Avatar(user=user, image=b"GIF89a", content_type="image/gif", source_url="https://example.org/a.gif")
        for user in members
    )
    pictures = Image.objects.bulk_create(
        Image(file=f"images/2025/03/photo{n}.png", width=800, height=400, alt_text="A photo", uploaded_by=author)
        for n in numbers
    )
    articles = [
        Article.objects.create(
            title=f"Article {n}",
            slug=f"article-{n}",
            body=f"<p>The body of article {n}.</p>",
            status=Article.Status.PUBLISHED,
            published_at=DAY + datetime.timedelta(seconds=n),
            author=author if n % 2 else members[index],
            featured_image=pictures[index],
        )
        for index, n in enumerate(numbers)
    ]
    Article.categories.through.objects.bulk_create(
        Article.categories.through(article=each, category=site["category"]) for each in articles
    )
    Article.tags.through.objects.bulk_create(Article.tags.through(article=each, tag=site["tag"]) for each in articles)
    article.categories.add(*Category.objects.bulk_create(Category(name=f"Category {n}", slug=f"c{n}") for n in numbers))
    article.tags.add(*Tag.objects.bulk_create(Tag(name=f"Tag {n}", slug=f"t{n}") for n in numbers))
    Reference.objects.bulk_create(Reference(article=article, number=n, citation=f"Source {n}.") for n in numbers)
    Revision.objects.bulk_create(
        Revision(article=article, saved_by=user, title="Then", body="<p>Then.</p>", status="published")
        for user in members
    )
    Like.objects.bulk_create(Like(article=article, user=user) for user in members)
    comments = Comment.objects.bulk_create(
        Comment(
            article=each,
            user=user,
            author_name=user.display_name,
            author_email=user.email,
            body="Thank you.",
            body_html="<p>Thank you.</p>",
            status=CommentStatus.APPROVED,
        )
        for each in [article, *articles]
        for user in members
        if each == article or user == members[0]
    )
    first = comments[0]
    Comment.objects.bulk_create(
        Comment(
            article=article,
            parent=first,
            thread=first,
            depth=2,
            author_name=f"Guest {n}",
            author_email=f"guest{n}@example.com",
            body="Same here.",
            body_html="<p>Same here.</p>",
            status=CommentStatus.APPROVED,
        )
        for n in numbers
    )
    Subscription.objects.bulk_create(
        Subscription(email=user.email, user=user, topic="comments", article=each, status="confirmed")
        for user, each in zip(members, articles, strict=True)
    )
    Block.objects.bulk_create(Block(user=user, reason="Spam.", created_by=author) for user in members)
    Page.objects.bulk_create(
        Page(
            title=f"Page {n}", slug=f"page-{n}", body="<p>P.</p>", body_html="<p>P.</p>", published=True, in_footer=True
        )
        for n in numbers
    )
    site["comment"] = comments[len(members) - 1]  # the newest on the article: the most before it
    reported = site.setdefault("reported", first)
    Report.objects.bulk_create(
        Report(comment=reported, reason="spam", reporter_key=f"reader{n}", reporter=user)
        for n, user in zip(numbers, members, strict=True)
    )
    CommentVersion.objects.bulk_create(
        CommentVersion(comment=reported, body=f"Version {n}.", written_at=DAY) for n in numbers
    )


def queries(client, address: str) -> int:
    # What the site keeps under its generations is read again: this test's changes never commit, so they bump none.
    cache.clear()
    with CaptureQueriesContext(connection) as captured:
        response = client.get(address)
    # A comment's permalink leads on to its page; every other address is a page of its own.
    assert response.status_code == (302 if re.fullmatch(r"/comments/\d+/", address) else 200), address
    return len(captured)


def assert_as_many_queries_for_many(client, site: dict, address_of) -> None:
    client.get(address_of(site))  # what a process reads once (the site's domain, content types) is read
    few = queries(client, address_of(site))
    add(site, MANY - FEW)
    assert queries(client, address_of(site)) == few


PUBLIC_PAGES = {
    "year archive": lambda site: "/2025/",
    "month archive": lambda site: "/2025/03/",
    "day archive": lambda site: "/2025/03/04/",
    "category archive": lambda site: site["category"].get_absolute_url(),
    "tag archive": lambda site: site["tag"].get_absolute_url(),
    "author archive": lambda site: f"/author/{site['author'].author_slug}/",
    "article with its references, categories, tags, likes and comments": lambda site: site[
        "article"
    ].get_absolute_url(),
    "comment permalink": lambda site: f"/comments/{site['comment'].pk}/",
    "articles feed": lambda site: "/feed/",
    "articles atom feed": lambda site: "/feed/atom/",
    "category feed": lambda site: site["category"].get_absolute_url() + "feed/",
    "tag feed": lambda site: site["tag"].get_absolute_url() + "feed/",
    "author feed": lambda site: f"/author/{site['author'].author_slug}/feed/",
    "site's comments feed": lambda site: "/comments/feed/",
    "article's comments feed": lambda site: site["article"].get_absolute_url() + "feed/",
    "sitemap": lambda site: "/sitemap.xml",
    "page in the footer": lambda site: site["page"].get_absolute_url(),
}


@pytest.mark.parametrize("address_of", PUBLIC_PAGES.values(), ids=PUBLIC_PAGES.keys())
def test_a_public_page_reads_as_many_queries_for_thirty_of_what_it_shows_as_for_three(client, site, address_of):
    assert_as_many_queries_for_many(client, site, address_of)


def test_a_signed_in_reader_reads_as_many_queries_on_a_busy_article_as_on_a_quiet_one(client, site, reader):
    client.force_login(reader)
    assert_as_many_queries_for_many(client, site, lambda site: site["article"].get_absolute_url())


def test_a_later_page_of_the_front_page_full_of_articles_reads_as_many_queries_as_a_first_with_few(
    client, site, settings
):
    settings.ARTICLES_PER_PAGE = 10
    client.get("/")
    few = queries(client, "/")  # the site's article and three more
    add(site, MANY - FEW)
    assert queries(client, "/?page=2") == few


ADMIN_PAGES = {
    "dashboard": lambda site: "/admin/",
    "articles": lambda site: "/admin/articles/article/",
    "article change form with its revisions, references and pictures": lambda site: (
        f"/admin/articles/article/{site['article'].pk}/change/"
    ),
    "article's revisions": lambda site: f"/admin/articles/article/{site['article'].pk}/revisions/",
    "comment change form with its reports and versions": lambda site: (
        f"/admin/comments/comment/{site['reported'].pk}/change/"
    ),
    "users": lambda site: "/admin/accounts/user/",
    "pictures": lambda site: "/admin/articles/image/",
    "the editor's recent pictures": lambda site: "/admin/articles/image/recent/",
    "blocks": lambda site: "/admin/comments/block/",
    "subscriptions": lambda site: "/admin/comments/subscription/",
    "likes": lambda site: "/admin/articles/like/",
    "pages": lambda site: "/admin/articles/page/",
    "categories": lambda site: "/admin/articles/category/",
    "tags": lambda site: "/admin/articles/tag/",
}


@pytest.mark.parametrize("address_of", ADMIN_PAGES.values(), ids=ADMIN_PAGES.keys())
def test_an_admin_page_reads_as_many_queries_for_thirty_rows_as_for_three(admin_client, site, address_of):
    assert_as_many_queries_for_many(admin_client, site, address_of)


@pytest.mark.parametrize(
    "address_of", [ADMIN_PAGES["dashboard"], ADMIN_PAGES["articles"]], ids=["dashboard", "articles"]
)
def test_an_editors_admin_pages_read_as_many_queries_for_thirty_articles_as_for_three(client, site, address_of):
    client.force_login(site["author"])  # an editor: what they may do is checked for each row
    assert_as_many_queries_for_many(client, site, address_of)
