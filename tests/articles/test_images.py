"""Pictures: uploaded in the admin or the editor, refused with a clear reason, kept with smaller copies, and
shown in responsive sizes in article bodies and as an article's featured image."""

import html
import io
import json
import re
import struct
import warnings
import zlib

import PIL.Image
import pytest
from django.contrib.sites.models import Site
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articles import images, services
from articles.models import Article, Image, Page

from .admin_forms import change_form_data, change_url

pytestmark = pytest.mark.django_db

UPLOAD = reverse("admin:articles_image_upload")
RECENT = reverse("admin:articles_image_recent")


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    """Uploads go to a folder of the test's own."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.IMAGE_WIDTHS = [480, 960, 1440]
    return settings.MEDIA_ROOT


def picture(size=(2000, 1000), format="PNG", name=None, **options) -> SimpleUploadedFile:
    """A real picture, drawn in memory."""
    buffer = io.BytesIO()
    PIL.Image.new("RGB", size, (0, 128, 128)).save(buffer, format=format, **options)
    extension = {"JPEG": "jpg"}.get(format, format.lower())
    return SimpleUploadedFile(name or f"photo.{extension}", buffer.getvalue(), content_type=f"image/{extension}")


def png_claiming(width: int, height: int) -> SimpleUploadedFile:
    """A PNG whose header claims these dimensions, with no pixels behind them: a decompression bomb's opening."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    content = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"")) + chunk(b"IEND", b"")
    return SimpleUploadedFile("huge.png", content, content_type="image/png")


def upload(client, file, alt_text="A teal square", decorative=False):
    data = {"file": file, "alt_text": alt_text}
    if decorative:
        data["decorative"] = "on"
    return client.post(UPLOAD, data)


@pytest.fixture
def author_client(client, author):
    client.force_login(author)
    return client


def library_image(author, **fields) -> Image:
    fields.setdefault("alt_text", "A teal square")
    return services.image_upload(image=Image(file=fields.pop("file", picture()), **fields), by=author)


# ---- Uploading -------------------------------------------------------------------


def test_an_author_uploads_a_picture_and_gets_its_address_size_and_alt_text(author_client, author):
    response = upload(author_client, picture(size=(2000, 1000)))

    assert response.status_code == 201
    answer = response.json()
    image = Image.objects.get()
    assert answer == {"id": image.pk, "src": image.url, "alt": "A teal square", "width": 2000, "height": 1000}
    assert answer["src"].startswith("/media/images/")
    assert default_storage.exists(image.file.name)
    assert image.uploaded_by == author


def test_smaller_copies_are_made_at_each_configured_width_narrower_than_the_picture(author_client, settings):
    settings.IMAGE_WIDTHS = [480, 960, 1440, 4000]
    upload(author_client, picture(size=(2000, 1000), format="JPEG"))

    image = Image.objects.get()
    assert [(copy["width"], copy["height"]) for copy in image.renditions] == [(480, 240), (960, 480), (1440, 720)]
    for copy in image.renditions:
        with default_storage.open(copy["name"]) as stored, PIL.Image.open(stored) as read:
            assert (read.format, read.size) == ("JPEG", (copy["width"], copy["height"]))


def test_a_picture_narrower_than_every_width_has_no_smaller_copies(author_client):
    upload(author_client, picture(size=(300, 200)))

    assert Image.objects.get().renditions == []


def test_a_photo_taken_sideways_is_kept_the_right_way_up(author_client):
    exif = PIL.Image.Exif()
    exif[0x0112] = 6  # the camera was turned a quarter
    upload(author_client, picture(size=(1600, 1000), format="JPEG", exif=exif))

    image = Image.objects.get()
    assert (image.width, image.height) == (1000, 1600)
    assert [(copy["width"], copy["height"]) for copy in image.renditions] == [(480, 768), (960, 1536)]


