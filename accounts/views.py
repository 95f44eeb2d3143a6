import json

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .forms import DeleteAccountForm, ProfileForm
from .services import account_delete, account_export


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
def privacy(request):
    """Download your data, or delete your account."""
    form = DeleteAccountForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        account_delete(user=request.user)
        logout(request)
        messages.success(request, _("Your account was deleted. Your published comments now say “Anonymous”."))
        return redirect("articles:front")
    return render(request, "accounts/privacy.html", {"form": form}, status=400 if form.is_bound else 200)


@login_required
@require_POST
def export(request):
    """Your data as a JSON file: profile, email addresses, connected accounts and comments."""
    data = json.dumps(account_export(user=request.user), indent=2, ensure_ascii=False)
    response = HttpResponse(data, content_type="application/json; charset=utf-8")
    filename = f"leave-a-reply-{request.user.username}-{timezone.now():%Y-%m-%d}.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
