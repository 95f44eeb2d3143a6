from django import forms
from django.utils.translation import gettext_lazy as _


class SearchForm(forms.Form):
    """What a reader looks for, from the search box or /?s= (WordPress's address)."""

    q = forms.CharField(
        label=_("Search articles"),
        max_length=200,
        required=False,
        error_messages={"max_length": _("Search for at most %(limit_value)d characters (this was %(show_value)d).")},
    )