def test_a_phones_multi_picture_jpeg_is_kept_as_a_jpeg_with_its_smaller_copies(author_client):
    # Found by QA: many phones write a JPEG with a second picture after the first (MPO), refused as "not a picture".
    first, depth = PIL.Image.new("RGB", (2000, 1500), "teal"), PIL.Image.new("RGB", (2000, 1500), "gray")
    buffer = io.BytesIO()
    first.save(buffer, format="MPO", save_all=True, append_images=[depth])
    response = upload(author_client, SimpleUploadedFile("IMG_2041.jpg", buffer.getvalue(), content_type="image/jpeg"))

    assert response.status_code == 201, response.json()
    image = Image.objects.get()
    assert image.file.name.endswith(".jpg") and (image.width, image.height) == (2000, 1500)
    assert [copy["width"] for copy in image.renditions] == [480, 960, 1440]
    with default_storage.open(image.renditions[0]["name"]) as stored, PIL.Image.open(stored) as read:
        red, green, blue = read.getpixel((10, 10))
        assert read.format == "JPEG" and red < 16 and green > 112 and blue > 112  # the first picture's teal


def test_a_multi_picture_jpeg_taken_sideways_is_turned_as_a_jpeg(author_client):
    exif = PIL.Image.Exif()
    exif[0x0112] = 6
    buffer = io.BytesIO()
    PIL.Image.new("RGB", (1600, 1000), "teal").save(
        buffer, format="MPO", save_all=True, append_images=[PIL.Image.new("RGB", (1600, 1000))], exif=exif
    )
    assert upload(author_client, SimpleUploadedFile("IMG.jpg", buffer.getvalue())).status_code == 201
    image = Image.objects.get()
    assert (image.width, image.height) == (1000, 1600)
    with default_storage.open(image.file.name) as stored, PIL.Image.open(stored) as read:
        assert read.format == "JPEG"


@pytest.mark.parametrize("format", ["WEBP", "PNG", "GIF"])
@pytest.mark.parametrize("sideways", [False, True])
def test_an_animated_picture_is_kept_as_it_is_for_every_screen(author_client, format, sideways):
    # Found by QA: an animated WebP's smaller copies, which phones are given, kept only its first frame; and by a
    # review, one with the camera's orientation was turned into its first frame.
    frames = [PIL.Image.new("RGB", (1600, 900), colour) for colour in ("red", "green", "blue")]
    exif = PIL.Image.Exif()
    if sideways:
        exif[0x0112] = 6
    buffer = io.BytesIO()
    frames[0].save(buffer, format=format, save_all=True, append_images=frames[1:], duration=300, loop=0, exif=exif)
    extension = format.lower()
    assert upload(author_client, SimpleUploadedFile(f"steps.{extension}", buffer.getvalue())).status_code == 201

    image = Image.objects.get()
    assert image.renditions == []
    with default_storage.open(image.file.name) as stored, PIL.Image.open(stored) as read:
        assert read.n_frames == 3


def test_a_file_named_as_a_picture_is_saved_under_its_real_format(author_client):
    upload(author_client, picture(format="PNG", name="holiday.jpg"))

    assert Image.objects.get().file.name.endswith("/holiday.png")


@pytest.mark.parametrize(
    "file",
    [
        SimpleUploadedFile("notes.png", b"Not a picture at all, only words.", content_type="image/png"),
        SimpleUploadedFile("page.pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", content_type="application/pdf"),
        SimpleUploadedFile("cut.png", picture().read()[:200], content_type="image/png"),
    ],
    ids=["words", "pdf", "truncated"],
)
def test_a_file_that_is_not_a_picture_is_refused_and_nothing_is_kept(author_client, file, media):
    response = upload(author_client, file)

    assert response.status_code == 400
    assert response.json() == {
        "errors": {"file": ["This file is not a picture we can read (JPEG, PNG, GIF or WebP)."]},
        "problems": "Picture: This file is not a picture we can read (JPEG, PNG, GIF or WebP).",  # what the editor says
    }
    assert not Image.objects.exists()
    assert not media.exists() or not any(path.is_file() for path in media.rglob("*"))


def test_a_picture_over_the_size_limit_is_refused_naming_its_size_and_the_limit(author_client, settings):
    settings.IMAGE_UPLOAD_MAX_BYTES = 2048
    file = picture(format="BMP")  # large, and refused for its size before anything reads it
    file.name = "photo.png"

    response = upload(author_client, file)

    assert response.status_code == 400
    [message] = response.json()["errors"]["file"]
    assert message.startswith("This file is 5.7\xa0MB; pictures can be at most 2.0\xa0KB.")
    assert not Image.objects.exists()


