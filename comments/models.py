import ipaddress
from collections.abc import Collection
from dataclasses import dataclass
from functools import cached_property

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from accounts.services import verified_addresses
from articles.models import Article, is_article_writer, may_edit, may_edit_others
from config import pagecache
from config.models import OneRow

from . import safety

# The subscription models belong to this app; Django finds them through this import.
from .subscriptions.models import Delivery, Subscription  # noqa: F401

SMALL_INTEGER_MAX = 32_767  # the largest number a PositiveSmallIntegerField holds on PostgreSQL

MAX_COMMENT_LENGTH = 65_525  # WordPress's limit: the size of a MySQL TEXT column, less some room.


def validate_comment_length(body: str) -> None:
    """What a comment says is no longer than a comment may be: posted, edited by its writer, or made longer in the
    admin (comments.admin.CommentChangeForm)."""
    if len(body) > MAX_COMMENT_LENGTH:
        raise ValidationError(
            _("The comment is too long: %(length)d characters, the limit is %(limit)d."),
            code="too_long",
            params={"length": len(body), "limit": MAX_COMMENT_LENGTH},
        )


# ---- Who moderates -------------------------------------------------------------
# Django's permission to change comments is what makes a comment moderator, as
# WordPress's moderate_comments capability: superusers and the Moderators group hold it.
MODERATE_COMMENTS = "comments.change_comment"


def is_comment_moderator(user) -> bool:
    """Whether this account may moderate comments."""
    return bool(user and user.is_authenticated and user.has_perm(MODERATE_COMMENTS))


# As WordPress lets an Author edit the comments of their own posts (its edit_comment capability follows
# edit_post), an article's author moderates the comments under it: a staff account that may still edit
# articles, for the article it wrote; an Editor, who edits every article, those of every article. Comment
# moderators moderate every article's comments (and are the ones told about held comments).
def moderates_every_article(user) -> bool:
    """A comment moderator, or a writer who edits every article (an Editor)."""
    return is_comment_moderator(user) or (is_article_writer(user) and may_edit_others(user))


def may_moderate_comments_on(user, article: Article) -> bool:
    """Whether this account may moderate the comments of this article: a comment moderator, or one who may edit it."""
    return is_comment_moderator(user) or may_edit(user, article)


def is_trusted_commenter(user) -> bool:
    """Staff and comment moderators: their comments are approved at once and never throttled."""
    return bool(user and user.is_authenticated and (user.is_staff or is_comment_moderator(user)))


def moderators() -> models.QuerySet:
    """Active accounts that may moderate comments (superusers and the Moderators group): who is told about held ones."""
    # allauth's backend is configured too, so Django asks which one grants permissions.
    return get_user_model().objects.with_perm(
        MODERATE_COMMENTS, is_active=True, include_superusers=True, backend="django.contrib.auth.backends.ModelBackend"
    )


def moderators_of(article: Article) -> models.QuerySet:
    """Active accounts that may moderate this article's comments: the comment moderators, and its author while
    they write articles (may_moderate_comments_on)."""
    writer = get_user_model().objects.with_perm(
        "articles.change_article",
        is_active=True,
        include_superusers=True,
        backend="django.contrib.auth.backends.ModelBackend",
    )
    return moderators() | writer.filter(pk=article.author_id, is_staff=True)


