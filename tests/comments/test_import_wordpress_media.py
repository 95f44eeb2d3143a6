"""`import_wordpress --media`: the pictures the posts show, and their featured images, are copied from the old site
into the library (WordPress's "Download and import file attachments"), served by a real HTTP server here."""

import io
import re
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import PIL.Image
import pytest
from django.core.management import call_command

from articles.models import Article, Image
from tests.comments.wxr import attachment, export, post, write

pytestmark = pytest.mark.django_db


def png(size=(1200, 800)) -> bytes:
    buffer = io.BytesIO()
    PIL.Image.new("RGB", size, (200, 60, 60)).save(buffer, format="PNG")
    return buffer.getvalue()


class OldSite:
    """The old WordPress site's uploads: path -> bytes, and what was asked of it."""

    def __init__(self) -> None:
        self.files: dict[str, bytes] = {}
        self.asked: list[str] = []
        site = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                site.asked.append(self.path)
                content = site.files.get(self.path.split("?", 1)[0])
                self.send_response(200 if content is not None else 404)
                self.send_header("Content-Type", "application/octet-stream")
                self.end_headers()
                self.wfile.write(content or b"Not Found")

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


@pytest.fixture
def old_site():
    site = OldSite()
    site.files["/wp-content/uploads/2019/03/eyelid.png"] = png()
    yield site
    site.server.shutdown()
    site.server.server_close()


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.IMAGE_WIDTHS = [480, 960]


def run_import(path, *options) -> str:
    out = io.StringIO()
    call_command("import_wordpress", str(path), *options, stdout=out)
    return out.getvalue()


def captioned_post(old_site, **fields) -> str:
    """A classic-editor post showing a smaller copy of upload 7, linked to the upload, in a caption."""
    upload = f"{old_site.url}/wp-content/uploads/2019/03/eyelid.png"
    picture = (
        f'<a href="{upload}"><img class="size-medium wp-image-7" src="{old_site.url}/wp-content/uploads/2019/03/'
        f'eyelid-300x200.png" alt="" width="300" height="200" srcset="{upload} 1200w" sizes="300px" /></a>'
    )
    return post(1, body=f'Before.\n\n[caption id="attachment_7" width="300"]{picture} The eyelid[/caption]', **fields)


def test_a_picture_a_post_shows_is_copied_into_the_library_and_shown_from_there(client, tmp_path, old_site):
    # The upload's entry comes after the post, as WordPress numbers them (the post is drafted first).
    upload = f"{old_site.url}/wp-content/uploads/2019/03/eyelid.png"
    wxr = export(captioned_post(old_site), attachment(7, upload, alt="An eyelid twitching", parent=1))
    lines = run_import(write(tmp_path, wxr), "--media")

    image = Image.objects.get()
    assert (image.copied_from, image.alt_text, image.width, image.height) == (upload, "An eyelid twitching", 1200, 800)
    assert len(image.renditions) == 2
    article = Article.objects.get()
    assert old_site.url not in article.body_html
    page = client.get(article.get_absolute_url()).text
    (picture,) = re.findall(rf'<a href="{image.url}"><img [^>]*></a>', page)
    assert f'src="{image.url}"' in picture
    assert 'alt="An eyelid twitching"' in picture  # the library's: the post's was empty
    assert 'srcset="/media/' in picture
    assert "<figcaption>The eyelid</figcaption>" in page
    assert "Pictures: 1 copied into the library, 0 already here." in lines
    assert old_site.asked == ["/wp-content/uploads/2019/03/eyelid.png"]  # the upload, not its smaller copy


def test_a_gallery_shows_the_pictures_copied_into_the_library(client, tmp_path, old_site):
    # Upload 8 cannot be fetched: the gallery shows the one that can, and no shortcode.
    upload, gone = (f"{old_site.url}/wp-content/uploads/2019/03/{name}.png" for name in ("eyelid", "gone"))
    body = 'Before.\n\n[gallery columns="2" ids="7, 8"]\n\nAfter.'
    wxr = export(post(1, body=body), attachment(7, upload, alt="An eyelid twitching"), attachment(8, gone))
    run_import(write(tmp_path, wxr), "--media")

    image = Image.objects.get()
    page = client.get(Article.objects.get().get_absolute_url()).text
    (picture,) = re.findall(r"<figure><img [^>]*></figure>", page)
    assert f'src="{image.url}"' in picture and 'alt="An eyelid twitching"' in picture
    assert "[gallery" not in page and "gone.png" not in page


