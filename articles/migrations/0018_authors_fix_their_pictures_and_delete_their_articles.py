from django.contrib.auth.management import create_permissions
from django.db import migrations

# As WordPress's Authors: they correct the pictures they uploaded (an alt text with a typo) and delete their own
# articles. Which pictures and which articles is each admin's check (ImageAdmin, ArticleAdmin): their own.
AUTHORS_MAY = ["change_image", "delete_article"]


def let_authors_fix_their_pictures_and_delete_their_articles(apps, schema_editor):
    articles = apps.get_app_config("articles")
    articles.models_module = True
    create_permissions(articles, apps=apps, verbosity=0)
    articles.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    authors, _ = Group.objects.get_or_create(name="Authors")
    authors.permissions.add(*Permission.objects.filter(content_type__app_label="articles", codename__in=AUTHORS_MAY))


class Migration(migrations.Migration):
    dependencies = [("articles", "0017_lowercase_the_slugs_kept_with_capitals")]

    operations = [
        migrations.RunPython(let_authors_fix_their_pictures_and_delete_their_articles, migrations.RunPython.noop)
    ]
