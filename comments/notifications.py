"""Who is told what by email: the one place services call, inside the transaction of their change.

The functions without a task decorator run in the request: they only decide who must be
told and queue one task per email, with ids as arguments, in the same transaction as the
change (config.tasks.enqueue_with_the_change), so that no change is saved without its
emails nor an email queued for a change that was not saved. The tasks read the comment
again, since the queue may reach them after a moderator already acted. Moderators and the
article's author are emailed from here; subscribers through the subscriptions package,
which fans out one task each. A task that fans out queues the next ones itself: if that
fails, it fails, and running it again queues only what is still missing.
"""

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from config.email import absolute_url
from config.tasks import enqueue_with_the_change, retried_task

from .mail import comment_email_context, send_email
from .models import (
    EMAILED_ACTIONS,
    Comment,
    GuestDataRequest,
    ModerationAction,
    may_moderate_comments_on,
    moderators_of,
)
from .subscriptions.models import Subscription
from .subscriptions.notices import announce_new_posts, send_comment_to_subscribers, send_subscription_confirmation
from .threads import approved_below
from .tokens import guest_data_path, moderation_path


# ---- What happened: called by services and views after their commit -------------
def comment_posted(comment: Comment) -> None:
    """A new comment: moderators hear of it when it is held; its article's author and subscribers when published."""
    if comment.status == Comment.Status.PENDING:
        enqueue_with_the_change(ask_moderators, comment_id=comment.pk)
    elif comment.status == Comment.Status.APPROVED:
        comment_published(comment)


def comment_published(comment: Comment, *, by=None) -> None:
    """A comment readers can now see (at once, or approved `by` a moderator): tell the article's author
    (not of their own, nor of one they approved, and once: Comment.author_told_at) and the article's subscribers
    (each once: their deliveries are kept)."""
    author_id = comment.article.author_id
    if comment.user_id != author_id and getattr(by, "pk", None) != author_id and comment.author_told_at is None:
        enqueue_with_the_change(send_new_comment_email, comment_id=comment.pk)
    enqueue_with_the_change(send_comment_to_subscribers, comment_id=comment.pk)


def comments_published(comments: list[Comment], *, by=None) -> None:
    """Comments a moderator published (comment_published for each), and the approved replies under them, which readers
    see with them now: their subscribers, not told while the replies were off the page, hear of them."""
    for comment in comments:
        comment_published(comment, by=by)
    for comment_id in approved_below(comments) if comments else ():
        enqueue_with_the_change(send_comment_to_subscribers, comment_id=comment_id)


def subscription_asked(subscription: Subscription) -> None:
    """A reader ticked a Notify me box: send the confirmation link (double opt-in)."""
    enqueue_with_the_change(send_subscription_confirmation, subscription_id=subscription.pk)


def article_published(article: Article) -> None:
    """Queue the announcement of a published article: at once, or at its publish time when scheduled."""
    if article.is_scheduled and announce_new_posts.get_backend().supports_defer:
        enqueue_with_the_change(announce_new_posts.using(run_after=article.published_at))
    elif article.is_public:
        enqueue_with_the_change(announce_new_posts)


def guest_data_asked(asked: GuestDataRequest) -> None:
    """A guest asked for what their comments hold: email the address its link."""
    enqueue_with_the_change(send_guest_data_link, request_id=asked.pk)


# ---- Moderators and authors ---------------------------------------------------------
@retried_task
def ask_moderators(*, comment_id: int) -> None:
    """Fan a held comment out to everyone who may moderate it (the comment moderators and the article's author)
    with an address, one email each: in the worker, not the request. All queued or none: run again, none twice."""
    comment = Comment.objects.pending().select_related("article").filter(pk=comment_id).first()
    if comment is None:
        return  # Moderated or deleted meanwhile.
    with transaction.atomic():
        for moderator_id in moderators_of(comment.article).exclude(email="").values_list("pk", flat=True):
            send_held_comment_email.enqueue(comment_id=comment_id, moderator_id=moderator_id)


@retried_task
def send_held_comment_email(*, comment_id: int, moderator_id: int) -> None:
    """Ask one moderator to approve, spam or trash a held comment, with one-click links signed for them."""
    comment = Comment.objects.pending().select_related("article").filter(pk=comment_id).first()
    if comment is None:
        return  # Moderated or deleted meanwhile: nothing to ask.
    moderator = moderators_of(comment.article).exclude(email="").filter(pk=moderator_id).first()
    if moderator is None:
        return  # No longer moderates these comments (nor, if it was the article's author, writes it).
    links = {
        action.value: absolute_url(moderation_path(comment, action=action, moderator=moderator))
        for action in EMAILED_ACTIONS
    }
    context = {
        **comment_email_context(comment),
        "links": links,
        "pending_count": Comment.objects.pending().moderated_by(moderator).count(),
        "queue_url": absolute_url(reverse("admin:comments_comment_changelist") + "?status=pending"),
    }
    send_email("comments/email/comment_held", context, to=moderator.email, reply_to=comment.author_email)


@retried_task
def send_new_comment_email(*, comment_id: int) -> None:
    """Tell the article's author about a comment readers can now see, once: what is marked told is what was sent
    (a comment approved, then held before the queue got here, is told of when it is approved again)."""
    with transaction.atomic():
        comment = (
            Comment.objects.approved()
            .filter(pk=comment_id, author_told_at__isnull=True)
            .select_related("article__author")
            .select_for_update(of=("self",))
            .first()
        )
        if comment is None:
            return  # Told already, or unapproved or deleted before the queue got here.
        author = comment.article.author
        if not author.is_active or not author.email:
            return
        context = {**comment_email_context(comment), "recipient": author}
        if may_moderate_comments_on(author, comment.article):
            # As WordPress's email to a post's author: take it off the page from the email, confirmed first.
            context["links"] = {
                action.value: absolute_url(moderation_path(comment, action=action, moderator=author))
                for action in (ModerationAction.TRASH, ModerationAction.MARK_SPAM)
            }
        send_email("comments/email/comment_published", context, to=author.email, reply_to=comment.author_email)
        Comment.objects.filter(pk=comment.pk).update(author_told_at=timezone.now())


# ---- Guests ---------------------------------------------------------------------------
@retried_task
def send_guest_data_link(*, request_id: int) -> None:
    """The link to a guest's data, sent only to an address that commented or subscribed signed out: the form must
    not become a way to send email to any address typed in it (and answers the same either way)."""
    asked = GuestDataRequest.objects.filter(pk=request_id).first()
    if asked is None:
        return  # erased meanwhile
    if not (
        Comment.objects.written_as_guest(asked.email).exists()
        or Subscription.objects.asked_as_guest(asked.email).exists()
    ):
        asked.delete()  # an address typed in with nothing here is not kept either
        return
    context = {"data_url": absolute_url(guest_data_path(asked))}
    send_email("comments/email/guest_data", context, to=asked.email, reply_to="")
