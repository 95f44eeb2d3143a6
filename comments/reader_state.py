"""What the site keeps for one reader between requests: their unsent comment while they sign in elsewhere
(in the session), and in their browser, as signed cookies, the comments they posted as a guest and the details
they asked it to remember. A member's comments are theirs by their account, wherever they sign in: none is kept in
the browser (as WordPress sets no comment cookies for a signed-in reader), which may be a shared one after they sign
out, and one kept there before counts for nothing."""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from articles.models import Article

from .models import MAX_COMMENT_LENGTH, Comment
from .tokens import (
    HELD_COMMENTS_COOKIE,
    OWN_COMMENTS_COOKIE,
    SAVED_DETAILS_COOKIE,
    comment_ids_from,
    comment_ids_signed,
    saved_details_from,
    saved_details_signed,
)

DRAFTS_SESSION_KEY = "comment_drafts"
DRAFT_FIELDS = ("comment", "email", "name", "url", "parent", "notify_replies", "notify_comments", "notify_posts")
# A ticked box is sent as "on", an unticked one not at all: kept as True or
# False, the initial data a checkbox renders from.
DRAFT_CHECKBOXES = {"notify_replies", "notify_comments", "notify_posts"}
# Drafts of this many articles at most: a session must not grow without bound.
DRAFTS_KEPT = 3
HELD_COMMENTS_MAX_AGE = 30 * 24 * 3600  # a moderator has decided long before
# After posting, the reader gets their own page for as long as a cache in front may
# keep the shared one, so that their new comment is there when they come back to it.
JUST_POSTED_COOKIE = "comment_posted"
SAVED_DETAILS_MAX_AGE = 365 * 24 * 3600


# ---- Held comments: only their writer sees them ------------------------------
def held_comment_ids(request: HttpRequest) -> list[int]:
    """Held comments this browser posted (a guest's: see own_held_comment_ids)."""
    return comment_ids_from(request.COOKIES.get(HELD_COMMENTS_COOKIE, ""), cookie=HELD_COMMENTS_COOKIE)


def own_held_comment_ids(request: HttpRequest, comments) -> list[int]:
    """The reader's own held comments among `comments` (own_comments)."""
    return own_comments(request, comments).held


@dataclass(frozen=True)
class OwnComments:
    held: list[int]  # only their writer sees them
    editable: list[int]  # in their edit window: Edit and Delete are theirs


def own_comments(request: HttpRequest, comments, *, edit_minutes: int = 0) -> OwnComments:
    """The reader's own comments among `comments` that are held and, with `edit_minutes`, those still in their edit
    window: a guest's that this browser posted (its cookies name them for a while), a member's by their account
    wherever they sign in. One query; none when the reader has neither."""
    held_ids = held_comment_ids(request)
    posted_ids = own_comment_ids(request) if edit_minutes else []
    signed_in = request.user.is_authenticated
    if not (held_ids or signed_in):
        # A guest with nothing held: no query. Those this browser posted are theirs to edit, but for a member's that
        # an old cookie names, which the page passes over as it draws each comment (threads.comment_rows).
        return OwnComments(held=[], editable=posted_ids)
    by_account = Q(user=request.user.pk) if signed_in else Q(pk__in=[])
    since = timezone.now() - datetime.timedelta(minutes=edit_minutes)
    held = Q(status=Comment.Status.PENDING) & (Q(pk__in=held_ids, user__isnull=True) | by_account)
    editable = Q(created_at__gt=since, status__in=(Comment.Status.APPROVED, Comment.Status.PENDING)) & (
        Q(pk__in=posted_ids, user__isnull=True) | by_account
    )
    rows = comments.filter(held | editable if edit_minutes else held).values_list("pk", "status", "created_at", "user")
    return OwnComments(
        held=[pk for pk, status, _, user in rows if status == Comment.Status.PENDING and (user or pk in held_ids)],
        editable=[
            pk for pk, _, created_at, user in rows if edit_minutes and created_at > since and (user or pk in posted_ids)
        ],
    )


def remember_posting(request: HttpRequest, response: HttpResponse) -> None:
    seconds = settings.PAGE_SHARED_MAX_AGE + settings.PAGE_STALE_WHILE_REVALIDATE + 1
    response.set_cookie(
        JUST_POSTED_COOKIE, "1", max_age=seconds, httponly=True, samesite="Lax", secure=request.is_secure()
    )


def remember_held_comment(request: HttpRequest, response: HttpResponse, comment: Comment) -> None:
    """Keep a guest's held comment in the browser that posted it (no session to create and save for a guest)."""
    if comment.user_id is not None:
        return
    response.set_cookie(
        HELD_COMMENTS_COOKIE,
        comment_ids_signed([*held_comment_ids(request), comment.pk], cookie=HELD_COMMENTS_COOKIE),
        max_age=HELD_COMMENTS_MAX_AGE,
        httponly=True,
        samesite="Lax",
        secure=request.is_secure(),
    )