def test_the_size_limit_is_ten_megabytes_unless_set(settings):
    assert settings.IMAGE_UPLOAD_MAX_BYTES == 10 * 1024 * 1024


def test_a_decompression_bomb_is_refused_naming_its_megapixels(author_client):
    response = upload(author_client, png_claiming(100_000, 100_000))

    assert response.status_code == 400
    assert response.json()["errors"]["file"] == [
        "This picture is 10000 megapixels; pictures can be at most 89 megapixels. Make it smaller and upload it again."
    ]
    assert not Image.objects.exists()


def test_a_picture_just_over_pillows_pixel_limit_is_refused_too(author_client, monkeypatch):
    # Between the limit and twice the limit Pillow only warns: the upload is refused all the same, and the
    # warning, made the refusal, reaches no log.
    monkeypatch.setattr(PIL.Image, "MAX_IMAGE_PIXELS", 1_000_000)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        response = upload(author_client, picture(size=(1200, 1000)))

    assert not [warning for warning in caught if issubclass(warning.category, PIL.Image.DecompressionBombWarning)]

    assert response.status_code == 400
    assert response.json()["errors"]["file"] == [
        "This picture is 1.2 megapixels; pictures can be at most 1 megapixels. Make it smaller and upload it again."
    ]


def test_a_picture_without_alt_text_is_refused(author_client):
    response = upload(author_client, picture(), alt_text="")

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["alt_text"]
    assert "Describe the picture for readers who cannot see it" in response.json()["errors"]["alt_text"][0]
    assert not Image.objects.exists()


def test_a_decorative_picture_needs_no_alt_text_and_pages_give_it_an_empty_one(author_client):
    response = upload(author_client, picture(), alt_text="", decorative=True)

    assert response.status_code == 201
    assert response.json()["alt"] == ""
    assert Image.objects.get().decorative


def test_a_decorative_picture_with_alt_text_is_refused(author_client):
    response = upload(author_client, picture(), alt_text="A teal square", decorative=True)

    assert response.status_code == 400
    assert "A decorative picture has no alt text" in response.json()["errors"]["alt_text"][0]


def test_a_refused_upload_in_the_admin_form_keeps_the_alt_text_typed(author_client):
    response = author_client.post(
        reverse("admin:articles_image_add"),
        {"file": SimpleUploadedFile("notes.png", b"words"), "alt_text": "A nurse taking a pulse"},
    )

    assert response.status_code == 200
    assert "This file is not a picture we can read (JPEG, PNG, GIF or WebP)." in response.content.decode()
    assert 'value="A nurse taking a pulse"' in response.content.decode()
    assert not Image.objects.exists()


def test_the_admin_add_form_keeps_the_picture_with_its_smaller_copies(author_client, author):
    response = author_client.post(
        reverse("admin:articles_image_add"), {"file": picture(size=(1000, 500)), "alt_text": "A teal square"}
    )

    assert response.status_code == 302
    image = Image.objects.get()
    assert [copy["width"] for copy in image.renditions] == [480, 960]
    assert image.uploaded_by == author


# ---- Who may upload ------------------------------------------------------------------


def test_a_reader_cannot_upload(client, reader):
    client.force_login(reader)

    response = upload(client, picture())

    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))
    assert not Image.objects.exists()


def test_staff_without_the_upload_permission_are_refused(moderator_client):
    response = upload(moderator_client, picture())

    assert response.status_code == 403
    assert not Image.objects.exists()


def test_an_upload_without_the_admins_csrf_token_is_refused(author):
    client = Client(enforce_csrf_checks=True)
    client.force_login(author)

    response = upload(client, picture())

    assert response.status_code == 403
    assert not Image.objects.exists()


def test_the_upload_address_only_takes_posts(author_client):
    assert author_client.get(UPLOAD).status_code == 405


def test_the_editors_picker_lists_the_newest_pictures_first(author_client, author):
    older = library_image(author, alt_text="Older")
    newer = library_image(author, file=picture(size=(300, 200)), alt_text="Newer")

    response = author_client.get(RECENT)

    assert response.status_code == 200
    assert response.json() == {
        "images": [
            {
                "id": newer.pk,
                "src": newer.url,
                "alt": "Newer",
                "width": 300,
                "height": 200,
                "thumbnail": newer.url,
            },
            {
                "id": older.pk,
                "src": older.url,
                "alt": "Older",
                "width": 2000,
                "height": 1000,
                "thumbnail": images.address(older.renditions[0]["name"]),
            },
        ]
    }


