import datetime
import re
import uuid
from collections.abc import Iterable
from pathlib import PurePosixPath

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, validate_slug
from django.db import models
from django.urls import Resolver404, get_resolver, resolve, reverse
from django.utils import formats, timezone
from django.utils.text import Truncator, slugify
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from accounts.validators import validate_public_website, validate_visible_text
from config.models import OneRow

from . import addresses, images, sanitize
from .converters import PERMALINK


class LowercaseSlugField(models.SlugField):
    """A slug as WordPress keeps one: lowercase, whatever was typed ("About" is saved as "about"), so that two
    addresses of the site never differ only by capitals. An address asked with capitals leads on to the lowercase
    one (articles.views.by_slug)."""

    def clean(self, value, model_instance):
        # Before the uniqueness check: "About" is refused where "about" is taken. (Not in to_python, which lookups
        # run too: an address asked with capitals is looked up as it is, then led on.)
        return super().clean(value.lower() if isinstance(value, str) else value, model_instance)

    def pre_save(self, model_instance, add):
        value = getattr(model_instance, self.attname)
        if isinstance(value, str) and value != value.lower():
            value = value.lower()
            setattr(model_instance, self.attname, value)
        return value


class Category(models.Model):
    name = models.CharField(_("name"), max_length=100, unique=True)
    slug = LowercaseSlugField(_("slug"), max_length=100, unique=True)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("category")
        verbose_name_plural = _("categories")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("articles:category", kwargs={"slug": self.slug})


