from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import AbstractUser
from django.contrib.sites.models import Site
from django.db import models
from django.db.models import F, Subquery, Value
from django.db.models.functions import Concat, Trim
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from .validators import validate_public_website, validate_visible_text


def first_free(base: str, taken: set[str]) -> str:
    """`base`, or `base-2`, `base-3`… : the first not taken (a login name, an author's address)."""
    return next(name for name in (base, *(f"{base}-{number}" for number in range(2, 10_000))) if name not in taken)


class User(AbstractUser):
    """A person who signs in: author, editor, moderator or reader."""

    display_name = models.CharField(
        _("display name"),
        max_length=150,
        blank=True,
        validators=[validate_visible_text],
        help_text=_(
            "Shown in bylines and beside comments. Leave blank to use the full name, or else the user name "
            "(for staff, whose user name signs into the admin, the site's name)."
        ),
    )
    website = models.URLField(
        _("website"),
        blank=True,
        validators=[validate_public_website],
        help_text=_("Bylines and comments link the name to this address."),
    )
    # Names the stored picture in its address, so pages never load the picture itself.
    avatar_version = models.CharField(max_length=16, blank=True, editable=False)
    # The author's page, /author/<slug>/: from the name shown, never the login name; kept when the name changes.
    author_slug = models.SlugField(_("author page"), max_length=170, unique=True, null=True, blank=True, editable=False)

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"

    def __str__(self) -> str:
        # Who the account is to the site's staff (the admin's lists): its login name when it has no other.
        return self.byline_name or self.username

    def save(self, *args, **kwargs):
        if not self.author_slug and (self.display_name or self.get_full_name()):
            self.author_slug = self._free_author_slug()
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "author_slug"}
        super().save(*args, **kwargs)

    @property
    def public_name(self) -> str:
        """The name readers see beside comments and likes. Never a staff account's login name, half of what signs
        into the admin: the site's name instead, as a byline without a name shows. (Readers' are random.)"""
        if self.byline_name:
            return self.byline_name
        return Site.objects.get_current().name if self.is_staff else self.username

    @staticmethod
    def public_name_of(account: str) -> models.Case:
        """public_name as the database says it, of the account a row points to by `account` (a list sorts by it)."""
        full_name = Trim(Concat(f"{account}__first_name", Value(" "), f"{account}__last_name"))
        return models.Case(
            models.When(~models.Q(**{f"{account}__display_name": ""}), then=F(f"{account}__display_name")),
            models.When(~models.Q(**{f"{account}__first_name": "", f"{account}__last_name": ""}), then=full_name),
            # The site's name read in the same query: the list asks no more of the database for it.
            models.When(
                **{f"{account}__is_staff": True}, then=Subquery(Site.objects.filter(pk=settings.SITE_ID).values("name"))
            ),
            default=F(f"{account}__username"),
        )

    @property
    def byline_name(self) -> str:
        """The name an article is signed with: never a login name ("" when there is nothing better)."""
        return self.display_name or self.get_full_name()

    def _free_author_slug(self) -> str:
        base = slugify(self.display_name or self.get_full_name())[:150] or "author"
        taken = set(
            User.objects.filter(author_slug__startswith=base).exclude(pk=self.pk).values_list("author_slug", flat=True)
        )
        return first_free(base, taken)


class Avatar(models.Model):
    """A member's picture from their sign-in provider, copied here: pages never ask the provider for it."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, primary_key=True, related_name="avatar")
    image = models.BinaryField()
    content_type = models.CharField(max_length=20)
    source_url = models.URLField(max_length=1000)
    fetched_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("avatar")

    def __str__(self) -> str:
        return str(self.user)


class WaitingEmail(models.Model):
    """An account's email (allauth's: a confirmation, a password reset), rendered and waiting for the task worker:
    the queue holds only its number, and it is deleted once sent, so that its words (a working reset link) are kept
    no longer than it waits, and never shown in the admin's list of tasks."""

    subject = models.TextField()
    body = models.TextField()
    html = models.TextField(blank=True)
    from_email = models.TextField()
    to = models.JSONField()
    headers = models.JSONField(default=dict)
    queued_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("email waiting to be sent")

    def __str__(self) -> str:
        return str(self.subject)


class HistoryLineOwner(models.Model):
    """Whose a line of the admin's history is, once the object it is about is gone: an address a member took off
    their account, a like they took back, a connection they ended, a comment deleted for good. The line keeps the
    name the object had ("sam.work@example.com", "Sam Member likes …", "Rita Jones on …"), while erasing a person's
    data finds the lines of what they still have by their objects (accounts.services.admin_history_anonymise), and
    nothing else ties this one to them.

    Noted as the object goes, for the lines there are then (the admin writes a deletion's line before it deletes):
    one row a line, by account, or by address for what a guest wrote (the address the comment had), gone with the line,
    the account or the erasure. Not a list of the addresses an account gave up, to look for in the lines' names: such
    an address may be another reader's now, and their lines are not this account's to rename; and a name cut at 200
    characters is not found whole."""

    line = models.OneToOneField(LogEntry, on_delete=models.CASCADE, primary_key=True, related_name="+")
    user = models.ForeignKey(User, on_delete=models.CASCADE, null=True, related_name="+")
    # A guest's, lower-cased as comments keep it; empty for an account's.
    email = models.EmailField(blank=True)

    class Meta:
        verbose_name = _("owner of a line of the admin's history")
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(user__isnull=False) & models.Q(email=""))
                | (models.Q(user__isnull=True) & ~models.Q(email="")),
                name="history_line_owner_account_or_address",
            )
        ]

    def __str__(self) -> str:
        return str(self.line_id)