def test_the_picker_is_closed_to_readers(client, reader):
    client.force_login(reader)

    assert client.get(RECENT).status_code == 302


def test_the_library_lists_pictures_with_a_thumbnail_and_finds_them_by_alt_text(client, editor, author):
    library_image(author, alt_text="A nurse taking a pulse")
    library_image(author, alt_text="A teal square")
    client.force_login(editor)

    page = client.get(reverse("admin:articles_image_changelist"), {"q": "nurse"}).content.decode()

    assert "A nurse taking a pulse" in page
    assert "A teal square" not in page
    assert "2000 × 1000" in page
    assert 'width="80" height="40"' in page


# ---- In article bodies -----------------------------------------------------------------


def body_image_tag(html: str) -> str:
    """The first picture in this HTML."""
    return re.findall(r"<img\b[^>]*>", html)[0]


def test_a_library_picture_in_a_body_is_given_its_size_and_smaller_copies(client, author, make_article):
    image = library_image(author)
    article = make_article(body=f'<p>Look:</p><img src="{image.url}" alt="Teal">')

    page = client.get(article.get_absolute_url()).content.decode()
    tag = body_image_tag(page.split('class="entry-content"')[1])

    copies = [images.address(copy["name"]) for copy in image.renditions]
    assert f'srcset="{copies[0]} 480w, {copies[1]} 960w, {copies[2]} 1440w, {image.url} 2000w"' in tag
    assert 'width="2000"' in tag and 'height="1000"' in tag
    assert 'sizes="(max-width: 46rem) calc(100vw - 2.5rem), 43.5rem"' in tag
    assert 'loading="lazy"' in tag and 'decoding="async"' in tag
    assert 'alt="Teal"' in tag  # what the author typed stays


def test_a_library_picture_typed_without_alt_text_takes_the_librarys(author, make_article):
    image = library_image(author, alt_text="A nurse taking a pulse")
    article = make_article(body=f'<img src="{image.url}">')

    assert 'alt="A nurse taking a pulse"' in body_image_tag(article.body_html)


def test_typed_width_and_height_are_kept(author, make_article):
    image = library_image(author)
    article = make_article(body=f'<img src="{image.url}" alt="Teal" width="400" height="200">')

    tag = body_image_tag(article.body_html)
    assert 'width="400"' in tag and 'height="200"' in tag
    assert "srcset=" in tag


def test_a_feed_gives_a_library_picture_and_its_smaller_copies_with_the_sites_address(client, author, make_article):
    image = library_image(author)
    make_article(body=f'<p>Look:</p><img src="{image.url}" alt="Teal">')
    site = f"http://{Site.objects.get_current().domain}"
    feed = client.get("/feed/").content.decode()
    tag = html.unescape(body_image_tag(html.unescape(feed.split("<content:encoded>")[1])))
    copies = [images.address(copy["name"]) for copy in image.renditions]
    assert f'src="{site}{image.url}"' in tag
    assert (
        f'srcset="{site}{copies[0]} 480w, {site}{copies[1]} 960w, {site}{copies[2]} 1440w, {site}{image.url} 2000w"'
        in tag
    )


def test_a_typed_srcset_never_reaches_the_page(author, make_article):
    image = library_image(author)
    article = make_article(
        body=(
            '<img src="/static/img/icons/icon-512.png" alt="Icon" srcset="https://elsewhere.example/a.png 2x"'
            ' sizes="100vw" loading="eager">'
            f'<img src="{image.url}" alt="Teal" srcset="https://elsewhere.example/b.png 480w">'
        )
    )

    assert "elsewhere.example" not in article.body_html
    icon, library = re.findall(r"<img\b[^>]*>", article.body_html)
    assert icon == '<img src="/static/img/icons/icon-512.png" alt="Icon">'
    assert f"{image.url} 2000w" in library


def test_pictures_from_elsewhere_are_still_removed(make_article):
    article = make_article(body='<img src="https://elsewhere.example/media/images/a.png" alt="A">')

    assert article.body_html == '<img alt="A">'


