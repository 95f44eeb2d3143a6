"""Notification emails about comments, sent by background tasks.

`comment_notify` and `comment_approved_notify` run in the request, after its
transaction commits: they only decide who must be told and enqueue one task per
email, with ids as arguments. The tasks read the comment again, since the queue
may reach them after a moderator already acted.
"""

import datetime
import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.sites.models import Site
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import QuerySet
from django.tasks import Task, task
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from articles.models import Article

from .models import Comment, Delivery, Subscription
from .services import MODERATE_COMMENTS

logger = logging.getLogger(__name__)

# Moderation links in the email to moderators, in the order they appear.
EMAIL_ACTIONS = ("approve", "mark_spam", "trash")


def moderators() -> QuerySet:
    """Active accounts that may moderate comments (superusers and the Moderators group): who is told about held ones."""
    # allauth's backend is configured too, so Django asks which one grants permissions.
    return get_user_model().objects.with_perm(
        MODERATE_COMMENTS, is_active=True, include_superusers=True, backend="django.contrib.auth.backends.ModelBackend"
    )


def absolute_url(path: str) -> str:
    """The full address of a path on this site, for emails (https unless in development)."""
    scheme = "http" if settings.DEBUG else "https"
    return f"{scheme}://{Site.objects.get_current().domain}{path}"


def comment_notify(comment: Comment) -> None:
    """Tell who must know about a new comment: moderators when it is held; its author and subscribers when published."""
    if comment.status == Comment.Status.PENDING:
        for moderator_id in moderators().exclude(email="").values_list("pk", flat=True):
            _enqueue(send_held_comment_email, comment_id=comment.pk, moderator_id=moderator_id)
    elif comment.status == Comment.Status.APPROVED:
        if comment.user_id != comment.article.author_id:
            _enqueue(send_new_comment_email, comment_id=comment.pk)
        _enqueue(send_comment_to_subscribers, comment_id=comment.pk)


def comment_approved_notify(comment: Comment, *, by) -> None:
    """A moderator published a comment: tell the article's author (not of their own, nor of one they approved)
    and the article's subscribers."""
    author_id = comment.article.author_id
    if comment.user_id != author_id and getattr(by, "pk", None) != author_id:
        _enqueue(send_new_comment_email, comment_id=comment.pk)
    _enqueue(send_comment_to_subscribers, comment_id=comment.pk)


def subscription_confirmation_send(subscription: Subscription) -> None:
    _enqueue(send_subscription_confirmation, subscription_id=subscription.pk)


def _enqueue(notification: Task, **kwargs) -> None:
    # A notice that cannot be queued must never cost the reader their comment
    # or the moderator their action: log it and carry on.
    try:
        notification.enqueue(**kwargs)
    except Exception:
        logger.exception("Could not queue %s with %r", notification.name, kwargs)


@task
def send_held_comment_email(*, comment_id: int, moderator_id: int) -> None:
    """Ask one moderator to approve, spam or trash a held comment, with one-click links signed for them."""
    from .moderation_views import moderation_path

    comment = Comment.objects.select_related("article").filter(pk=comment_id, status=Comment.Status.PENDING).first()
    moderator = moderators().exclude(email="").filter(pk=moderator_id).first()
    if comment is None or moderator is None:
        return  # Moderated or deleted meanwhile, or no longer a moderator: nothing to ask.
    links = [
        (action, absolute_url(moderation_path(comment, action=action, moderator=moderator))) for action in EMAIL_ACTIONS
    ]
    context = {
        **_common_context(comment),
        "links": dict(links),
        "pending_count": Comment.objects.pending().count(),
        "queue_url": absolute_url(reverse("admin:comments_comment_changelist") + "?status=pending"),
    }
    _send("comments/email/comment_held", context, to=moderator.email, reply_to=comment.author_email)


@task
def send_new_comment_email(*, comment_id: int) -> None:
    """Tell the article's author about a comment readers can now see."""
    comment = (
        Comment.objects.select_related("article__author").filter(pk=comment_id, status=Comment.Status.APPROVED).first()
    )
    if comment is None:
        return  # Unapproved or deleted before the queue got here.
    author = comment.article.author
    if not author.is_active or not author.email:
        return
    context = {**_common_context(comment), "recipient": author}
    _send("comments/email/comment_published", context, to=author.email, reply_to=comment.author_email)


def _common_context(comment: Comment) -> dict:
    return {
        "comment": comment,
        "article": comment.article,
        "article_url": absolute_url(comment.article.get_absolute_url()),
        "comment_url": absolute_url(comment.get_absolute_url()),
        "admin_url": absolute_url(reverse("admin:comments_comment_change", args=[comment.pk])),
        "site_name": Site.objects.get_current().name,
    }


