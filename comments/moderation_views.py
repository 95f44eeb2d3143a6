"""One-click moderation from the notification email: signed, expiring, single-use links.

A link carries, signed with a salt of its own: the comment, the action, the
moderator it was sent to, and the comment's `status_changed_at` when it was
signed. Once the comment's status changes (through this link, another link or
the admin), that stamp no longer matches and every earlier link stops working.
GET only shows what the link would do (mail scanners fetch links); the POST acts.
"""

import datetime

from django.contrib import messages
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from .models import Comment
from .services import comment_moderate
from .tasks import moderators

SALT = "comments.moderation-link"
MAX_AGE = datetime.timedelta(days=7)

# What each link offers, as the confirmation page words it.
ACTIONS = {
    "approve": (gettext_lazy("Approve this comment?"), gettext_lazy("Approve"), gettext_lazy("Comment approved.")),
    "mark_spam": (
        gettext_lazy("Mark this comment as spam?"),
        gettext_lazy("Mark as spam"),
        gettext_lazy("Comment marked as spam."),
    ),
    "trash": (
        gettext_lazy("Move this comment to the trash?"),
        gettext_lazy("Move to trash"),
        gettext_lazy("Comment moved to the trash."),
    ),
}


class LinkRefused(Exception):
    """A moderation link that cannot be used; the message is for the moderator."""

    def __init__(self, message: str, *, status: int) -> None:
        super().__init__(message)
        self.message = message
        self.status = status


def _status_stamp(comment: Comment) -> str | None:
    changed = comment.status_changed_at
    return changed.astimezone(datetime.UTC).isoformat() if changed else None


def moderation_path(comment: Comment, *, action: str, moderator) -> str:
    """The path of a link that lets this moderator apply this action to the comment as it is now."""
    if action not in ACTIONS:
        raise ValueError(f"No moderation link for {action!r}.")
    token = signing.dumps(
        {"comment": comment.pk, "action": action, "moderator": moderator.pk, "stamp": _status_stamp(comment)},
        salt=SALT,
    )
    return reverse("comments:moderate", kwargs={"token": token})


def _read(token: str, *, lock: bool = False) -> tuple[Comment, str, object]:
    try:
        data = signing.loads(token, salt=SALT, max_age=MAX_AGE)
    except signing.SignatureExpired:
        raise LinkRefused(
            _("This link has expired. Moderation links work for 7 days; moderate the comment in the dashboard."),
            status=410,
        ) from None
    except signing.BadSignature:
        raise LinkRefused(_("This link is not valid. Check that it was copied whole."), status=400) from None
    if not isinstance(data, dict) or data.get("action") not in ACTIONS:
        raise LinkRefused(_("This link is not valid. Check that it was copied whole."), status=400)
    comments = Comment.objects.select_for_update() if lock else Comment.objects.all()
    comment = comments.filter(pk=data.get("comment")).first()
    if comment is None:
        raise LinkRefused(_("This comment no longer exists."), status=410)
    if _status_stamp(comment) != data.get("stamp"):
        raise LinkRefused(_("This link has already been used or the comment has changed since."), status=410)
    moderator = moderators().filter(pk=data.get("moderator")).first()
    if moderator is None:
        raise LinkRefused(_("The account this link was sent to may no longer moderate comments."), status=403)
    return comment, data["action"], moderator


def _refused(request, refusal: LinkRefused):
    return render(request, "comments/moderation/link_refused.html", {"message": refusal.message}, status=refusal.status)


@never_cache
def moderate(request, token: str):
    """GET: say what the link would do to which comment. POST: do it, as the moderator the link was sent to."""
    if request.method == "POST":
        return _apply(request, token)
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD", "POST"])
    try:
        comment, action, moderator = _read(token)
    except LinkRefused as refusal:
        return _refused(request, refusal)
    question, button, _done = ACTIONS[action]
    context = {
        "comment": comment,
        "question": question,
        "button": button,
        "moderator": moderator,
        # A forwarded email or a shared link shows what the comment says, but
        # who wrote it and from where only to the moderator it was sent to.
        "show_private_details": request.user.is_authenticated and request.user.pk == moderator.pk,
    }
    return render(request, "comments/moderation/confirm.html", context)


def _apply(request, token: str):
    try:
        with transaction.atomic():
            # Locked until the end: two clicks at once cannot both get past the stamp.
            comment, action, moderator = _read(token, lock=True)
            comment_moderate(comment=comment, action=action, by=moderator)
    except LinkRefused as refusal:
        return _refused(request, refusal)
    except ValidationError as error:
        return _refused(request, LinkRefused(" ".join(error.messages), status=409))
    messages.success(request, ACTIONS[action][2])
    return redirect("comments:moderated")


@require_GET
@never_cache
def moderated(request):
    """Where a moderation link lands after acting: the outcome, and the way to the queue."""
    return render(request, "comments/moderation/done.html")
