from django.contrib.auth.management import create_permissions
from django.db import migrations

MODERATOR_PERMISSIONS = ["add_comment", "change_comment", "delete_comment", "view_comment"]


def grant(apps, schema_editor):
    comments = apps.get_app_config("comments")
    comments.models_module = True
    create_permissions(comments, apps=apps, verbosity=0)
    comments.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    moderators, _ = Group.objects.get_or_create(name="Moderators")
    moderators.permissions.add(
        *Permission.objects.filter(content_type__app_label="comments", codename__in=MODERATOR_PERMISSIONS)
    )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group in Group.objects.filter(name="Moderators"):
        group.permissions.remove(
            *Permission.objects.filter(content_type__app_label="comments", codename__in=MODERATOR_PERMISSIONS)
        )


class Migration(migrations.Migration):
    dependencies = [
        ("comments", "0001_initial"),
        ("articles", "0002_create_editorial_groups"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
