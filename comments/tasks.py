"""Notification emails about comments, sent by background tasks.

`comment_notify` and `comment_approved_notify` run in the request, after its
transaction commits: they only decide who must be told and enqueue one task per
email, with ids as arguments. The tasks read the comment again, since the queue
may reach them after a moderator already acted.
"""

import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.sites.models import Site
from django.core.mail import EmailMultiAlternatives
from django.db.models import QuerySet
from django.tasks import Task, task
from django.template.loader import render_to_string
from django.urls import reverse

from .models import Comment
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
    """Tell who must know about a new comment: moderators when it is held, the article's author when published."""
    if comment.status == Comment.Status.PENDING:
        for moderator_id in moderators().exclude(email="").values_list("pk", flat=True):
            _enqueue(send_held_comment_email, comment_id=comment.pk, moderator_id=moderator_id)
    elif comment.status == Comment.Status.APPROVED and comment.user_id != comment.article.author_id:
        _enqueue(send_new_comment_email, comment_id=comment.pk)


def comment_approved_notify(comment: Comment, *, by) -> None:
    """Tell the article's author that a moderator published a comment (not their own, nor approved by them)."""
    author_id = comment.article.author_id
    if comment.user_id != author_id and getattr(by, "pk", None) != author_id:
        _enqueue(send_new_comment_email, comment_id=comment.pk)


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


def _send(template_prefix: str, context: dict, *, to: str, reply_to: str) -> None:
    subject = " ".join(render_to_string(f"{template_prefix}_subject.txt", context).split())
    message = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string(f"{template_prefix}.txt", context),
        to=[to],
        reply_to=[reply_to] if reply_to else None,
    )
    message.attach_alternative(render_to_string(f"{template_prefix}.html", context), "text/html")
    message.send()