class DiscussionSettings(OneRow):
    """The site owner's discussion rules: one row, like WordPress's Settings → Discussion."""

    manual_approval = models.BooleanField(
        _("comments must be manually approved"),
        default=False,
        help_text=_("Hold every comment for a moderator, whoever wrote it (staff and moderators excepted)."),
    )
    require_previous_approval = models.BooleanField(
        _("comment author must have a previously approved comment"),
        default=True,
        help_text=_("A first comment from a new name and email (or a new account) waits for a moderator."),
    )
    hold_link_count = models.PositiveSmallIntegerField(
        _("hold a comment with this many links or more"),
        default=2,
        help_text=_("A common trait of comment spam is many links. 0 turns this rule off."),
    )
    moderation_words = models.TextField(
        _("moderation words"),
        blank=True,
        help_text=_(
            "One word or IP address per line. A comment whose text, name, email, website, IP address or "
            "browser contains one of them is held for moderation. Matched inside words, ignoring case."
        ),
    )
    disallowed_words = models.TextField(
        _("disallowed words"),
        blank=True,
        help_text=_(
            "One word or IP address per line, matched like moderation words; such a comment goes to the trash."
        ),
    )
    registration_required = models.BooleanField(_("readers must be signed in to comment"), default=False)
    close_after_days = models.PositiveIntegerField(
        _("close comments on articles older than (days)"),
        null=True,
        blank=True,
        # Counted back from today, a million days fall before the year 1: every article's page failed.
        validators=[MaxValueValidator(36_500)],
        help_text=_(
            "Leave blank to keep comments open for as long as each article allows. At most 36500 (a hundred years)."
        ),
    )
    thread_depth = models.PositiveSmallIntegerField(
        _("threaded comments levels deep"),
        default=5,
        validators=[MinValueValidator(1), MaxValueValidator(10)],
        help_text=_("1 turns threading off: every comment is a reply to the article."),
    )
    comments_per_page = models.PositiveSmallIntegerField(
        _("top-level comments per page"), default=50, validators=[MinValueValidator(1)]
    )

    class FirstCommentPage(models.TextChoices):
        FIRST = "first", _("the first page (the oldest comments)")
        LAST = "last", _("the last page (the newest comments)")

    first_comment_page = models.CharField(
        _("page of comments an article shows first"),
        max_length=10,
        choices=FirstCommentPage.choices,
        default=FirstCommentPage.FIRST,
        help_text=_("When its comments take several pages: the one its address shows, the others a link away."),
    )

    class CommentOrder(models.TextChoices):
        OLDER_FIRST = "older", _("older comments at the top of each page")
        NEWER_FIRST = "newer", _("newer comments at the top of each page")

    comment_order = models.CharField(
        _("order of comments"),
        max_length=10,
        choices=CommentOrder.choices,
        default=CommentOrder.OLDER_FIRST,
        help_text=_("Of the top-level comments; replies follow the comment they answer, oldest first."),
    )
    # The times below are refused past what PostgreSQL's column holds on SQLite too, which keeps any number:
    # 99999999999 seconds or minutes counted back from now fall before the year 1.
    flood_seconds = models.PositiveSmallIntegerField(
        _("seconds between two comments from the same reader"),
        default=15,
        validators=[MaxValueValidator(SMALL_INTEGER_MAX)],
        help_text=_("Staff and moderators are exempt. 0 turns this check off."),
    )
    minimum_fill_seconds = models.PositiveSmallIntegerField(
        _("minimum seconds to fill in the form"),
        default=3,
        validators=[MaxValueValidator(SMALL_INTEGER_MAX)],
        help_text=_("A form sent back faster is likely a program's: the comment waits for a moderator."),
    )
    edit_window_minutes = models.PositiveSmallIntegerField(
        _("minutes a reader may edit or delete their own comment"),
        default=15,
        validators=[MaxValueValidator(SMALL_INTEGER_MAX)],
        help_text=_("Counted from posting; editing also closes once someone has replied. 0 turns it off."),
    )

    class BlockedComments(models.TextChoices):
        SPAM = "spam", _("Go to spam without a word (the commenter is not told)")
        REFUSE = "refuse", _("Are refused with a message")

    blocked_comments = models.CharField(
        _("comments from a blocked commenter"),
        max_length=10,
        choices=BlockedComments.choices,
        default=BlockedComments.SPAM,
    )
    reports_to_hold = models.PositiveSmallIntegerField(
        _("hold a comment reported by this many readers"),
        default=3,
        validators=[MinValueValidator(1)],
        help_text=_(
            "Reports (the Report link under each comment) from this many different readers take it off the page."
        ),
    )
    use_gravatar = models.BooleanField(
        _("show Gravatar avatars"),
        default=False,
        help_text=_(
            "Off: avatars are drawn by this site from a hash of the email, and no other site learns who reads "
            "which page. On: every page view asks gravatar.com for each commenter's picture."
        ),
    )

    class Meta:
        verbose_name = _("discussion settings")
        verbose_name_plural = _("discussion settings")
        constraints = [models.CheckConstraint(condition=models.Q(pk=1), name="discussion_settings_one_row")]

    def __str__(self) -> str:
        return str(_("Discussion settings"))

    @staticmethod
    def words(text: str) -> list[str]:
        return [line.strip().lower() for line in text.splitlines() if line.strip()]

    def next_closing(self):
        """When comments next close on their own on a published article (the "older than N days" rule), or None."""
        if (closed_before := self.closed_before()) is None:
            return None
        age = timezone.timedelta(days=self.close_after_days)
        oldest_open = (
            Article.objects.published()
            .filter(comments_open=True, published_at__gt=closed_before)
            .aggregate(first=models.Min("published_at"))["first"]
        )
        return oldest_open + age if oldest_open else None

    def closed_before(self):
        """The publish date before which an article's comments are closed (the "older than N days" rule), or None.
        None too for a number of days counted back past the year 1 (one saved before the limit of migration 0020):
        no article is that old."""
        if not self.close_after_days:
            return None
        try:
            return timezone.now() - timezone.timedelta(days=self.close_after_days)
        except OverflowError:
            return None

    def comments_page_url(self, article: Article, number: int, *, anchor: str) -> str:
        """The address of a page of the article's comments, at `anchor`: with ?cpage= where page_in_address says."""
        query = f"?cpage={number}" if self.page_in_address(number) else ""
        return f"{article.get_absolute_url()}{query}#{anchor}"

    def page_in_address(self, number: int) -> bool:
        """Whether a link to this page of an article's comments says which (?cpage=): not to the first page when the
        article shows it first; always when it shows the last first (which page is last changes with each comment)."""
        return number > 1 or self.first_comment_page == self.FirstCommentPage.LAST

    def comments_closed_for(self, article: Article) -> bool:
        """Whether readers may no longer comment on this article."""
        if not article.comments_open:
            return True
        closed_before = self.closed_before()
        return bool(closed_before and article.published_at and article.published_at < closed_before)