class Tag(models.Model):
    name = models.CharField(_("name"), max_length=100, unique=True)
    slug = LowercaseSlugField(_("slug"), max_length=100, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("tag")
        verbose_name_plural = _("tags")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("articles:tag", kwargs={"slug": self.slug})


class Reviewer(models.Model):
    """A clinician who checks articles before readers rely on them: "Medically reviewed by NAME, CREDENTIALS"."""

    name = models.CharField(_("name"), max_length=150, validators=[validate_visible_text])
    credentials = models.CharField(
        _("credentials"),
        max_length=150,
        blank=True,
        validators=[validate_visible_text],
        help_text=_("As readers should see them after the name, e.g. “MD, FRCP (Neurology)”."),
    )
    bio = models.TextField(
        _("short bio"), max_length=1000, blank=True, help_text=_("Plain text, shown under the article.")
    )
    website = models.URLField(
        _("profile page"),
        blank=True,
        validators=[validate_public_website],
        help_text=_("Where readers can check who they are: a registration entry or a professional profile."),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("medical reviewer")
        verbose_name_plural = _("medical reviewers")

    def __str__(self) -> str:
        return self.signed_name

    @property
    def signed_name(self) -> str:
        return f"{self.name}, {self.credentials}" if self.credentials else self.name


class ImageQuerySet(models.QuerySet):
    def by_address(self, addresses: Iterable[str]) -> dict[str, "Image"]:
        """The library's pictures among these addresses (as a page gives them), by address: one query, or none."""
        names = {address: name for address in addresses if (name := images.stored_name(address))}
        if not names:
            return {}
        found = {image.file.name: image for image in self.filter(file__in=set(names.values()))}
        return {address: found[name] for address, name in names.items() if name in found}


class Image(models.Model):
    """A picture in the site's library: uploaded once, described once, shown in several sizes."""

    file = models.ImageField(
        _("picture"),
        upload_to="images/%Y/%m/",
        width_field="width",
        height_field="height",
        max_length=255,
        help_text=_("JPEG, PNG, GIF or WebP. Smaller copies are made at once, for phones and narrow windows."),
    )
    width = models.PositiveIntegerField(_("width"), default=0, editable=False)
    height = models.PositiveIntegerField(_("height"), default=0, editable=False)
    alt_text = models.CharField(
        _("alt text"),
        max_length=300,
        blank=True,
        help_text=_(
            "What the picture shows, for readers who cannot see it: one sentence, as you would say it on the phone. "
            "Leave empty only for a decorative picture."
        ),
    )
    decorative = models.BooleanField(
        _("decorative"),
        default=False,
        help_text=_("Tick when the picture adds nothing to the text (an ornament): screen readers then skip it."),
    )
    # The smaller copies made at upload: [{"name", "width", "height"}], narrowest first (articles/images.py).
    renditions = models.JSONField(_("smaller copies"), default=list, editable=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    uploaded_at = models.DateTimeField(_("uploaded"), default=timezone.now, editable=False)
    # Where a picture brought in from another site was copied from (manage.py import_wordpress --media): the same
    # address is never copied twice.
    copied_from = models.URLField(_("copied from"), max_length=1000, blank=True, editable=False, db_index=True)

    objects = ImageQuerySet.as_manager()

    class Meta:
        ordering = ["-uploaded_at", "-pk"]
        verbose_name = _("image")
        verbose_name_plural = _("images")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(decorative=True, alt_text="")
                | (models.Q(decorative=False) & ~models.Q(alt_text="")),
                name="image_described_or_decorative",
                violation_error_message=_("A picture has an alt text, or is decorative and has none."),
            )
        ]
        indexes = [models.Index(fields=["-uploaded_at"], name="image_newest_first")]

    def __str__(self) -> str:
        if self.decorative:
            return _("Decorative: %(name)s") % {"name": PurePosixPath(self.file.name).name}
        return self.alt_text

    def clean(self) -> None:
        if self.decorative and self.alt_text:
            raise ValidationError(
                {"alt_text": _("A decorative picture has no alt text: empty this box, or untick “decorative”.")}
            )
        if not self.decorative and not self.alt_text:
            raise ValidationError(
                {
                    "alt_text": _(
                        "Describe the picture for readers who cannot see it, or tick “decorative” if it adds "
                        "nothing to the text."
                    )
                }
            )

    @property
    def alt(self) -> str:
        """What the picture's alt attribute says: empty for a decorative one."""
        return "" if self.decorative else self.alt_text

    @property
    def url(self) -> str:
        """The original's address on the site's pages (relative)."""
        return images.address(self.file.name)

    @property
    def srcset(self) -> str:
        return images.srcset(self.file.name, width=self.width, renditions=self.renditions)

    @property
    def sizes(self) -> str:
        return images.SIZES

    @property
    def thumbnail_url(self) -> str:
        """The smallest copy kept, for lists and pickers."""
        return images.address(self.renditions[0]["name"]) if self.renditions else self.url

    @property
    def body_attributes(self) -> dict[str, str]:
        """What an <img> of this picture in an article's body is given (typed width, height and alt are kept)."""
        return {
            "alt": self.alt,
            "width": str(self.width),
            "height": str(self.height),
            "srcset": self.srcset,
            "sizes": self.sizes,
            "loading": "lazy",
            "decoding": "async",
        }


def check_pictures_described(body: str) -> None:
    """Each picture of a body (an article's, a page's) says what it shows (alt="" marks a decorative one); the
    library's say it for themselves."""
    missing = sanitize.images_without_alt_text(body)
    described = Image.objects.by_address(missing) if missing else {}
    if missing := [address for address in missing if address not in described]:
        raise ValidationError(
            {
                "body": ngettext(
                    "A picture has no alt text (%(pictures)s). Say what it shows for readers who cannot see it, "
                    'or mark it decorative: in the editor\'s HTML source, alt="".',
                    "%(count)d pictures have no alt text (%(pictures)s). Say what each shows for readers who "
                    'cannot see it, or mark it decorative: in the editor\'s HTML source, alt="".',
                    len(missing),
                )
                % {"count": len(missing), "pictures": ", ".join(missing)}
            }
        )


def body_pictures(addresses: list[str]) -> dict[str, dict[str, str]]:
    """The attributes each library picture among a body's addresses adds to its <img>."""
    return {address: image.body_attributes for address, image in Image.objects.by_address(addresses).items()}


def showing(bodies: models.QuerySet, image: Image) -> models.QuerySet:
    """Those of `bodies` (articles or pages) whose published body shows the library picture: an <img> of its address,
    as their pages find it (body_pictures), not an address that only starts with it (photo.png.webp, photo.png's)."""
    candidates = bodies.filter(body__contains=image.url).values_list("pk", "body_html")
    return bodies.filter(
        pk__in=[
            pk
            for pk, body_html in candidates
            if image.file.name in {images.stored_name(address) for address in sanitize.image_sources(body_html)}
        ]
    )


class ArticleQuerySet(models.QuerySet):
    def published(self) -> "ArticleQuerySet":
        """What the public may see now: published, with a publish time that has come."""
        return self.filter(status=Article.Status.PUBLISHED, published_at__lte=timezone.now())

    def scheduled(self) -> "ArticleQuerySet":
        """Published articles whose publish time is still to come."""
        return self.filter(status=Article.Status.PUBLISHED, published_at__gt=timezone.now())

    def next_publication(self):
        """When the next scheduled article comes out, or None."""
        return self.scheduled().aggregate(next=models.Min("published_at"))["next"]

    def next_review_lapse(self) -> datetime.datetime | None:
        """When the next review date of an article readers see passes (its page then says the review is overdue),
        or None: the start of the day after it."""
        due = (
            self.published()
            .filter(next_review_due__gte=timezone.localdate())
            .aggregate(due=models.Min("next_review_due"))
        )
        if due["due"] is None or due["due"] == datetime.date.max:  # no day comes after it: it never passes
            return None
        return timezone.make_aware(
            datetime.datetime.combine(due["due"] + datetime.timedelta(days=1), datetime.time.min)
        )

    def review_overdue(self) -> "ArticleQuerySet":
        """Articles readers see whose next medical review date has passed."""
        return self.published().filter(next_review_due__lt=timezone.localdate())

    def never_reviewed(self) -> "ArticleQuerySet":
        """Articles readers see that no clinician has reviewed yet."""
        return self.published().filter(reviewed_on__isnull=True)

    def review_due(self) -> "ArticleQuerySet":
        """Articles readers see whose next medical review falls within REVIEW_DUE_SOON_DAYS, or has passed."""
        soon = timezone.localdate() + datetime.timedelta(days=settings.REVIEW_DUE_SOON_DAYS)
        return self.published().filter(next_review_due__lte=soon)


# The fields of an article's medical review, checked together.
REVIEW_FIELDS = frozenset({"reviewed_by", "reviewed_on", "next_review_due"})


# WordPress's "Read more" tag (<!--more-->, or <!--more Continue-->): what is before it is the article's teaser.
MORE_TAG = re.compile(r"<!--more(.*?)?-->", re.DOTALL)  # WordPress's own pattern


def new_feed_id() -> str:
    return f"urn:uuid:{uuid.uuid4()}"


# What a new article's first autosave is kept under until the writer names it (WordPress's auto-draft).
UNNAMED_TITLE = _("(no title)")
UNNAMED_SLUG = re.compile(r"draft-[0-9a-f]{32}")


def unnamed_slug() -> str:
    """A slug of UNNAMED_SLUG's shape, of this draft's own."""
    return f"draft-{uuid.uuid4().hex}"


def is_unnamed_title(title: str) -> bool:
    return title == str(UNNAMED_TITLE)


def is_unnamed_slug(slug: str) -> bool:
    return bool(UNNAMED_SLUG.fullmatch(slug))


class Article(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")

    # What a list of articles (or of their comments) need not read: the article's text in its several forms.
    LONG_TEXT_FIELDS = ("body", "body_html", "body_text", "teaser_text", "excerpt")

    title = models.CharField(_("title"), max_length=200)
    slug = LowercaseSlugField(
        _("slug"),
        max_length=200,
        unique=True,
        help_text=_("The last part of the article's address. Filled in from the title; unique across the site."),
        error_messages={"unique": _("Another article already uses this slug. Choose a different one.")},
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="articles",
        verbose_name=_("author"),
    )
    body = models.TextField(
        _("body"),
        help_text=_(
            "HTML. Headings (h2 to h6), paragraphs, lists, links, images from this site, quotes, "
            "code and tables are kept; anything else (scripts, styles, event attributes) is removed."
        ),
    )
    body_html = models.TextField(_("body as published"), editable=False)
    # The words of the body, for search and automatic summaries.
    body_text = models.TextField(_("body as text"), editable=False, default="")
    # The words before WordPress's "Read more" tag, when the body has one: the automatic summary is made of them.
    teaser_text = models.TextField(_("teaser as text"), editable=False, default="")
    excerpt = models.TextField(
        _("excerpt"),
        blank=True,
        help_text=_("A plain-text summary for the front page and feeds. Leave blank to use the first words."),
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    published_at = models.DateTimeField(
        _("publish date"),
        null=True,
        blank=True,
        help_text=_("A date in the future schedules the article. Set when the article is published."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    # What feed readers know the article by (RSS's guid, Atom's id), as WordPress's GUID: fixed when it is made, so
    # that a new slug or date never shows it to them again as new; an imported post keeps its WordPress one.
    feed_id = models.CharField(_("feed ID"), max_length=255, default=new_feed_id, editable=False)
    categories = models.ManyToManyField(Category, blank=True, related_name="articles", verbose_name=_("categories"))
    tags = models.ManyToManyField(Tag, blank=True, related_name="articles", verbose_name=_("tags"))
    sticky = models.BooleanField(
        _("stick to the top of the front page"),
        default=False,
        help_text=_("Shown first on the front page, marked Featured, while ticked (WordPress's sticky posts)."),
    )
    comments_open = models.BooleanField(
        _("comments open"),
        default=True,
        help_text=_("Readers may leave a reply. Existing comments stay visible when closed."),
    )
    featured_image = models.ForeignKey(
        Image,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="featured_in",
        verbose_name=_("featured image"),
        help_text=_(
            "Shown under the title, on the front page and when the article is shared. "
            "Without one, sharing uses the first picture of the body."
        ),
    )
    reviewed_by = models.ForeignKey(
        Reviewer,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reviewed_articles",
        verbose_name=_("medically reviewed by"),
    )
    reviewed_on = models.DateField(_("last reviewed"), null=True, blank=True)
    next_review_due = models.DateField(
        _("next review due"),
        null=True,
        blank=True,
        help_text=_("Filled in from the review cycle when left blank."),
    )

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-id"]
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        permissions = [
            ("change_others_article", _("Can edit articles written by others")),
            ("review_article", _("Can record a medical review")),
        ]
        constraints = [
            models.CheckConstraint(condition=models.Q(status__in=["draft", "published"]), name="article_status_valid"),
            models.CheckConstraint(
                condition=models.Q(status="draft") | models.Q(published_at__isnull=False),
                name="article_published_has_date",
            ),
        ]
        indexes = [models.Index(fields=["status", "-published_at"], name="article_status_published")]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = slugify(self.title)[:200]
        # The published HTML is always derived from what the author typed.
        self.body_html = sanitize.clean_article_html(self.body, pictures=body_pictures)
        self.body_text = sanitize.text_of(self.body_html)
        more = MORE_TAG.search(self.body)
        self.teaser_text = sanitize.text_of(sanitize.clean_article_html(self.body[: more.start()])) if more else ""
        if kwargs.get("update_fields") is not None and "body" in kwargs["update_fields"]:
            kwargs["update_fields"] = {*kwargs["update_fields"], "body_html", "body_text", "teaser_text"}
        before = self._address_readers_know(kwargs.get("update_fields"))
        super().save(*args, **kwargs)
        if before is not None and before != self.permalink_kwargs:
            addresses.moved.send(sender=Article, article=self, old=before)

    def get_absolute_url(self) -> str:
        return reverse("articles:detail", kwargs=self.permalink_kwargs)

    def list_addresses(self) -> list[str]:
        """The lists that show this article, each with its later pages: the front page, its archives by date, by
        category, by tag and by author, and the feeds of the site, its categories, tags and author (what another app
        changes on them, a count of comments, it tells them of)."""
        day = self.permalink_kwargs
        # Its categories, tags and author's page in one query: a row for each category and tag together (few).
        filed = Article.objects.filter(pk=self.pk).values_list("categories__slug", "tags__slug", "author__author_slug")
        categories, tags, authors = (set(column) - {None} for column in zip(*filed, strict=True))
        # Each list with a feed: its address, then its feed's, RSS and Atom.
        with_feeds = [
            ("articles:front", "articles:feed", {}),
            *(("articles:category", "articles:category-feed", {"slug": slug}) for slug in categories),
            *(("articles:tag", "articles:tag-feed", {"slug": slug}) for slug in tags),
            *(("articles:author", "articles:author-feed", {"slug": slug}) for slug in authors),
        ]
        return [
            reverse("articles:year", kwargs={"year": day["year"]}),
            reverse("articles:month", kwargs={"year": day["year"], "month": day["month"]}),
            reverse("articles:day", kwargs={"year": day["year"], "month": day["month"], "day": day["day"]}),
            *(
                reverse(name, kwargs=kwargs)
                for page, feed, kwargs in with_feeds
                for name in (page, feed, f"{feed}-atom")
            ),
        ]

    def neighbours(self) -> tuple["Article | None", "Article | None"]:
        """The published articles just before and just after this one, which "Previous article" and "Next article"
        lead to (WordPress's post navigation); of two published at the same moment, the one made first is before."""
        published = Article.objects.published().only("title", "slug", "published_at")
        at, pk = self.published_at, self.pk
        before = models.Q(published_at__lt=at) | models.Q(published_at=at, pk__lt=pk)
        after = models.Q(published_at__gt=at) | models.Q(published_at=at, pk__gt=pk)
        # One query for both: each is a subquery of it.
        earlier = published.filter(before).order_by("-published_at", "-pk").values("pk")[:1]
        later = published.filter(after).order_by("published_at", "pk").values("pk")[:1]
        found = list(published.filter(models.Q(pk=models.Subquery(earlier)) | models.Q(pk=models.Subquery(later))))
        return (
            next((article for article in found if (article.published_at, article.pk) < (at, pk)), None),
            next((article for article in found if (article.published_at, article.pk) > (at, pk)), None),
        )

    @property
    def permalink_kwargs(self) -> dict:
        """The parts of /YYYY/MM/DD/slug/, in the site's time zone; its like and unlike addresses share them."""
        day = timezone.localtime(self.published_at or self.created_at or timezone.now())
        return {"year": f"{day.year:04d}", "month": f"{day.month:02d}", "day": f"{day.day:02d}", "slug": self.slug}

    def _address_readers_know(self, update_fields) -> dict | None:
        """The permalink_kwargs of the article as saved, if readers could see it there (published, its time come) and
        this save may change it."""
        if self.pk is None or (update_fields is not None and not {"slug", "published_at"} & set(update_fields)):
            return None
        saved = Article.objects.published().filter(pk=self.pk).only("slug", "published_at", "created_at").first()
        return saved.permalink_kwargs if saved else None

    def full_clean(self, exclude=None, validate_unique=True, validate_constraints=True) -> None:
        # A form that shows the review read-only (an author's) neither checks nor changes it.
        self._review_in_form = not REVIEW_FIELDS & set(exclude or ())
        super().full_clean(exclude, validate_unique, validate_constraints)

    def clean(self) -> None:
        if self.status == self.Status.PUBLISHED and self.published_at is None:
            self.published_at = timezone.now()
        check_pictures_described(self.body)
        if getattr(self, "_review_in_form", True):
            self._clean_review()

    def _clean_review(self) -> None:
        errors = {}
        if self.reviewed_by_id and not self.reviewed_on:
            errors["reviewed_on"] = _("Give the date of the review.")
        if self.reviewed_on and not self.reviewed_by_id:
            errors["reviewed_by"] = _("Choose who reviewed the article.")
        if self.next_review_due and not self.reviewed_on:
            errors["next_review_due"] = _("Record the review first: the next one follows it.")
        if self.reviewed_on and self.reviewed_on > timezone.localdate():
            errors["reviewed_on"] = _("A review cannot be dated in the future.")
        if self.reviewed_on and self.next_review_due and self.next_review_due <= self.reviewed_on:
            errors["next_review_due"] = _("The next review comes after the last one.")
        if errors:
            raise ValidationError(errors)
        if self.reviewed_on and not self.next_review_due:
            self.next_review_due = self.reviewed_on + datetime.timedelta(days=settings.REVIEW_CYCLE_DAYS)

    def mark_reviewed(self, *, on: datetime.date | None = None) -> None:
        """The reviewer checked it again: today's date, and the next review one cycle later."""
        if not self.reviewed_by_id:
            raise ValidationError(_("“%(title)s” has no medical reviewer yet.") % {"title": self.title})
        self.reviewed_on = on or timezone.localdate()
        self.next_review_due = self.reviewed_on + datetime.timedelta(days=settings.REVIEW_CYCLE_DAYS)
        self.save(update_fields=["reviewed_on", "next_review_due", "updated_at"])

    @property
    def review_overdue(self) -> bool:
        """Whether the date of its next medical review has passed (readers are told; the admin lists it)."""
        return bool(self.next_review_due) and self.next_review_due < timezone.localdate()

    @property
    def review_state(self) -> str:
        """For the admin: overdue, due soon, current, or not reviewed."""
        if not self.next_review_due:
            return "current" if self.reviewed_on else "not reviewed"
        if self.review_overdue:
            return "overdue"
        today = timezone.localdate()
        if self.next_review_due <= today + datetime.timedelta(days=settings.REVIEW_DUE_SOON_DAYS):
            return "due soon"
        return "current"

    @property
    def is_public(self) -> bool:
        """Whether readers can see it now."""
        return (
            self.status == self.Status.PUBLISHED
            and self.published_at is not None
            and self.published_at <= timezone.now()
        )

    @property
    def is_scheduled(self) -> bool:
        return (
            self.status == self.Status.PUBLISHED
            and self.published_at is not None
            and self.published_at > timezone.now()
        )

    @property
    def state_label(self) -> str:
        """Draft, Scheduled or Published, as the admin list shows it."""
        if self.is_scheduled:
            return str(_("Scheduled"))
        return self.get_status_display()

    @property
    def summary(self) -> str:
        """The excerpt, or the first words of the body (of those before its "Read more" tag, if it has one, as
        WordPress's lists show): plain text, escaped by whatever shows it."""
        return self.excerpt or Truncator(self.teaser_text or self.body_text).words(55)

    def publish(self, *, at=None) -> None:
        """Publish now, or at a future time (which schedules it). Not a draft its first autosave kept before it was
        named: it would be published as "(no title)" at draft-<uuid>."""
        if is_unnamed_title(self.title) or is_unnamed_slug(self.slug):
            raise ValidationError(
                _("“%(title)s” has no title or address of its own yet: give them to it before publishing it.")
                % {"title": self.title}
            )
        if self.is_scheduled:
            raise ValidationError(
                _("“%(title)s” is scheduled for %(date)s: to publish it now, set its date to now.")
                % {
                    "title": self.title,
                    "date": formats.date_format(timezone.localtime(self.published_at), "DATETIME_FORMAT"),
                }
            )
        if self.status == self.Status.PUBLISHED:
            raise ValidationError(_("“%(title)s” is already published.") % {"title": self.title})
        self.status = self.Status.PUBLISHED
        self.published_at = at or self.published_at or timezone.now()
        self.save(update_fields=["status", "published_at", "updated_at"])

    def unpublish(self) -> None:
        """Take it off the site; it becomes a draft again."""
        if self.status == self.Status.DRAFT:
            raise ValidationError(_("“%(title)s” is already a draft.") % {"title": self.title})
        self.status = self.Status.DRAFT
        self.save(update_fields=["status", "updated_at"])


class Revision(models.Model):
    """An article as one save left it: who saved it, when, and what readers see of it (the body as typed)."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="revisions", verbose_name=_("article"))
    saved_at = models.DateTimeField(_("saved"), default=timezone.now)
    saved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("saved by"),
    )
    note = models.CharField(_("what happened"), max_length=200, blank=True)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("body"))
    excerpt = models.TextField(_("excerpt"), blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Article.Status.choices)
    published_at = models.DateTimeField(_("publish date"), null=True, blank=True)
    # What the editor kept while someone wrote, not a save: one per writer and article, replaced as they go on.
    autosave = models.BooleanField(_("autosave"), default=False)

    class Meta:
        ordering = ["-saved_at", "-pk"]
        verbose_name = _("revision")
        verbose_name_plural = _("revisions")
        indexes = [models.Index(fields=["article", "-saved_at"], name="revision_article_newest")]
        constraints = [
            models.UniqueConstraint(
                fields=["article", "saved_by"], condition=models.Q(autosave=True), name="revision_one_autosave_each"
            )
        ]

    def __str__(self) -> str:
        return _("“%(title)s” as saved on %(date)s") % {"title": self.title, "date": self.saved_at}

    # What a revision keeps of the article, and what restoring it puts back.
    KEPT = ("title", "body", "excerpt", "status", "published_at")
    RESTORED = ("title", "body", "excerpt")

    @classmethod
    def record(cls, article: Article, *, by, note: str = "") -> "Revision":
        return cls.objects.create(
            article=article, saved_by=by, note=note, **{name: getattr(article, name) for name in cls.KEPT}
        )

    @property
    def state(self) -> str:
        """What the article was when saved, as its list says it: published with a date after the save, scheduled."""
        if self.status == Article.Status.PUBLISHED and self.published_at and self.published_at > self.saved_at:
            return str(_("Scheduled"))
        return self.get_status_display()

    @classmethod
    def keep_autosave(cls, article: Article, *, by, title: str, body: str, excerpt: str) -> "Revision":
        """What `by` is writing, as their one autosave of the article; the article itself does not change. Kept as
        typed, but for NUL characters (pasted from another program), which no text column takes and forms refuse."""
        title, body, excerpt = (text.replace("\x00", "") for text in (title, body, excerpt))
        kept = {
            "title": title[: cls._meta.get_field("title").max_length],
            "body": body,
            "excerpt": excerpt,
            "status": article.status,
            "published_at": article.published_at,
            "saved_at": timezone.now(),
            "note": _("Autosave, not saved to the article"),
        }
        autosave, _created = cls.objects.update_or_create(article=article, saved_by=by, autosave=True, defaults=kept)
        return autosave


# Said by the constraint, and by the admin's references table, which checks its rows together.
REFERENCE_NUMBER_TAKEN = _("This article already has a reference with this number.")


class Reference(models.Model):
    """A numbered source an article rests on; "[2]" in the body links to reference 2."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="references", verbose_name=_("article"))
    number = models.PositiveSmallIntegerField(
        _("number"), validators=[MinValueValidator(1), MaxValueValidator(999)], help_text=_("Cite it as [number].")
    )
    citation = models.TextField(
        _("citation"),
        max_length=1000,
        validators=[validate_visible_text],
        help_text=_("Plain text: authors, title, journal or publisher, year."),
    )
    url = models.URLField(_("address"), max_length=500, blank=True, validators=[validate_public_website])

    class Meta:
        ordering = ["number"]
        verbose_name = _("reference")
        verbose_name_plural = _("references")
        constraints = [
            models.UniqueConstraint(
                fields=["article", "number"],
                name="reference_number_once_per_article",
                violation_error_message=REFERENCE_NUMBER_TAKEN,
            )
        ]

    def __str__(self) -> str:
        return f"[{self.number}] {self.citation}"


class MedicalDisclaimer(OneRow):
    """The site's medical disclaimer, set once and shown under every article."""

    text = models.TextField(
        _("disclaimer"),
        blank=True,
        max_length=2000,
        default=_(
            "This article is for general information only. It is not a substitute for advice from a doctor or "
            "other health professional who knows your situation. If you are worried about your health, contact "
            "your doctor; in an emergency, call your local emergency number."
        ),
        help_text=_("Plain text; a blank line starts a new paragraph. Leave empty to show none."),
    )

    class Meta:
        verbose_name = _("medical disclaimer")
        verbose_name_plural = _("medical disclaimer")
        constraints = [models.CheckConstraint(condition=models.Q(pk=1), name="medical_disclaimer_one_row")]

    def __str__(self) -> str:
        return str(_("Medical disclaimer"))


def authors_with_archives():
    """The accounts with a page of their articles (/author/<slug>/): a published article, and a name to sign it with
    (byline_name: never a login name). A draft reveals no one."""
    published = Article.objects.published().filter(author=models.OuterRef("pk"))
    named = ~models.Q(display_name="") | ~models.Q(first_name="") | ~models.Q(last_name="")
    return get_user_model().objects.filter(named, models.Exists(published), author_slug__isnull=False)


def may_edit_others(user) -> bool:
    """Whether this account edits the articles others wrote too (Editors, as WordPress's)."""
    return user.has_perm("articles.change_others_article")


def is_article_writer(user) -> bool:
    """Whether this account writes articles in the admin (staff, allowed to change articles)."""
    return bool(user and user.is_authenticated and user.is_staff and user.has_perm("articles.change_article"))


def may_edit(user, article: Article) -> bool:
    """Whether this account changes this article in the admin: a writer their own, an editor any (WordPress's
    edit_post). The admin, the Edit link under the article and the moderation of its comments all ask this."""
    return is_article_writer(user) and (article.author_id == user.pk or may_edit_others(user))


def readers_find_path(path: str) -> bool:
    """Whether readers see what is at this path of the site, as far as articles know: not at an article's address (its
    page, its comment feeds) while it is a draft or scheduled."""
    try:
        match = resolve(path)
    except Resolver404:
        return True
    if not (match.route or "").startswith(PERMALINK):
        return True
    return not Article.objects.filter(slug=match.kwargs["slug"]).exclude(pk__in=Article.objects.published()).exists()


def may_edit_pages(user) -> bool:
    """Whether this account changes the site's pages in the admin (and sees their drafts)."""
    return bool(user.is_staff and user.has_perm("articles.change_page"))


def _first_segments() -> set[str]:
    """The first part of every address the site answers that starts with a word (admin, comments, feed…), and of
    its static files and pictures."""
    segments = {settings.STATIC_URL.strip("/").split("/")[0], settings.MEDIA_URL.strip("/").split("/")[0]}

    def walk(patterns, prefix: str) -> None:
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            first = route.lstrip("^/").split("/")[0]
            if first and not re.search(r"[<(\\[?*+$]", first):
                segments.add(first)
            elif not first and hasattr(pattern, "url_patterns"):
                walk(pattern.url_patterns, route)

    walk(get_resolver().url_patterns, "")
    return segments


class PageQuerySet(models.QuerySet):
    def published(self) -> "PageQuerySet":
        return self.filter(published=True)

    def in_footer(self) -> "PageQuerySet":
        """What every page's footer links to, in the order chosen."""
        return self.published().filter(in_footer=True).order_by("footer_position", "title")


class Page(models.Model):
    """One of the site's own pages, as WordPress's Pages: About us, Editorial policy, Privacy policy. Not an
    article: no date in its address, no comments, no feed; at /slug/, and linked in the footer if chosen."""

    title = models.CharField(_("title"), max_length=200, validators=[validate_visible_text])
    slug = LowercaseSlugField(
        _("slug"), max_length=100, unique=True, help_text=_("Its address: /slug/. Not one the site already uses.")
    )
    body = models.TextField(_("body"), help_text=Article._meta.get_field("body").help_text)
    body_html = models.TextField(_("body as published"), editable=False)
    published = models.BooleanField(_("published"), default=False, help_text=_("Readers see it; a draft is 404."))
    in_footer = models.BooleanField(_("linked in the footer"), default=False)
    footer_position = models.PositiveSmallIntegerField(_("position in the footer"), default=0)
    # When its title or body last changed: not its place in the footer (a privacy policy says when it was updated).
    updated_at = models.DateTimeField(_("last updated"), default=timezone.now, editable=False)
    # Any save's: what the change form tells a later save by.
    saved_at = models.DateTimeField(_("saved"), auto_now=True)

    objects = PageQuerySet.as_manager()

    class Meta:
        ordering = ["footer_position", "title"]
        verbose_name = _("page")
        verbose_name_plural = _("pages")

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs):
        self.body_html = sanitize.clean_article_html(self.body, pictures=body_pictures)
        if kwargs.get("update_fields") is not None and "body" in kwargs["update_fields"]:
            kwargs["update_fields"] = {*kwargs["update_fields"], "body_html"}
        stored = (
            {}
            if self._state.adding
            else Page.objects.filter(pk=self.pk).values("slug", "published", "title", "body").first() or {}
        )
        if (stored.get("title"), stored.get("body")) != (self.title, self.body):
            self.updated_at = timezone.now()
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "updated_at"}
        super().save(*args, **kwargs)
        # The address readers knew, if they could see the page: it leads to the new one for good (as an article's).
        if stored.get("published") and stored["slug"] != self.slug:
            addresses.lead_on(reverse("articles:page", kwargs={"slug": stored["slug"]}), self.get_absolute_url())

    def get_absolute_url(self) -> str:
        return reverse("articles:page", kwargs={"slug": self.slug})

    def clean(self) -> None:
        check_pictures_described(self.body)
        # Not an address the site already answers (/feed/, /search/, a year's archive /2026/), nor one its other
        # addresses start with (/admin/, /comments/, /static/). A slug that is none at all has its own error.
        try:
            validate_slug(self.slug)
        except ValidationError:
            return
        try:
            taken = resolve(f"/{self.slug}/").view_name != "articles:page"
        except Resolver404:
            taken = True
        if taken or self.slug in _first_segments():
            message = _("The site already uses /%(slug)s/: choose another.") % {"slug": self.slug}
            raise ValidationError({"slug": message})


class Like(models.Model):
    """A signed-in reader likes an article: once, however many clicks and tabs."""

    # Not indexed on its own: the constraint's index and the page's index both start with it.
    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="likes", db_index=False, verbose_name=_("article")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="likes", verbose_name=_("reader")
    )
    created_at = models.DateTimeField(_("liked"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("like")
        verbose_name_plural = _("likes")
        constraints = [models.UniqueConstraint(fields=["article", "user"], name="like_once_per_reader")]
        # The article page shows its first likers, oldest first.
        indexes = [models.Index(fields=["article", "created_at"], name="like_article_oldest_first")]

    def __str__(self) -> str:
        return _("%(reader)s likes “%(article)s”") % {"reader": self.user, "article": self.article}
