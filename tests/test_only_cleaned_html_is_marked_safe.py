"""Only bleach-cleaned HTML is ever marked safe: a guard over every template and module."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CLEANED_FIELDS = {"article.body_html", "comment.body_html"}
# Plain-text email parts and subjects are not HTML: autoescaping would only mangle them.
PLAIN_TEXT_SUFFIX = ".txt"


def project_files(pattern: str):
    for folder in ("templates", "articles", "comments", "accounts", "config"):
        yield from (ROOT / folder).rglob(pattern)


def test_templates_mark_only_cleaned_fields_safe():
    marked = []
    for template in project_files("*.html"):
        for match in re.finditer(r"\{\{\s*([\w.]+)\s*\|\s*safe\b", template.read_text(encoding="utf-8")):
            marked.append((template.relative_to(ROOT).as_posix(), match.group(1)))
    assert marked, "the article and comment bodies are expected to be rendered"
    assert {field for _, field in marked} <= CLEANED_FIELDS, marked


def test_html_templates_never_turn_autoescaping_off():
    for template in project_files("*.html"):
        text = template.read_text(encoding="utf-8")
        assert "autoescape off" not in text, template
        assert "|safeseq" not in text, template


def test_python_code_never_calls_mark_safe():
    for module in project_files("*.py"):
        assert "mark_safe(" not in module.read_text(encoding="utf-8"), module
