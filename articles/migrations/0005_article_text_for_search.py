import re
from html import unescape

from django.db import migrations, models
from django.utils.html import strip_tags

# articles.sanitize.text_of as it was when this migration was written: a migration keeps its own copy.
_BLOCK_EDGE = re.compile(
    r"</?(?:blockquote|br|caption|dd|div|dl|dt|figcaption|figure|h[1-6]|hr|li|ol|p|pre|table|td|th|tr|ul)\b[^>]*>",
    re.IGNORECASE,
)


def text_of(clean_html: str) -> str:
    return " ".join(unescape(strip_tags(_BLOCK_EDGE.sub(" ", clean_html))).split())


def words_of_every_body(apps, schema_editor):
    """Articles written before keep their words for search and summaries, as new ones will."""
    Article = apps.get_model("articles", "Article")
    for article in Article.objects.only("body_html").iterator():
        Article.objects.filter(pk=article.pk).update(body_text=text_of(article.body_html))


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0004_likes"),
    ]

    operations = [
        migrations.AddField(
            model_name="article",
            name="body_text",
            field=models.TextField(default="", editable=False, verbose_name="body as text"),
        ),
        migrations.RunPython(words_of_every_body, migrations.RunPython.noop),
    ]
