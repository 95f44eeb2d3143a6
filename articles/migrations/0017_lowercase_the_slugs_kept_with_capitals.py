"""Slugs saved with capitals before slugs were lowercase (0016) become lowercase, so that uniqueness holds whatever the
case. Readers asking the old address with capitals are led to the lowercase one by the views; one whose lowercase form
another row has already takes the first free -2, -3…, and its old address leads there (a redirect: the views look
for the redirects of an address with capitals before the lowercase slug)."""

from django.conf import settings
from django.db import migrations
from django.urls import reverse
from django.utils import timezone


def address(name: str, row, slug: str) -> str:
    if name == "Article":
        day = timezone.localtime(row.published_at or row.created_at)
        kwargs = {"year": f"{day.year:04d}", "month": f"{day.month:02d}", "day": f"{day.day:02d}", "slug": slug}
        return reverse("articles:detail", kwargs=kwargs)
    return reverse(f"articles:{name.lower()}", kwargs={"slug": slug})


def lowercase_the_slugs(apps, schema_editor):
    redirect = apps.get_model("redirects", "Redirect")
    for name in ("Article", "Page", "Category", "Tag"):
        model = apps.get_model("articles", name)
        max_length = model._meta.get_field("slug").max_length
        taken = set(model.objects.values_list("slug", flat=True))
        for row in model.objects.order_by("pk"):
            if row.slug == row.slug.lower():
                continue
            free, number = row.slug.lower(), 1
            while free in taken:
                number += 1
                suffix = f"-{number}"
                free = f"{row.slug.lower()[: max_length - len(suffix)]}{suffix}"
            old, new = address(name, row, row.slug), address(name, row, free)
            if number > 1 and max(len(old), len(new)) <= redirect._meta.get_field("old_path").max_length:
                redirect.objects.get_or_create(site_id=settings.SITE_ID, old_path=old, defaults={"new_path": new})
            model.objects.filter(pk=row.pk).update(slug=free)
            taken.add(free)


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0016_slugs_are_lowercase"),
        ("redirects", "0002_alter_redirect_new_path_help_text"),
    ]

    operations = [migrations.RunPython(lowercase_the_slugs, migrations.RunPython.noop)]
