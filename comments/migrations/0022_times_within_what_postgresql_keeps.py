"""Discussion settings refuse times longer than PostgreSQL keeps, on SQLite too: one saved before is made the longest
allowed."""

import django.core.validators
from django.db import migrations, models

LONGEST = 32767
TIMES = ("flood_seconds", "minimum_fill_seconds", "edit_window_minutes")


def times_within_what_postgresql_keeps(apps, schema_editor):
    """A longer time saved on SQLite before it was refused is the longest one allowed now."""
    DiscussionSettings = apps.get_model("comments", "DiscussionSettings")
    for field in TIMES:
        DiscussionSettings.objects.filter(**{f"{field}__gt": LONGEST}).update(**{field: LONGEST})


class Migration(migrations.Migration):
    dependencies = [
        ("comments", "0021_names_on_one_line"),
    ]

    operations = [
        migrations.AlterField(
            model_name="discussionsettings",
            name="edit_window_minutes",
            field=models.PositiveSmallIntegerField(
                default=15,
                help_text="Counted from posting; editing also closes once someone has replied. 0 turns it off.",
                validators=[django.core.validators.MaxValueValidator(32767)],
                verbose_name="minutes a reader may edit or delete their own comment",
            ),
        ),
        migrations.AlterField(
            model_name="discussionsettings",
            name="flood_seconds",
            field=models.PositiveSmallIntegerField(
                default=15,
                help_text="Staff and moderators are exempt. 0 turns this check off.",
                validators=[django.core.validators.MaxValueValidator(32767)],
                verbose_name="seconds between two comments from the same reader",
            ),
        ),
        migrations.AlterField(
            model_name="discussionsettings",
            name="minimum_fill_seconds",
            field=models.PositiveSmallIntegerField(
                default=3,
                help_text="A form sent back faster is likely a program's: the comment waits for a moderator.",
                validators=[django.core.validators.MaxValueValidator(32767)],
                verbose_name="minimum seconds to fill in the form",
            ),
        ),
        migrations.RunPython(times_within_what_postgresql_keeps, migrations.RunPython.noop),
    ]
