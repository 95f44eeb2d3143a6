"""Who is told what by email, and how it is sent: the one place services and views call after a commit.

The functions without a task decorator run in the request, after its transaction
commits: they only decide who must be told and enqueue one task per email, with
ids as arguments. The tasks read the comment again, since the queue may reach them
after a moderator already acted.

Subscription emails fan out the same way, one task per subscriber, and each
records a Delivery: a failed send fails only its own task, and a fan-out run
again (`announce_new_posts` from cron or the next publish; `send_comment_to_subscribers`
for the same comment) queues only the subscribers still without that Delivery.
"""

import datetime
import logging

from django.conf import settings
from django.contrib.sites.models import Site
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.tasks import task
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from config.tasks import enqueue_or_log

from .models import Comment, ModerationAction, moderators
from .subscriptions.models import (
    Delivery,
    Subscription,
    article_notice_key,
    comment_notice_key,
    confirmation_key,
)
from .tokens import confirm_path, moderation_path, unsubscribe_path

logger = logging.getLogger(__name__)

# However many boxes are ticked with one address, it gets this many confirmation requests a day at most.
CONFIRMATIONS_PER_ADDRESS_PER_DAY = 3
# Articles published this long ago are still announced: room for a worker that was down a while.
ANNOUNCE_WITHIN = datetime.timedelta(days=3)


# ---- What happened: called by services and views after their commit -------------
def comment_posted(comment: Comment) -> None:
    """A new comment: moderators hear of it when it is held; its article's author and subscribers when published."""
    if comment.status == Comment.Status.PENDING:
        for moderator_id in moderators().exclude(email="").values_list("pk", flat=True):
            enqueue_or_log(send_held_comment_email, comment_id=comment.pk, moderator_id=moderator_id)
    elif comment.status == Comment.Status.APPROVED:
        comment_published(comment)


def comment_published(comment: Comment, *, by=None) -> None:
    """A comment readers can now see (at once, or approved `by` a moderator): tell the article's author
    (not of their own, nor of one they approved) and the article's subscribers."""
    author_id = comment.article.author_id
    if comment.user_id != author_id and getattr(by, "pk", None) != author_id:
        enqueue_or_log(send_new_comment_email, comment_id=comment.pk)
    enqueue_or_log(send_comment_to_subscribers, comment_id=comment.pk)


def subscription_asked(subscription: Subscription) -> None:
    """A reader ticked a Notify me box: send the confirmation link (double opt-in)."""
    enqueue_or_log(send_subscription_confirmation, subscription_id=subscription.pk)


def article_published(article: Article) -> None:
    """Queue the announcement of a published article: at once, or at its publish time when scheduled."""
    if article.is_scheduled and announce_new_posts.get_backend().supports_defer:
        enqueue_or_log(announce_new_posts.using(run_after=article.published_at))
    elif article.is_public:
        enqueue_or_log(announce_new_posts)


# ---- How an email is sent ---------------------------------------------------------
def absolute_url(path: str) -> str:
    """The full address of a path on this site, for emails (https unless in development)."""
    scheme = "http" if settings.DEBUG else "https"
    return f"{scheme}://{Site.objects.get_current().domain}{path}"


def _send(template_prefix: str, context: dict, *, to: str, reply_to: str, headers: dict | None = None) -> None:
    context = {**context, "site_name": Site.objects.get_current().name}
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


def _comment_context(comment: Comment) -> dict:
    return {
        "comment": comment,
        "article": comment.article,
        "article_url": absolute_url(comment.article.get_absolute_url()),
        "comment_url": absolute_url(comment.get_absolute_url()),
        "admin_url": absolute_url(reverse("admin:comments_comment_change", args=[comment.pk])),
    }


def _deliver_once(subscription: Subscription, key: str, template_prefix: str, context: dict) -> bool:
    """Send one email for a subscription unless it was sent before: a task run twice sends it once."""
    unsubscribe = absolute_url(unsubscribe_path(subscription))
    context = {**context, "subscription": subscription, "unsubscribe_url": unsubscribe}
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


# ---- Moderators and authors ---------------------------------------------------------
@task
def send_held_comment_email(*, comment_id: int, moderator_id: int) -> None:
    """Ask one moderator to approve, spam or trash a held comment, with one-click links signed for them."""
    comment = Comment.objects.pending().select_related("article").filter(pk=comment_id).first()
    moderator = moderators().exclude(email="").filter(pk=moderator_id).first()
    if comment is None or moderator is None:
        return  # Moderated or deleted meanwhile, or no longer a moderator: nothing to ask.
    links = {
        action.value: absolute_url(moderation_path(comment, action=action, moderator=moderator))
        for action in ModerationAction
        if action.in_email
    }
    context = {
        **_comment_context(comment),
        "links": links,
        "pending_count": Comment.objects.pending().count(),
        "queue_url": absolute_url(reverse("admin:comments_comment_changelist") + "?status=pending"),
    }
    _send("comments/email/comment_held", context, to=moderator.email, reply_to=comment.author_email)