class SafetyRule(models.Model):
    """Phrases that may describe an emergency, and what a reader who writes one is told at once (comments/safety.py)."""

    name = models.CharField(_("name"), max_length=100, unique=True, help_text=_("Named to moderators as the reason."))
    phrases = models.TextField(
        _("phrases"),
        help_text=_(
            "One per line, in any language. Whole words, whatever the case or accents: “face drooping” does not "
            "match “interface drooping”."
        ),
    )
    message = models.TextField(
        _("message to the reader"), help_text=_("Shown at once above their comment, which is held for a moderator.")
    )
    link_url = models.URLField(_("link"), blank=True, help_text=_("Where the reader finds help."))
    link_text = models.CharField(_("link text"), max_length=200, blank=True)
    enabled = models.BooleanField(_("enabled"), default=True, help_text=_("A disabled rule does nothing."))
    position = models.PositiveSmallIntegerField(_("order"), default=0, help_text=_("Rules are tried in this order."))

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("safety rule")
        verbose_name_plural = _("safety rules")

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if not safety.phrases_of(self.phrases):
            raise ValidationError({"phrases": _("Give at least one phrase.")})
        if self.link_text and not self.link_url:
            raise ValidationError({"link_url": _("Give the link's address, or leave its text empty.")})

    def found_in(self, text: str) -> str | None:
        """The phrase of this rule that the text contains, if any."""
        return safety.first_phrase_found(safety.phrases_of(self.phrases), text)

    @classmethod
    def first_matching(cls, text: str) -> tuple["SafetyRule", str] | tuple[None, None]:
        """The first enabled rule the text matches, and the phrase found.

        The enabled rules are kept in the shared cache until the site next changes (a rule saved changes it)."""
        for rule in pagecache.site_kept("safety-rules", lambda: list(cls.objects.filter(enabled=True))):
            if phrase := rule.found_in(text):
                return rule, phrase
        return None, None


class CommentStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    APPROVED = "approved", _("Approved")
    SPAM = "spam", _("Spam")
    TRASH = "trash", _("Trash")


class ModerationAction(models.TextChoices):
    """What a moderator does to a comment; the label is the short word of the admin's row buttons, as in WordPress.

    MODERATION below says what each does and how the site words it: the model's transitions,
    the admin's buttons and bulk actions, and the email's links all read it."""

    APPROVE = "approve", _("Approve")
    UNAPPROVE = "unapprove", _("Unapprove")
    MARK_SPAM = "mark_spam", _("Spam")
    TRASH = "trash", _("Trash")
    RESTORE = "restore", _("Restore")


@dataclass(frozen=True)
class Moderation:
    """One moderation action: the statuses it applies to, the status it gives, and its words."""

    allowed_from: frozenset[str]
    to: CommentStatus
    reason: Promise | str  # kept as the comment's status reason
    description: Promise  # the admin's bulk action, the button of the email link's page
    question: Promise  # the title of a page that asks before acting
    done: Promise  # what the email link's page says once done
    done_count: Promise  # what the admin says once done, with %(count)d
    in_email: bool = False  # offered as a one-click link in the email about a held comment


