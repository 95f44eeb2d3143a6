from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0008_images"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="revision",
            name="autosave",
            field=models.BooleanField(default=False, verbose_name="autosave"),
        ),
        migrations.AddConstraint(
            model_name="revision",
            constraint=models.UniqueConstraint(
                condition=models.Q(("autosave", True)),
                fields=("article", "saved_by"),
                name="revision_one_autosave_each",
            ),
        ),
    ]
