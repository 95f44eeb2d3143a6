from django.contrib.auth.management import create_permissions
from django.db import migrations

# Exact permissions of each group. Moderators get theirs from the comments app.
GROUP_PERMISSIONS = {
    "Authors": [
        ("articles", "add_article"),
        ("articles", "change_article"),
        ("articles", "view_article"),
        ("articles", "view_category"),
        ("articles", "view_tag"),
    ],
    "Editors": [
        ("articles", "add_article"),
        ("articles", "change_article"),
        ("articles", "change_others_article"),
        ("articles", "delete_article"),
        ("articles", "view_article"),
        ("articles", "add_category"),
        ("articles", "change_category"),
        ("articles", "delete_category"),
        ("articles", "view_category"),
        ("articles", "add_tag"),
        ("articles", "change_tag"),
        ("articles", "delete_tag"),
        ("articles", "view_tag"),
    ],
    "Moderators": [],
}


def create_groups(apps, schema_editor):
    # Permissions are normally created after all migrations; make them now.
    articles = apps.get_app_config("articles")
    articles.models_module = True
    create_permissions(articles, apps=apps, verbosity=0)
    articles.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in GROUP_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.set(
            [Permission.objects.get(content_type__app_label=app, codename=codename) for app, codename in codenames]
        )


def delete_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=GROUP_PERMISSIONS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_groups, delete_groups)]
