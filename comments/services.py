"""Writing comments: submit with the site's moderation rules, moderate, reply, edit, delete."""

import datetime
import operator
import re
import unicodedata
from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass
from functools import lru_cache, reduce

from allauth.account.models import EmailAddress
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import connection, transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from accounts.services import admin_history_anonymise, admin_history_owners_note, verified_addresses
from articles import sanitize
from articles.models import Article
from config import pagecache
from config.requests import client_ip, network_of, reader_network
from config.tasks import enqueue_with_the_change, retried_task
from config.text import decomposed

from . import notifications
from .models import (
    MODERATION,
    Block,
    Comment,
    CommentQuerySet,
    CommentVersion,
    DiscussionSettings,
    GuestDataRequest,
    ModerationAction,
    Report,
    SafetyRule,
    is_comment_moderator,
    is_trusted_commenter,
    validate_comment_length,
)
from .safety import comparable
from .subscriptions.models import Subscription
from .subscriptions.services import subscription_request
from .threads import shown_to_readers
from .tokens import GUEST_DATA_MAX_AGE, form_timing_concern


class CommentRejected(Exception):
    """A comment that cannot be accepted; the message is for the reader."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class DuplicateComment(CommentRejected):
    """Its writer said exactly this on the article already: `earlier`, held, published or marked as spam."""

    def __init__(self, earlier: Comment) -> None:
        super().__init__(_("Duplicate comment detected; it looks as though you’ve already said that!"))
        self.earlier = earlier


@dataclass(frozen=True)
class RequestMeta:
    """What the request tells about the commenter, kept for moderators only."""

    ip_address: str | None
    user_agent: str

    @classmethod
    def from_request(cls, request) -> "RequestMeta":
        return cls(ip_address=client_ip(request), user_agent=request.META.get("HTTP_USER_AGENT", "")[:500])


# Letters of other scripts drawn as Latin ones (as casefold leaves them), which spam writes a listed word with.
# Only in a word that has Latin letters too: "ответ" is Russian for an answer, not "otbet" with "bet" in it.
LOOK_ALIKES = str.maketrans(
    "авеікмнорстухѕјԁԛԝһӏүѵαβεικορτυχζ",  # Cyrillic, then Greek
    "abeikmhopctyxsjdqwhlyvabeikoptuxz",
)
_WORD = re.compile(r"\w+")
_LATIN = re.compile("[a-z]")


def _undisguised(text: str, *, accents: bool = False) -> str:
    """The text as moderation words are compared: case folded, full-width and styled letters made plain, accents
    (unless `accents`), invisible characters (zero-width spaces, soft hyphens) dropped, and letters of other scripts
    drawn as Latin ones read as those."""
    letters, dropped = (decomposed(text), ("Cf",)) if accents else (comparable(text), ("Cf", "Mn"))
    kept = " ".join("".join(letter for letter in letters if unicodedata.category(letter) not in dropped).split())
    return _WORD.sub(_as_latin_if_disguised, kept)


def _as_latin_if_disguised(word: re.Match) -> str:
    return word[0].translate(LOOK_ALIKES) if _LATIN.search(word[0]) else word[0]


@lru_cache(maxsize=4096)
def _listed(word: str) -> tuple[bool, str]:
    """A word of the discussion settings' lists as it is looked for: whether it is listed with accents (then it is
    that word only: "pédé" is not in "impede", nor "coño" in "conocer"; one listed without is found however a
    spammer accents it, "cásino"), and its undisguised letters. Made once per word, not for each comment posted."""
    accents = any(unicodedata.combining(character) for character in decomposed(word))
    return accents, _undisguised(word, accents=accents)


class _Haystacks:
    """A comment's fields as the words of the discussion settings are looked for in them: each made once for both
    lists, the same text once (the typed comment and what readers read of it mostly are)."""

    def __init__(self, fields: list[str]) -> None:
        self.fields = list(dict.fromkeys(field for field in fields if field))
        self.made: dict[bool, tuple[str, ...]] = {}

    def __call__(self, accents: bool) -> tuple[str, ...]:
        if accents not in self.made:
            self.made[accents] = tuple(dict.fromkeys(_undisguised(field, accents=accents) for field in self.fields))
        return self.made[accents]


def _first_match(words: list[str], haystacks: _Haystacks) -> str | None:
    for word in words:
        accents, undisguised = _listed(word)
        if undisguised and any(undisguised in haystack for haystack in haystacks(accents)):
            return word
    return None


def moderation_verdict(
    *,
    discussion: DiscussionSettings,
    comment: Comment,
    author,
    honeypot: str = "",
    form_started: str | None = None,
    block: Block | None = None,
) -> tuple[str, str]:
    """The status a new comment gets under the discussion rules, and why (WordPress's order, then ours).

    A comment that matches a safety rule is held with the rule named, and carries the rule
    (`comment.safety_rule`), whose guidance its writer sees at once above it."""
    # Without a word: a blocked commenter sees what any spam's writer sees.
    if block is not None:
        return Comment.Status.SPAM, Comment.fitting_reason(
            _("blocked commenter: %(reason)s") % {"reason": block.reason}
        )
    # Nobody sees the hidden field: only a program fills it in.
    if honeypot:
        return Comment.Status.SPAM, _("spam: filled in the hidden field")
    if is_trusted_commenter(author):
        return Comment.Status.APPROVED, ""
    # Before any other rule: someone describing an emergency is told where to get help, whatever else they wrote.
    rule, phrase = SafetyRule.first_matching(comment.body)
    if rule is not None:
        comment.safety_rule = rule
        reason = _("safety rule “%(rule)s”: “%(phrase)s”") % {"rule": rule.name, "phrase": phrase}
        return Comment.Status.PENDING, Comment.fitting_reason(reason)
    haystacks = _Haystacks(
        [
            comment.body,
            # What readers read: an entity ("c&#97;sino") or a tag inside a word hides it from the typed text.
            sanitize.text_of(comment.body_html),
            comment.author_display_name,  # a member's whole name, as readers see it (author_name keeps 100 characters)
            comment.author_email,
            comment.author_url,
            comment.ip_address or "",
            comment.user_agent,
        ]
    )
    if word := _first_match(discussion.words(discussion.disallowed_words), haystacks):
        return Comment.Status.TRASH, _("matched disallowed word “%(word)s”") % {"word": word}
    # A quick typist, a page kept from before the signing key changed, or a form
    # started the day before, is no proof of a program: a moderator decides, told
    # as for any held comment.
    if concern := form_timing_concern(form_started, minimum_seconds=discussion.minimum_fill_seconds):
        return Comment.Status.PENDING, concern
    if discussion.manual_approval:
        return Comment.Status.PENDING, _("every comment needs manual approval")
    links = sanitize.count_links_in_clean_html(comment.body_html)
    if discussion.hold_link_count and links >= discussion.hold_link_count:
        return Comment.Status.PENDING, _("%(count)d links") % {"count": links}
    if word := _first_match(discussion.words(discussion.moderation_words), haystacks):
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
        user__isnull=True, author_email=comment.author_email, author_name=comment.author_name
    ).exists()


def _check_body(body: str) -> None:
    """What a comment says, posted or edited: something, and not too much."""
    if not body.strip():
        raise CommentRejected(_("Please type your comment."))
    if "\x00" in body:  # the comment form's own check (Django's), which an edit does not go through
        raise CommentRejected(_("Null characters are not allowed."))
    try:
        validate_comment_length(body)
    except ValidationError as error:
        raise CommentRejected(error.messages[0]) from None


def _check_duplicate(comment: Comment) -> None:
    # A comment moved to the trash may be said again; one held or marked as spam may not. As WordPress's check, the
    # same words answering another comment are another comment ("Thank you!" to two readers).
    duplicates = Comment.objects.filter(
        article=comment.article_id, parent=comment.parent_id, body=comment.body
    ).outside_trash()
    duplicates = (
        duplicates.filter(user=comment.user_id)
        if comment.user_id
        else duplicates.filter(author_email=comment.author_email)
    )
    if (earlier := duplicates.order_by("-created_at", "-id").first()) is not None:
        raise DuplicateComment(earlier)


# A guest's comment sent again this soon from the same address and browser is theirs (comment_sent_again_by_guest).
SENT_AGAIN_WITHIN = datetime.timedelta(minutes=10)


def comment_sent_again_by_guest(comment: Comment, *, meta: RequestMeta) -> bool:
    """Whether a guest's post of the words of a guest's `comment` (DuplicateComment) comes from the address and
    browser that sent it, within SENT_AGAIN_WITHIN: the writer, whose first answer, with the cookie that shows them
    their held comment, was lost (a second click replaced it, or a retry once the box gave its button back). Anyone
    else who knows a guest's email and words is not their writer here."""
    return (
        comment.user_id is None
        and comment.ip_address is not None
        and (comment.ip_address, comment.user_agent) == (meta.ip_address, meta.user_agent)
        and comment.created_at > timezone.now() - SENT_AGAIN_WITHIN
    )


def _writer_keys(comment: Comment, *, discussion: DiscussionSettings, author) -> list[str]:
    """What the duplicate and flood checks compare a new comment with: its writer (the account, or the guest's
    email), and its network address while the flood check counts it."""
    writer = f"user:{comment.user_id}" if comment.user_id else f"email:{comment.author_email}"
    keys = [f"comments:writer:{writer}"]
    if comment.ip_address and _flood_checked(discussion, author):
        keys.append(f"comments:address:{network_of(comment.ip_address)}")
    return keys


def _one_post_at_a_time(keys: list[str]) -> None:
    """Posts that share a key queue here until the one ahead commits, so that a double click or two parallel
    requests cannot both pass the duplicate and flood checks; posts by others go on at once, to the same
    article too. PostgreSQL's advisory locks, held to the end of the transaction, taken in one statement and
    in one order (no deadlock); SQLite lets one transaction write at a time anyway."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_advisory_xact_lock(hashtextextended(key, 0))"
            " FROM unnest(%s::text[]) WITH ORDINALITY AS keys(key, position) ORDER BY position",
            [sorted(set(keys))],
        )


def _flood_checked(discussion: DiscussionSettings, author) -> bool:
    return bool(discussion.flood_seconds) and not is_trusted_commenter(author)


def _check_flood(*, discussion: DiscussionSettings, comment: Comment, author, meta: RequestMeta) -> None:
    if not _flood_checked(discussion, author):
        return
    since = timezone.now() - datetime.timedelta(seconds=discussion.flood_seconds)
    recent = Comment.objects.filter(created_at__gte=since)
    by_user = author is not None and author.is_authenticated
    # As WordPress: the writer (a member's account, a guest's email, whatever network they post from), or the address.
    if by_user:
        by_writer = recent.filter(user=author).exists()
    else:
        by_writer = bool(comment.author_email) and recent.filter(author_email=comment.author_email).exists()
    if by_writer or (meta.ip_address and _posted_from(recent, meta.ip_address)):
        raise CommentRejected(_("You are posting comments too quickly. Slow down."))


def _posted_from(comments, ip: str) -> bool:
    """Whether one of these comments came from this reader: the same IPv4 address, or the same IPv6 /64 (one
    household's or server's many addresses). The flood window's few IPv6 comments are compared here: the
    database stores addresses as text on SQLite, where no range finds a network."""
    if ":" not in ip:
        return comments.filter(ip_address=ip).exists()
    network = network_of(ip)
    return any(
        network_of(other) == network
        for other in comments.filter(ip_address__contains=":").values_list("ip_address", flat=True)
    )


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
    honeypot: str = "",
    form_started: str | None = None,
    discussion: DiscussionSettings | None = None,
    subscribe_to: tuple[str, ...] = (),
    from_the_dashboard: bool = False,
    parent_seen: bool = False,
) -> Comment:
    """Validate, sanitize, apply the moderation rules, save, ask for the subscriptions ticked, and schedule notices.

    A reply `from_the_dashboard` (comment_reply: a moderator's, or the article's author's) may answer where readers
    no longer can, as in WordPress: under an article whose comments are closed, below the deepest level."""
    discussion = discussion or DiscussionSettings.load()
    if discussion.comments_closed_for(article) and not from_the_dashboard:
        raise CommentRejected(_("Comments are closed."))
    signed_in = author is not None and author.is_authenticated
    if discussion.registration_required and not signed_in:
        raise CommentRejected(_("You must be signed in to post a comment."))
    if (
        signed_in
        and not is_trusted_commenter(author)
        and not EmailAddress.objects.filter(user=author, verified=True).exists()
    ):
        raise CommentRejected(
            _("Please confirm your email address first: open the link we emailed you, then post your comment.")
        )
    _check_body(body)
    if parent is not None:
        if parent.article_id != article.pk or parent.status != Comment.Status.APPROVED:
            raise CommentRejected(_("You can only reply to a published comment of this article."))
        # Under a held, spam or trashed comment, the reply would be published where nobody sees it (`parent_seen`:
        # the caller found readers see it, reading its thread once).
        if not (from_the_dashboard or parent_seen or shown_to_readers([parent])):
            raise CommentRejected(_("You can only reply to a published comment of this article."))
        if parent.depth >= discussion.thread_depth and not from_the_dashboard:
            raise CommentRejected(_("This conversation cannot go any deeper: reply to an earlier comment."))

    author_email = (author.email if signed_in else email).strip().lower()
    if subscribe_to and not _is_email(author_email):
        # Else every member without an address would share one subscription for "".
        raise CommentRejected(_("To get emails, your account needs an email address: add one under Your account."))

    block = Block.first_covering(user=author if signed_in else None, email=author_email, ip=meta.ip_address)
    if block is not None and discussion.blocked_comments == DiscussionSettings.BlockedComments.REFUSE:
        raise CommentRejected(_("Comments from you are not accepted on this site."))

    comment = Comment(
        article=article,
        parent=parent,
        thread=(parent.thread or parent) if parent else None,
        depth=parent.depth + 1 if parent else 1,
        user=author if signed_in else None,
        author_name=Comment.fitting_name(author.public_name) if signed_in else name.strip(),
        author_email=author_email,
        author_url="" if signed_in else website.strip(),
        body=body,
        # The slow step, done before taking the lock below.
        body_html=sanitize.clean_comment_html(body),
        ip_address=meta.ip_address,
        user_agent=meta.user_agent,
    )
    # Before the lock: the verdict reads rules and past comments, not what a parallel post changes.
    comment.status, comment.status_reason = moderation_verdict(
        discussion=discussion, comment=comment, author=author, honeypot=honeypot, form_started=form_started, block=block
    )
    with transaction.atomic():
        _one_post_at_a_time(_writer_keys(comment, discussion=discussion, author=author))
        _check_duplicate(comment)
        _check_flood(discussion=discussion, comment=comment, author=author, meta=meta)
        comment.save()
        notifications.comment_posted(comment)
        if comment.status not in (Comment.Status.SPAM, Comment.Status.TRASH):
            for topic in subscribe_to:
                subscription_request(
                    email=comment.author_email, user=author, topic=topic, article=article, comment=comment
                )
    return comment


def _is_email(value: str) -> bool:
    try:
        validate_email(value)
    except ValidationError:
        return False
    return True


def comment_reply(*, parent: Comment, author, body: str, meta: RequestMeta) -> Comment:
    """A moderator's answer from the dashboard; a held comment is approved first, as WordPress's "Approve and Reply"."""
    with transaction.atomic():
        if parent.status != Comment.Status.APPROVED:
            comment_moderate(comment=parent, action=ModerationAction.APPROVE, by=author)
        return comment_submit(
            article=parent.article, author=author, body=body, parent=parent, meta=meta, from_the_dashboard=True
        )


def comment_edit(*, comment: Comment, body: str, author_name: str, author_email: str, author_url: str) -> Comment:
    """Correct what a comment says or who signed it, cleaning the published HTML again from the typed body."""
    edits = {
        "body": body,
        "author_name": author_name,
        "author_email": author_email.strip().lower(),
        "author_url": author_url,
    }
    with transaction.atomic():
        stored = Comment.objects.select_for_update().only(*edits).get(pk=comment.pk)
        changed = [field for field, value in edits.items() if getattr(stored, field) != value]
        for field in changed:
            setattr(comment, field, edits[field])
        if "body" in changed:
            # Cleaned again from what was typed, never from the stored HTML.
            comment.body_html = sanitize.clean_comment_html(body)
            changed.append("body_html")
        if changed:
            # Only these: a status set meanwhile by a link or another moderator stays.
            comment.save(update_fields=changed)
    return comment


def comment_edit_own(
    *, comment: Comment, body: str, author, discussion: DiscussionSettings | None = None, opened_at=None
) -> Comment:
    """The writer's own edit, within the edit window (or from a page opened within it: `opened_at`): the earlier text
    is kept for moderators, the new one is cleaned from what was typed and goes through the moderation rules again
    (an edit they would hold goes back to pending, the reason starting "edited:")."""
    discussion = discussion or DiscussionSettings.load()
    _check_body(body)
    body_html = sanitize.clean_comment_html(body)  # the slow step, before the lock
    with transaction.atomic():
        comment = Comment.objects.select_for_update().select_related("article").get(pk=comment.pk)
        if closed := comment.edit_closed_because(discussion, opened_at=opened_at):
            raise CommentRejected(closed)
        # A blocked commenter changes nothing any more, nor does one whose comments were hidden with their block.
        if comment.hidden_by_block_id or Block.first_covering(
            user=comment.user, email=comment.author_email, ip=comment.ip_address
        ):
            raise CommentRejected(_("Comments from you are not accepted on this site."))
        if body == comment.body:
            return comment
        CommentVersion.objects.create(
            comment=comment, body=comment.body, written_at=comment.edited_at or comment.created_at
        )
        comment.body = body
        comment.body_html = body_html
        comment.edited_at = timezone.now()
        comment.safety_rule = None  # judged again on the new words
        status, reason = moderation_verdict(discussion=discussion, comment=comment, author=author)
        if status != Comment.Status.APPROVED:
            comment.status = status
            comment.status_reason = Comment.fitting_reason(_("edited: %(reason)s") % {"reason": reason})
        if comment.status == Comment.Status.PENDING:
            # The held comment changed: the links moderators were emailed for the old words no longer work
            # (they are stamped with the status's time), and they are asked again about the new ones.
            comment.status_changed_at = comment.edited_at
        comment.save()
        if comment.status == Comment.Status.PENDING:
            notifications.comment_posted(comment)
    return comment


def comment_withdraw(*, comment: Comment, discussion: DiscussionSettings | None = None, opened_at=None) -> None:
    """The writer takes their comment back within the edit window (or from a page opened within it: `opened_at`):
    off the page, to the trash (moderators still see it there, and no reply can lose its place: a replied comment
    cannot be withdrawn)."""
    discussion = discussion or DiscussionSettings.load()
    with transaction.atomic():
        comment = Comment.objects.select_for_update().select_related("article").get(pk=comment.pk)
        if closed := comment.edit_closed_because(discussion, opened_at=opened_at):
            raise CommentRejected(closed)
        comment.moderate(ModerationAction.TRASH, by=None, reason=_("deleted by its writer"))


def comment_delete(*, comment: Comment) -> None:
    """Delete a comment for good; its replies, with theirs, move up to the comment it answered."""
    comments_delete(comments=Comment.objects.filter(pk=comment.pk))


def comments_delete(*, comments: CommentQuerySet) -> int:
    """Delete these comments for good (WordPress's Empty Spam and Empty Trash): the replies of each, with theirs,
    move up to the nearest comment above them that stays, or each starts a thread of its own. A few queries however
    many there are; what `comments` selects is read again under lock. Returns how many were deleted."""
    with transaction.atomic():
        # The stored places: an earlier deletion may have moved them.
        # Locked first, then chosen again: on PostgreSQL a row another moderator changed while this waited for it
        # (restored from the trash) is judged by the query that follows, not by the selection made before the wait.
        locked = Comment.objects.select_for_update().filter(pk__in=comments.values("pk")).values_list("pk", flat=True)
        doomed = dict(comments.filter(pk__in=list(locked)).values_list("pk", "thread"))
        if not doomed:
            return 0
        threads = {thread or pk for pk, thread in doomed.items()}
        members = Comment.objects.select_for_update().filter(Q(pk__in=threads) | Q(thread__in=threads))
        place_of = {
            pk: (parent, thread, depth)
            for pk, parent, thread, depth in members.values_list("pk", "parent", "thread", "depth")
        }
        answers: dict[int | None, list[int]] = defaultdict(list)
        for pk, (parent, _thread, _depth) in place_of.items():
            answers[parent].append(pk)
        # From each top-level comment down: the nearest comment above that stays, the top one of those, the depth.
        moved = []
        below = [(pk, None, None, 0) for pk in answers[None]]
        while below:
            pk, parent, thread, depth = below.pop()
            if pk in doomed:
                below.extend((answer, parent, thread, depth) for answer in answers[pk])
                continue
            if place_of[pk] != (parent, thread, depth + 1):
                moved.append(Comment(pk=pk, parent_id=parent, thread_id=thread, depth=depth + 1))
            below.extend((answer, pk, thread or pk, depth + 1) for answer in answers[pk])
        Comment.objects.bulk_update(moved, ["parent", "thread", "depth"], batch_size=500)
        gone = Comment.objects.filter(pk__in=doomed)
        # The admin's history names them by their writer ("Rita Jones on …"), which erasing their data renames.
        admin_history_owners_note(objects=gone, email_field="author_email")
        gone.delete()
    return len(doomed)


def reporter_key(request) -> str:
    """Who reports, as far as counting readers once needs: a member's account, or a keyed hash of a guest's address."""
    if request.user.is_authenticated:
        return f"member:{request.user.pk}"
    return f"guest:{salted_hmac('comments.report', reader_network(request), algorithm='sha256').hexdigest()[:40]}"


def comment_report(*, comment: Comment, reason: str, reporter_key: str, reporter=None) -> bool:
    """Record a reader's report; once enough different readers reported the published comment, hold it for a
    moderator with their most given reason. Returns False when this reader had reported it already."""
    discussion = DiscussionSettings.load()
    with transaction.atomic():
        comment = Comment.objects.select_for_update().select_related("article").get(pk=comment.pk)
        _report, created = Report.objects.get_or_create(
            comment=comment,
            reporter_key=reporter_key,
            defaults={"reason": reason, "reporter": reporter if getattr(reporter, "is_authenticated", False) else None},
        )
        if not created:
            return False
        standing = comment.reports.filter(dismissed_at__isnull=True)
        if comment.status != Comment.Status.APPROVED:
            return True
        counts = dict(standing.order_by().values_list("reason").annotate(count=Count("pk")))
        readers = sum(counts.values())
        if readers >= discussion.reports_to_hold:
            most_given = max(sorted(counts), key=counts.get)
            reason = _("reported by %(count)d readers: %(reason)s") % {
                "count": readers,
                "reason": Report.Reason(most_given).label.lower(),
            }
            comment.moderate(ModerationAction.UNAPPROVE, by=None, reason=reason)
            notifications.comment_posted(comment)  # held: moderators are asked, as for any held comment
    return True


def block_hide_comments(*, block: Block, by) -> int:
    """Take every published comment of the block's commenter off the page at once (undone by block_show_comments);
    none for a block that has ended."""
    if not block.in_force:
        return 0
    with transaction.atomic():
        hidden = list(block.commenters_comments(Comment.objects.approved()).select_for_update())
        for comment in hidden:
            comment.moderate(ModerationAction.UNAPPROVE, by=by, reason=_("hidden with the commenter's block"))
        Comment.objects.filter(pk__in=[comment.pk for comment in hidden]).update(hidden_by_block=block)
        block_end_kept(block)
    return len(hidden)


def block_show_comments(*, block: Block, by, lifted_with: Collection[Block] = ()) -> int:
    """Put back on the page the comments hiding the block's commenter took off (those still waiting, no one having
    decided on them since); one that another block in force still covers stays hidden, now with that block (and
    comes back when it ends). `lifted_with`: the other blocks being lifted at the same time, which keep out no one."""
    passed_over = {block, *lifted_with}
    with transaction.atomic():
        shown, now_with = 0, set()
        for comment in block.hidden_comments.pending().select_related("user").select_for_update(of=("self",)):
            other = Block.first_covering(
                user=comment.user, email=comment.author_email, ip=comment.ip_address, passing_over=passed_over
            )
            if other is not None:
                Comment.objects.filter(pk=comment.pk).update(hidden_by_block=other)
                now_with.add(other)
                continue
            comment.moderate(ModerationAction.APPROVE, by=by)
            shown += 1
        for other in now_with:
            block_end_kept(other)
    return shown


def block_end_kept(block: Block) -> None:
    """A block with hidden comments ends at its date as if lifted then: its comments come back. Queued for that
    moment (a queue that keeps tasks: production's); a block saved already ended gives them back at once."""
    if block.ends_at is None or not block.hidden_comments.pending().exists():
        return
    if not block.in_force:
        block_show_comments(block=block, by=None)
    elif block_ended.get_backend().supports_defer:
        enqueue_with_the_change(block_ended.using(run_after=block.ends_at), block_id=block.pk)


@retried_task
def block_ended(*, block_id: int) -> int:
    """A block's date came: the comments hiding its commenter took off come back. Nothing if it was lifted, or if
    its end was moved later meanwhile (a task of its own comes then). Returns how many came back."""
    block = Block.objects.filter(pk=block_id).first()
    if block is None or block.in_force:
        return 0
    return block_show_comments(block=block, by=None)


def reports_dismiss(*, comments, by) -> int:
    """A moderator found nothing wrong: the comments' standing reports no longer count. Returns how many."""
    return Report.objects.filter(comment__in=comments, dismissed_at__isnull=True).update(
        dismissed_at=timezone.now(), dismissed_by=by
    )


def comment_moderate(*, comment: Comment, action: ModerationAction, by) -> None:
    """Apply a moderator's decision (approve, unapprove, mark_spam, trash, restore) to one comment and schedule its
    notices, as comments_moderate; refused (the comment is already past it, or its writer is blocked): ValidationError.
    `comment` is given its new status."""
    changed, refused = comments_moderate(
        comments=Comment.objects.filter(pk=comment.pk), action=action, by=by, already_done_is_refused=True
    )
    if refused:
        raise refused[0][1]
    if not changed:
        raise Comment.DoesNotExist("Deleted meanwhile.")
    for field in ("status", "status_reason", "status_changed_at", "status_changed_by", "restore_to"):
        setattr(comment, field, getattr(changed[0], field))


def comments_moderate(
    *, comments: CommentQuerySet, action: ModerationAction, by, already_done_is_refused: bool = False
) -> tuple[list[Comment], list[tuple[Comment, ValidationError]]]:
    """Apply a moderator's decision (approve, unapprove, mark_spam, trash, restore) to these comments and schedule
    their notices: what changed, and what was refused and why. A comment already where the action puts it is left
    alone, as WordPress's bulk actions do, unless `already_done_is_refused` (a link or button for that one comment).

    `by` is a comment moderator, or the article's author (comments.models.may_moderate_comments_on), whose
    decisions reach no further than their article: they do not publish what a moderator's block keeps out.
    Each comment is decided on its stored status, locked: not on a copy another moderator has since overtaken."""
    if action not in ModerationAction.values:
        raise ValueError(f"Unknown moderation action {action!r}.")
    moderation = MODERATION[ModerationAction(action)]
    for_the_site = is_comment_moderator(by)
    changed: list[Comment] = []
    refused: list[tuple[Comment, ValidationError]] = []
    with transaction.atomic():
        locked = (
            Comment.objects.select_for_update(of=("self",))
            .select_related("article", "user")
            .filter(pk__in=comments.values("pk"))
            .order_by("pk")
        )
        for comment in locked:
            if comment.status == moderation.to and action != ModerationAction.RESTORE and not already_done_is_refused:
                continue  # already where the action would put it: nothing to say, as WordPress
            publishes = action == ModerationAction.APPROVE or (
                action == ModerationAction.RESTORE and comment.restored_status == Comment.Status.APPROVED
            )
            try:
                if (
                    publishes
                    and not for_the_site
                    and (
                        comment.hidden_by_block_id
                        or Block.first_covering(user=comment.user, email=comment.author_email, ip=comment.ip_address)
                    )
                ):
                    raise ValidationError(_("Its writer is blocked: only a comment moderator may publish it."))
                comment.moderate(action, by=by)
            except ValidationError as error:
                refused.append((comment, error))
            else:
                changed.append(comment)
        published = [comment for comment in changed if comment.status == Comment.Status.APPROVED]
        # A moderator looked and kept them: the reports that held them count no more.
        reports_dismiss(comments=[comment.pk for comment in published], by=by)
        notifications.comments_published(published, by=by)
        spam_addresses = defaultdict(set)
        for comment in changed:
            if comment.status == Comment.Status.SPAM and comment.author_email:
                spam_addresses[comment.article_id].add(comment.author_email)
        if spam_addresses:
            # Ticked by a spammer, maybe in someone else's name: what the address has not confirmed goes, and the
            # confirmation links sent to it lead nowhere. (Confirmed subscriptions were the address's own doing.)
            # An author's decision: only what the address asked of their article.
            unconfirmed = Subscription.objects.filter(status=Subscription.Status.PENDING)
            if for_the_site:
                unconfirmed = unconfirmed.filter(email__in=set().union(*spam_addresses.values()))
            else:
                unconfirmed = unconfirmed.filter(
                    reduce(
                        operator.or_,
                        (Q(article=article, email__in=emails) for article, emails in spam_addresses.items()),
                    )
                )
            unconfirmed.delete()
    return changed, refused


ANONYMOUS_NAME = "Anonymous"


def comments_anonymise(*, user=None, email: str = "") -> int:
    """Erase a person's data from comments, by account or by a guest's address: published comments stay, anonymised;
    the others are deleted, and so are the subscriptions (an account's, like its comments, include those of its
    verified addresses; an address's are those made signed out)."""
    if user is None and not email:
        raise ValueError("Say whose comments: a user or an email address.")
    theirs = Comment.objects.none()
    subscriptions = Subscription.objects.none()
    # The requests for their data hold their addresses, and the links emailed for them would still work.
    data_requests = GuestDataRequest.objects.none()
    if user is not None:
        theirs |= Comment.objects.belonging_to(user)
        subscriptions |= Subscription.objects.belonging_to(user)
        data_requests |= GuestDataRequest.objects.filter(email__in=verified_addresses(user))
    if email:
        # A guest's: what a member wrote or asked for signed in is theirs to erase (Your data), never a moderator's.
        theirs |= Comment.objects.written_as_guest(email)
        subscriptions |= Subscription.objects.asked_as_guest(email)
        data_requests |= GuestDataRequest.objects.filter(email=email.strip().lower())
    with transaction.atomic():
        # Their name and website leave pages across the site, in one UPDATE that no signal reports.
        pagecache.site_changed()
        addresses = {*subscriptions.values_list("email", flat=True), email}
        _subscriptions_history_anonymise(addresses | (set(verified_addresses(user)) if user is not None else set()))
        if user is not None:
            # And a member's made with an address the account has since given up, which only the account knows.
            admin_history_anonymise(
                model=Subscription, pks=[], user=user, label=_("A subscription of an erased person")
            )
        subscriptions.delete()
        data_requests.delete()
        erased = [str(pk) for pk in theirs.values_list("pk", flat=True)]
        # Replies by other people stay, moved up to the comment each answered.
        comments_delete(comments=theirs.unpublished())
        # What they wrote before they edited it (a name, a street they took out) goes with what named them.
        CommentVersion.objects.filter(comment__in=theirs).delete()
        kept = theirs.update(
            user=None, author_name=ANONYMOUS_NAME, author_email="", author_url="", ip_address=None, user_agent=""
        )
        # The admin's history named their comments by their name ("Rita Jones on …"), those deleted before too.
        admin_history_anonymise(
            model=Comment,
            pks=erased,
            user=user,
            guest_emails=[email, *(verified_addresses(user) if user is not None else ())],
            label=_("A comment of an erased person"),
        )
        return kept


def _subscriptions_history_anonymise(addresses: Collection[str]) -> None:
    """The admin's history named subscriptions by their address ("rita@example.com: new articles"), those it deleted
    too, which only that name still ties to the address. Django cuts a name at the field's length: that of a long
    address ends inside it, and is looked for as cut."""
    cut = LogEntry._meta.get_field("object_repr").max_length
    named = [Q(object_repr__startswith=f"{address.strip().lower()}: "[:cut]) for address in addresses if address]
    if named:
        LogEntry.objects.filter(
            reduce(operator.or_, named), content_type=ContentType.objects.get_for_model(Subscription)
        ).update(object_repr=_("A subscription of an erased person"))


def guest_data_request(email: str) -> GuestDataRequest:
    """A guest asks for what their comments hold: the address is emailed a link, if anything here is from it.
    Requests whose links have expired go (they hold an address, and nothing needs them)."""
    with transaction.atomic():
        GuestDataRequest.objects.filter(created_at__lt=timezone.now() - GUEST_DATA_MAX_AGE).delete()
        asked = GuestDataRequest.objects.create(email=email.strip().lower())
        notifications.guest_data_asked(asked)
    return asked


def guest_data_erase(asked: GuestDataRequest) -> int | None:
    """Erase the data of the request's address (as a moderator's Erase does), and every request of that address:
    their links stop working. Returns how many published comments stay, signed "Anonymous"; None when another
    erase of the address came first (a second click: it waits here for the first, on PostgreSQL)."""
    with transaction.atomic():
        if not list(GuestDataRequest.objects.select_for_update().filter(pk=asked.pk).values_list("pk")):
            return None
        kept = comments_anonymise(email=asked.email)
        GuestDataRequest.objects.filter(email=asked.email).delete()
    return kept
