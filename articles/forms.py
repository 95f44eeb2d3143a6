from django import forms
from django.utils.translation import gettext_lazy as _

from .images import PictureField
from .models import Image


class SearchForm(forms.Form):
    """What a reader looks for, from the search box or /?s= (WordPress's address)."""

    q = forms.CharField(
        label=_("Search articles"),
        max_length=200,
        required=False,
        error_messages={"max_length": _("Search for at most %(limit_value)d characters (this was %(show_value)d).")},
    )


class ImageForm(forms.ModelForm):
    """A picture for the library, from the admin's form or the editor's upload: the file and its description."""

    class Meta:
        model = Image
        fields = ("file", "alt_text", "decorative")
        field_classes = {"file": PictureField}
