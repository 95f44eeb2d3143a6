from django.db import migrations


def lower_case_emails(apps, schema_editor):
    """Emails are compared lower-cased from now on: store them so, as Python lower-cases them (SQLite's
    LOWER() knows only ASCII)."""
    for model, field in (("Comment", "author_email"), ("Subscription", "email")):
        rows = apps.get_model("comments", model).objects
        for pk, email in rows.exclude(**{field: ""}).values_list("pk", field).iterator():
            if email != email.lower():
                rows.filter(pk=pk).update(**{field: email.lower()})


class Migration(migrations.Migration):
    dependencies = [
        ("comments", "0006_delivery_verbose_names"),
    ]

    operations = [
        migrations.RunPython(lower_case_emails, migrations.RunPython.noop),
    ]