def test_the_report_names_a_gallery_whose_pictures_could_not_all_be_copied(tmp_path, old_site):
    upload, gone = (f"{old_site.url}/wp-content/uploads/2019/03/{name}.png" for name in ("eyelid", "gone"))
    entries = (
        post(1, title="Blinking", body='[gallery ids="7,8"]'),
        post(2, title="Twitching", body="[gallery]"),
        attachment(7, upload, parent=2),
        attachment(8, gone, parent=2),
    )

    output = run_import(write(tmp_path, export(*entries)), "--media")

    assert (
        "Galleries not brought over whole (add their pictures by hand):\n"
        'Post 1 (“Blinking”): [gallery ids="7,8"] shows 1 of its 2 pictures.\n'
        "Post 2 (“Twitching”): [gallery] shows 1 of its 2 pictures.\n"
    ) in output


def gallery_sources(html: str) -> list[str]:
    """The address of each picture of the galleries in an article's HTML, in order."""
    return [re.search(r'src="([^"]*)"', figure).group(1) for figure in re.findall(r"<figure><img [^>]*>", html)]


def test_a_gallery_that_names_no_pictures_shows_those_uploaded_to_the_post_in_their_menu_order(tmp_path, old_site):
    # [gallery] alone, as WordPress wrote it before 3.5: the pictures whose parent is the post, by menu order, then id.
    old_site.files["/wp-content/uploads/2019/03/blink.png"] = png((800, 600))
    eyelid, blink, other = (
        f"{old_site.url}/wp-content/uploads/2019/03/{name}.png" for name in ("eyelid", "blink", "other")
    )
    entries = (
        post(1, body="Before.\n\n[gallery]\n\nAfter."),
        attachment(7, eyelid, parent=1, menu_order=2),
        attachment(8, blink, parent=1, menu_order=1),
        attachment(9, other, parent=2),
    )

    output = run_import(write(tmp_path, export(*entries)), "--media")

    copies = [Image.objects.get(copied_from=upload).url for upload in (blink, eyelid)]
    assert gallery_sources(Article.objects.get().body_html) == copies
    assert "Galleries not brought over whole" not in output


def test_a_gallery_that_names_no_pictures_leaves_out_those_it_excludes(tmp_path, old_site):
    eyelid, blink = (f"{old_site.url}/wp-content/uploads/2019/03/{name}.png" for name in ("eyelid", "blink"))
    entries = (post(1, body='[gallery exclude="8"]'), attachment(7, eyelid, parent=1), attachment(8, blink, parent=1))

    run_import(write(tmp_path, export(*entries)), "--media")

    assert gallery_sources(Article.objects.get().body_html) == [Image.objects.get().url]
    assert old_site.asked == ["/wp-content/uploads/2019/03/eyelid.png"]


def test_the_report_names_a_gallery_that_names_no_pictures_when_none_in_the_export_was_uploaded_to_the_post(
    tmp_path, old_site
):
    # An export of posts only (not All content) has no media files.
    upload = f"{old_site.url}/wp-content/uploads/2019/03/eyelid.png"
    entries = (post(1, title="Twitching", body="[gallery]"), attachment(7, upload, parent=2))

    output = run_import(write(tmp_path, export(*entries)), "--media")

    assert (
        "Galleries not brought over whole (add their pictures by hand):\n"
        "Post 1 (“Twitching”): [gallery] shows the pictures uploaded to the post: the export has none of them "
        "(export All content to have them).\n"
    ) in output


@pytest.mark.parametrize(
    ("shortcode", "report"),
    [
        (
            '[gallery orderby="title"]',
            'Post 1 (“Post 1”): [gallery orderby="title"] shows its 2 pictures in their menu order, not as it asks.',
        ),
        # WordPress drew a new order at each visit: the menu order is one of them.
        ('[gallery orderby="rand"]', None),
    ],
)
def test_a_gallery_that_names_no_pictures_keeps_their_menu_order_whatever_order_it_asks(
    tmp_path, old_site, shortcode, report
):
    old_site.files["/wp-content/uploads/2019/03/blink.png"] = png((800, 600))
    eyelid, blink = (f"{old_site.url}/wp-content/uploads/2019/03/{name}.png" for name in ("eyelid", "blink"))
    entries = (post(1, body=shortcode), attachment(7, eyelid, parent=1, menu_order=2), attachment(8, blink, parent=1))

    output = run_import(write(tmp_path, export(*entries)), "--media")

    copies = [Image.objects.get(copied_from=upload).url for upload in (blink, eyelid)]
    assert gallery_sources(Article.objects.get().body_html) == copies
    assert (report in output) if report else ("Galleries not brought over whole" not in output)


