from django import forms
from django.utils.translation import gettext_lazy as _

from .models import User


class ProfileForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["display_name", "website"]
        help_texts = {
            "display_name": _("Shown beside your comments. Leave blank to use your name from the sign-in service."),
            "website": _("Your name beside a comment links here."),
        }


class DeleteAccountForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("I understand: my account is deleted for good; my published comments stay, signed “Anonymous”."),
        error_messages={"required": _("Tick the box to confirm that you want to delete your account.")},
    )
