"""What the site keeps for one reader between requests: their unsent comment while they sign in elsewhere
and the held comments they posted (in the session), and the details they asked this browser to remember (a cookie)."""

from django.http import HttpRequest, HttpResponse

from articles.models import Article

from .models import Comment
from .services import MAX_COMMENT_LENGTH
from .tokens import SAVED_DETAILS_COOKIE, saved_details_from, saved_details_signed

DRAFTS_SESSION_KEY = "comment_drafts"
DRAFT_FIELDS = ("comment", "email", "name", "url", "parent", "notify_comments", "notify_posts")
# A ticked box is sent as "on", an unticked one not at all: kept as True or
# False, the initial data a checkbox renders from.
DRAFT_CHECKBOXES = {"notify_comments", "notify_posts"}
HELD_SESSION_KEY = "comments_held"
HELD_REMEMBERED = 50
SAVED_DETAILS_MAX_AGE = 365 * 24 * 3600


# ---- Held comments: only their writer sees them ------------------------------
def held_comment_ids(request: HttpRequest) -> list[int]:
    """Held comments this session posted."""
    return request.session.get(HELD_SESSION_KEY, [])


def remember_held_comment(request: HttpRequest, comment: Comment) -> None:
    request.session[HELD_SESSION_KEY] = [*held_comment_ids(request), comment.pk][-HELD_REMEMBERED:]


# ---- Drafts: what was typed before signing in ---------------------------------
def save_draft(request: HttpRequest, article: Article, typed) -> None:
    """Keep what the reader typed while they sign in elsewhere: the box shows it again on return."""
    drafts = request.session.get(DRAFTS_SESSION_KEY, {})
    drafts[str(article.pk)] = {
        "fields": {field: _draft_value(typed, field) for field in DRAFT_FIELDS},
        "url": f"{article.get_absolute_url()}#respond",
    }
    request.session[DRAFTS_SESSION_KEY] = drafts


def _draft_value(typed, field: str) -> str | bool:
    if field in DRAFT_CHECKBOXES:
        return bool(typed.get(field))
    return str(typed.get(field, ""))[:MAX_COMMENT_LENGTH]


def draft_for(request: HttpRequest, article: Article) -> dict:
    return request.session.get(DRAFTS_SESSION_KEY, {}).get(str(article.pk), {}).get("fields", {})


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
