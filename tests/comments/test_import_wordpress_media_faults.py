"""`import_wordpress --media` against pictures it must not confuse and old sites that misbehave (found by a review):
a picture is matched to the right upload or left a link; a broken, slow or redirecting server is a picture not
copied, never a crash."""

import socket
import threading
import time

import pytest

from articles.models import Article, Image
from comments import wordpress_import
from tests.comments.test_import_wordpress_media import OldSite, png, run_import
from tests.comments.wxr import attachment, export, post, write

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.IMAGE_WIDTHS = [480]


@pytest.fixture
def old_site():
    site = OldSite()
    yield site
    site.server.shutdown()
    site.server.server_close()


class RawSite:
    """A server answering every request with `answer(conn)` (raw bytes, any misbehaviour)."""

    def __init__(self, answer):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(8)
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}"
        self.connections = 0

        def serve():
            while True:
                try:
                    conn, _ = self.sock.accept()
                except OSError:
                    return
                self.connections += 1
                conn.recv(65536)
                try:
                    answer(conn)
                except OSError:
                    pass
                finally:
                    conn.close()

        threading.Thread(target=serve, daemon=True).start()

    def close(self):
        self.sock.close()


# ---- Matching ---------------------------------------------------------------------------------------------------
def test_a_picture_of_another_site_that_names_an_upload_7_is_not_this_sites_upload_7(tmp_path, old_site):
    # HTML copied from another WordPress blog keeps that blog's class="wp-image-7".
    old_site.files["/wp-content/uploads/eyelid.png"] = png()
    body = (
        '<p><img class="alignnone wp-image-7" src="https://other.example/wp-content/uploads/cat.jpg" alt="A cat"></p>'
    )
    wxr = export(post(1, body=body), attachment(7, f"{old_site.url}/wp-content/uploads/eyelid.png"))
    run_import(write(tmp_path, wxr), "--media")
    body_html = Article.objects.get().body_html
    assert "other.example/wp-content/uploads/cat.jpg" in body_html  # the cat, as a link
    assert old_site.asked == []  # the eyelid has nothing to do with it


def test_two_uploads_whose_names_differ_by_a_size_suffix_are_two_pictures(tmp_path, old_site):
    # logo.png and logo-1200x630.png (a social-media card) are two uploads.
    old_site.files["/wp-content/uploads/logo.png"] = png((100, 100))
    old_site.files["/wp-content/uploads/logo-1200x630.png"] = png((1200, 630))
    body = f'<p><img src="{old_site.url}/wp-content/uploads/logo.png" alt="Logo"></p>'
    wxr = export(
        post(1, body=body),
        attachment(5, f"{old_site.url}/wp-content/uploads/logo.png"),
        attachment(6, f"{old_site.url}/wp-content/uploads/logo-1200x630.png"),
    )
    run_import(write(tmp_path, wxr), "--media")
    image = Image.objects.get()
    assert image.copied_from.endswith("/logo.png")


def test_two_attachments_of_one_address_are_not_reported_as_already_here(tmp_path, old_site):
    old_site.files["/wp-content/uploads/eyelid.png"] = png()
    upload = f"{old_site.url}/wp-content/uploads/eyelid.png"
    body = (
        f'<p><img class="wp-image-7" src="{upload}" alt="a"></p><p><img class="wp-image-8" src="{upload}" alt="b"></p>'
    )
    lines = run_import(
        write(tmp_path, export(post(1, body=body), attachment(7, upload), attachment(8, upload))), "--media"
    )
    assert Image.objects.count() == 1
    assert "Pictures: 1 copied into the library, 0 already here" in lines


@pytest.mark.parametrize(
    "tag",
    [
        "<IMG CLASS='wp-image-7' SRC='{u}' ALT=''>",
        "<img src={u} alt=x>",  # no quotes: HTML allows it, the old site showed it
    ],
)
def test_single_quoted_uppercase_and_unquoted_pictures_are_copied(tmp_path, old_site, tag):
    old_site.files["/wp-content/uploads/eyelid.png"] = png()
    upload = f"{old_site.url}/wp-content/uploads/eyelid.png"
    run_import(
        write(tmp_path, export(post(1, body=f"<p>{tag.format(u=upload)}</p>"), attachment(7, upload))), "--media"
    )
    body_html = Article.objects.get().body_html
    assert '<img src="/media/' in body_html


