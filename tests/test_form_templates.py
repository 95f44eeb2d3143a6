"""The site's form element templates (templates/django/forms/) write exactly what Django's own write, faster; the
elements config.form_templates.FormRenderer writes in Python are exactly what those templates write."""

from pathlib import Path

import django
import pytest
from django import forms
from django.forms.renderers import TemplatesSetting
from django.forms.utils import ErrorList
from django.template import Context, Engine
from django.template.loader import get_template
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy

from comments.forms import CommentForm
from config import form_templates
from config.form_templates import FormRenderer

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


VALUES = [None, "", "plain", 'a "quoted" <value> & more', 0, 12, SafeString("<b>safe</b>"), gettext_lazy("Comment")]
WIDGETS = [
    forms.TextInput,
    forms.EmailInput,
    forms.URLInput,
    forms.NumberInput,
    forms.PasswordInput,
    forms.HiddenInput,
    forms.CheckboxInput,
    forms.Textarea,
]


def by_templates(template: str, context: dict) -> str:
    """What the site's templates (templates/django/forms/, then Django's) write for it."""
    return TemplatesSetting().render(template, context)


@pytest.mark.parametrize("widget_class", WIDGETS, ids=lambda widget: widget.__name__)
@pytest.mark.parametrize("attrs", ATTRIBUTES)
def test_elements_written_in_python_are_what_their_templates_write(widget_class, attrs):
    widget = widget_class(attrs=attrs)
    for value in VALUES:
        context = widget.get_context("field", value, attrs={"id": "id_field"})
        template = context["widget"]["template_name"]
        assert template in form_templates._WRITTEN_IN_PYTHON
        assert FormRenderer().render(template, context) == by_templates(template, context), (template, value)


@pytest.mark.parametrize("attrs", ATTRIBUTES)
@pytest.mark.parametrize("use_tag", [True, False])
@pytest.mark.parametrize(
    "label", ["Email", "  Padded  ", 'Say "hi" <b>&</b>', SafeString("<em>Name</em>"), gettext_lazy("Comment")]
)
def test_labels_written_in_python_are_what_the_template_writes(attrs, use_tag, label):
    for tag in ("label", "legend"):
        context = {"label": label, "attrs": attrs, "use_tag": use_tag, "tag": tag}
        template = "django/forms/label.html"
        assert FormRenderer().render(template, context) == by_templates(template, context)


def test_a_list_of_errors_is_written_by_its_template_and_an_empty_one_is_nothing():
    renderer = FormRenderer()
    for errors in (
        ErrorList(renderer=renderer),
        ErrorList(["<Too> short", "Taken"], renderer=renderer, field_id="id_x"),
    ):
        context = errors.get_context()
        for template in ("django/forms/errors/list/default.html", "django/forms/errors/list/ul.html"):
            assert renderer.render(template, context) == by_templates(template, context)
    assert str(ErrorList(renderer=renderer)) == ""


@pytest.mark.parametrize(
    "data",
    [None, {"comment": "", "email": "not an address", "name": "<b>Jo</b>", "url": "x", "notify_posts": "on"}],
    ids=["blank", "refused"],
)
@pytest.mark.parametrize("signed_in", [False, True], ids=["guest", "member"])
def test_the_comment_box_is_the_same_written_in_python_or_by_templates(data, signed_in, settings):
    def every_field(form) -> str:
        return "".join(f"{field.label_tag()}{field}{field.errors}" for field in form) + str(form.non_field_errors())

    mine = every_field(CommentForm(data=data, signed_in=signed_in))
    settings.FORM_RENDERER = "django.forms.renderers.TemplatesSetting"
    theirs = every_field(CommentForm(data=data, signed_in=signed_in))
    assert mine == theirs
    if data and not signed_in:
        assert 'value="&lt;b&gt;Jo&lt;/b&gt;"' in mine
