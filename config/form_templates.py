"""Form elements written in Python: Django's own templates for them (an input, a label, an empty list of errors)
cost the comment box several milliseconds on every page that shows it, most of them in the template language.

`html_attributes` is what templates/django/forms/ use for the attributes of every element; `FormRenderer` writes
the commonest elements themselves, exactly as those templates do (tests/test_form_templates.py compares them), and
leaves every other template, or an element in a case it does not write, to the templates."""

from django import template
from django.forms.renderers import TemplatesSetting
from django.utils.functional import Promise
from django.utils.html import conditional_escape, format_html, format_html_join

register = template.Library()


@register.filter(is_safe=True)
def html_attributes(attrs: dict) -> str:
    """What django/forms/attrs.html writes: ` name="value"` each, ` name` for True, nothing for False (escaped)."""
    return format_html_join(
        "",
        "{}",
        (
            (format_html(" {}", name) if value is True else format_html(' {}="{}"', name, value),)
            for name, value in attrs.items()
            if value is not False
        ),
    )


def _input(context: dict) -> str:
    """django/forms/widgets/input.html and those that only include it (text, email, hidden, checkbox…)."""
    widget = context["widget"]
    value = widget["value"]
    # The template's value|stringformat:'s': str() of it, but a value already safe is not escaped again.
    shown = "" if value is None else format_html(' value="{}"', value if hasattr(value, "__html__") else str(value))
    return format_html(
        '<input type="{}" name="{}"{}{}>', widget["type"], widget["name"], shown, html_attributes(widget["attrs"])
    )


def _textarea(context: dict) -> str | None:
    widget = context["widget"]
    value = widget["value"]
    if value and not isinstance(value, str):
        return None  # the template localizes numbers and dates
    return format_html(
        '<textarea name="{}"{}>\n{}</textarea>', widget["name"], html_attributes(widget["attrs"]), value or ""
    )


def _label(context: dict) -> str | None:
    label = context["label"]
    if not isinstance(label, str | Promise):
        return None  # the template localizes numbers and dates
    if not context["use_tag"]:
        return conditional_escape(label)
    tag = context["tag"]
    return format_html("<{}{}>{}</{}>", tag, html_attributes(context["attrs"]), label, tag)


def _no_errors(context: dict) -> str | None:
    return "" if not context["errors"] else None  # errors are rare: the template writes them


# Only templates whose whole text is the one written here (Django's own, or the site's replacement of it).
_WRITTEN_IN_PYTHON = {
    **{
        f"django/forms/widgets/{name}.html": _input
        for name in ("input", "text", "email", "url", "number", "password", "hidden", "search", "tel", "checkbox")
    },
    "django/forms/widgets/textarea.html": _textarea,
    "django/forms/label.html": _label,
    "django/forms/errors/list/default.html": _no_errors,
    "django/forms/errors/list/ul.html": _no_errors,
}


class FormRenderer(TemplatesSetting):
    """Django's TemplatesSetting renderer (so that templates/django/forms/ replaces Django's own templates), with
    the elements of _WRITTEN_IN_PYTHON written without the template language."""

    def render(self, template_name, context, request=None):
        write = _WRITTEN_IN_PYTHON.get(template_name)
        written = write(context) if write else None
        # Stripped as Django strips what a template writes; the caller marks it safe, as it does that.
        return written.strip() if written is not None else super().render(template_name, context, request)