def test_a_featured_image_is_copied_and_the_article_has_it(client, tmp_path, old_site):
    upload = f"{old_site.url}/wp-content/uploads/2019/03/eyelid.png"
    wxr = export(post(1, thumbnail_id=7), attachment(7, upload, alt="An eyelid twitching"))
    run_import(write(tmp_path, wxr), "--media")

    article = Article.objects.get()
    assert article.featured_image == Image.objects.get(copied_from=upload)
    assert f'src="{article.featured_image.url}"' in client.get(article.get_absolute_url()).text


def test_a_picture_is_matched_by_its_address_when_the_post_does_not_name_the_upload(tmp_path, old_site):
    # Pasted HTML: no wp-image-7 class, the address of the upload over https, with WordPress.com's ?w=.
    upload = f"{old_site.url}/wp-content/uploads/2019/03/eyelid.png"
    body = f'<p><img src="{upload}?w=300" alt="As typed"></p>'
    run_import(write(tmp_path, export(post(1, body=body), attachment(7, upload, alt="From the library"))), "--media")
    image = Image.objects.get()
    assert f'<img src="{image.url}" alt="As typed"' in Article.objects.get().body_html


def test_running_it_again_copies_nothing_again(tmp_path, old_site):
    upload = f"{old_site.url}/wp-content/uploads/2019/03/eyelid.png"
    path = write(tmp_path, export(captioned_post(old_site, thumbnail_id=7), attachment(7, upload, alt="An eyelid")))
    run_import(path, "--media")
    Article.objects.all().delete()  # a later export of the same site, into a site without the post
    lines = run_import(path, "--media")
    assert Image.objects.count() == 1
    assert Article.objects.get().featured_image == Image.objects.get()
    assert "Pictures: 0 copied into the library, 1 already here." in lines
    assert len(old_site.asked) == 1


def test_a_picture_without_alt_text_is_copied_as_decorative_and_the_report_says_so(tmp_path, old_site):
    upload = f"{old_site.url}/wp-content/uploads/2019/03/eyelid.png"
    lines = run_import(write(tmp_path, export(captioned_post(old_site), attachment(7, upload))), "--media")
    image = Image.objects.get()
    assert (image.decorative, image.alt_text) == (True, "")
    (picture,) = re.findall(rf'<img src="{image.url}"[^>]*>', Article.objects.get().body_html)
    assert ' alt=""' in picture  # skipped by screen readers
    assert "without alt text, so copied as decorative (describe them in Images): 1" in lines


@pytest.mark.parametrize(
    ("path", "content", "reason"),
    [
        ("/wp-content/uploads/gone.png", None, "could not be fetched from the old site (shown as links to it): 1"),
        ("/wp-content/uploads/page.png", b"<html>Not a picture</html>", "refused by the library: This file is not a"),
    ],
)
def test_a_picture_that_cannot_be_copied_stays_a_link_to_the_old_site_with_the_reason(
    tmp_path, old_site, path, content, reason
):
    if content is not None:
        old_site.files[path] = content
    body = f'<p><img class="wp-image-8" src="{old_site.url}{path}" alt="A face"></p>'
    lines = run_import(write(tmp_path, export(post(1, body=body), attachment(8, f"{old_site.url}{path}"))), "--media")
    assert not Image.objects.exists()
    assert f'<a href="{old_site.url}{path}">A face</a>' in Article.objects.get().body_html
    assert "Pictures: 0 copied into the library, 0 already here, 1 skipped (" in lines
    assert reason in lines


def test_without_media_nothing_is_fetched_and_pictures_stay_links(tmp_path, old_site):
    upload = f"{old_site.url}/wp-content/uploads/2019/03/eyelid.png"
    lines = run_import(write(tmp_path, export(captioned_post(old_site, thumbnail_id=7), attachment(7, upload))))
    assert old_site.asked == []
    assert not Image.objects.exists()
    assert Article.objects.get().featured_image is None
    assert "Pictures:" not in lines
    assert "pictures on another site (not imported) made links to them: 1" in lines