def test_every_library_picture_of_a_body_is_read_in_one_query(author, make_article):
    first, second = library_image(author), library_image(author, alt_text="Another")
    article = make_article(body="<p>Nothing yet.</p>")
    article.body = f'<img src="{first.url}" alt="1"><img src="{second.url}" alt="2"><img src="/media/gone.png">'

    with CaptureQueriesContext(connection) as queries:
        article.save()

    assert sum('FROM "articles_image"' in query["sql"] for query in queries.captured_queries) == 1
    assert article.body_html.count("srcset=") == 2


def test_a_new_alt_text_reaches_the_bodies_that_take_it_from_the_library(client, editor, author, make_article):
    image = library_image(author, alt_text="A teal sqaure")
    article = make_article(body=f'<img src="{image.url}">')
    client.force_login(editor)

    response = client.post(
        reverse("admin:articles_image_change", args=[image.pk]), {"alt_text": "A teal square", "decorative": ""}
    )

    assert response.status_code == 302
    article.refresh_from_db()
    assert 'alt="A teal square"' in article.body_html


def test_an_author_corrects_the_alt_text_of_their_own_picture_and_not_anothers(client, author, make_user, make_article):
    # Found by a review: an author could only upload the picture again and put it in again.
    mine = library_image(author, alt_text="A teal sqaure")
    article = make_article(body=f'<img src="{mine.url}">', author=author)
    someone_else = make_user(username="other-author", is_staff=True, groups=("Authors",))
    theirs = library_image(someone_else, alt_text="Their picture")
    client.force_login(author)
    change = {"alt_text": "A teal square", "decorative": ""}
    assert client.post(reverse("admin:articles_image_change", args=[mine.pk]), change).status_code == 302
    article.refresh_from_db()
    assert 'alt="A teal square"' in article.body_html
    assert client.post(reverse("admin:articles_image_change", args=[theirs.pk]), change).status_code == 403
    theirs.refresh_from_db()
    assert theirs.alt_text == "Their picture"


@pytest.mark.parametrize("shown_in", ["a page", "another's article", "another's featured image"])
def test_an_authors_picture_shown_beyond_their_articles_is_an_editors_to_describe(
    client, author, make_user, make_article, shown_in
):
    # Found by a review: its new description is published again wherever it is shown, pages and others' articles too.
    mine = library_image(author, alt_text="A teal square")
    other = make_user(username="other-author", is_staff=True, groups=("Authors",))
    if shown_in == "a page":
        Page.objects.create(title="About", slug="about", body=f'<p><img src="{mine.url}"></p>', published=True)
    elif shown_in == "another's article":
        make_article(author=other, body=f'<img src="{mine.url}">')
    else:
        make_article(author=other, featured_image=mine)
    client.force_login(author)
    page = client.get(reverse("admin:articles_image_change", args=[mine.pk]))
    assert "This picture is also shown on pages you do not write: an editor may change its description." in page.text
    change = {"alt_text": "Buy cheap pills", "decorative": ""}
    assert client.post(reverse("admin:articles_image_change", args=[mine.pk]), change).status_code == 403
    mine.refresh_from_db()
    assert mine.alt_text == "A teal square"


def test_a_picture_whose_address_begins_anothers_is_not_taken_for_it(client, author, make_user, make_article):
    # Found by a review: another author's article showing photo.png.webp was taken to show photo.png (its address
    # begins with photo.png's), and the author of photo.png could no longer correct its description.
    mine = library_image(author, file=picture(name="photo.png"), alt_text="A teal sqaure")
    other = make_user(username="other-author", is_staff=True, groups=("Authors",))
    theirs = library_image(other, file=picture(format="WEBP", name="photo.png.webp"), alt_text="Their picture")
    assert theirs.url.startswith(mine.url) and theirs.url != mine.url
    make_article(author=other, body=f'<img src="{theirs.url}">')
    client.force_login(author)

    page = client.get(reverse("admin:articles_image_change", args=[mine.pk]))
    assert "This picture is also shown on pages you do not write" not in page.text
    change = {"alt_text": "A teal square", "decorative": ""}
    assert client.post(reverse("admin:articles_image_change", args=[mine.pk]), change).status_code == 302
    mine.refresh_from_db()
    assert mine.alt_text == "A teal square"


# ---- Featured image ------------------------------------------------------------------------


