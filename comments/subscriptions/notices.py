"""Subscribers' emails: the confirmation (double opt-in), the fan-out of a new comment, the new-article announcement.

Each email is its own task and records a Delivery: a failed send fails only its
own task, and a fan-out run again (`announce_new_posts` from cron or the next
publish; `send_comment_to_subscribers` for the same comment) queues only the
subscribers still without that Delivery.
"""

import datetime
import logging

from django.db import transaction
from django.tasks import task
from django.utils import timezone

from articles.models import Article
from config.email import absolute_url
from config.tasks import retried_task

from ..mail import comment_email_context, send_email
from ..models import Comment
from ..threads import shown_to_readers
from ..tokens import confirm_path, unsubscribe_path
from .models import Delivery, Subscription, article_notice_key, comment_notice_key, confirmation_key

logger = logging.getLogger(__name__)

# However many boxes are ticked with one address, it gets this many confirmation requests a day at most.
CONFIRMATIONS_PER_ADDRESS_PER_DAY = 3
# Articles published this long ago are still announced: room for a worker that was down a while.
ANNOUNCE_WITHIN = datetime.timedelta(days=3)


def _deliver_once(subscription: Subscription, key: str, template_prefix: str, context: dict) -> bool:
    """Send one email for a subscription unless it was sent before: a task run twice sends it once."""
    unsubscribe = absolute_url(unsubscribe_path(subscription))
    context = {**context, "subscription": subscription, "unsubscribe_url": unsubscribe}
    with transaction.atomic():
        _, created = Delivery.objects.get_or_create(subscription=subscription, key=key)
        if not created:
            return False
        # A failed send rolls the record back, so a later run tries again.
        send_email(
            template_prefix,
            context,
            to=subscription.email,
            reply_to="",
            headers={"List-Unsubscribe": f"<{unsubscribe}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"},
        )
    return True


def confirmations_left_today(email: str, *, key: str | None = None) -> int:
    """How many more confirmation requests the address may be sent today (CONFIRMATIONS_PER_ADDRESS_PER_DAY); `key`:
    the day's confirmation_key, when the caller has it already (a task about to send under it, at midnight too)."""
    key = key or confirmation_key(timezone.now())
    sent_today = Delivery.objects.filter(subscription__email=email.strip().lower(), key=key).count()
    return max(0, CONFIRMATIONS_PER_ADDRESS_PER_DAY - sent_today)


@retried_task
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
        if not confirmations_left_today(subscription.email, key=key):
            logger.info("Confirmation for subscription %s not sent: this address had enough today.", subscription.pk)
            return
        _deliver_once(
            subscription,
            key,
            "comments/email/subscription_confirm",
            {"confirm_url": absolute_url(confirm_path(subscription))},
        )


@retried_task
def send_comment_to_subscribers(*, comment_id: int) -> None:
    """Fan a published comment out to the article's confirmed subscribers, its writer and the article's author
    excepted: one task each, all queued or none.

    Run again for the same comment, it queues only those still without the notice (a send that failed)."""
    comment = Comment.objects.approved().select_related("article__author").filter(pk=comment_id).first()
    if comment is None or not comment.article.is_public:
        return  # Unapproved or deleted meanwhile; or under an article readers cannot open (its link would be a 404).
    if not shown_to_readers([comment]):
        return  # Under a held, spam or trashed comment, off the page with it: sent when that one is published.
    waiting = Subscription.objects.awaiting_comment(comment).values_list("pk", "email")
    with transaction.atomic():
        for subscription_id in Subscription.objects.one_per_email(waiting):
            send_comment_notice.enqueue(subscription_id=subscription_id, comment_id=comment_id)


@retried_task
def send_comment_notice(*, subscription_id: int, comment_id: int) -> None:
    """One subscriber hears of one new comment; the writer of the comment it answers hears of a reply."""
    comment = Comment.objects.approved().select_related("article", "parent").filter(pk=comment_id).first()
    subscription = Subscription.objects.confirmed().filter(pk=subscription_id).first()
    if comment is None or subscription is None:
        return
    is_reply = comment.parent is not None and comment.parent.author_email == subscription.email
    template = "comments/email/subscription_reply" if is_reply else "comments/email/subscription_comment"
    _deliver_once(subscription, comment_notice_key(comment.pk), template, comment_email_context(comment))


@task
def announce_new_posts() -> int:
    """Queue one email per recent article and confirmed site subscriber still without it; returns how many.

    Each send is its own task: one that fails leaves the others be, and the next
    run (cron's `manage.py announce_new_posts`, or the next publish) queues it again."""
    queued = 0
    for article in Article.objects.published().filter(published_at__gte=timezone.now() - ANNOUNCE_WITHIN):
        for subscription_id in Subscription.objects.awaiting_article(article).values_list("pk", flat=True):
            send_new_post_notice.enqueue(subscription_id=subscription_id, article_id=article.pk)
            queued += 1
    return queued


@retried_task
def send_new_post_notice(*, subscription_id: int, article_id: int) -> None:
    """One site subscriber hears of one new article, once."""
    article = Article.objects.published().select_related("author").filter(pk=article_id).first()
    subscription = Subscription.objects.confirmed().filter(pk=subscription_id).first() if article else None
    # Unpublished or unsubscribed meanwhile, or subscribed after it came out.
    if subscription is None or subscription.confirmed_at is None or subscription.confirmed_at > article.published_at:
        return
    context = {"article": article, "article_url": absolute_url(article.get_absolute_url())}
    _deliver_once(subscription, article_notice_key(article.pk), "comments/email/new_post", context)