@task
def send_new_comment_email(*, comment_id: int) -> None:
    """Tell the article's author about a comment readers can now see."""
    comment = Comment.objects.approved().select_related("article__author").filter(pk=comment_id).first()
    if comment is None:
        return  # Unapproved or deleted before the queue got here.
    author = comment.article.author
    if not author.is_active or not author.email:
        return
    context = {**_comment_context(comment), "recipient": author}
    _send("comments/email/comment_published", context, to=author.email, reply_to=comment.author_email)


# ---- Subscribers ------------------------------------------------------------------
@task
def send_subscription_confirmation(*, subscription_id: int) -> None:
    """The double opt-in email: nothing else is sent to this address before its link is followed."""
    subscription = (
        Subscription.objects.awaiting_confirmation().select_related("article").filter(pk=subscription_id).first()
    )
    if subscription is None:
        return
    # One confirmation a day per subscription, a few per address: the form
    # must not become a way to flood someone else's inbox.
    key = confirmation_key(timezone.now())
    with transaction.atomic():
        # Confirmations to one address queue here (on PostgreSQL), so parallel
        # tasks cannot all count the same number sent.
        list(Subscription.objects.select_for_update().filter(email=subscription.email).values_list("pk"))
        sent_today = Delivery.objects.filter(subscription__email=subscription.email, key=key).count()
        if sent_today >= CONFIRMATIONS_PER_ADDRESS_PER_DAY:
            logger.info("Confirmation for subscription %s not sent: this address had enough today.", subscription.pk)
            return
        _deliver_once(
            subscription,
            key,
            "comments/email/subscription_confirm",
            {"confirm_url": absolute_url(confirm_path(subscription))},
        )


@task
def send_comment_to_subscribers(*, comment_id: int) -> None:
    """Fan a published comment out to the article's confirmed subscribers, its writer excepted: one task each.

    Run again for the same comment, it queues only those still without the notice (a send that failed)."""
    comment = Comment.objects.approved().filter(pk=comment_id).first()
    if comment is None:
        return
    for subscription_id in Subscription.objects.awaiting_comment(comment).values_list("pk", flat=True):
        enqueue_or_log(send_comment_notice, subscription_id=subscription_id, comment_id=comment_id)


@task
def send_comment_notice(*, subscription_id: int, comment_id: int) -> None:
    """One subscriber hears of one new comment; the writer of the comment it answers hears of a reply."""
    comment = Comment.objects.approved().select_related("article", "parent").filter(pk=comment_id).first()
    subscription = Subscription.objects.confirmed().filter(pk=subscription_id).first()
    if comment is None or subscription is None:
        return
    is_reply = comment.parent is not None and comment.parent.author_email == subscription.email
    template = "comments/email/subscription_reply" if is_reply else "comments/email/subscription_comment"
    _deliver_once(subscription, comment_notice_key(comment.pk), template, _comment_context(comment))


@task
def announce_new_posts() -> int:
    """Queue one email per recent article and confirmed site subscriber still without it; returns how many.

    Each send is its own task: one that fails leaves the others be, and the next
    run (cron's `manage.py announce_new_posts`, or the next publish) queues it again."""
    queued = 0
    for article in Article.objects.published().filter(published_at__gte=timezone.now() - ANNOUNCE_WITHIN):
        for subscription_id in Subscription.objects.awaiting_article(article).values_list("pk", flat=True):
            enqueue_or_log(send_new_post_notice, subscription_id=subscription_id, article_id=article.pk)
            queued += 1
    return queued


@task
def send_new_post_notice(*, subscription_id: int, article_id: int) -> None:
    """One site subscriber hears of one new article, once."""
    article = Article.objects.published().select_related("author").filter(pk=article_id).first()
    subscription = Subscription.objects.confirmed().filter(pk=subscription_id).first() if article else None
    # Unpublished or unsubscribed meanwhile, or subscribed after it came out.
    if subscription is None or subscription.confirmed_at is None or subscription.confirmed_at > article.published_at:
        return
    context = {"article": article, "article_url": absolute_url(article.get_absolute_url())}
    _deliver_once(subscription, article_notice_key(article.pk), "comments/email/new_post", context)
