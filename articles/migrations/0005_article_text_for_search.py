from django.db import migrations, models

from articles.sanitize import text_of


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