MODERATION = {
    ModerationAction.APPROVE: Moderation(
        allowed_from=frozenset({CommentStatus.PENDING}),
        to=CommentStatus.APPROVED,
        reason="",
        description=_("Approve"),
        question=_("Approve this comment?"),
        done=_("Comment approved."),
        done_count=ngettext_lazy("%(count)d comment approved.", "%(count)d comments approved.", "count"),
        in_email=True,
    ),
    ModerationAction.UNAPPROVE: Moderation(
        allowed_from=frozenset({CommentStatus.APPROVED}),
        to=CommentStatus.PENDING,
        reason=_("unapproved by a moderator"),
        description=_("Unapprove"),
        question=_("Unapprove this comment?"),
        done=_("Comment unapproved."),
        done_count=ngettext_lazy("%(count)d comment unapproved.", "%(count)d comments unapproved.", "count"),
    ),
    ModerationAction.MARK_SPAM: Moderation(
        allowed_from=frozenset({CommentStatus.PENDING, CommentStatus.APPROVED}),
        to=CommentStatus.SPAM,
        reason=_("marked as spam by a moderator"),
        description=_("Mark as spam"),
        question=_("Mark this comment as spam?"),
        done=_("Comment marked as spam."),
        done_count=ngettext_lazy("%(count)d comment marked as spam.", "%(count)d comments marked as spam.", "count"),
        in_email=True,
    ),
    ModerationAction.TRASH: Moderation(
        allowed_from=frozenset({CommentStatus.PENDING, CommentStatus.APPROVED, CommentStatus.SPAM}),
        to=CommentStatus.TRASH,
        reason=_("trashed by a moderator"),
        description=_("Move to trash"),
        question=_("Move this comment to the trash?"),
        done=_("Comment moved to the trash."),
        done_count=ngettext_lazy(
            "%(count)d comment moved to the trash.", "%(count)d comments moved to the trash.", "count"
        ),
        in_email=True,
    ),
    ModerationAction.RESTORE: Moderation(
        allowed_from=frozenset({CommentStatus.SPAM, CommentStatus.TRASH}),
        to=CommentStatus.PENDING,
        reason=_("restored by a moderator"),
        description=_("Restore"),
        question=_("Restore this comment?"),
        done=_("Comment restored."),
        done_count=ngettext_lazy("%(count)d comment restored.", "%(count)d comments restored.", "count"),
    ),
}
EMAILED_ACTIONS = [action for action, moderation in MODERATION.items() if moderation.in_email]


class CommentQuerySet(models.QuerySet):
    def approved(self) -> "CommentQuerySet":
        """What readers see."""
        return self.filter(status=Comment.Status.APPROVED)

    def pending(self) -> "CommentQuerySet":
        """What waits for a moderator."""
        return self.filter(status=Comment.Status.PENDING)

    def live(self) -> "CommentQuerySet":
        """Approved or waiting: neither spam nor trash."""
        return self.filter(status__in=[Comment.Status.PENDING, Comment.Status.APPROVED])

    def unpublished(self) -> "CommentQuerySet":
        """What readers do not see: held, spam or trash."""
        return self.exclude(status=Comment.Status.APPROVED)

    def outside_trash(self) -> "CommentQuerySet":
        return self.exclude(status=Comment.Status.TRASH)

    def belonging_to(self, user) -> "CommentQuerySet":
        """The account's comments, and those written as a guest from one of its verified addresses."""
        return self.filter(models.Q(user=user) | models.Q(user__isnull=True, author_email__in=verified_addresses(user)))

    def moderated_by(self, user) -> "CommentQuerySet":
        """The comments this account may moderate: all of them for a comment moderator or an Editor, those under its
        own articles for an author (may_moderate_comments_on), none for anyone else."""
        if moderates_every_article(user):
            return self
        if is_article_writer(user):
            return self.filter(article__author=user)
        return self.none()

    def listed_to(self, user) -> "CommentQuerySet":
        """What the admin lists to this account: for an author, what it moderates (even if it may also look at every
        comment: what its list shows, its actions change); every comment to a moderator, or to an account that may
        only look."""
        if is_article_writer(user) and not is_comment_moderator(user):
            return self.moderated_by(user)
        return self

    def written_as_guest(self, email: str) -> "CommentQuerySet":
        """What a guest wrote with this address: never a member's comments, even from the same address."""
        return self.filter(user__isnull=True, author_email=email.strip().lower())

    def visible_to(self, *, held_ids: list[int]) -> "CommentQuerySet":
        """Approved comments, plus the reader's own held ones (those this session posted)."""
        return self.filter(
            models.Q(status=Comment.Status.APPROVED) | models.Q(status=Comment.Status.PENDING, pk__in=held_ids)
        )


