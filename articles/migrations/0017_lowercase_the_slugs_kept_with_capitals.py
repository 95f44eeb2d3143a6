"""Slugs saved with capitals before slugs were lowercase (0016) become lowercase, so that uniqueness holds whatever the
case: one whose lowercase form another row has already takes the first free -2, -3… (readers asking the old address
with capitals are led to the lowercase one by the views)."""

from django.db import migrations


def lowercase_the_slugs(apps, schema_editor):
    for name in ("Article", "Page", "Category", "Tag"):
        model = apps.get_model("articles", name)
        max_length = model._meta.get_field("slug").max_length
        taken = set(model.objects.values_list("slug", flat=True))
        for pk, slug in model.objects.order_by("pk").values_list("pk", "slug"):
            if slug == slug.lower():
                continue
            free, number = slug.lower(), 1
            while free in taken:
                number += 1
                suffix = f"-{number}"
                free = f"{slug.lower()[: max_length - len(suffix)]}{suffix}"
            model.objects.filter(pk=pk).update(slug=free)
            taken.add(free)


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0016_slugs_are_lowercase"),
    ]

    operations = [migrations.RunPython(lowercase_the_slugs, migrations.RunPython.noop)]
