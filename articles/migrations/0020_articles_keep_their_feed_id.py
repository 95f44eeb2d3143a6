import uuid

from django.conf import settings
from django.db import migrations, models
from django.utils import timezone

import articles.models


def keep_what_feed_readers_know(apps, schema_editor):
    """An article the feeds gave until now keeps the id they gave it (Django's default: its address, whole), or feed
    readers would show it again as new; one never published gets an id of its own."""
    Article = apps.get_model("articles", "Article")
    site = apps.get_model("sites", "Site").objects.filter(pk=settings.SITE_ID).first()
    scheme = "http" if settings.DEBUG else "https"  # as config.email.absolute_url: production is behind TLS
    for article in Article.objects.filter(feed_id="").only("pk", "slug", "published_at"):
        if site and article.published_at:
            day = timezone.localtime(article.published_at)
            feed_id = f"{scheme}://{site.domain}/{day:%Y/%m/%d}/{article.slug}/"  # the permalink as it was
        else:
            feed_id = f"urn:uuid:{uuid.uuid4()}"
        Article.objects.filter(pk=article.pk).update(feed_id=feed_id)


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0019_search_ignores_accents"),
        ("sites", "0002_alter_domain_unique"),
    ]

    # A default given to the rows there are would be one value for all of them: each gets its own after.
    operations = [
        migrations.AddField(
            model_name="article",
            name="feed_id",
            field=models.CharField(default="", editable=False, max_length=255, verbose_name="feed ID"),
            preserve_default=False,
        ),
        migrations.RunPython(keep_what_feed_readers_know, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="article",
            name="feed_id",
            field=models.CharField(
                default=articles.models.new_feed_id, editable=False, max_length=255, verbose_name="feed ID"
            ),
        ),
    ]
