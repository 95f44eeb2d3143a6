"""Structured data in a page: JSON-LD in <script type="application/ld+json">.

The one place the site writes markup that no template escapes: a script element's text is not HTML, so
HTML escaping would break the JSON. Instead, as Django's json_script does, "<", ">" and "&" are written as
JSON's \\u escapes, so no "</script>" or "<!--" can appear in the element whatever the data holds.
"""

import json

from django.core.serializers.json import DjangoJSONEncoder
from django.utils.html import format_html
from django.utils.safestring import mark_safe

# Three replacements rather than str.translate, which looks every character up in a table: a page's
# structured data (the comments it shows) is tens of kilobytes, and translate took milliseconds of it.
_SCRIPT_SAFE = (("<", "\\u003C"), (">", "\\u003E"), ("&", "\\u0026"))


def json_ld_script(data: dict) -> str:
    """`data` as a JSON-LD script element, ready for a page."""
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False)
    for character, escape in _SCRIPT_SAFE:
        text = text.replace(character, escape)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(text))  # noqa: S308 (escaped above)
