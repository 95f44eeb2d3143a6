"""The links in subscription emails: confirm (double opt-in) and unsubscribe (one click, RFC 8058)."""

from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from .models import Subscription
from .subscription_links import confirm_link_expired, subscription_from


def _refused(request, message: str, status: int):
    return render(request, "comments/subscriptions/link_refused.html", {"message": message}, status=status)


def _unsubscribed_since(request):
    return _refused(request, _("You unsubscribed since this link was sent. Nothing was changed."), 410)


def subscription_confirm(request, token: str):
    """GET shows the subscription and a button (mail scanners follow links); POST confirms it."""
    if confirm_link_expired(token):
        return _refused(request, _("This confirmation link has expired. Tick the box again to get a new one."), 410)
    subscription = subscription_from(token, "confirm")
    if subscription is None:
        return _refused(request, _("This confirmation link is not valid. Nothing was changed."), 400)
    if subscription.status == Subscription.Status.UNSUBSCRIBED:
        return _unsubscribed_since(request)
    if request.method == "POST":
        subscription.confirm()
        # An unsubscribe may have come in between the check above and the confirmation.
        if subscription.status == Subscription.Status.UNSUBSCRIBED:
            return _unsubscribed_since(request)
        return render(request, "comments/subscriptions/confirmed.html", {"subscription": subscription})
    return render(request, "comments/subscriptions/confirm.html", {"subscription": subscription})


@csrf_exempt  # The signed token is the authority: mail providers POST here with no session (RFC 8058).
def unsubscribe(request, token: str):
    """GET shows a button; POST unsubscribes at once, including the one-click POST of a mail provider."""
    subscription = subscription_from(token, "unsubscribe")
    if subscription is None:
        return _refused(request, _("This unsubscribe link is not valid. Nothing was changed."), 400)
    if request.method == "POST":
        subscription.unsubscribe()
        if request.POST.get("List-Unsubscribe") == "One-Click":
            return HttpResponse(_("Unsubscribed."), content_type="text/plain; charset=utf-8")
        return render(request, "comments/subscriptions/unsubscribed.html", {"subscription": subscription})
    return render(request, "comments/subscriptions/unsubscribe.html", {"subscription": subscription})
