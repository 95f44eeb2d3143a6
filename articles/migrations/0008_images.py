import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.contrib.auth.management import create_permissions
from django.db import migrations, models

# Authors and editors upload pictures and pick them from the library; editors also correct and remove them.
GROUP_PERMISSIONS = {
    "Authors": ["add_image", "view_image"],
    "Editors": ["add_image", "change_image", "delete_image", "view_image"],
}


def let_authors_and_editors_upload_pictures(apps, schema_editor):
    articles = apps.get_app_config("articles")
    articles.models_module = True
    create_permissions(articles, apps=apps, verbosity=0)
    articles.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in GROUP_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(*Permission.objects.filter(content_type__app_label="articles", codename__in=codenames))


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0007_revisions"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="Image",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "file",
                    models.ImageField(
                        height_field="height",
                        help_text=(
                            "JPEG, PNG, GIF or WebP. Smaller copies are made at once, for phones and narrow windows."
                        ),
                        max_length=255,
                        upload_to="images/%Y/%m/",
                        verbose_name="picture",
                        width_field="width",
                    ),
                ),
                ("width", models.PositiveIntegerField(default=0, editable=False, verbose_name="width")),
                ("height", models.PositiveIntegerField(default=0, editable=False, verbose_name="height")),
                (
                    "alt_text",
                    models.CharField(
                        blank=True,
                        help_text=(
                            "What the picture shows, for readers who cannot see it: one sentence, as you would say "
                            "it on the phone. Leave empty only for a decorative picture."
                        ),
                        max_length=300,
                        verbose_name="alt text",
                    ),
                ),
                (
                    "decorative",
                    models.BooleanField(
                        default=False,
                        help_text=(
                            "Tick when the picture adds nothing to the text (an ornament): screen readers then skip it."
                        ),
                        verbose_name="decorative",
                    ),
                ),
                ("renditions", models.JSONField(default=list, editable=False, verbose_name="smaller copies")),
                (
                    "uploaded_at",
                    models.DateTimeField(default=django.utils.timezone.now, editable=False, verbose_name="uploaded"),
                ),
                (
                    "uploaded_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="uploaded by",
                    ),
                ),
            ],
            options={
                "verbose_name": "image",
                "verbose_name_plural": "images",
                "ordering": ["-uploaded_at", "-pk"],
            },
        ),
        migrations.AddField(
            model_name="article",
            name="featured_image",
            field=models.ForeignKey(
                blank=True,
                help_text=(
                    "Shown under the title, on the front page and when the article is shared. Without one, sharing "
                    "uses the first picture of the body."
                ),
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="featured_in",
                to="articles.image",
                verbose_name="featured image",
            ),
        ),
        migrations.AddIndex(
            model_name="image",
            index=models.Index(fields=["-uploaded_at"], name="image_newest_first"),
        ),
        migrations.AddConstraint(
            model_name="image",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("alt_text", ""), ("decorative", True)),
                    models.Q(("decorative", False), models.Q(("alt_text", ""), _negated=True)),
                    _connector="OR",
                ),
                name="image_described_or_decorative",
                violation_error_message="A picture has an alt text, or is decorative and has none.",
            ),
        ),
        migrations.RunPython(let_authors_and_editors_upload_pictures, migrations.RunPython.noop),
    ]
