from django.db import migrations
from django.db.models.functions import Lower


def lower_case_emails(apps, schema_editor):
    """Emails are compared lower-cased from now on: store them so."""
    apps.get_model("comments", "Comment").objects.update(author_email=Lower("author_email"))
    apps.get_model("comments", "Subscription").objects.update(email=Lower("email"))


class Migration(migrations.Migration):
    dependencies = [
        ("comments", "0006_delivery_verbose_names"),
    ]

    operations = [
        migrations.RunPython(lower_case_emails, migrations.RunPython.noop),
    ]
