import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    """Whose a line of the admin's history is once its object is gone (accounts.models.HistoryLineOwner)."""

    dependencies = [
        ("accounts", "0007_emails_queued_before_wait_apart"),
        ("admin", "0003_logentry_add_action_flag_choices"),
    ]

    operations = [
        migrations.CreateModel(
            name="HistoryLineOwner",
            fields=[
                (
                    "line",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="+",
                        serialize=False,
                        to="admin.logentry",
                    ),
                ),
                (
                    "user",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                ("email", models.EmailField(blank=True, max_length=254)),
            ],
            options={"verbose_name": "owner of a line of the admin's history"},
        ),
        migrations.AddConstraint(
            model_name="historylineowner",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("user__isnull", False), ("email", "")),
                    models.Q(("user__isnull", True), models.Q(("email", ""), _negated=True)),
                    _connector="OR",
                ),
                name="history_line_owner_account_or_address",
            ),
        ),
    ]
