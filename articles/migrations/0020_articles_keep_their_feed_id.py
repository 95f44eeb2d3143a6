import uuid

from django.db import migrations, models

import articles.models


def give_each_article_its_own(apps, schema_editor):
    Article = apps.get_model("articles", "Article")
    for article in Article.objects.filter(feed_id="").only("pk"):
        Article.objects.filter(pk=article.pk).update(feed_id=f"urn:uuid:{uuid.uuid4()}")


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0019_search_ignores_accents"),
    ]

    # A default given to the rows there are would be one value for all of them: each gets its own after.
    operations = [
        migrations.AddField(
            model_name="article",
            name="feed_id",
            field=models.CharField(default="", editable=False, max_length=255, verbose_name="feed ID"),
            preserve_default=False,
        ),
        migrations.RunPython(give_each_article_its_own, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="article",
            name="feed_id",
            field=models.CharField(
                default=articles.models.new_feed_id, editable=False, max_length=255, verbose_name="feed ID"
            ),
        ),
    ]