def test_the_featured_image_shows_under_the_title_in_every_size(client, author, make_article):
    image = library_image(author, alt_text="A nurse taking a pulse")
    article = make_article(featured_image=image)

    page = client.get(article.get_absolute_url()).content.decode()
    header = page.split('<header class="entry-header">')[1].split("</header>")[0]

    [tag] = re.findall(r'<img class="featured-image"[^>]*>', header)
    assert f'src="{image.url}"' in tag
    assert f"{image.url} 2000w" in tag and "480w" in tag
    assert 'width="2000" height="1000" alt="A nurse taking a pulse"' in tag
    assert 'sizes="(max-width: 46rem) calc(100vw - 2.5rem), 43.5rem"' in tag


def test_the_front_page_shows_each_articles_featured_image_without_a_query_each(client, author, make_article):
    for number in range(3):
        make_article(featured_image=library_image(author, alt_text=f"Picture {number}"))
    client.get(reverse("articles:front"))  # the site's one-off reads

    with CaptureQueriesContext(connection) as queries:
        page = client.get(reverse("articles:front")).content.decode()

    assert page.count('class="featured-image"') == 3
    assert 'alt="Picture 2"' in page and 'loading="lazy"' in page
    assert not any('FROM "articles_image"' in query["sql"] for query in queries.captured_queries)


def test_sharing_previews_and_structured_data_use_the_featured_image_before_the_body(
    client, author, make_article, site_root
):
    in_body = library_image(author, alt_text="In the body")
    featured = library_image(author, file=picture(size=(1200, 630)), alt_text="A nurse taking a pulse")
    article = make_article(body=f'<img src="{in_body.url}" alt="x">', featured_image=featured)

    page = client.get(article.get_absolute_url()).content.decode()

    address = f"{site_root}{featured.url}"
    assert f'<meta property="og:image" content="{address}">' in page
    assert '<meta property="og:image:width" content="1200">' in page
    assert '<meta property="og:image:alt" content="A nurse taking a pulse">' in page
    [script] = re.findall(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
    assert json.loads(script)["image"] == {
        "@type": "ImageObject",
        "url": address,
        "width": 1200,
        "height": 630,
        "caption": "A nurse taking a pulse",
    }


def test_without_a_featured_image_sharing_uses_the_first_picture_of_the_body(client, author, make_article, site_root):
    in_body = library_image(author)
    article = make_article(body=f'<img src="{in_body.url}" alt="x">')

    page = client.get(article.get_absolute_url()).content.decode()

    assert f'<meta property="og:image" content="{site_root}{in_body.url}">' in page


def test_deleting_a_featured_image_leaves_the_article_without_one(author, make_article):
    image = library_image(author)
    article = make_article(featured_image=image)

    image.delete()

    article.refresh_from_db()
    assert article.featured_image is None


def test_an_author_chooses_the_featured_image_in_the_article_form(client, author, make_article):
    image = library_image(author)
    article = make_article(author=author)
    client.force_login(author)

    form = client.get(change_url(article)).content.decode()
    assert 'name="featured_image"' in form
    response = client.post(change_url(article), change_form_data(article, featured_image=image.pk))

    assert response.status_code == 302, response.context["adminform"].form.errors
    assert Article.objects.get(pk=article.pk).featured_image == image


def test_an_author_finds_pictures_by_alt_text_when_choosing_one(client, author, make_article):
    library_image(author, alt_text="A nurse taking a pulse")
    client.force_login(author)

    response = client.get(
        reverse("admin:autocomplete"),
        {"app_label": "articles", "model_name": "article", "field_name": "featured_image", "term": "nurse"},
    )

    assert [result["text"] for result in response.json()["results"]] == ["A nurse taking a pulse"]


def test_uploads_are_served_in_development(client, author):
    image = library_image(author)

    response = client.get(image.url)

    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"


def test_a_picture_in_the_library_shows_at_a_glance_and_keeps_its_file(client, editor, author):
    image = library_image(author, alt_text="A nurse taking a pulse")
    client.force_login(editor)

    page = client.get(reverse("admin:articles_image_change", args=[image.pk])).content.decode()

    assert f'src="{image.url}"' in page and 'width="320" height="160"' in page
    assert 'name="file"' not in page  # articles link to it: a new picture is a new upload
    assert 'name="alt_text"' in page