class Comment(models.Model):
    Status = CommentStatus

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="comments", verbose_name=_("article"))
    # Deleting a comment must not take other people's replies with it:
    # comment_delete moves them up first. Deleting the article takes them all.
    parent = models.ForeignKey(
        "self", on_delete=models.RESTRICT, null=True, blank=True, related_name="replies", verbose_name=_("in reply to")
    )
    # The top-level comment of the thread (empty for a top-level comment): one
    # query fetches whole threads for a page of the article.
    thread = models.ForeignKey(
        "self", on_delete=models.RESTRICT, null=True, blank=True, related_name="+", editable=False
    )
    depth = models.PositiveSmallIntegerField(
        _("depth"), default=1, editable=False, help_text=_("1 for a comment on the article, 2 for a reply to it, …")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="comments",
        verbose_name=_("account"),
    )
    author_name = models.CharField(_("name"), max_length=100)
    # Lower-cased: compared to find a returning guest, a duplicate, or whose data to erase.
    author_email = models.EmailField(_("email"), blank=True, help_text=_("Never published."))
    author_url = models.URLField(_("website"), blank=True)
    body = models.TextField(_("comment"), help_text=_("As typed. The published HTML is cleaned from this."))
    body_html = models.TextField(_("comment as published"), editable=False)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    status_reason = models.CharField(
        _("why"), max_length=200, blank=True, help_text=_("The rule that held, trashed or marked it as spam.")
    )
    # The safety rule the comment matched when it was posted: its guidance is shown above the held comment.
    safety_rule = models.ForeignKey(
        SafetyRule,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="comments",
        editable=False,
        verbose_name=_("safety rule"),
    )
    edited_at = models.DateTimeField(_("edited by its author"), null=True, blank=True, editable=False)
    # Taken off the page with the rest of a blocked commenter's comments; shown again when that is undone.
    hidden_by_block = models.ForeignKey(
        "Block",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="hidden_comments",
        editable=False,
        verbose_name=_("hidden with the block"),
    )
    status_changed_at = models.DateTimeField(_("status changed"), null=True, blank=True, editable=False)
    # What Restore gives back: the status a moderator took it from to spam or trash (WordPress's
    # _wp_trash_meta_status); empty: pending (what the site or its writer took off the page waits for a moderator).
    restore_to = models.CharField(
        _("restored to"), max_length=20, choices=CommentStatus.choices, blank=True, editable=False
    )
    # When readers could first see it (a comment held again is not a new one to its moderators).
    first_published_at = models.DateTimeField(_("first published"), null=True, blank=True, editable=False)
    # When the article's author was emailed about it: once, however often it is put back (notifications).
    author_told_at = models.DateTimeField(_("article's author told"), null=True, blank=True, editable=False)
    status_changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        verbose_name=_("status changed by"),
    )
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True, editable=False)
    user_agent = models.CharField(_("browser"), max_length=500, blank=True, editable=False)
    created_at = models.DateTimeField(_("submitted"), default=timezone.now, editable=False)

    objects = CommentQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        constraints = [
            models.CheckConstraint(condition=models.Q(status__in=CommentStatus.values), name="comment_status_valid"),
            # A comment on the article starts its own thread; a reply sits in its parent's, one level down.
            models.CheckConstraint(
                condition=models.Q(parent__isnull=True, thread__isnull=True, depth=1)
                | models.Q(parent__isnull=False, thread__isnull=False, depth__gt=1),
                name="comment_place_in_thread",
            ),
            models.CheckConstraint(
                condition=models.Q(author_email=Lower("author_email")), name="comment_author_email_lower_case"
            ),
        ]
        indexes = [
            models.Index(fields=["article", "status", "created_at"], name="comment_article_page"),
            # The published conversations of an article, oldest first: its pages of comments, and which
            # page a comment is on, stay as quick however many comments wait for a moderator.
            models.Index(
                fields=["article", "created_at"],
                condition=models.Q(parent__isnull=True, status="approved"),
                name="comment_article_threads",
            ),
            models.Index(fields=["article", "thread"], name="comment_article_thread"),
            models.Index(fields=["status", "-created_at"], name="comment_moderation_queue"),
            models.Index(fields=["author_email"], name="comment_author_email"),
            models.Index(fields=["ip_address", "-created_at"], name="comment_ip_recent"),
        ]

    def __str__(self) -> str:
        return _("%(name)s on %(article)s") % {"name": self.author_display_name, "article": self.article}

    def save(self, *args, **kwargs):
        if self.status == CommentStatus.APPROVED and self.first_published_at is None:
            self.first_published_at = timezone.now()
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "first_published_at"}
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("comments:permalink", kwargs={"pk": self.pk})

    @classmethod
    def fitting_reason(cls, reason) -> str:
        """Why a comment has its status, cut to what the field keeps (a safety rule's phrase, a block's reason
        may be long)."""
        return str(reason)[: cls._meta.get_field("status_reason").max_length]

    @classmethod
    def fitting_name(cls, name: str) -> str:
        """The writer's name, cut to what the field keeps: a member's public name may be longer (a display name of
        150 characters, a first and last name); pages show the account's own."""
        return name[: cls._meta.get_field("author_name").max_length]

    @property
    def author_display_name(self) -> str:
        """The name readers see: the account's public name, or what the guest typed."""
        return self.user.public_name if self.user_id and self.user else self.author_name

    @property
    def author_website(self) -> str:
        return (self.user.website if self.user_id and self.user else "") or self.author_url

    @property
    def avatar_email(self) -> str:
        return (self.user.email if self.user_id and self.user else "") or self.author_email

    @property
    def moderation_actions(self) -> list[ModerationAction]:
        """What a moderator may do to this comment now."""
        return [action for action, moderation in MODERATION.items() if self.status in moderation.allowed_from]

    # State changes: the one way admin actions, email links and views change a status.
    def edit_closed_because(self, discussion: DiscussionSettings, *, opened_at=None) -> str:
        """Why its writer can no longer edit or delete the comment, or "" while they can; `opened_at`: when the page
        they send it from was shown (comments.tokens.edit_opened_at), which counts for the edit window."""
        if not discussion.edit_window_minutes:
            return str(_("Comments cannot be edited on this site."))
        if self.status not in (CommentStatus.APPROVED, CommentStatus.PENDING):
            return str(_("This comment is no longer on the page."))
        if min(timezone.now(), opened_at or timezone.now()) > self.editable_until(discussion):
            return str(
                _("The %(minutes)d minutes to edit or delete this comment are over.")
                % {"minutes": discussion.edit_window_minutes}
            )
        if self.replies.approved().exists():
            return str(_("Someone has replied to this comment, so it can no longer be changed."))
        return ""

    def editable_until(self, discussion: DiscussionSettings):
        return self.created_at + timezone.timedelta(minutes=discussion.edit_window_minutes)

    def moderate(self, action: ModerationAction, *, by, reason: str | None = None) -> None:
        """Apply a moderation action, refusing one the comment's status does not allow: a moderator's decision, or
        the site's own (`by` None: readers' reports, a block, the writer withdrawing it), which says its `reason`."""
        moderation = MODERATION[ModerationAction(action)]
        if self.status not in moderation.allowed_from:
            raise ValidationError(
                _("This comment is %(status)s; it cannot be moved to %(target)s.")
                % {"status": self.get_status_display().lower(), "target": moderation.to.label.lower()}
            )
        if action == ModerationAction.RESTORE:
            self.status, self.restore_to = self.restored_status, ""
        else:
            if moderation.to in (CommentStatus.SPAM, CommentStatus.TRASH) and self.status in (
                CommentStatus.PENDING,
                CommentStatus.APPROVED,
            ):
                # A moderator's decision is remembered for Restore; what the site or the writer took off is not.
                self.restore_to = self.status if by is not None else ""
            self.status = moderation.to
        self.status_reason = self.fitting_reason(moderation.reason if reason is None else reason)
        self.status_changed_at = timezone.now()
        self.status_changed_by = by
        # Decided since a block hid it: ending or lifting the block no longer puts it back.
        self.hidden_by_block = None
        self.save(
            update_fields=[
                "status",
                "status_reason",
                "status_changed_at",
                "status_changed_by",
                "restore_to",
                "hidden_by_block",
            ]
        )

    @property
    def restored_status(self) -> CommentStatus:
        """The status Restore gives this comment from spam or trash: the one before, as WordPress, or pending."""
        return CommentStatus(self.restore_to) if self.restore_to else CommentStatus.PENDING

    def approve(self, *, by) -> None:
        """Publish a held comment."""
        self.moderate(ModerationAction.APPROVE, by=by)

    def unapprove(self, *, by) -> None:
        """Take a published comment back into the moderation queue."""
        self.moderate(ModerationAction.UNAPPROVE, by=by)

    def mark_spam(self, *, by) -> None:
        """File the comment as spam."""
        self.moderate(ModerationAction.MARK_SPAM, by=by)

    def trash(self, *, by) -> None:
        """Move the comment to the trash."""
        self.moderate(ModerationAction.TRASH, by=by)

    def restore(self, *, by) -> None:
        """Bring a comment back from spam or trash into the moderation queue."""
        self.moderate(ModerationAction.RESTORE, by=by)


