"""config.html.format_escaped writes exactly what Django's format_html writes, whatever the values hold."""

import pytest
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeData, SafeString, mark_safe
from django.utils.translation import gettext_lazy

from config.html import escaped, format_escaped
from tests.comments.xss_payloads import XSS_PAYLOADS


class Markup:
    """An object that writes itself as HTML (as django.forms.BoundField does): its __html__, not its str()."""

    def __html__(self):
        return "<b>its own markup</b>"

    def __str__(self):
        return "<its text>"


FORMAT = '<a href="{website}" title="{name}">{name}</a> <time datetime="{iso}">{posted}</time>{number}'
VALUES = [
    *XSS_PAYLOADS,
    "",
    "plain",
    'O\'Brien & "Sons" <b>',
    "{name} {{ }}",  # braces in a value are text, never a field
    "café – 東京",
    0,
    12345,
    None,
    3.5,
    SafeString("<em>kept as it is</em>"),
    mark_safe("a &amp; b"),  # noqa: S308 (a value marked safe is written as it is: the rule tested)
    gettext_lazy("Comment"),
    gettext_lazy("<Reply> & more"),
    Markup(),
]


@pytest.mark.parametrize("value", VALUES, ids=range(len(VALUES)))
def test_each_value_is_escaped_as_format_html_escapes_it(value):
    values = {"website": value, "name": value, "iso": "2026-11-02T15:05:00+00:00", "posted": value, "number": 7}
    written = format_escaped(FORMAT, **values)
    assert written == format_html(FORMAT, **values)
    assert isinstance(written, SafeData)


@pytest.mark.parametrize("value", VALUES, ids=range(len(VALUES)))
def test_a_value_escaped_once_is_what_conditional_escape_gives(value):
    once = escaped(value)
    assert once == conditional_escape(value)
    assert isinstance(once, SafeData)
    assert format_escaped("<p>{once}</p>", once=once) == format_html("<p>{once}</p>", once=once)  # not escaped twice


@pytest.mark.parametrize(
    "format_string",
    [
        "",
        "no fields at all",
        "{name}",
        "{name}{name}{number}",
        "{{literal braces}} {name} }}{{",
        '<li id="comment-{number}">\n  {name}</li>\n',
        # More than a name: format_escaped hands these to format_html itself.
        "{number:>5}|{name!r}|{name!s}|{name:.3}",
        "{name.__class__}",
    ],
)
def test_every_format_string_is_written_as_format_html_writes_it(format_string):
    for value in VALUES:
        values = {"name": value, "number": 42}
        assert format_escaped(format_string, **values) == format_html(format_string, **values)


def test_the_format_string_is_not_escaped_and_only_named_fields_are_filled():
    written = format_escaped('<p class="reply">{label}</p>{{literal}}', label="<script>alert(1)</script>")
    assert written == '<p class="reply">&lt;script&gt;alert(1)&lt;/script&gt;</p>{literal}'


def test_a_field_without_a_value_is_an_error_as_with_format_html():
    with pytest.raises(KeyError):
        format_escaped("{missing}", name="x")
