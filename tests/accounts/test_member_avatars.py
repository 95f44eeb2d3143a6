import socket
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command
from django.test import Client
from django_tasks_db.models import DBTaskResult

from accounts.avatars import avatar_url
from accounts.models import Avatar
from accounts.services import account_delete
from accounts.tasks import avatar_fetch, fetch_address, image_type, is_public_address

pytestmark = pytest.mark.django_db


@pytest.fixture
def private_provider(settings):
    """The fake provider runs on 127.0.0.1, which the worker refuses unless told otherwise."""
    settings.AVATAR_FETCH_PRIVATE_ADDRESSES = True


PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 40


def test_a_providers_picture_is_copied_here_and_served_from_this_site(fake_wordpress, private_provider, make_user):
    member = make_user()
    assert avatar_fetch.call(user_id=member.pk, url=f"{fake_wordpress.base_url}/avatar.png")
    member.refresh_from_db()
    assert len(member.avatar_version) == 16
    url = avatar_url(member.email, member=member)
    assert url == f"/accounts/avatars/{member.pk}/{member.avatar_version}.img"
    response = Client().get(url)
    assert response["Content-Type"] == "image/png"
    assert response.content == bytes(Avatar.objects.get(user=member).image)
    assert "immutable" in response["Cache-Control"]


def test_an_old_picture_address_is_404(client, make_user):
    member = make_user()
    Avatar.objects.create(user=member, image=PNG, content_type="image/png", source_url="https://x.example/a.png")
    member.avatar_version = "0123456789abcdef"
    member.save()
    assert client.get(f"/accounts/avatars/{member.pk}/0123456789abcdef.img").status_code == 200
    assert client.get(f"/accounts/avatars/{member.pk}/ffffffffffffffff.img").status_code == 404


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        (PNG, "image/png"),
        (b"\xff\xd8\xff\xe0" + b"\x00" * 20, "image/jpeg"),
        (b"GIF89a" + b"\x00" * 20, "image/gif"),
        (b"RIFF\x00\x00\x00\x00WEBPVP8 ", "image/webp"),
        (b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', None),
        (b"<html>not a picture</html>", None),
    ],
)
def test_only_pictures_are_kept(data, kind):
    assert image_type(data) == kind


def test_a_provider_that_does_not_answer_leaves_the_drawn_avatar(make_user, private_provider):
    member = make_user()
    assert not avatar_fetch.call(user_id=member.pk, url="http://127.0.0.1:9/avatar.png")
    member.refresh_from_db()
    assert member.avatar_version == ""
    assert avatar_url(member.email, member=member).startswith("/avatars/")


def test_too_large_a_picture_is_refused(make_user, fake_wordpress, private_provider, monkeypatch):
    monkeypatch.setattr("accounts.tasks.MAX_AVATAR_BYTES", 10)
    member = make_user()
    assert not avatar_fetch.call(user_id=member.pk, url=f"{fake_wordpress.base_url}/avatar.png")
    assert not Avatar.objects.exists()


@pytest.mark.parametrize(
    "url",
    [
        "http://example.com/a.png",  # not HTTPS
        "https://127.0.0.1/a.png",
        "https://localhost/a.png",
        "https://10.1.2.3/a.png",
        "https://169.254.169.254/latest/meta-data/",  # a cloud's metadata service
        "https://[::1]/a.png",
        "https://[zz]/a.png",  # no address at all: Python cannot read it
        "file:///etc/passwd",
    ],
)
def test_the_worker_never_fetches_a_picture_from_a_private_or_plain_address(url, make_user, fake_wordpress):
    assert fetch_address(url) is None
    member = make_user()
    assert not avatar_fetch.call(user_id=member.pk, url=f"{fake_wordpress.base_url}/avatar.png")
    assert "GET /avatar.png" not in fake_wordpress.requests_seen


@pytest.mark.parametrize(
    "address",
    [
        "64:ff9b::7f00:1",  # 127.0.0.1 through NAT64
        "64:ff9b:1::a00:1",  # 10.0.0.1 through local-use NAT64
        "::ffff:127.0.0.1",  # IPv4-mapped
        "::ffff:8.8.8.8",  # IPv4-mapped, even of a public address: connect by IPv4 instead
        "2002:7f00:1::1",  # 6to4 of 127.0.0.1
        "fe80::1",
        "fc00::1",
        "100.64.0.1",  # carrier-grade NAT
        "192.168.1.1",
    ],
)
def test_addresses_that_lead_inside_are_never_public(address):
    assert not is_public_address(address)


def test_public_addresses_are_public():
    assert is_public_address("93.184.216.34")
    assert is_public_address("2606:2800:220:1:248:1893:25c8:1946")


def test_the_picture_is_fetched_from_the_address_that_was_checked(
    fake_wordpress, private_provider, make_user, monkeypatch
):
    # A name that answers 127.0.0.1 when checked, and somewhere else right after (DNS rebinding).
    answers = iter(["127.0.0.1", "10.9.9.9"])
    real = socket.getaddrinfo

    def rebinding(host, port, *args, **kwargs):
        if host == "avatars.provider.example":
            address = next(answers)
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, port))]
        return real(host, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", rebinding)
    member = make_user()
    port = urlsplit(fake_wordpress.base_url).port
    url = f"http://avatars.provider.example:{port}/avatar.png"
    assert avatar_fetch.call(user_id=member.pk, url=url)
    assert next(answers) == "10.9.9.9"  # asked once only
    assert "GET /avatar.png" in fake_wordpress.requests_seen


@pytest.mark.parametrize("copied", [False, True], ids=["queued", "copied"])
def test_deleting_the_account_leaves_its_pictures_address_in_no_task_of_the_queue(
    settings, monkeypatch, make_user, copied
):
    # Found by a privacy review: the queue (and its list in the admin) kept the copying of each member's picture,
    # "user_id=7, url=https://…" (the picture at their provider), after the account was deleted.
    monkeypatch.setattr("django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None)
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    member, other = make_user(), make_user()
    avatar_fetch.enqueue(user_id=member.pk, url="https://127.0.0.1:9/sam.png")
    avatar_fetch.enqueue(user_id=other.pk, url="https://127.0.0.1:9/other.png")
    if copied:
        call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)  # refused, and kept as done

    account_delete(user=member)

    assert [task.args_kwargs["kwargs"]["user_id"] for task in DBTaskResult.objects.all()] == [other.pk]


def test_a_members_picture_is_kept_by_the_caches_in_front_of_the_site_no_longer_than_a_page(
    client, make_user, settings
):
    # Found by a privacy review: it was theirs to keep a year (public, max-age), so the front proxy went on serving a
    # deleted account's picture to whoever had its address. Browsers, each its reader's own, still keep it a year.
    settings.PAGE_SHARED_MAX_AGE = 10
    member = make_user()
    Avatar.objects.create(user=member, image=PNG, content_type="image/png", source_url="https://x.example/a.png")
    member.avatar_version = "0123456789abcdef"
    member.save()
    url = f"/accounts/avatars/{member.pk}/0123456789abcdef.img"

    kept = client.get(url)["Cache-Control"]

    assert "s-maxage=10" in kept and "max-age=31536000" in kept
    account_delete(user=member)
    assert client.get(url).status_code == 404
