import datetime
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext

from . import images
from .models import Article, Category, Image, Like, Page, showing

SEED_DIR = Path(__file__).resolve().parent / "seed"
SEED_SLUG = "hemifacial-spasm"
# A fixed date keeps the seed article's permalink stable across installs.
SEED_PUBLISHED_AT = datetime.datetime(2026, 11, 2, 9, 0, tzinfo=datetime.UTC)


@transaction.atomic
def seed_article_load() -> tuple[Article, bool]:
    """Publish the seed article, "hemifacial spasm", unless it exists. Returns it and whether it was created."""
    existing = Article.objects.filter(slug=SEED_SLUG).first()
    if existing is not None:
        return existing, False
    author, _ = get_user_model().objects.get_or_create(
        username="editorial",
        defaults={"display_name": "Editorial team", "is_active": False},
    )
    if author.has_usable_password():
        author.set_unusable_password()
        author.save(update_fields=["password"])
    category, _ = Category.objects.get_or_create(slug="conditions", defaults={"name": "Conditions"})
    article = Article.objects.create(
        title="hemifacial spasm",
        slug=SEED_SLUG,
        author=author,
        # As the admin form keeps it: without the file's final newline.
        body=(SEED_DIR / "hemifacial-spasm.html").read_text(encoding="utf-8").strip(),
        excerpt=(
            "Hemifacial spasms are twitching or spasms on one side of your face: "
            "how they occur, their symptoms, diagnosis and treatment."
        ),
        status=Article.Status.PUBLISHED,
        published_at=SEED_PUBLISHED_AT,
    )
    article.categories.add(category)
    return article, True


def article_like(*, article: Article, user: AbstractBaseUser) -> bool:
    """The reader likes the article; returns False if they already did."""
    if not article.is_public:
        raise ValidationError(gettext("Only a published article can be liked."))
    # A double click or a second tab sends the same like twice at once. Both may
    # find no like, but the database's constraint lets one insert through; the
    # other's IntegrityError is caught by get_or_create (in a savepoint, so it
    # also holds inside a transaction on PostgreSQL), which then reads that like.
    _like, created = Like.objects.get_or_create(article=article, user=user)
    return created


def article_unlike(*, article: Article, user: AbstractBaseUser) -> bool:
    """The reader takes back their like; returns False if there was none."""
    deleted, _rows = Like.objects.filter(article=article, user=user).delete()
    return bool(deleted)


@transaction.atomic
def image_upload(*, image: Image, by: AbstractBaseUser) -> Image:
    """Keep a validated upload (ImageForm) in the library with its smaller copies, made now so that no reader's
    request ever waits for them."""
    image.uploaded_by = by
    image.save()
    image.renditions = images.make_renditions(image.file, widths=settings.IMAGE_WIDTHS)
    image.save(update_fields=["renditions"])
    return image


@transaction.atomic
def image_update(*, image: Image) -> int:
    """Save a library picture's new description; the bodies of the articles and pages showing it, which take its alt
    text where the author typed none, are published again. Returns how many."""
    image.save()
    articles = showing(Article.objects.all(), image)
    for article in articles:
        article.save(update_fields=["body"])  # recomputes body_html; not an edit: its updated time stays
    pages = showing(Page.objects.all(), image)
    for page in pages:
        page.save(update_fields=["body_html"])  # its body is as it was: "Last updated" stays too
    return len(articles) + len(pages)
