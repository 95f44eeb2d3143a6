"""Form elements' attributes written in one call: Django's own attrs.html loops over them in the template
language, which costs the comment box a few milliseconds on every page that renders it."""

from django import template
from django.utils.html import format_html, format_html_join

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
