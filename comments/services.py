"""Writing comments: submit, with the site's moderation rules."""

import datetime
import ipaddress
from dataclasses import dataclass

from allauth.account.models import EmailAddress
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from articles import sanitize
from articles.models import Article

from .models import Comment, DiscussionSettings

MAX_COMMENT_LENGTH = 65_525  # WordPress's limit: the size of a MySQL TEXT column, less some room.


class CommentRejected(Exception):
    """A comment that cannot be accepted; the message is for the reader."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class RequestMeta:
    """What the request tells about the commenter, kept for moderators only."""

    ip_address: str | None
    user_agent: str

    @classmethod
    def from_request(cls, request) -> "RequestMeta":
        return cls(ip_address=client_ip(request), user_agent=request.META.get("HTTP_USER_AGENT", "")[:500])


def client_ip(request) -> str | None:
    """The reader's IP address: behind PROXY_COUNT trusted proxies, the one the outermost proxy saw."""
    address = request.META.get("REMOTE_ADDR") or None
    if settings.PROXY_COUNT:
        # Each proxy appends the address it received from; only the last
        # PROXY_COUNT entries were written by proxies we trust.
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        if len(forwarded) >= settings.PROXY_COUNT:
            address = forwarded[-settings.PROXY_COUNT]
    try:
        return str(ipaddress.ip_address(address)) if address else None
    except ValueError:
        return None


def is_moderator(user) -> bool:
    """Staff and members of Moderators: their comments are approved at once and never throttled."""
    return bool(
        user
        and user.is_authenticated
        and (user.is_staff or user.is_superuser or user.groups.filter(name="Moderators").exists())
    )


def _first_match(words: list[str], fields: list[str]) -> str | None:
    haystacks = [field.lower() for field in fields if field]
    for word in words:
        if any(word in haystack for haystack in haystacks):
            return word
    return None


def moderation_verdict(*, discussion: DiscussionSettings, comment: Comment, author, typed_body: str) -> tuple[str, str]:
    """The status a new comment gets under the discussion rules, and why (WordPress's order)."""
    if is_moderator(author):
        return Comment.Status.APPROVED, ""
    fields = [
        typed_body,
        comment.author_name,
        comment.author_email,
        comment.author_url,
        comment.ip_address or "",
        comment.user_agent,
    ]
    if word := _first_match(discussion.words(discussion.disallowed_words), fields):
        return Comment.Status.TRASH, _("matched disallowed word “%(word)s”") % {"word": word}
    if discussion.manual_approval:
        return Comment.Status.PENDING, _("every comment needs manual approval")
    links = sanitize.count_links(typed_body)
    if discussion.hold_link_count and links >= discussion.hold_link_count:
        return Comment.Status.PENDING, _("%(count)d links") % {"count": links}
    if word := _first_match(discussion.words(discussion.moderation_words), fields):
        return Comment.Status.PENDING, _("matched moderation word “%(word)s”") % {"word": word}
    if discussion.require_previous_approval and not _has_approved_comment(comment, author):
        return Comment.Status.PENDING, _("first comment from this author")
    return Comment.Status.APPROVED, ""


def _has_approved_comment(comment: Comment, author) -> bool:
    approved = Comment.objects.approved()
    if author is not None and author.is_authenticated:
        return approved.filter(user=author).exists()
    # As WordPress: the same name and email must have been approved before.
    return approved.filter(
        user__isnull=True, author_email__iexact=comment.author_email, author_name=comment.author_name
    ).exists()


def _check_flood(*, discussion: DiscussionSettings, author, meta: RequestMeta) -> None:
    if not discussion.flood_seconds or is_moderator(author):
        return
    since = timezone.now() - datetime.timedelta(seconds=discussion.flood_seconds)
    recent = Comment.objects.filter(created_at__gte=since)
    by_user = author is not None and author.is_authenticated
    if (by_user and recent.filter(user=author).exists()) or (
        meta.ip_address and recent.filter(ip_address=meta.ip_address).exists()
    ):
        raise CommentRejected(_("You are posting comments too quickly. Slow down."))


