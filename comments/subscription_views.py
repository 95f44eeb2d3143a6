"""The links in subscription emails: confirm (double opt-in) and unsubscribe (one click, RFC 8058)."""

from django.core import signing
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from .models import Subscription

SALT = "comments.subscription"
CONFIRM_MAX_AGE = 7 * 24 * 3600


def _token(subscription: Subscription, action: str) -> str:
    return signing.dumps({"subscription": subscription.pk, "action": action}, salt=SALT)


def confirm_url(subscription: Subscription) -> str:
    return reverse("comments:subscription-confirm", kwargs={"token": _token(subscription, "confirm")})


def unsubscribe_url(subscription: Subscription) -> str:
    return reverse("comments:unsubscribe", kwargs={"token": _token(subscription, "unsubscribe")})


def _subscription_from(token: str, action: str, *, max_age: int | None) -> Subscription | None:
    try:
        data = signing.loads(token, salt=SALT, max_age=max_age)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or data.get("action") != action:
        return None
    return Subscription.objects.select_related("article").filter(pk=data.get("subscription")).first()


def _refused(request, message: str, status: int):
    return render(request, "comments/subscriptions/link_refused.html", {"message": message}, status=status)


def subscription_confirm(request, token: str):
    """GET shows the subscription and a button (mail scanners follow links); POST confirms it."""
    try:
        signing.loads(token, salt=SALT, max_age=CONFIRM_MAX_AGE)
    except signing.SignatureExpired:
        return _refused(request, _("This confirmation link has expired. Tick the box again to get a new one."), 410)
    except signing.BadSignature:
        pass
    subscription = _subscription_from(token, "confirm", max_age=CONFIRM_MAX_AGE)
    if subscription is None:
        return _refused(request, _("This confirmation link is not valid. Nothing was changed."), 400)
    if subscription.status == Subscription.Status.UNSUBSCRIBED:
        return _refused(request, _("You unsubscribed since this link was sent. Nothing was changed."), 410)
    if request.method == "POST":
        subscription.confirm()
        return render(request, "comments/subscriptions/confirmed.html", {"subscription": subscription})
    return render(request, "comments/subscriptions/confirm.html", {"subscription": subscription})


@csrf_exempt  # The signed token is the authority: mail providers POST here with no session (RFC 8058).
def unsubscribe(request, token: str):
    """GET shows a button; POST unsubscribes at once, including the one-click POST of a mail provider."""
    subscription = _subscription_from(token, "unsubscribe", max_age=None)
    if subscription is None:
        return _refused(request, _("This unsubscribe link is not valid. Nothing was changed."), 400)
    if request.method == "POST":
        subscription.unsubscribe()
        if request.POST.get("List-Unsubscribe") == "One-Click":
            return HttpResponse(_("Unsubscribed."), content_type="text/plain; charset=utf-8")
        return render(request, "comments/subscriptions/unsubscribed.html", {"subscription": subscription})
    return render(request, "comments/subscriptions/unsubscribe.html", {"subscription": subscription})
