import os

from django.db import migrations


def name_the_site(apps, schema_editor):
    Site = apps.get_model("sites", "Site")
    Site.objects.update_or_create(
        pk=1,
        defaults={
            "domain": os.environ.get("SITE_DOMAIN", "127.0.0.1:8000"),
            "name": os.environ.get("SITE_NAME", "Leave a Reply"),
        },
    )


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0002_create_editorial_groups"),
        ("sites", "0002_alter_domain_unique"),
    ]

    operations = [migrations.RunPython(name_the_site, migrations.RunPython.noop)]
