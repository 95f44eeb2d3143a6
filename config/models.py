"""What models of several apps share."""

from django.db import models


class OneRow(models.Model):
    """Settings kept in one row (pk 1, held to it by each model's check constraint), as WordPress's
    settings pages: `load()` gives the row, made with the defaults on first use. OneRowAdmin edits it."""

    class Meta:
        abstract = True

    @classmethod
    def load(cls):
        return cls.objects.get_or_create(pk=1)[0]
