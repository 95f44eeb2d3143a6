import json
import logging
import re
from urllib.parse import urlsplit

from allauth.account.decorators import reauthentication_required
from allauth.account.utils import get_next_redirect_url
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET, require_POST

from config import csp
from config.requests import row_id

from . import personal_data
from .adapters import sign_in_choice
from .avatars import AVATAR_MAX_AGE, identicon_svg
from .forms import DeleteAccountForm, ProfileForm
from .models import Avatar
from .services import account_delete, account_export

logger = logging.getLogger(__name__)


@login_required
def profile(request):
    """A reader's public name and website, shown beside their comments."""
    form = ProfileForm(request.POST if request.method == "POST" else None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Your profile was saved."))
        return redirect("accounts:profile")
    return render(request, "accounts/profile.html", {"form": form})


@login_required
@reauthentication_required(allow_get=True)
def privacy(request):
    """Download your data, or delete your account: each asks for the password again first (allauth's reauthentication,
    for a few minutes), so that someone at a computer left signed in can neither delete the account nor take its data.
    The request waits meanwhile, and is carried out once the password is given."""
    form = DeleteAccountForm(request.POST if request.method == "POST" else None)
    kept_because = None
    if request.method == "POST" and form.is_valid():
        try:
            account_delete(user=request.user)
        except ValidationError as kept:
            kept_because = kept.messages
        else:
            logout(request)
            messages.success(request, _("Your account was deleted. Your published comments now say “Anonymous”."))
            return redirect("articles:front")
    # Why the account stays, said in place of the button (asked once: the refusal above says it already).
    if kept_because is None:
        kept_because = personal_data.reasons_to_keep(request.user)
    context = {"form": form, "kept_because": kept_because}
    return render(request, "accounts/privacy.html", context, status=400 if form.is_bound else 200)


@login_required
@require_POST
@reauthentication_required
def export(request):
    """Your data as a JSON file: profile, email addresses, connected accounts and comments."""
    data = json.dumps(account_export(user=request.user), indent=2, ensure_ascii=False)
    response = HttpResponse(data, content_type="application/json; charset=utf-8")
    filename = f"leave-a-reply-{request.user.username}-{timezone.now():%Y-%m-%d}.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def provider_origin(request, provider) -> str | None:
    """Where a provider's sign-in page lives (scheme and host), for the page that sends the reader there."""
    try:
        url = provider.get_oauth2_adapter(request).authorize_url
    except Exception:  # Unreachable discovery document, or not an OAuth2 provider.
        logger.warning("No sign-in address for %s", provider.sub_id, exc_info=True)
        return None
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme in ("http", "https") and parts.netloc else None


def connecting(request, *, provider, next_url: str, process: str = "login"):
    """ "Connecting to <Provider>…": a form that starts allauth's sign-in with a POST, sent at once by JavaScript."""
    origin = provider_origin(request, provider)
    if origin is None:
        # The provider cannot say where to sign in: tell the reader, rather than let the form go anywhere.
        # As allauth answers its own sign-in failures (a 5xx status would drop the session and the draft).
        return render(request, "socialaccount/authentication_error.html", status=401)
    response = render(
        request,
        "accounts/connecting.html",
        {
            "provider": provider,
            "login_url": provider.get_login_url(request, process=process, next=next_url),
            "back_url": next_url,
        },
    )
    # The form goes to this site, which redirects on to the provider: the
    # policy's form-action must allow that one origin, on this page only.
    return csp.allow(response, "form-action", origin)


@require_POST
def connect(request):
    """An icon on the sign-in or connected-accounts page: go through "Connecting to <Provider>…"."""
    provider = sign_in_choice(request, request.POST.get("provider", ""))
    if provider is None:
        raise Http404
    process = "connect" if request.POST.get("process") == "connect" and request.user.is_authenticated else "login"
    default = reverse("socialaccount_connections") if process == "connect" else settings.LOGIN_REDIRECT_URL
    return connecting(request, provider=provider, next_url=get_next_redirect_url(request) or default, process=process)


@require_GET
@cache_control(public=True, max_age=AVATAR_MAX_AGE, immutable=True)
def avatar(request, user_id: int, version: str):
    """A member's copied avatar; the version in the address changes with the picture."""
    if not row_id(user_id):
        raise Http404("No such account.")
    picture = get_object_or_404(Avatar.objects.select_related("user"), user_id=user_id, user__avatar_version=version)
    response = HttpResponse(bytes(picture.image), content_type=picture.content_type)
    response["Content-Disposition"] = "inline"
    # A shared cache (the front proxy) asks again as often as for a page: a deleted account's picture, or one its
    # member replaced, is not served for a year to whoever has its address. Browsers, each its reader's, keep it.
    patch_cache_control(response, s_maxage=settings.PAGE_SHARED_MAX_AGE)
    return response


AVATAR_TOKEN = re.compile(r"[0-9a-f]{32}")


@require_GET
@cache_control(public=True, max_age=AVATAR_MAX_AGE, immutable=True)
def identicon(request, token: str):
    """An avatar drawn here from a keyed hash of an email: the page never asks another site for a picture."""
    if not AVATAR_TOKEN.fullmatch(token):
        raise Http404
    return HttpResponse(identicon_svg(token), content_type="image/svg+xml")