class ReportReason(models.TextChoices):
    SPAM = "spam", _("Spam")
    HARMFUL = "harmful", _("Harmful or wrong medical advice")
    ABUSE = "abuse", _("Abuse or harassment")
    PERSONAL = "personal", _("Personal information")


class Report(models.Model):
    """A reader's report that a published comment should not be there; one per reader and comment."""

    Reason = ReportReason

    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="reports", verbose_name=_("comment"))
    reason = models.CharField(_("reason"), max_length=20, choices=Reason.choices)
    # Who reported, kept only to count readers once: "member:<id>", or a keyed hash of a guest's address.
    reporter_key = models.CharField(max_length=100, editable=False)
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        verbose_name=_("reported by"),
    )
    created_at = models.DateTimeField(_("reported"), default=timezone.now, editable=False)
    dismissed_at = models.DateTimeField(_("dismissed"), null=True, blank=True, editable=False)
    dismissed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        verbose_name=_("dismissed by"),
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        constraints = [
            models.UniqueConstraint(fields=["comment", "reporter_key"], name="report_one_per_reader"),
            models.CheckConstraint(condition=models.Q(reason__in=ReportReason.values), name="report_reason_valid"),
        ]

    def __str__(self) -> str:
        return _("%(reason)s, on %(comment)s") % {"reason": self.get_reason_display(), "comment": self.comment}


