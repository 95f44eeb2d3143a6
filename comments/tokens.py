"""The signed values the comments app hands out: moderation links, subscription links, a guest's link to their data,
the form's start time, the saved-details and held-comments cookies.

Each kind is signed with a salt of its own, so that a token of one kind is never
taken for another.
"""

import datetime
import time

from django.core import signing
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .models import EMAILED_ACTIONS, Comment, GuestDataRequest, ModerationAction, moderators_of
from .subscriptions.models import Subscription


class LinkRefused(Exception):
    """A signed link that cannot be used; the message is for the person who followed it."""

    def __init__(self, message: str, *, status: int) -> None:
        super().__init__(message)
        self.message = message
        self.status = status


# ---- Moderation links in the email about a held comment ------------------------
# A link carries the comment, the action, the moderator it was sent to, and the
# comment's `status_changed_at` when it was signed. Once the comment's status
# changes (through this link, another link or the admin), that stamp no longer
# matches and every earlier link stops working: each link is single-use.
MODERATION_SALT = "comments.moderation-link"
MODERATION_MAX_AGE = datetime.timedelta(days=7)


def _status_stamp(comment: Comment) -> str | None:
    changed = comment.status_changed_at
    return changed.astimezone(datetime.UTC).isoformat() if changed else None


def moderation_path(comment: Comment, *, action: ModerationAction, moderator) -> str:
    """The path of a link that lets this moderator apply this action to the comment as it is now."""
    if action not in EMAILED_ACTIONS:
        raise ValueError(f"No moderation link for {action!r}.")
    token = signing.dumps(
        {"comment": comment.pk, "action": action, "moderator": moderator.pk, "stamp": _status_stamp(comment)},
        salt=MODERATION_SALT,
    )
    return reverse("comments:moderate", kwargs={"token": token})


def moderation_link_read(token: str, *, lock: bool = False) -> tuple[Comment, ModerationAction, object]:
    """The comment, action and moderator a moderation link names, while it is still good; else LinkRefused."""
    not_valid = LinkRefused(_("This link is not valid. Check that it was copied whole."), status=400)
    try:
        data = signing.loads(token, salt=MODERATION_SALT, max_age=MODERATION_MAX_AGE)
    except signing.SignatureExpired:
        raise LinkRefused(
            _("This link has expired. Moderation links work for 7 days; moderate the comment in the dashboard."),
            status=410,
        ) from None
    except signing.BadSignature:
        raise not_valid from None
    if not isinstance(data, dict) or data.get("action") not in EMAILED_ACTIONS:
        raise not_valid
    action = ModerationAction(data["action"])
    comments = Comment.objects.select_for_update() if lock else Comment.objects.all()
    comment = comments.filter(pk=data.get("comment")).first()
    if comment is None:
        raise LinkRefused(_("This comment no longer exists."), status=410)
    if _status_stamp(comment) != data.get("stamp"):
        raise LinkRefused(_("This link has already been used or the comment has changed since."), status=410)
    moderator = moderators_of(comment.article).filter(pk=data.get("moderator")).first()
    if moderator is None:
        raise LinkRefused(_("The account this link was sent to may no longer moderate comments."), status=403)
    return comment, action, moderator


# ---- Subscription links: confirm (double opt-in) and unsubscribe (one click) ----
SUBSCRIPTION_SALT = "comments.subscription"
CONFIRM_MAX_AGE = 7 * 24 * 3600


def _subscription_token(subscription: Subscription, action: str) -> str:
    return signing.dumps({"subscription": subscription.pk, "action": action}, salt=SUBSCRIPTION_SALT)


def confirm_path(subscription: Subscription) -> str:
    """The path that confirms this subscription, valid for CONFIRM_MAX_AGE seconds."""
    return reverse("comments:subscription-confirm", kwargs={"token": _subscription_token(subscription, "confirm")})


def unsubscribe_path(subscription: Subscription) -> str:
    """The path that stops this subscription; it never expires."""
    return reverse("comments:unsubscribe", kwargs={"token": _subscription_token(subscription, "unsubscribe")})


def subscription_from(token: str, action: str) -> Subscription | None:
    """The subscription a token signed for this action names, or None (forged, expired or of another action)."""
    # Confirm links expire; an unsubscribe link must work in any old email.
    max_age = CONFIRM_MAX_AGE if action == "confirm" else None
    try:
        data = signing.loads(token, salt=SUBSCRIPTION_SALT, max_age=max_age)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or data.get("action") != action:
        return None
    return Subscription.objects.select_related("article").filter(pk=data.get("subscription")).first()


def confirm_link_expired(token: str) -> bool:
    """Whether the token was signed here but is older than CONFIRM_MAX_AGE."""
    try:
        signing.loads(token, salt=SUBSCRIPTION_SALT, max_age=CONFIRM_MAX_AGE)
    except signing.SignatureExpired:
        return True
    except signing.BadSignature:
        pass
    return False


# ---- A guest's link to what their comments hold ---------------------------------
GUEST_DATA_SALT = "comments.guest-data"
GUEST_DATA_MAX_AGE = datetime.timedelta(hours=24)


def guest_data_path(asked: GuestDataRequest) -> str:
    """The path of the emailed link to the data of the request's address, good for GUEST_DATA_MAX_AGE."""
    return reverse("comments:guest-data", kwargs={"token": signing.dumps({"request": asked.pk}, salt=GUEST_DATA_SALT)})


ERASED = gettext_lazy(
    "Nothing is left to show at this link: the data was erased, or the link expired. Ask for a new one."
)


