"""Pictures: what an upload must be, the smaller copies made of it, and how pages offer them.

Pillow reads and resizes here, at upload time only: a reader's request never waits for it. Files go through
the storage API (the field's storage), never the filesystem, so an S3-compatible store works the same.
"""

import io
import re
import warnings
from collections.abc import Iterable
from pathlib import PurePosixPath
from urllib.parse import unquote

import PIL.Image
import PIL.ImageOps
from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models.fields.files import FieldFile
from django.template.defaultfilters import filesizeformat
from django.utils.encoding import filepath_to_uri
from django.utils.translation import gettext_lazy as _

# What browsers show everywhere, with the extension and type each is saved and served under.
FORMATS = {
    "JPEG": ("jpg", "image/jpeg"),
    "PNG": ("png", "image/png"),
    "GIF": ("gif", "image/gif"),
    "WEBP": ("webp", "image/webp"),
}
# A phone's multi-picture JPEG (MPO: a depth map or a second shot after the first picture) is a JPEG to every
# browser: kept, turned and copied as one, its first picture.
KEPT_AS = {"MPO": "JPEG"}
# How the smaller copies are encoded.
SAVE_OPTIONS = {
    "JPEG": {"quality": 85, "optimize": True, "progressive": True},
    "PNG": {"optimize": True},
    "WEBP": {"quality": 82, "method": 4},
}
# The width pictures take in an article's column: at most .wrap's 46rem less its 1.25rem padding on each side
# (static/css/site.css), the whole screen less that padding on a narrow one.
SIZES = "(max-width: 46rem) calc(100vw - 2.5rem), 43.5rem"
# The EXIF tag that says which way up the camera was held.
ORIENTATION = 0x0112

NOT_A_PICTURE = _("This file is not a picture we can read (JPEG, PNG, GIF or WebP).")
# Pillow's own words when a picture has more than twice its limit of pixels.
_BOMB_PIXELS = re.compile(r"\((\d+) pixels\)")


def _megapixels(pixels: int) -> str:
    megapixels = pixels / 1_000_000
    return f"{megapixels:.0f}" if megapixels >= 10 else f"{megapixels:.1f}".removesuffix(".0")


class PictureField(forms.ImageField):
    """An uploaded picture: JPEG, PNG, GIF or WebP, at most IMAGE_UPLOAD_MAX_BYTES, at most Pillow's
    MAX_IMAGE_PIXELS, decoded whole; turned the right way up and named after what it really is."""

    # The file's extension is not checked: the name it is saved under comes from its content.
    default_validators = []

    def to_python(self, data):
        # FileField's checks only: ImageField's reading would turn every refusal into one vague message.
        upload = forms.FileField.to_python(self, data)
        if upload is None:
            return None
        limit = settings.IMAGE_UPLOAD_MAX_BYTES
        if upload.size > limit:
            raise ValidationError(
                _("This file is %(size)s; pictures can be at most %(limit)s. Make it smaller and upload it again."),
                code="too_large",
                params={"size": filesizeformat(upload.size), "limit": filesizeformat(limit)},
            )
        picture = _read(upload)
        return _upright(upload, picture)


def _read(upload) -> PIL.Image.Image:
    """The picture, decoded whole, or a ValidationError saying why not."""
    limit = PIL.Image.MAX_IMAGE_PIXELS
    too_many_pixels = _(
        "This picture is %(pixels)s megapixels; pictures can be at most %(limit)s megapixels. "
        "Make it smaller and upload it again."
    )
    upload.seek(0)
    try:
        # Pillow refuses more than twice its limit as it opens, and only warns between the two: the warning is
        # made a refusal too, so nothing reaches the logs.
        with warnings.catch_warnings():
            warnings.simplefilter("error", PIL.Image.DecompressionBombWarning)
            picture = PIL.Image.open(upload)
    except (PIL.Image.DecompressionBombError, PIL.Image.DecompressionBombWarning) as error:
        found = _BOMB_PIXELS.search(str(error))
        pixels = int(found.group(1)) if found else 2 * limit + 1
        raise ValidationError(
            too_many_pixels, code="too_many_pixels", params={"pixels": _megapixels(pixels), "limit": _megapixels(limit)}
        ) from error
    except Exception as error:
        raise ValidationError(NOT_A_PICTURE, code="not_a_picture") from error
    if _format(picture) not in FORMATS:
        raise ValidationError(NOT_A_PICTURE, code="not_a_picture")
    pixels = picture.width * picture.height
    if pixels > limit:
        raise ValidationError(
            too_many_pixels, code="too_many_pixels", params={"pixels": _megapixels(pixels), "limit": _megapixels(limit)}
        )
    try:
        picture.load()  # a truncated or damaged file fails here rather than when the copies are made
    except Exception as error:
        raise ValidationError(NOT_A_PICTURE, code="not_a_picture") from error
    return picture


