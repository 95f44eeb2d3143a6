"""What models of several apps share."""

import copy

from django.db import models

from . import pagecache


class OneRow(models.Model):
    """Settings kept in one row (pk 1, held to it by each model's check constraint), as WordPress's
    settings pages: `load()` gives the row, made with the defaults on first use. OneRowAdmin edits it.

    The row is read through the shared cache, kept until the site next changes: each such model's
    save and delete must call pagecache.site_changed (pages show what it says anyway)."""

    class Meta:
        abstract = True

    @classmethod
    def load(cls):
        kept = pagecache.site_kept(f"row:{cls._meta.label_lower}", lambda: cls.objects.get_or_create(pk=1)[0])
        return copy.copy(kept)  # the caller's own: it may change and save it
