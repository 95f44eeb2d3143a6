"""Names kept with line breaks before names were kept on one line (accounts.validators.one_line): a guest's name on
their comments and a member's display name, which the emails about comments write on a line of their own."""

import operator
from functools import reduce

from django.db import migrations
from django.db.models import Q

# What starts a new line in a plain-text email, or in a mail program reading one.
LINE_BREAKS = ("\n", "\r", "\x0b", "\x0c", "\x1c", "\x1d", "\x1e", "\x85", "\u2028", "\u2029")


def names_on_one_line(apps, schema_editor):
    for model, field in (("comments.Comment", "author_name"), ("accounts.User", "display_name")):
        rows = apps.get_model(model).objects.filter(
            reduce(operator.or_, (Q(**{f"{field}__contains": character}) for character in LINE_BREAKS))
        )
        for row in rows.only("pk", field):
            setattr(row, field, " ".join(getattr(row, field).split()))
            row.save(update_fields=[field])


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0007_emails_queued_before_wait_apart"),
        ("comments", "0020_close_comments_after_a_century_at_most"),
    ]

    operations = [migrations.RunPython(names_on_one_line, migrations.RunPython.noop)]