def test_a_post_already_here_fetches_nothing(tmp_path, old_site):
    old_site.files["/wp-content/uploads/eyelid.png"] = png()
    upload = f"{old_site.url}/wp-content/uploads/eyelid.png"
    path = write(
        tmp_path,
        export(post(1, body=f'<p><img class="wp-image-7" src="{upload}"></p>', thumbnail_id=7), attachment(7, upload)),
    )
    run_import(path)
    run_import(path, "--media")
    assert old_site.asked == []


# ---- Robustness of the download ----------------------------------------------------------------------------------
def chunked_cut_short(conn):
    conn.sendall(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1000\r\nabc")


def garbage_status(conn):
    conn.sendall(b"SSH-2.0-OpenSSH_9.6\r\n\r\n")


def long_header(conn):
    conn.sendall(b"HTTP/1.1 200 OK\r\nX-Big: " + b"a" * 70000 + b"\r\n\r\n")


@pytest.mark.parametrize("answer", [chunked_cut_short, garbage_status, long_header])
def test_a_misbehaving_old_site_is_a_picture_not_fetched_not_a_crash(tmp_path, answer):
    site = RawSite(answer)
    try:
        upload = f"{site.url}/wp-content/uploads/eyelid.png"
        body = f'<p><img class="wp-image-7" src="{upload}" alt="x"></p>'
        wxr = export(post(1, body=body), post(2), attachment(7, upload))
        lines = run_import(write(tmp_path, wxr), "--media")
    finally:
        site.close()
    assert Article.objects.count() == 2
    assert "could not be fetched from the old site" in lines


def test_an_address_urllib_calls_invalid_is_a_picture_not_fetched_not_a_crash(tmp_path, old_site):
    upload = f"{old_site.url}/wp-content/uploads/my photo.png"  # a space (or a port like :8o8o)
    body = f'<p><img class="wp-image-7" src="{upload}" alt="x"></p>'
    lines = run_import(write(tmp_path, export(post(1, body=body), post(2), attachment(7, upload))), "--media")
    assert Article.objects.count() == 2
    assert "could not be fetched from the old site" in lines


def test_a_redirect_to_ftp_is_not_followed(tmp_path):
    ftp = socket.socket()
    ftp.bind(("127.0.0.1", 0))
    ftp.listen(1)
    ftp.settimeout(5)
    port = ftp.getsockname()[1]
    contacted = []

    def accept():
        try:
            conn, _ = ftp.accept()
            contacted.append(True)
            conn.close()
        except OSError:
            pass

    threading.Thread(target=accept, daemon=True).start()
    site = RawSite(
        lambda conn: conn.sendall(
            f"HTTP/1.1 302 Found\r\nLocation: ftp://127.0.0.1:{port}/x.png\r\nContent-Length: 0\r\n\r\n".encode()
        )
    )
    try:
        upload = f"{site.url}/wp-content/uploads/eyelid.png"
        run_import(
            write(
                tmp_path, export(post(1, body=f'<p><img class="wp-image-7" src="{upload}"></p>'), attachment(7, upload))
            ),
            "--media",
        )
    finally:
        site.close()
        time.sleep(0.2)
        ftp.close()
    assert contacted == []  # the importer only fetches http and https (its docstring, _download)


def test_the_timeout_bounds_the_whole_download(tmp_path, monkeypatch):
    monkeypatch.setattr(wordpress_import, "MEDIA_TIMEOUT_SECONDS", 1)

    def drip(conn):  # one byte every half second, 16 bytes: each read is quick, the download is not
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 16\r\n\r\n")
        for _ in range(16):
            time.sleep(0.5)
            conn.sendall(b"x")

    site = RawSite(drip)
    try:
        start = time.monotonic()
        with pytest.raises(OSError):
            wordpress_import._download(f"{site.url}/slow.png")
    finally:
        elapsed = time.monotonic() - start
        site.close()
    assert elapsed < 3


def test_one_upload_twice_in_a_post_and_in_another_post_is_fetched_once(tmp_path, old_site):
    old_site.files["/wp-content/uploads/eyelid.png"] = png()
    upload = f"{old_site.url}/wp-content/uploads/eyelid.png"
    small = f"{old_site.url}/wp-content/uploads/eyelid-300x200.png"
    body = f'<p><img src="{small}" alt="a"><img class="wp-image-7" src="{upload}?w=10" alt="b"></p>'
    wxr = export(post(1, body=body), post(2, body=f'<p><img src="{upload}"></p>'), attachment(7, upload))
    run_import(write(tmp_path, wxr), "--media")
    assert old_site.asked == ["/wp-content/uploads/eyelid.png"]
    assert Image.objects.count() == 1
    assert all(old_site.url not in a.body_html for a in Article.objects.all())