def comment_submit(
    *,
    article: Article,
    author,
    body: str,
    name: str = "",
    email: str = "",
    website: str = "",
    parent: Comment | None = None,
    meta: RequestMeta,
    looks_automated: str = "",
) -> Comment:
    """Validate, sanitize, apply the moderation rules, save, and schedule notifications."""
    discussion = DiscussionSettings.load()
    if discussion.comments_closed_for(article):
        raise CommentRejected(_("Comments are closed."))
    signed_in = author is not None and author.is_authenticated
    if discussion.registration_required and not signed_in:
        raise CommentRejected(_("You must be signed in to post a comment."))
    if signed_in and not is_moderator(author) and not EmailAddress.objects.filter(user=author, verified=True).exists():
        raise CommentRejected(
            _("Please confirm your email address first: open the link we emailed you, then post your comment.")
        )
    if not body.strip():
        raise CommentRejected(_("Please type your comment."))
    if len(body) > MAX_COMMENT_LENGTH:
        raise CommentRejected(
            _("Your comment is too long: %(length)d characters, the limit is %(limit)d.")
            % {"length": len(body), "limit": MAX_COMMENT_LENGTH}
        )
    if parent is not None and (parent.article_id != article.pk or parent.status != Comment.Status.APPROVED):
        raise CommentRejected(_("You can only reply to a published comment of this article."))
    _check_flood(discussion=discussion, author=author, meta=meta)

    comment = Comment(
        article=article,
        parent=parent,
        thread=(parent.thread or parent) if parent else None,
        user=author if signed_in else None,
        author_name=author.public_name if signed_in else name.strip(),
        author_email=author.email if signed_in else email.strip(),
        author_url="" if signed_in else website.strip(),
        body=body,
        body_html=sanitize.clean_comment_html(body),
        ip_address=meta.ip_address,
        user_agent=meta.user_agent,
    )
    duplicates = Comment.objects.filter(article=article, body=body).exclude(status=Comment.Status.TRASH)
    duplicates = (
        duplicates.filter(user=author) if signed_in else duplicates.filter(author_email__iexact=comment.author_email)
    )
    if duplicates.exists():
        raise CommentRejected(_("Duplicate comment detected; it looks as though you’ve already said that!"))

    if looks_automated:
        comment.status, comment.status_reason = Comment.Status.SPAM, looks_automated
    else:
        comment.status, comment.status_reason = moderation_verdict(
            discussion=discussion, comment=comment, author=author, typed_body=body
        )
    with transaction.atomic():
        comment.save()
        transaction.on_commit(lambda: _schedule_notifications(comment), robust=True)
    return comment


def _schedule_notifications(comment: Comment) -> None:
    from . import tasks

    tasks.comment_notify(comment)


def comment_moderate(*, comment: Comment, action: str, by) -> None:
    """Apply a moderator's decision (approve, unapprove, mark_spam, trash, restore) and schedule its notices."""
    from . import tasks

    if action not in Comment.TRANSITIONS:
        raise ValueError(f"Unknown moderation action {action!r}.")
    with transaction.atomic():
        # Decide on the stored status, not on a copy another moderator has since overtaken.
        comment.refresh_from_db(
            fields=["status", "status_reason", "status_changed_at", "status_changed_by"],
            from_queryset=Comment.objects.select_for_update(),
        )
        getattr(comment, action)(by=by)
        if comment.status == Comment.Status.APPROVED:
            transaction.on_commit(lambda: tasks.comment_approved_notify(comment, by=by), robust=True)


ANONYMOUS_NAME = "Anonymous"


def comments_anonymise(*, user=None, email: str = "") -> int:
    """Erase a person's data from comments: published ones stay, anonymised; the others are deleted."""
    if user is None and not email:
        raise ValueError("Say whose comments: a user or an email address.")
    theirs = (
        Comment.objects.filter(user=user) if user is not None else Comment.objects.filter(author_email__iexact=email)
    )
    with transaction.atomic():
        theirs.exclude(status=Comment.Status.APPROVED).delete()
        return theirs.update(
            user=None, author_name=ANONYMOUS_NAME, author_email="", author_url="", ip_address=None, user_agent=""
        )
