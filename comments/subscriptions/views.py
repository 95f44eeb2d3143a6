"""The links in subscription emails, confirm (double opt-in) and unsubscribe (one click, RFC 8058),
and the reader's page of their subscriptions."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from ..tokens import confirm_link_expired, subscription_from
from .forms import SubscriptionChoiceForm
from .models import Subscription


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
    if subscription.status == Subscription.Status.CONFIRMED:  # confirmed now, or the link opened again
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


@login_required
def your_subscriptions(request):
    """The reader's email subscriptions, each with a button that stops it."""
    theirs = Subscription.objects.belonging_to(request.user).active().select_related("article", "comment")
    return render(
        request, "comments/subscriptions/yours.html", {"subscriptions": theirs.order_by("topic", "-created_at")}
    )


@login_required
@require_POST
def subscription_stop(request):
    """The Stop button beside one of the reader's own subscriptions."""
    form = SubscriptionChoiceForm(request.POST)
    subscription = form.is_valid() and (
        Subscription.objects.belonging_to(request.user).active().filter(pk=form.cleaned_data["subscription"]).first()
    )
    if not subscription:
        raise Http404
    subscription.unsubscribe()
    messages.success(request, _("No more emails about %(subject)s.") % {"subject": subscription.subject})
    return redirect("comments:subscriptions")
