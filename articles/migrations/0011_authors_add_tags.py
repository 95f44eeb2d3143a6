from django.db import migrations

# As in WordPress, where an Author types a new tag into a post's tag box: authors add tags (the + beside an
# article's tags), while categories, and changing or deleting a tag, stay with the editors.
AUTHORS_MAY = ["add_tag"]


def let_authors_add_tags(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    authors, _ = Group.objects.get_or_create(name="Authors")
    authors.permissions.add(*Permission.objects.filter(content_type__app_label="articles", codename__in=AUTHORS_MAY))


def take_it_back(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for authors in Group.objects.filter(name="Authors"):
        authors.permissions.remove(
            *Permission.objects.filter(content_type__app_label="articles", codename__in=AUTHORS_MAY)
        )


class Migration(migrations.Migration):
    dependencies = [("articles", "0010_editors_manage_redirects")]

    operations = [migrations.RunPython(let_authors_add_tags, take_it_back)]
