"""The signed links in subscription emails: confirm (double opt-in) and unsubscribe (one click)."""

from django.core import signing
from django.urls import reverse

from .models import Subscription

SALT = "comments.subscription"
CONFIRM_MAX_AGE = 7 * 24 * 3600


def _token(subscription: Subscription, action: str) -> str:
    return signing.dumps({"subscription": subscription.pk, "action": action}, salt=SALT)


def confirm_url(subscription: Subscription) -> str:
    """The path that confirms this subscription, valid for CONFIRM_MAX_AGE seconds."""
    return reverse("comments:subscription-confirm", kwargs={"token": _token(subscription, "confirm")})


def unsubscribe_url(subscription: Subscription) -> str:
    """The path that stops this subscription; it never expires."""
    return reverse("comments:unsubscribe", kwargs={"token": _token(subscription, "unsubscribe")})


def subscription_from(token: str, action: str) -> Subscription | None:
    """The subscription a token signed for this action names, or None (forged, expired or of another action)."""
    # Confirm links expire; an unsubscribe link must work in any old email.
    max_age = CONFIRM_MAX_AGE if action == "confirm" else None
    try:
        data = signing.loads(token, salt=SALT, max_age=max_age)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or data.get("action") != action:
        return None
    return Subscription.objects.select_related("article").filter(pk=data.get("subscription")).first()


def confirm_link_expired(token: str) -> bool:
    """Whether the token was signed here but is older than CONFIRM_MAX_AGE."""
    try:
        signing.loads(token, salt=SALT, max_age=CONFIRM_MAX_AGE)
    except signing.SignatureExpired:
        return True
    except signing.BadSignature:
        pass
    return False
