import datetime
import itertools
import os
import shutil
import subprocess
import time
from unittest import mock

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group
from django.contrib.sites.models import Site
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from articles import sanitize
from articles.models import Article, Category, Like, Tag
from articles.services import seed_article_load
from bench.stack import free_port
from comments.models import Comment
from comments.tokens import form_started_stamp
from tests.needs import missing

# Development defaults when pytest runs without `make test`.
os.environ.setdefault("DEBUG", "true")

_numbers = itertools.count(1)


@pytest.fixture(autouse=True)
def _fresh_cache():
    # allauth's rate limits and the site's caches live there: no test sees another's.
    cache.clear()


@pytest.fixture(autouse=True)
def _no_shared_pages(settings):
    # A test runs in a transaction that never commits, so the changes it makes never reach
    # the shared page cache. tests/test_shared_pages.py turns it on, committing as it goes.
    settings.PAGE_CACHE_SECONDS = 0


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # Django's test runner already swaps every mailer for the in-memory one.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def site_root():
    """The site's address as its pages, feeds and sitemap write it: on a domain set here (Sites in the admin), so
    that neither the address of the request nor the SITE_DOMAIN the first migration read decides it."""
    site = Site.objects.get_current()
    site.domain = "health.example"
    site.save()
    Site.objects.clear_cache()
    yield "http://health.example"
    # The current Site is kept in the process: the next test reads the domain its own database has.
    Site.objects.clear_cache()


@pytest.fixture
def make_user(django_user_model):
    def make(*, groups: tuple[str, ...] = (), password: str = "correct horse battery", verified: bool = True, **fields):
        number = next(_numbers)
        fields.setdefault("username", f"user{number}")
        fields.setdefault("email", f"user{number}@example.com")
        user = django_user_model.objects.create_user(password=password, **fields)
        if fields["email"]:
            EmailAddress.objects.create(user=user, email=fields["email"], verified=verified, primary=True)
        for name in groups:
            user.groups.add(Group.objects.get(name=name))
        return user

    return make


@pytest.fixture
def author(make_user):
    return make_user(username="alice", display_name="Alice Author", is_staff=True, groups=("Authors",))


@pytest.fixture
def editor(make_user):
    return make_user(username="edith", display_name="Edith Editor", is_staff=True, groups=("Editors",))


@pytest.fixture
def moderator(make_user):
    """A member of the Moderators group, with an address for the held-comment emails."""
    return make_user(username="mo", email="mo@example.com", is_staff=True, groups=("Moderators",))


@pytest.fixture
def moderator_client(client, moderator):
    client.force_login(moderator)
    return client


@pytest.fixture
def writer(make_user):
    """The author of `article`: a member with an address, told of new comments."""
    return make_user(username="wanda", email="wanda@example.com", display_name="Wanda Writer")


@pytest.fixture
def article(make_article, writer):
    """A published article, written yesterday."""
    return make_article(title="Hemifacial spasm", author=writer)


@pytest.fixture
def make_article(make_user):
    def make(**fields) -> Article:
        number = next(_numbers)
        fields.setdefault("title", f"Article number {number}")
        fields.setdefault("body", f"<p>The body of article {number}.</p>")
        fields.setdefault("status", Article.Status.PUBLISHED)
        if fields["status"] == Article.Status.PUBLISHED:
            fields.setdefault("published_at", timezone.now() - datetime.timedelta(days=1))
        if "author" not in fields:
            fields["author"] = make_user(display_name="Writer")
        categories = fields.pop("categories", ())
        tags = fields.pop("tags", ())
        article = Article.objects.create(**fields)
        article.categories.set(categories)
        article.tags.set(tags)
        return article

    return make


@pytest.fixture
def reader(make_user):
    """A member with a verified address."""
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


@pytest.fixture
def category():
    return Category.objects.create(name="Conditions", slug="conditions")


@pytest.fixture
def tag():
    return Tag.objects.create(name="Nerves", slug="nerves")


@pytest.fixture
def seed_article():
    return seed_article_load()[0]


@pytest.fixture
def make_comment():
    """A comment saved directly, without the submission rules (approved unless told otherwise)."""

    def make(*, article, parent=None, body="A thoughtful comment.", status=Comment.Status.APPROVED, **fields):
        number = next(_numbers)
        fields.setdefault("author_name", f"Reader {number}")
        fields.setdefault("author_email", f"reader{number}@example.com")
        fields["author_email"] = fields["author_email"].lower()  # as comment_submit stores it
        return Comment.objects.create(
            article=article,
            parent=parent,
            thread=(parent.thread or parent) if parent else None,
            depth=parent.depth + 1 if parent else 1,
            body=body,
            body_html=sanitize.clean_comment_html(body),
            status=status,
            **fields,
        )

    return make


def form_started(seconds_ago: float = 60) -> str:
    """The signed start time of a comment form shown that long ago."""
    with mock.patch("django.core.signing.time.time", return_value=time.time() - seconds_ago):
        return form_started_stamp()


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run a change as if its transaction committed, so that what waits for the commit (cache generations,
    queued tasks) happens as in production."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def post_comment():
    """POST the Leave a Reply box as a browser would, from a given IP address."""

    def post(client, article, *, ip="203.0.113.7", started=None, follow=False, **fields):
        data = {
            "comment": "Thank you, this helped me understand my diagnosis.",
            "email": "reader@example.com",
            "name": "Rita Reader",
            "url": "",
            "started": form_started() if started is None else started,
            **fields,
        }
        meta = {"REMOTE_ADDR": ip, "HTTP_USER_AGENT": "Mozilla/5.0 (test)"}
        meta.update({key: data.pop(key) for key in list(data) if key.startswith("HTTP_")})
        data = {key: value for key, value in data.items() if value is not None}
        return client.post(reverse("comments:post", args=[article.pk]), data, follow=follow, **meta)

    return post


@pytest.fixture
def redis_server(tmp_path):
    """A Redis of the test's own, started when the test says so."""
    if not shutil.which("redis-server"):
        missing("redis-server is not installed")
    port = free_port()
    processes = []

    def start() -> None:
        command = ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
        command += ["--dir", str(tmp_path)]
        processes.append(subprocess.Popen(command, stdout=subprocess.DEVNULL))
        deadline = time.monotonic() + 10
        while subprocess.run(["redis-cli", "-p", str(port), "ping"], capture_output=True, text=True).stdout != "PONG\n":
            assert time.monotonic() < deadline, "redis-server did not start"
            time.sleep(0.05)

    def stop() -> None:
        while processes:
            process = processes.pop()
            process.terminate()
            process.wait()

    start.port, start.stop = port, stop
    yield start
    stop()
