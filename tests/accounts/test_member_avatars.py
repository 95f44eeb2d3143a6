import pytest
from django.test import Client

from accounts.avatars import avatar_url
from accounts.models import Avatar
from accounts.tasks import avatar_fetch, image_type

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
        "file:///etc/passwd",
    ],
)
def test_the_worker_never_fetches_a_picture_from_a_private_or_plain_address(url, make_user, fake_wordpress):
    from accounts.tasks import fetch_is_allowed

    assert not fetch_is_allowed(url)
    member = make_user()
    assert not avatar_fetch.call(user_id=member.pk, url=f"{fake_wordpress.base_url}/avatar.png")
    assert "GET /avatar.png" not in fake_wordpress.requests_seen
