from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    """A person who signs in: author, editor, moderator or reader."""

    display_name = models.CharField(
        _("display name"),
        max_length=150,
        blank=True,
        help_text=_("Shown in bylines and beside comments. Leave blank to use the full name or user name."),
    )
    website = models.URLField(
        _("website"),
        blank=True,
        help_text=_("Bylines and comments link the name to this address."),
    )

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"

    def __str__(self) -> str:
        return self.public_name

    @property
    def public_name(self) -> str:
        """The name readers see."""
        return self.display_name or self.get_full_name() or self.username
