import datetime
from pathlib import Path

from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext

from .models import Article, Category, Like

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
        body=(SEED_DIR / "hemifacial-spasm.html").read_text(encoding="utf-8"),
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
