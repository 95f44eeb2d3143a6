from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0008_images"),
    ]

    operations = [
        migrations.AddField(
            model_name="revision",
            name="autosave",
            field=models.BooleanField(default=False, verbose_name="autosave"),
        ),
    ]
