from django import forms
from django.utils.translation import gettext_lazy as _

from .models import User
from .validators import one_line, validate_visible_text


class ProfileForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["display_name", "website"]
        help_texts = {
            "display_name": _("Shown beside your comments. Leave blank to use your name from the sign-in service."),
            "website": _("Your name beside a comment links here."),
        }
        # A text box that asks for an address, rather than type="url": HTML allows that only to hold an
        # absolute URL, so the page that gives back a mistyped address to correct would be invalid.
        widgets = {"website": forms.TextInput(attrs={"autocomplete": "url", "inputmode": "url", "spellcheck": "false"})}

    def clean_display_name(self) -> str:
        return one_line(self.cleaned_data["display_name"])


class SignupForm(forms.Form):
    """allauth's signup, plus the name shown beside your comments (your email never is)."""

    display_name = forms.CharField(
        label=_("Name"),
        max_length=150,
        validators=[validate_visible_text],
        help_text=_("Shown beside your comments. Your email address is never shown."),
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )

    field_order = ["display_name", "email", "password1", "password2"]

    def clean_display_name(self) -> str:
        return one_line(self.cleaned_data["display_name"])

    def signup(self, request, user) -> None:
        user.display_name = self.cleaned_data["display_name"]
        user.save(update_fields=["display_name"])


class DeleteAccountForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("I understand: my account is deleted for good; my published comments stay, signed “Anonymous”."),
        error_messages={"required": _("Tick the box to confirm that you want to delete your account.")},
    )
