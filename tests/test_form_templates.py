"""The site's form element templates (templates/django/forms/) write exactly what Django's own write, faster."""

from pathlib import Path

import django
import pytest
from django import forms
from django.template import Context, Engine
from django.template.loader import get_template
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy

DJANGO_FORM_TEMPLATES = Path(django.__file__).parent / "forms" / "templates"

ATTRIBUTES = [
    {},
    {"required": True, "disabled": False, "maxlength": 50},
    {"placeholder": 'Say "hi" <b>&</b>', "aria-describedby": "id_email_helptext"},
    {"data-none": None, "class": SafeString("a&amp;b"), "title": gettext_lazy("Comment")},
]


def djangos_own(template: str, context: dict) -> str:
    """The template as Django ships it, rendered without the site's replacements."""
    engine = Engine(dirs=[DJANGO_FORM_TEMPLATES], autoescape=True)
    return engine.get_template(template).render(Context(context))


@pytest.mark.parametrize("attrs", ATTRIBUTES)
def test_element_attributes_are_written_as_djangos_template_writes_them(attrs):
    widget = forms.TextInput(attrs=attrs)
    context = widget.get_context("email", 'a "quoted" <value>', attrs=None)
    for template, values in [
        ("django/forms/widgets/attrs.html", context),
        ("django/forms/widgets/input.html", context),
        ("django/forms/attrs.html", {"attrs": attrs}),
    ]:
        assert get_template(template).render(values) == djangos_own(template, values), template


@pytest.mark.parametrize(
    "field",
    [forms.CharField(), forms.EmailField(required=False), forms.BooleanField(), forms.CharField(widget=forms.Textarea)],
    ids=["text", "email", "checkbox", "textarea"],
)
def test_a_whole_field_renders_as_with_djangos_templates(field, settings):
    class Form(forms.Form):
        name = field

    bound = Form(data={"name": "<script>x</script>"})
    mine = str(bound["name"])
    settings.FORM_RENDERER = "django.forms.renderers.DjangoTemplates"  # Django's own templates only
    theirs = str(Form(data={"name": "<script>x</script>"})["name"])
    assert mine == theirs
    assert "<script>" not in mine
