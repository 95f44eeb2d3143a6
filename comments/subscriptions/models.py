"""Email subscriptions: "Notify me of new comments / new posts via email", and the emails each one was sent."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.services import verified_addresses
from articles.models import Article


def comment_notice_key(comment_id: int) -> str:
    """The Delivery key of the email about one new comment."""
    return f"comment:{comment_id}"


def article_notice_key(article_id: int) -> str:
    """The Delivery key of the email announcing one new article."""
    return f"article:{article_id}"


def confirmation_key(day) -> str:
    """The Delivery key of one day's confirmation request."""
    return f"confirm:{day:%Y-%m-%d}"


class SubscriptionQuerySet(models.QuerySet):
    def belonging_to(self, user) -> "SubscriptionQuerySet":
        """The account's subscriptions, and those asked as a guest from one of its verified addresses."""
        return self.filter(models.Q(user=user) | models.Q(email__in=verified_addresses(user)))

    def asked_as_guest(self, email: str) -> "SubscriptionQuerySet":
        """What was asked signed out with this address: never a member's subscriptions, even to the same address."""
        return self.filter(user__isnull=True, email=email.strip().lower())

    def active(self) -> "SubscriptionQuerySet":
        """Confirmed, or waiting for confirmation."""
        return self.exclude(status=Subscription.Status.UNSUBSCRIBED)

    def awaiting_confirmation(self) -> "SubscriptionQuerySet":
        return self.filter(status=Subscription.Status.PENDING)

    def confirmed(self) -> "SubscriptionQuerySet":
        """Those the reader confirmed by the emailed link: the only ones ever sent news."""
        return self.filter(status=Subscription.Status.CONFIRMED)

    def awaiting_comment(self, comment) -> "SubscriptionQuerySet":
        """Who is still to hear of a published comment: its article's confirmed subscribers, and those who asked for
        replies to the comment it answers; each address once (an article's subscription first: it is the one they had
        the comment by). Not its writer (by the address they gave, or their account's subscriptions, whatever address
        they have now), nor the article's author, who hears of every comment by their own email
        (comments.notifications.send_new_comment_email)."""
        asked = models.Q(topic=Subscription.Topic.COMMENTS, article_id=comment.article_id)
        if comment.parent_id:
            asked |= models.Q(topic=Subscription.Topic.REPLIES, comment_id=comment.parent_id)

        def theirs(user_id: int) -> models.Q:  # as belonging_to: the account's, and its verified addresses'
            return models.Q(user_id=user_id) | models.Q(email__in=verified_addresses(user_id))

        told_otherwise = models.Q(email=comment.author_email)
        if comment.user_id:
            told_otherwise |= theirs(comment.user_id)
        author = comment.article.author
        if author.is_active and author.email:
            told_otherwise |= theirs(author.pk) | models.Q(email=author.email.lower())
        waiting = self.confirmed().filter(asked).exclude(told_otherwise)
        # Anyone who already had it, by this subscription or another of theirs, has had it.
        had_it = Delivery.objects.filter(key=comment_notice_key(comment.pk)).values("subscription__email")
        return waiting.exclude(email__in=had_it).order_by("email", "topic")

    @staticmethod
    def one_per_email(rows) -> list[int]:
        """Of (pk, email) rows ordered by email, the first subscription of each address."""
        seen: set[str] = set()
        return [pk for pk, email in rows if not (email in seen or seen.add(email))]

    def awaiting_article(self, article: Article) -> "SubscriptionQuerySet":
        """Who is still to hear of a new article: site subscribers confirmed by the time it came out."""
        return (
            self.confirmed()
            .filter(topic=Subscription.Topic.POSTS, confirmed_at__lte=article.published_at)
            .exclude(deliveries__key=article_notice_key(article.pk))
        )


class Subscription(models.Model):
    """A reader's wish to be emailed: new comments on one article, replies to their own comment, or new articles."""

    class Topic(models.TextChoices):
        COMMENTS = "comments", _("New comments on an article")
        REPLIES = "replies", _("Replies to one's comment")
        POSTS = "posts", _("New articles")

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for confirmation")
        CONFIRMED = "confirmed", _("Confirmed")
        UNSUBSCRIBED = "unsubscribed", _("Unsubscribed")

    email = models.EmailField(_("email"))  # lower-cased: one subscription per address, however it was typed
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
    # The comment whose replies are asked for (topic "replies" only).
    comment = models.ForeignKey(
        "comments.Comment",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="reply_subscriptions",
        verbose_name=_("replies to"),
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
            models.CheckConstraint(condition=models.Q(email=Lower("email")), name="subscription_email_lower_case"),
            models.CheckConstraint(
                condition=models.Q(topic="comments", article__isnull=False, comment__isnull=True)
                | models.Q(topic="replies", article__isnull=False, comment__isnull=False)
                | models.Q(topic="posts", article__isnull=True, comment__isnull=True),
                name="subscription_topic_matches_article",
            ),
            models.UniqueConstraint(
                fields=["email", "comment"], condition=models.Q(topic="replies"), name="subscription_one_per_comment"
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
        if self.topic == self.Topic.REPLIES:
            return _("replies to your comment on “%(title)s”") % {"title": self.article.title}
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
