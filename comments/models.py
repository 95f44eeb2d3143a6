from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from articles.models import Article


class DiscussionSettings(models.Model):
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
        help_text=_("Leave blank to keep comments open for as long as each article allows."),
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
    flood_seconds = models.PositiveSmallIntegerField(
        _("seconds between two comments from the same reader"),
        default=15,
        help_text=_("Staff and moderators are exempt. 0 turns this check off."),
    )
    minimum_fill_seconds = models.PositiveSmallIntegerField(
        _("minimum seconds to fill in the form"),
        default=3,
        help_text=_("A form sent back faster is likely a program's: the comment waits for a moderator."),
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

    def __str__(self) -> str:
        return str(_("Discussion settings"))

    @classmethod
    def load(cls) -> "DiscussionSettings":
        """The site's settings, created with WordPress's defaults on first use."""
        return cls.objects.get_or_create(pk=1)[0]

    @staticmethod
    def words(text: str) -> list[str]:
        return [line.strip().lower() for line in text.splitlines() if line.strip()]

    def comments_closed_for(self, article: Article) -> bool:
        """Whether readers may no longer comment on this article."""
        if not article.comments_open:
            return True
        if self.close_after_days and article.published_at:
            return article.published_at < timezone.now() - timezone.timedelta(days=self.close_after_days)
        return False


class CommentQuerySet(models.QuerySet):
    def approved(self) -> "CommentQuerySet":
        return self.filter(status=Comment.Status.APPROVED)

    def pending(self) -> "CommentQuerySet":
        return self.filter(status=Comment.Status.PENDING)

    def visible_to(self, *, held_ids: list[int]) -> "CommentQuerySet":
        """Approved comments, plus the reader's own held ones (those this session posted)."""
        return self.filter(
            models.Q(status=Comment.Status.APPROVED) | models.Q(status=Comment.Status.PENDING, pk__in=held_ids)
        )


class CommentStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    APPROVED = "approved", _("Approved")
    SPAM = "spam", _("Spam")
    TRASH = "trash", _("Trash")


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
    author_email = models.EmailField(_("email"), blank=True, help_text=_("Never published."))
    author_url = models.URLField(_("website"), blank=True)
    body = models.TextField(_("comment"), help_text=_("As typed. The published HTML is cleaned from this."))
    body_html = models.TextField(_("comment as published"), editable=False)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    status_reason = models.CharField(
        _("why"), max_length=200, blank=True, help_text=_("The rule that held, trashed or marked it as spam.")
    )
    status_changed_at = models.DateTimeField(_("status changed"), null=True, blank=True, editable=False)
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
        ]
        indexes = [
            models.Index(fields=["article", "status", "created_at"], name="comment_article_page"),
            models.Index(fields=["article", "thread"], name="comment_article_thread"),
            models.Index(fields=["status", "-created_at"], name="comment_moderation_queue"),
            models.Index(fields=["author_email"], name="comment_author_email"),
            models.Index(fields=["ip_address", "-created_at"], name="comment_ip_recent"),
        ]

    def __str__(self) -> str:
        return _("%(name)s on %(article)s") % {"name": self.author_display_name, "article": self.article}

    def get_absolute_url(self) -> str:
        return reverse("comments:permalink", kwargs={"pk": self.pk})

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

    # State changes: the one way admin actions, email links and views change a status.
    TRANSITIONS = {
        "approve": ({Status.PENDING}, Status.APPROVED),
        "unapprove": ({Status.APPROVED}, Status.PENDING),
        "mark_spam": ({Status.PENDING, Status.APPROVED}, Status.SPAM),
        "trash": ({Status.PENDING, Status.APPROVED, Status.SPAM}, Status.TRASH),
        "restore": ({Status.SPAM, Status.TRASH}, Status.PENDING),
    }

    def _change_status(self, transition: str, *, by, reason: str = "") -> None:
        allowed_from, target = self.TRANSITIONS[transition]
        if self.status not in allowed_from:
            raise ValidationError(
                _("This comment is %(status)s; it cannot be moved to %(target)s.")
                % {"status": self.get_status_display().lower(), "target": target.label.lower()}
            )
        self.status = target
        self.status_reason = reason
        self.status_changed_at = timezone.now()
        self.status_changed_by = by
        self.save(update_fields=["status", "status_reason", "status_changed_at", "status_changed_by"])

    def approve(self, *, by) -> None:
        """Publish a held comment."""
        self._change_status("approve", by=by)

    def unapprove(self, *, by) -> None:
        """Take a published comment back into the moderation queue."""
        self._change_status("unapprove", by=by, reason=str(_("unapproved by a moderator")))

    def mark_spam(self, *, by) -> None:
        """File the comment as spam."""
        self._change_status("mark_spam", by=by, reason=str(_("marked as spam by a moderator")))

    def trash(self, *, by) -> None:
        """Move the comment to the trash."""
        self._change_status("trash", by=by, reason=str(_("trashed by a moderator")))

    def restore(self, *, by) -> None:
        """Bring a comment back from spam or trash into the moderation queue."""
        self._change_status("restore", by=by, reason=str(_("restored by a moderator")))