# ---- Own comments: their writer may edit or delete them for a while ----------------
def own_comment_ids(request: HttpRequest) -> list[int]:
    """Comments this browser posted that may still be in their edit window: a guest's own are those of them without
    an account (a member's are theirs by account)."""
    return comment_ids_from(request.COOKIES.get(OWN_COMMENTS_COOKIE, ""), cookie=OWN_COMMENTS_COOKIE)


def remember_own_comment(request: HttpRequest, response: HttpResponse, comment: Comment, *, minutes: int) -> None:
    """Keep a guest's comment in the browser that posted it for its edit window (the cookie makes the reader's pages
    personal meanwhile, so that their Edit and Delete links are on them)."""
    if not minutes or comment.user_id is not None:
        return
    response.set_cookie(
        OWN_COMMENTS_COOKIE,
        comment_ids_signed([*own_comment_ids(request), comment.pk], cookie=OWN_COMMENTS_COOKIE),
        max_age=minutes * 60,
        httponly=True,
        samesite="Lax",
        secure=request.is_secure(),
    )


# ---- Drafts: what was typed before signing in ---------------------------------
def save_draft(request: HttpRequest, article: Article, typed, *, url: str, once: bool = False) -> None:
    """Keep what the reader typed while they sign in elsewhere: the box shows it again on return, at `url`.
    `once`: shown in the box the next time only (after signing out: the browser may be a shared one)."""
    drafts = request.session.get(DRAFTS_SESSION_KEY, {})
    drafts.pop(str(article.pk), None)  # the newest last
    while len(drafts) >= DRAFTS_KEPT:
        drafts.pop(next(iter(drafts)))
    drafts[str(article.pk)] = {
        # Only what the box sent: a member's has no name, email or website, which would hide those this browser saved.
        "fields": {
            field: _draft_value(typed, field) for field in DRAFT_FIELDS if field in typed or field in DRAFT_CHECKBOXES
        },
        "url": url,
        "once": once,
    }
    request.session[DRAFTS_SESSION_KEY] = drafts
    # The session is the only copy of the words: kept before the answer leads away, or the site's error page gives
    # them back (config.views).
    request.session.keep_now()


def typed_as_guest(request: HttpRequest, article: Article) -> dict:
    """The name, email and website a guest typed in the article's box before signing in from it: a member's box sends
    none, and the draft it keeps when they sign out from it would go without them."""
    fields = request.session.get(DRAFTS_SESSION_KEY, {}).get(str(article.pk), {}).get("fields", {})
    return {field: fields[field] for field in ("email", "name", "url") if field in fields}


def _draft_value(typed, field: str) -> str | bool:
    if field in DRAFT_CHECKBOXES:
        return bool(typed.get(field))
    return str(typed.get(field, ""))[:MAX_COMMENT_LENGTH]


def draft_for(request: HttpRequest, article: Article) -> dict:
    """What the reader typed in the article's box and has not sent yet; a draft kept `once` goes as it is read."""
    draft = request.session.get(DRAFTS_SESSION_KEY, {}).get(str(article.pk), {})
    if draft.get("once"):
        forget_draft(request, article)
    return draft.get("fields", {})


def forget_draft(request: HttpRequest, article: Article) -> None:
    drafts = request.session.get(DRAFTS_SESSION_KEY, {})
    if drafts.pop(str(article.pk), None) is not None:
        request.session[DRAFTS_SESSION_KEY] = drafts


def last_draft_url(request: HttpRequest) -> str:
    """Where the reader's most recent unsent comment waits, if any."""
    drafts = request.session.get(DRAFTS_SESSION_KEY, {})
    return list(drafts.values())[-1]["url"] if drafts else ""


# ---- Saved details: "Save my name, email, and website in this browser" --------
def saved_details(request: HttpRequest) -> dict:
    """Name, email and website the reader asked this browser to remember."""
    return saved_details_from(request.COOKIES.get(SAVED_DETAILS_COOKIE, ""))


def remember_details(request: HttpRequest, response: HttpResponse, details: dict) -> None:
    """Keep a guest's name, email and website in this browser (signed, not readable by scripts)."""
    response.set_cookie(
        SAVED_DETAILS_COOKIE,
        saved_details_signed(details),
        max_age=SAVED_DETAILS_MAX_AGE,
        httponly=True,
        samesite="Lax",
        secure=request.is_secure(),
    )


def forget_details(request: HttpRequest, response: HttpResponse) -> None:
    if SAVED_DETAILS_COOKIE in request.COOKIES:
        response.delete_cookie(SAVED_DETAILS_COOKIE, samesite="Lax")