def guest_data_request_from(token: str) -> GuestDataRequest:
    """The request a guest's data link names, while it is good (GUEST_DATA_MAX_AGE from the asking, however late the
    email went); else LinkRefused."""
    expired = LinkRefused(_("This link has expired: it works for 24 hours. Ask for a new one."), status=410)
    try:
        data = signing.loads(token, salt=GUEST_DATA_SALT, max_age=GUEST_DATA_MAX_AGE)
    except signing.SignatureExpired:
        raise expired from None
    except signing.BadSignature:
        raise LinkRefused(_("This link is not valid. Check that it was copied whole."), status=400) from None
    asked = GuestDataRequest.objects.filter(pk=data.get("request") if isinstance(data, dict) else None).first()
    if asked is None:  # its address's data was erased since (and its requests with it), or it expired and went
        raise LinkRefused(ERASED, status=410)
    if asked.created_at < timezone.now() - GUEST_DATA_MAX_AGE:
        raise expired
    return asked


# ---- The time the comment form was shown ----------------------------------------
FORM_STARTED_SALT = "comments.form-started"
# A stamp is not single-use: without an age limit a program fetches one once and sends it forever. A day, as
# WordPress's nonces last; a reader who started the form longer ago is held, as one who filled it in too fast is.
FORM_STARTED_MAX_AGE = datetime.timedelta(days=1)


def form_started_stamp() -> str:
    """The signed time a comment form is shown: the submission reads how long it took to fill in."""
    return signing.TimestampSigner(salt=FORM_STARTED_SALT).sign("form")


def form_timing_concern(form_started: str | None, *, minimum_seconds: int) -> str:
    """Why the form's signed start time suggests a program, or "" (None: the comment came another way)."""
    if form_started is None or not minimum_seconds:
        return ""
    signer = signing.TimestampSigner(salt=FORM_STARTED_SALT)
    try:
        signer.unsign(form_started, max_age=FORM_STARTED_MAX_AGE)
    except signing.SignatureExpired:
        hours = FORM_STARTED_MAX_AGE // datetime.timedelta(hours=1)
        return _("form started over %(hours)d hours before it was sent") % {"hours": hours}
    except signing.BadSignature:
        return _("sent without the form’s signed start time")
    try:
        # Succeeds only while the form is younger than the minimum.
        signer.unsign(form_started, max_age=minimum_seconds)
    except signing.SignatureExpired:
        return ""
    return _("form filled in under %(seconds)d seconds") % {"seconds": minimum_seconds}


# ---- A writer's own comment: the page to edit or delete it ----------------------------
EDIT_OPENED_SALT = "comments.edit-opened"
# A page to edit or delete one's comment opened within the edit window may be sent this long after it opened, the
# window over by then: a slow typist, a screen reader or dictation is not refused for the time taken (WCAG 2.2.1).
EDIT_OPENED_GRACE_SECONDS = 3600


def edit_opened_stamp(comment) -> str:
    """The signed time the page to edit or delete this comment was shown."""
    return signing.dumps({"comment": comment.pk, "opened": time.time()}, salt=EDIT_OPENED_SALT)


def edit_opened_at(stamp: str, comment) -> datetime.datetime | None:
    """When the page the form came from was shown, if its stamp is this comment's and not older than the grace;
    None otherwise (judged by the time it is sent)."""
    try:
        opened = signing.loads(stamp, salt=EDIT_OPENED_SALT, max_age=EDIT_OPENED_GRACE_SECONDS)
    except signing.BadSignature:
        return None
    if not isinstance(opened, dict) or opened.get("comment") != comment.pk:
        return None
    return datetime.datetime.fromtimestamp(opened["opened"], tz=datetime.UTC)


# ---- "Save my name, email, and website in this browser" ---------------------------
SAVED_DETAILS_COOKIE = "comment_author"  # also the cookie's salt
SAVED_DETAILS_FIELDS = ("name", "email", "url")


def saved_details_signed(details: dict) -> str:
    """The cookie's value: a guest's name, email and website, signed so that no other site can plant them."""
    fields = {key: details[key] for key in SAVED_DETAILS_FIELDS}
    return signing.dumps(fields, salt=SAVED_DETAILS_COOKIE, compress=True)


def saved_details_from(value: str) -> dict:
    """The details a saved-details cookie holds, or {} when it is missing or was not signed here."""
    try:
        details = signing.loads(value, salt=SAVED_DETAILS_COOKIE)
    except signing.BadSignature:
        return {}
    return {key: str(details.get(key, "")) for key in SAVED_DETAILS_FIELDS} if isinstance(details, dict) else {}


# ---- The comments a reader posted, kept in their browser ------------------------------
# Held ones, which only their writer sees; and those still in their edit window, which only their writer may change.
HELD_COMMENTS_COOKIE = "comments_held"  # also the cookie's salt
OWN_COMMENTS_COOKIE = "comments_mine"  # also the cookie's salt
COMMENTS_KEPT = 50


def comment_ids_signed(ids: list[int], *, cookie: str) -> str:
    """A cookie's value: the reader's own comments, signed so that nobody can claim another's."""
    return signing.dumps(ids[-COMMENTS_KEPT:], salt=cookie)


def comment_ids_from(value: str, *, cookie: str) -> list[int]:
    """The comment ids such a cookie names, or [] when it is missing or was not signed here for this cookie."""
    try:
        ids = signing.loads(value, salt=cookie)
    except signing.BadSignature:
        return []
    return [pk for pk in ids if isinstance(pk, int)] if isinstance(ids, list) else []