def test_a_gallery_that_names_a_picture_twice_shows_it_once(tmp_path, old_site):
    # WordPress shows the media files whose id is among those named, each once.
    upload = f"{old_site.url}/wp-content/uploads/2019/03/eyelid.png"
    wxr = export(post(1, body='[gallery ids="7,7"]'), attachment(7, upload))

    output = run_import(write(tmp_path, wxr), "--media")

    assert gallery_sources(Article.objects.get().body_html) == [Image.objects.get().url]
    assert "Galleries not brought over whole" not in output


def test_a_gallery_that_includes_pictures_shows_them_in_their_menu_order(tmp_path, old_site):
    # include="…" (before WordPress 3.5) chose the pictures, not their order: only ids="…" is shown as listed.
    old_site.files["/wp-content/uploads/2019/03/blink.png"] = png((800, 600))
    eyelid, blink = (f"{old_site.url}/wp-content/uploads/2019/03/{name}.png" for name in ("eyelid", "blink"))
    wxr = export(post(1, body='[gallery include="8,7"]'), attachment(7, eyelid), attachment(8, blink))

    run_import(write(tmp_path, wxr), "--media")

    copies = [Image.objects.get(copied_from=upload).url for upload in (eyelid, blink)]
    assert gallery_sources(Article.objects.get().body_html) == copies


def test_a_gallery_of_another_post_shows_the_pictures_uploaded_to_that_post(tmp_path, old_site):
    upload = f"{old_site.url}/wp-content/uploads/2019/03/eyelid.png"
    wxr = export(post(1, body='[gallery id="2"]'), post(2), attachment(7, upload, parent=2))

    output = run_import(write(tmp_path, wxr), "--media")

    image = Image.objects.get()
    assert gallery_sources(Article.objects.get(slug="post-1").body_html) == [image.url]
    assert "Galleries not brought over whole" not in output


def test_a_gallery_that_links_to_the_files_links_each_picture_to_its_copy(tmp_path, old_site):
    # WordPress linked each picture to its file; by default to its attachment page, which this site has not.
    upload = f"{old_site.url}/wp-content/uploads/2019/03/eyelid.png"
    wxr = export(post(1, body='[gallery ids="7" link="file"]'), attachment(7, upload))

    run_import(write(tmp_path, wxr), "--media")

    image = Image.objects.get()
    (figure,) = re.findall(r"<figure>.*?</figure>", Article.objects.get().body_html, re.DOTALL)
    assert re.fullmatch(rf'<figure><a href="{image.url}"><img [^>]*\bsrc="{image.url}"[^>]*></a></figure>', figure)


def test_a_gallery_shows_each_picture_with_its_caption(tmp_path, old_site):
    # A media file's caption (its excerpt, HTML) is written under it in a gallery.
    upload = f"{old_site.url}/wp-content/uploads/2019/03/eyelid.png"
    caption = "The left eyelid, <em>twitching</em>"
    wxr = export(post(1, body='[gallery ids="7"]'), attachment(7, upload, caption=caption))

    run_import(write(tmp_path, wxr), "--media")

    assert f"<figcaption>{caption}</figcaption></figure>" in Article.objects.get().body_html


def test_a_gallery_that_names_no_pictures_leaves_out_the_other_files_uploaded_to_the_post(tmp_path, old_site):
    # WordPress's gallery shows the pictures among them, not a leaflet.
    old_site.files["/wp-content/uploads/2019/03/leaflet.pdf"] = b"%PDF-1.4 A leaflet"
    eyelid, leaflet = (f"{old_site.url}/wp-content/uploads/2019/03/{name}" for name in ("eyelid.png", "leaflet.pdf"))
    entries = (post(1, body="[gallery]"), attachment(7, eyelid, parent=1), attachment(8, leaflet, parent=1))

    output = run_import(write(tmp_path, export(*entries)), "--media")

    assert gallery_sources(Article.objects.get().body_html) == [Image.objects.get().url]
    assert old_site.asked == ["/wp-content/uploads/2019/03/eyelid.png"]
    assert "Galleries not brought over whole" not in output