def _format(picture: PIL.Image.Image) -> str | None:
    return KEPT_AS.get(picture.format, picture.format)


def _animated(picture: PIL.Image.Image) -> bool:
    """Frames shown one after another (a phone's multi-picture JPEG is not: it shows its first)."""
    return getattr(picture, "is_animated", False) and picture.format != "MPO"


def _upright(upload, picture: PIL.Image.Image):
    """The upload as kept: named after its real format, and turned as the camera was held (browsers turn it too,
    but the width and height pages give must be those of the picture as seen)."""
    kept_as = _format(picture)
    extension, content_type = FORMATS[kept_as]
    name = f"{PurePosixPath(upload.name).stem or 'picture'}.{extension}"
    orientation = picture.getexif().get(ORIENTATION, 1)
    # An animation is kept as it is (turning it would keep one frame); browsers turn it.
    if orientation == 1 or kept_as == "GIF" or _animated(picture):
        upload.name = name
        upload.content_type = content_type
        upload.image = picture
        upload.seek(0)
        return upload
    turned = PIL.ImageOps.exif_transpose(picture)
    options = dict(SAVE_OPTIONS.get(kept_as, {}), exif=turned.getexif())
    if icc_profile := picture.info.get("icc_profile"):
        options["icc_profile"] = icc_profile
    buffer = io.BytesIO()
    turned.save(buffer, format=kept_as, **options)
    kept = SimpleUploadedFile(name, buffer.getvalue(), content_type=content_type)
    kept.image = turned
    return kept


def make_renditions(file: FieldFile, *, widths: Iterable[int]) -> list[dict]:
    """Smaller copies of a stored picture, one for each width narrower than it, saved beside it through its
    storage: [{"name", "width", "height"}], narrowest first. Animated pictures (GIF, WebP, PNG) are kept as they
    are: a smaller copy would keep only their first frame."""
    with file.open("rb"):
        picture = PIL.Image.open(file)
        save_as = _format(picture)
        if save_as not in SAVE_OPTIONS or _animated(picture):
            return []
        wanted = sorted(width for width in set(widths) if 0 < width < picture.width)
        if not wanted:
            return []
        if save_as == "JPEG":
            # JPEG decodes at a half, a quarter or an eighth of its size when that is enough: far less memory.
            picture.draft("RGB", (wanted[-1], round(picture.height * wanted[-1] / picture.width)))
        picture = PIL.ImageOps.exif_transpose(picture)
        if picture.mode not in ("RGB", "RGBA", "L", "LA"):
            picture = picture.convert("RGBA" if picture.has_transparency_data else "RGB")
        if save_as == "JPEG" and picture.mode in ("RGBA", "LA"):
            picture = picture.convert("RGB")
    original = PurePosixPath(file.name)
    renditions = []
    for width in wanted:
        height = max(1, round(picture.height * width / picture.width))
        buffer = io.BytesIO()
        picture.resize((width, height), PIL.Image.Resampling.LANCZOS).save(
            buffer, format=save_as, **SAVE_OPTIONS[save_as]
        )
        name = file.storage.save(str(original.with_stem(f"{original.stem}-{width}w")), ContentFile(buffer.getvalue()))
        renditions.append({"name": name, "width": width, "height": height})
    return renditions


def address(name: str) -> str:
    """Where pages find a stored file: under MEDIA_URL, on the site's own address whatever the storage (the front
    server serves that path from the folder or the bucket), since pages show pictures from this site only."""
    # Percent-encoded, as FileSystemStorage.url() does: no space or comma, as a srcset's candidates need.
    return settings.MEDIA_URL + filepath_to_uri(name)


def srcset(name: str, *, width: int, renditions: list[dict]) -> str:
    """The srcset of a stored picture: each smaller copy and the original, with their widths."""
    candidates = [(address(rendition["name"]), rendition["width"]) for rendition in renditions]
    candidates.append((address(name), width))
    return ", ".join(f"{url} {candidate_width}w" for url, candidate_width in candidates)


def stored_name(address: str) -> str | None:
    """The storage name of a file from its address on a page (address() above), if it is one of the site's uploads."""
    if not address.startswith(settings.MEDIA_URL) or "?" in address or "#" in address:
        return None
    return unquote(address.removeprefix(settings.MEDIA_URL)) or None
