"""One-click moderation from the notification email: signed, expiring, single-use links (see tokens.py).

GET only shows what the link would do (mail scanners fetch links); the POST acts.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from config.requests import row_id

from .models import MODERATION, Comment
from .services import comment_moderate
from .tokens import LinkRefused, moderation_link_read


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
        comment, action, moderator = moderation_link_read(token)
    except LinkRefused as refusal:
        return _refused(request, refusal)
    context = {
        "comment": comment,
        "question": MODERATION[action].question,
        "button": MODERATION[action].description,
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
            comment, action, moderator = moderation_link_read(token, lock=True)
            comment_moderate(comment=comment, action=action, by=moderator)
    except LinkRefused as refusal:
        return _refused(request, refusal)
    except ValidationError as error:
        return _refused(request, LinkRefused(" ".join(error.messages), status=409))
    messages.success(request, MODERATION[action].done)
    done = reverse("comments:moderated")
    # Approved: the page leads to it (its permalink, which shows only what readers may see).
    return redirect(
        f"{done}?{urlencode({'comment': comment.pk})}" if comment.status == Comment.Status.APPROVED else done
    )


@require_GET
@never_cache
def moderated(request):
    """Where a moderation link lands after acting: the outcome, the way to the comment once approved, and the way to
    the queue."""
    number = request.GET.get("comment", "")
    approved = row_id(number)
    return render(request, "comments/moderation/done.html", {"approved": approved})
