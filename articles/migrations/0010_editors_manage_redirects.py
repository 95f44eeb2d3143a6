from django.contrib.auth.management import create_permissions
from django.db import migrations

# A published article's old addresses lead on to its new ones (articles/addresses.py): editors see those
# redirects, and add their own (an address of the old site, a page withdrawn: 410) in the admin.
EDITORS_MAY = ["add_redirect", "change_redirect", "delete_redirect", "view_redirect"]


def let_editors_manage_redirects(apps, schema_editor):
    redirects = apps.get_app_config("redirects")
    redirects.models_module = True
    create_permissions(redirects, apps=apps, verbosity=0)
    redirects.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    editors, _ = Group.objects.get_or_create(name="Editors")
    editors.permissions.add(*Permission.objects.filter(content_type__app_label="redirects", codename__in=EDITORS_MAY))


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0009_revision_autosave"),
        ("redirects", "0002_alter_redirect_new_path_help_text"),
    ]

    operations = [migrations.RunPython(let_editors_manage_redirects, migrations.RunPython.noop)]
