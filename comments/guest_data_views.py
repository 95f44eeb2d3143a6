"""A guest's data: someone who commented or subscribed without an account asks, by their email address, for a
link to what their comments hold; the emailed link downloads it or erases it (as a member does under Your data)."""

import json

from allauth.core.internal import ratelimit
from django.conf import settings
from django.contrib import messages
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache

from config.requests import reader_network
from config.views import too_many_tries

from .forms import GuestDataEraseForm, GuestDataForm
from .models import Comment
from .personal_data import guest_export
from .services import guest_data_erase, guest_data_request
from .subscriptions.models import Subscription
from .tokens import ERASED, LinkRefused, guest_data_request_from

RATE_ACTION = "guest_data"


@never_cache
def guest_data_ask(request):
    """The form: an address in, a link out (to that address only, and only if anything here is from it)."""
    form = GuestDataForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"]
        # A few asks per network, and per address from one network: the form must not flood anybody's inbox, nor
        # let someone else use up an address's asks.
        rates = {RATE_ACTION: settings.GUEST_DATA_REQUESTS}
        key = f"{email.lower()}:{reader_network(request)}"
        if not ratelimit.consume(request, app="comments", action=RATE_ACTION, config=rates, key=key):
            wait = max(rate.duration for rate in ratelimit.parse_rates(settings.GUEST_DATA_REQUESTS))
            return too_many_tries(request, wait_seconds=int(wait), typed=email)
        guest_data_request(email)
        return render(request, "comments/guest_data/sent.html", {"email": email})
    return render(request, "comments/guest_data/ask.html", {"form": form})


@never_cache
def guest_data(request, token: str):
    """What the link's address holds: counted, to download (POST download) or to erase (POST erase, ticked)."""
    try:
        asked = guest_data_request_from(token)
    except LinkRefused as refused:
        context = {"message": refused.message}
        return render(request, "comments/guest_data/link_refused.html", context, status=refused.status)
    action = request.POST.get("action") if request.method == "POST" else None
    erase_form = GuestDataEraseForm(request.POST if action == "erase" else None)
    if action == "download":
        data = json.dumps(guest_export(asked.email), indent=2, ensure_ascii=False)
        response = HttpResponse(data, content_type="application/json; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="comments-data-{timezone.now():%Y-%m-%d}.json"'
        return response
    if erase_form.is_valid():
        kept = guest_data_erase(asked)
        if kept is None:  # erased meanwhile (a second click, or a moderator)
            return render(request, "comments/guest_data/link_refused.html", {"message": ERASED}, status=410)
        said = ngettext(
            "Your data is erased. %(count)d published comment stays, signed “Anonymous”.",
            "Your data is erased. %(count)d published comments stay, signed “Anonymous”.",
            kept,
        )
        messages.success(request, said % {"count": kept})
        return redirect("comments:guest-data-ask")
    comments = Comment.objects.written_as_guest(asked.email).aggregate(
        published_count=Count("pk", filter=Q(status=Comment.Status.APPROVED)),
        other_count=Count("pk", filter=~Q(status=Comment.Status.APPROVED)),
    )
    context = {
        **comments,
        "email": asked.email,
        "subscription_count": Subscription.objects.asked_as_guest(asked.email).count(),
        "erase_form": erase_form,
    }
    return render(request, "comments/guest_data/yours.html", context)