def _send(template_prefix: str, context: dict, *, to: str, reply_to: str, headers: dict | None = None) -> None:
    subject = " ".join(render_to_string(f"{template_prefix}_subject.txt", context).split())
    message = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string(f"{template_prefix}.txt", context),
        to=[to],
        reply_to=[reply_to] if reply_to else None,
        headers=headers,
    )
    message.attach_alternative(render_to_string(f"{template_prefix}.html", context), "text/html")
    message.send()


# ---- Subscriptions ------------------------------------------------------------
def _deliver_once(subscription: Subscription, key: str, template_prefix: str, context: dict) -> bool:
    """Send one email for a subscription unless it was sent before: a task run twice sends it once."""
    from .subscription_views import unsubscribe_url

    unsubscribe = absolute_url(unsubscribe_url(subscription))
    context = {
        **context,
        "subscription": subscription,
        "unsubscribe_url": unsubscribe,
        "site_name": Site.objects.get_current().name,
    }
    with transaction.atomic():
        _, created = Delivery.objects.get_or_create(subscription=subscription, key=key)
        if not created:
            return False
        # A failed send rolls the record back, so a later run tries again.
        _send(
            template_prefix,
            context,
            to=subscription.email,
            reply_to="",
            headers={"List-Unsubscribe": f"<{unsubscribe}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"},
        )
    return True


@task
def send_subscription_confirmation(*, subscription_id: int) -> None:
    """The double opt-in email: nothing else is sent to this address before its link is followed."""
    from .subscription_views import confirm_url

    subscription = (
        Subscription.objects.select_related("article")
        .filter(pk=subscription_id, status=Subscription.Status.PENDING)
        .first()
    )
    if subscription is None:
        return
    # At most one confirmation a day, however often the form is sent with this address.
    key = f"confirm:{timezone.now():%Y-%m-%d}"
    _deliver_once(
        subscription,
        key,
        "comments/email/subscription_confirm",
        {"confirm_url": absolute_url(confirm_url(subscription))},
    )


@task
def send_comment_to_subscribers(*, comment_id: int) -> None:
    """Fan a published comment out to the article's confirmed subscribers, its writer excepted."""
    comment = Comment.objects.filter(pk=comment_id, status=Comment.Status.APPROVED).first()
    if comment is None:
        return
    recipients = (
        Subscription.objects.filter(
            topic=Subscription.Topic.COMMENTS, article_id=comment.article_id, status=Subscription.Status.CONFIRMED
        )
        .exclude(email__iexact=comment.author_email)
        .values_list("pk", flat=True)
    )
    for subscription_id in recipients:
        _enqueue(send_comment_notice, subscription_id=subscription_id, comment_id=comment_id)


@task
def send_comment_notice(*, subscription_id: int, comment_id: int) -> None:
    """One subscriber hears of one new comment; the writer of the comment it answers hears of a reply."""
    comment = (
        Comment.objects.select_related("article", "parent")
        .filter(pk=comment_id, status=Comment.Status.APPROVED)
        .first()
    )
    subscription = Subscription.objects.filter(pk=subscription_id, status=Subscription.Status.CONFIRMED).first()
    if comment is None or subscription is None:
        return
    is_reply = comment.parent is not None and comment.parent.author_email.lower() == subscription.email
    template = "comments/email/subscription_reply" if is_reply else "comments/email/subscription_comment"
    _deliver_once(subscription, f"comment:{comment.pk}", template, _common_context(comment))


# Articles published this long ago are still announced: room for a worker that was down a while.
ANNOUNCE_WITHIN = datetime.timedelta(days=3)


@task
def announce_new_posts() -> int:
    """Email each confirmed site subscriber the articles published since they subscribed, once each."""
    now = timezone.now()
    articles = Article.objects.published().filter(published_at__gte=now - ANNOUNCE_WITHIN).select_related("author")
    sent = 0
    for article in articles:
        key = f"article:{article.pk}"
        recipients = Subscription.objects.filter(
            topic=Subscription.Topic.POSTS, status=Subscription.Status.CONFIRMED, confirmed_at__lte=article.published_at
        ).exclude(deliveries__key=key)
        context = {"article": article, "article_url": absolute_url(article.get_absolute_url())}
        for subscription in recipients:
            sent += _deliver_once(subscription, key, "comments/email/new_post", context)
    return sent


def new_post_announce(article: Article) -> None:
    """Queue the announcement of a published article: at once, or at its publish time when scheduled."""
    if article.is_scheduled and announce_new_posts.get_backend().supports_defer:
        _enqueue(announce_new_posts.using(run_after=article.published_at))
    elif article.is_public:
        _enqueue(announce_new_posts)
