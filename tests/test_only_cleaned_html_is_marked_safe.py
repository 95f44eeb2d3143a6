"""Only bleach-cleaned HTML is ever marked safe: a guard over every template and module."""

import ast
import json
import re
from pathlib import Path

import pytest

from config.json_ld import json_ld_script

ROOT = Path(__file__).resolve().parent.parent
CLEANED_FIELDS = {"article.body_html", "comment.body_html", "page.body_html"}

# The one form allowed: a cleaned field, then safe, and nothing else.
ALLOWED_SAFE = re.compile(r"\{\{\s*(?P<field>[\w.]+)\s*\|\s*safe\s*\}\}")
SAFE_FILTER = re.compile(r"\|\s*safe(seq)?\b")
FILTER_TAG = re.compile(r"\{%-?\s*filter\b(?P<filters>.*?)-?%\}", re.S)
AUTOESCAPE_OFF = re.compile(r"\{%-?\s*autoescape\s+off\b")
# What marks a string safe in Python, however it is imported.
SAFE_MAKERS = {"mark_safe", "SafeString", "SafeData", "SafeText", "html_safe"}


def project_files(pattern: str):
    for folder in ("templates", "articles", "comments", "accounts", "config"):
        yield from (ROOT / folder).rglob(pattern)


def unsafe_marks_in_template(text: str) -> list[str]:
    """Every place a template turns escaping off, other than {{ <cleaned field>|safe }}."""
    allowed = [match.span() for match in ALLOWED_SAFE.finditer(text) if match.group("field") in CLEANED_FIELDS]
    found = [
        text[max(0, match.start() - 40) : match.end()]
        for match in SAFE_FILTER.finditer(text)
        if not any(start <= match.start() < end for start, end in allowed)
    ]
    found += [
        match.group() for match in FILTER_TAG.finditer(text) if re.search(r"\bsafe(seq)?\b", match.group("filters"))
    ]
    found += [match.group() for match in AUTOESCAPE_OFF.finditer(text)]
    return found


def unsafe_marks_in_python(source: str) -> list[str]:
    """Every way this module marks a string safe or imports what does."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom):
            module = node.module or ""
            names = {alias.name for alias in node.names}
            if "safestring" in module or "safestring" in names or names & SAFE_MAKERS:
                found.append(f"line {node.lineno}: from {module} import {', '.join(sorted(names))}")
        elif isinstance(node, ast.Import):
            found += [f"line {node.lineno}: import {alias.name}" for alias in node.names if "safestring" in alias.name]
        elif (isinstance(node, ast.Name) and node.id in SAFE_MAKERS) or (
            isinstance(node, ast.Attribute) and node.attr in SAFE_MAKERS
        ):
            found.append(f"line {node.lineno}: {ast.unparse(node)}")
        elif isinstance(node, ast.FunctionDef) and node.name == "__html__":
            # Templates print whatever __html__ returns without escaping it.
            found.append(f"line {node.lineno}: def __html__")
    return found


def test_templates_mark_only_cleaned_fields_safe():
    rendered = []
    for template in project_files("*.html"):
        text = template.read_text(encoding="utf-8")
        assert not unsafe_marks_in_template(text), template
        rendered += [match.group("field") for match in ALLOWED_SAFE.finditer(text)]
    assert set(rendered) == CLEANED_FIELDS, "the article and comment bodies are expected to be rendered"


# The modules that may mark a string safe, each with exactly the marks it makes.
ALLOWED_MARKS = {
    # JSON-LD is not HTML: its script element holds JSON with "<", ">" and "&" written as \u escapes (tested below).
    ROOT / "config" / "json_ld.py": ["from django.utils.safestring import mark_safe", "mark_safe"],
    # format_html without Django's lazy-string wrapper: each value escaped as format_html escapes it
    # (tests/test_html.py). SafeString three times: escaped()'s value and the two functions' return annotations.
    ROOT / "config" / "html.py": [
        "from django.utils.safestring import SafeString, mark_safe",
        "SafeString",
        "SafeString",
        "SafeString",
        "mark_safe",  # format_escaped(): the format string with its escaped values
    ],
}


def test_python_code_never_marks_a_string_safe():
    for module in project_files("*.py"):
        if module not in ALLOWED_MARKS:
            assert not unsafe_marks_in_python(module.read_text(encoding="utf-8")), module


@pytest.mark.parametrize("module", ALLOWED_MARKS, ids=lambda module: module.name)
def test_the_modules_allowed_to_mark_safe_make_only_their_own_marks(module):
    marks = unsafe_marks_in_python(module.read_text(encoding="utf-8"))
    assert sorted(mark.split(": ", 1)[1] for mark in marks) == sorted(ALLOWED_MARKS[module])


@pytest.mark.parametrize(
    "text",
    ["</script><script>alert(1)</script>", "</SCRIPT >", "<!--", "<![CDATA[", "a & b", '"quoted" \\ back'],
)
def test_nothing_in_the_data_can_end_the_json_ld_script(text):
    script = json_ld_script({"headline": text})
    inside = script.removeprefix('<script type="application/ld+json">').removesuffix("</script>")
    assert "<" not in inside and ">" not in inside and "&" not in inside
    assert json.loads(inside) == {"headline": text}


@pytest.mark.parametrize(
    "template",
    [
        "{{ comment.author_name|safe }}",
        '{{ comment.body_html|default:""|safe }}',
        "{{ comment.body|linebreaks|safe }}",
        "{{ comment.body_html|safe|upper }}",
        "{% with html=comment.body|safe %}{{ html }}{% endwith %}",
        "{% filter safe %}{{ comment.body }}{% endfilter %}",
        "{% filter force_escape|safe %}{{ comment.body }}{% endfilter %}",
        "{% autoescape  off %}{{ comment.body }}{% endautoescape %}",
        "{{ comment.lines|safeseq|join:'' }}",
    ],
)
def test_the_template_guard_catches_every_way_to_mark_html_safe(template):
    assert unsafe_marks_in_template(template)


@pytest.mark.parametrize("template", ["{{ comment.body_html|safe }}", "{{ article.body_html | safe }}"])
def test_the_template_guard_lets_the_cleaned_fields_through(template):
    assert unsafe_marks_in_template(template) == []


@pytest.mark.parametrize(
    "source",
    [
        "from django.utils.safestring import mark_safe\nmark_safe(text)",
        "from django.utils.safestring import mark_safe as trusted\ntrusted(text)",
        "from django.utils.safestring import SafeString\nSafeString(text)",
        "from django.utils.html import mark_safe",
        "from django.utils import safestring\nsafestring.mark_safe(text)",
        "import django.utils.safestring",
        "class Badge:\n    def __html__(self):\n        return self.text",
    ],
)
def test_the_python_guard_catches_every_way_to_mark_a_string_safe(source):
    assert unsafe_marks_in_python(source)


def test_the_python_guard_lets_format_html_through():
    assert unsafe_marks_in_python('from django.utils.html import format_html\nformat_html("<b>{}</b>", text)') == []
