import os
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.core.management import call_command

from articles.models import Article
from articles.services import seed_article_load

pytestmark = pytest.mark.django_db

SEED_TEXT = Path(__file__).resolve().parents[3] / "shared" / "seed" / "hemifacial-spasm.txt"
HEADINGS = [
    "What are hemifacial spasms?",
    "How do they occur?",
    "What are the symptoms?",
    "How are they diagnosed?",
    "How are they treated?",
    "How can they be prevented?",
]
SYMPTOMS = [
    "spasms of muscles in one side of the face only",
    "excessive tearing",
    "spasms of the corner of the mouth, which may cause problems eating, swallowing, and speaking",
]


class Blocks(HTMLParser):
    """The text of each block element, with its tag."""

    def __init__(self):
        super().__init__()
        self.blocks: list[tuple[str, str]] = []
        self._tag = None

    def handle_starttag(self, tag, attrs):
        if tag in {"h1", "h2", "p", "li"}:
            self._tag, self._text = tag, ""

    def handle_data(self, data):
        if self._tag:
            self._text += data

    def handle_endtag(self, tag):
        if tag == self._tag:
            self.blocks.append((tag, self._text.strip()))
            self._tag = None


def article_blocks(html: str) -> list[tuple[str, str]]:
    parser = Blocks()
    parser.feed(html)
    return parser.blocks


def test_seed_article_is_published_at_its_permalink(client):
    article, created = seed_article_load()
    assert created
    assert article.title == "hemifacial spasm"
    assert article.get_absolute_url() == "/2026/11/02/hemifacial-spasm/"
    response = client.get("/2026/11/02/hemifacial-spasm/")
    assert response.status_code == 200
    assert '<h1 class="entry-title">hemifacial spasm</h1>' in response.text
    assert "Editorial team" in response.text


def test_seed_article_has_the_six_headings_and_the_symptom_list():
    article, _ = seed_article_load()
    blocks = article_blocks(article.body_html)
    assert [text for tag, text in blocks if tag == "h2"] == HEADINGS
    assert [text for tag, text in blocks if tag == "li"] == SYMPTOMS
    assert re.search(r"<ul>\s*<li>spasms of muscles", article.body_html)


@pytest.mark.skipif(
    not SEED_TEXT.exists() and os.environ.get("CI") != "true", reason="shared/seed is not beside the clone"
)
def test_seed_article_text_is_exactly_the_seed_files():
    article, _ = seed_article_load()
    lines = [line.strip() for line in SEED_TEXT.read_text(encoding="utf-8").splitlines() if line.strip()]
    seed_lines = lines[1 : lines.index("Leave a Reply")]  # after the title, before the comment box
    article_lines = [text for tag, text in article_blocks(article.body_html)]
    assert article_lines == seed_lines


def test_loading_the_seed_twice_changes_nothing(capsys):
    call_command("load_seed_article")
    article = Article.objects.get(slug="hemifacial-spasm")
    before = (article.updated_at, Article.objects.count())
    call_command("load_seed_article")
    article.refresh_from_db()
    assert (article.updated_at, Article.objects.count()) == before
    assert "Already there" in capsys.readouterr().out


def test_seed_author_cannot_sign_in():
    article, _ = seed_article_load()
    assert not article.author.has_usable_password()
    assert not article.author.is_active
