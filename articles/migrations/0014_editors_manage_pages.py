from django.contrib.auth.management import create_permissions
from django.db import migrations

# The site's own pages (About us, Privacy policy) are the editors', as WordPress's Pages are its Editors'.
EDITORS_MAY = ["add_page", "change_page", "delete_page", "view_page"]


def let_editors_manage_pages(apps, schema_editor):
    articles = apps.get_app_config("articles")
    articles.models_module = True
    create_permissions(articles, apps=apps, verbosity=0)
    articles.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    editors, _ = Group.objects.get_or_create(name="Editors")
    editors.permissions.add(*Permission.objects.filter(content_type__app_label="articles", codename__in=EDITORS_MAY))


class Migration(migrations.Migration):
    dependencies = [("articles", "0013_pages")]

    operations = [migrations.RunPython(let_editors_manage_pages, migrations.RunPython.noop)]