class SubscriptionQuerySet(models.QuerySet):
    def belonging_to(self, user) -> "SubscriptionQuerySet":
        """The account's subscriptions, and those asked as a guest from one of its verified addresses."""
        # Subscription emails are stored lowercased; allauth keeps addresses as typed.
        verified = EmailAddress.objects.filter(user=user, verified=True).values(lower_email=Lower("email"))
        return self.filter(models.Q(user=user) | models.Q(email__in=verified))

    def active(self) -> "SubscriptionQuerySet":
        return self.exclude(status=Subscription.Status.UNSUBSCRIBED)


class Subscription(models.Model):
    """A reader's wish to be emailed: new comments on one article, or new articles on the site."""

    class Topic(models.TextChoices):
        COMMENTS = "comments", _("New comments on an article")
        POSTS = "posts", _("New articles")

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for confirmation")
        CONFIRMED = "confirmed", _("Confirmed")
        UNSUBSCRIBED = "unsubscribed", _("Unsubscribed")

    email = models.EmailField(_("email"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="subscriptions",
        verbose_name=_("account"),
    )
    topic = models.CharField(_("topic"), max_length=10, choices=Topic.choices)
    article = models.ForeignKey(
        Article,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="subscriptions",
        verbose_name=_("article"),
    )
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(_("asked"), auto_now_add=True)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    unsubscribed_at = models.DateTimeField(_("unsubscribed"), null=True, blank=True)

    objects = SubscriptionQuerySet.as_manager()

    class Meta:
        verbose_name = _("subscription")
        verbose_name_plural = _("subscriptions")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=["pending", "confirmed", "unsubscribed"]),
                name="subscription_status_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(topic="comments", article__isnull=False)
                | models.Q(topic="posts", article__isnull=True),
                name="subscription_topic_matches_article",
            ),
            models.UniqueConstraint(
                fields=["email", "article"], condition=models.Q(topic="comments"), name="subscription_one_per_article"
            ),
            models.UniqueConstraint(
                fields=["email"], condition=models.Q(topic="posts"), name="subscription_one_for_posts"
            ),
        ]
        indexes = [models.Index(fields=["topic", "article", "status"], name="subscription_recipients")]

    def __str__(self) -> str:
        return f"{self.email}: {self.subject}"

    @property
    def subject(self) -> str:
        """What the reader gets emails about, in words."""
        if self.topic == self.Topic.COMMENTS:
            return _("new comments on “%(title)s”") % {"title": self.article.title}
        return str(_("new articles"))

    def _move(self, *, allowed_from: set[str], to: str, **stamps) -> bool:
        # One conditional UPDATE: of two links followed at once, the second
        # finds the status already moved and changes nothing.
        changed = Subscription.objects.filter(pk=self.pk, status__in=allowed_from).update(status=to, **stamps)
        self.refresh_from_db(fields=["status", "confirmed_at", "unsubscribed_at"])
        return bool(changed)

    def confirm(self) -> bool:
        """The reader confirmed by the emailed link; False when it was not waiting (confirmed or unsubscribed)."""
        return self._move(allowed_from={self.Status.PENDING}, to=self.Status.CONFIRMED, confirmed_at=timezone.now())

    def unsubscribe(self) -> bool:
        """Stop the emails; False when they were already stopped."""
        return self._move(
            allowed_from={self.Status.PENDING, self.Status.CONFIRMED},
            to=self.Status.UNSUBSCRIBED,
            unsubscribed_at=timezone.now(),
        )

    def ask_again(self) -> bool:
        """Asked again after unsubscribing: waits for a new confirmation; False when it already waits."""
        if self.status == self.Status.CONFIRMED:
            raise ValidationError(_("This subscription is already confirmed."))
        return self._move(allowed_from={self.Status.UNSUBSCRIBED}, to=self.Status.PENDING)


class Delivery(models.Model):
    """One email sent for one subscription: a task run again finds it and sends nothing twice."""

    subscription = models.ForeignKey(
        Subscription, on_delete=models.CASCADE, related_name="deliveries", verbose_name=_("subscription")
    )
    key = models.CharField(
        _("what was sent"),
        max_length=50,
        help_text=_(
            "comment:12 is the notice of comment 12, article:3 the announcement of article 3, "
            "confirm:2026-11-25 that day's confirmation request."
        ),
    )
    sent_at = models.DateTimeField(_("sent"), auto_now_add=True)

    class Meta:
        verbose_name = _("email sent")
        verbose_name_plural = _("emails sent")
        constraints = [models.UniqueConstraint(fields=["subscription", "key"], name="delivery_once")]

    def __str__(self) -> str:
        return f"{self.key} to {self.subscription.email}"