class CommentVersion(models.Model):
    """What a comment said before its author edited it: moderators see every earlier version."""

    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="versions", verbose_name=_("comment"))
    body = models.TextField(_("comment"), help_text=_("As typed."))
    written_at = models.DateTimeField(_("written"), help_text=_("When this version was posted or last edited."))
    replaced_at = models.DateTimeField(_("replaced"), default=timezone.now)

    class Meta:
        ordering = ["-replaced_at", "-pk"]
        verbose_name = _("earlier version")
        verbose_name_plural = _("earlier versions")

    def __str__(self) -> str:
        return _("Version of %(date)s") % {"date": self.written_at}


class BlockQuerySet(models.QuerySet):
    def in_force(self) -> "BlockQuerySet":
        return self.filter(models.Q(ends_at__isnull=True) | models.Q(ends_at__gt=timezone.now()))


class Block(models.Model):
    """A commenter moderators keep out: an account, an email address or a network of IP addresses, until a date or
    for good. Exactly one of the three is given."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("account"),
    )
    email = models.EmailField(_("email address"), blank=True)
    network = models.CharField(
        _("IP network"),
        max_length=50,
        blank=True,
        help_text=_("One address (203.0.113.7) or a network (203.0.113.0/24, 2001:db8::/32)."),
    )
    reason = models.TextField(_("reason"), help_text=_("For the moderators: why, so that a later one can judge."))
    ends_at = models.DateTimeField(_("ends"), null=True, blank=True, help_text=_("Empty: until it is removed."))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        verbose_name=_("blocked by"),
    )
    created_at = models.DateTimeField(_("blocked"), default=timezone.now, editable=False)

    objects = BlockQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("blocked commenter")
        verbose_name_plural = _("blocked commenters")
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(user__isnull=False, email="", network="")
                    | models.Q(user__isnull=True, network="") & ~models.Q(email="")
                    | models.Q(user__isnull=True, email="") & ~models.Q(network="")
                ),
                name="block_one_kind",
                violation_error_message=_("Block one thing: an account, an email address or an IP network."),
            ),
            models.CheckConstraint(condition=models.Q(email=Lower("email")), name="block_email_lower_case"),
        ]

    def __str__(self) -> str:
        return str(self.user or self.email or self.network)

    def clean(self) -> None:
        self.email = self.email.strip().lower()
        self.network = self.network.strip()
        given = [bool(self.user_id), bool(self.email), bool(self.network)]
        if sum(given) != 1:
            raise ValidationError(_("Block one thing: an account, an email address or an IP network."))
        if self.network:
            try:
                self.network = str(ipaddress.ip_network(self.network, strict=False))
            except ValueError:
                raise ValidationError(
                    {"network": _("Give an IP address or a network such as 203.0.113.0/24.")}
                ) from None

    @property
    def in_force(self) -> bool:
        return self.ends_at is None or self.ends_at > timezone.now()

    @cached_property
    def account_addresses(self) -> frozenset[str]:
        """A blocked account's verified email addresses: its owner is kept out signed out, or under another
        account, too."""
        return frozenset(verified_addresses(self.user_id)) if self.user_id else frozenset()

    def covers(self, *, user, email: str, ip: str | None) -> bool:
        if self.user_id:
            return (user is not None and getattr(user, "pk", None) == self.user_id) or (
                bool(email) and email.strip().lower() in self.account_addresses
            )
        if self.email:
            return bool(email) and email.strip().lower() == self.email
        if not ip:
            return False
        try:
            return ipaddress.ip_address(ip) in ipaddress.ip_network(self.network, strict=False)
        except ValueError:
            return False

    @classmethod
    def first_covering(
        cls, *, user, email: str, ip: str | None, passing_over: Collection["Block"] = ()
    ) -> "Block | None":
        """The block in force that keeps this commenter out, if any, the latest first (those `passing_over` aside).

        Asked at every post: the blocks in force are kept in the shared cache until the site next changes
        (a block saved or deleted changes it), found there by account and address; one that ended since is
        passed over."""
        kept = pagecache.site_kept("blocks", BlocksInForce.read)
        candidates = [
            *kept.accounts.get(getattr(user, "pk", None), ()),
            *kept.emails.get(email.strip().lower(), ()),
            *(kept.networks if ip else ()),
        ]
        candidates.sort(key=lambda block: block.created_at, reverse=True)
        return next(
            (
                block
                for block in candidates
                if block.in_force and block.covers(user=user, email=email, ip=ip) and block not in passing_over
            ),
            None,
        )

    def commenters_comments(self, comments: models.QuerySet) -> models.QuerySet:
        """Those of `comments` this block's commenter wrote (an IP network's: those sent from it, whose addresses
        are compared in Python, so only among `comments`)."""
        if self.user_id:
            return comments.filter(models.Q(user=self.user_id) | models.Q(author_email__in=self.account_addresses))
        if self.email:
            return comments.filter(author_email=self.email)
        network = ipaddress.ip_network(self.network, strict=False)
        sent = comments.exclude(ip_address__isnull=True).values_list("pk", "ip_address")
        return comments.filter(pk__in=[pk for pk, ip in sent if ipaddress.ip_address(ip) in network])


@dataclass(frozen=True)
class BlocksInForce:
    """The blocks in force when read, by what each covers: by account, by email address, and the networks (few)."""

    accounts: dict[int, list[Block]]
    emails: dict[str, list[Block]]
    networks: list[Block]

    @classmethod
    def read(cls) -> "BlocksInForce":
        kept = cls(accounts={}, emails={}, networks=[])
        for block in Block.objects.in_force():
            if block.user_id:
                kept.accounts.setdefault(block.user_id, []).append(block)
                # Found by the account's verified addresses too (read now: the block is kept with them).
                for address in block.account_addresses:
                    kept.emails.setdefault(address, []).append(block)
            elif block.email:
                kept.emails.setdefault(block.email, []).append(block)
            else:
                kept.networks.append(block)
        return kept


class GuestDataRequest(models.Model):
    """A guest asked to see, or erase, what their comments hold: the link emailed to the address names this request,
    so that the address is not written in the link (nor in the logs of the servers it passes)."""

    email = models.EmailField(_("email address"))
    created_at = models.DateTimeField(_("asked"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("guest data request")
        verbose_name_plural = _("guest data requests")

    def __str__(self) -> str:
        return self.email


class ImportedAuthor(models.Model):
    """The account a WordPress import made for an author's login: a later import finds the author again by it, never
    by a user name that someone else's account here may have."""

    login = models.CharField(_("WordPress login"), max_length=255, unique=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="wordpress_logins", verbose_name=_("account")
    )

    class Meta:
        verbose_name = _("imported WordPress author")
        verbose_name_plural = _("imported WordPress authors")

    def __str__(self) -> str:
        return self.login
