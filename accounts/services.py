import base64
import itertools
import secrets
import threading
from collections.abc import Iterable

from allauth.account.models import EmailAddress
from allauth.socialaccount import providers
from allauth.socialaccount.models import SocialAccount
from django.contrib.admin.models import LogEntry
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import CharField, Model, Q, QuerySet
from django.db.models.functions import Cast, Lower
from django.db.models.signals import ModelSignal, pre_delete
from django.utils.translation import gettext as _
from django_tasks_db.models import DBTaskResult

from . import personal_data
from .models import Avatar, HistoryLineOwner, User, WaitingEmail
from .tasks import avatar_fetch


def verified_addresses(user):
    """The account's verified email addresses, lower-cased as comments and subscriptions store theirs (allauth keeps
    them as typed): a query, to filter by (`email__in=verified_addresses(user)`) or to read."""
    return EmailAddress.objects.filter(user=user, verified=True).values_list(Lower("email"), flat=True)


def first_admin_create(*, username: str = "admin", email: str = "") -> tuple[str, str] | None:
    """Create a superuser with a random password if there is none; returns its login once. The address given
    is theirs, verified (the owner typed it): held comments are emailed there."""
    User = get_user_model()
    if User.objects.filter(is_superuser=True).exists():
        return None
    password = secrets.token_urlsafe(18)
    email = email.strip().lower()
    user = User.objects.create_superuser(username=username, email=email, password=password)
    if email:
        EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return username, password


def account_export(*, user) -> dict:
    """Everything the site keeps about a member, as JSON-ready data: the account, then each app's part."""
    avatar = Avatar.objects.filter(user=user).first()
    data = {
        "profile": {
            "username": user.username,
            "display_name": user.display_name,
            "first_name": user.first_name,
            "last_name": user.last_name,
            "website": user.website,
            "email": user.email,
            "date_joined": user.date_joined.isoformat(),
            "last_login": user.last_login.isoformat() if user.last_login else None,
        },
        "email_addresses": [
            {"email": address.email, "verified": address.verified, "primary": address.primary}
            for address in EmailAddress.objects.filter(user=user).order_by("email")
        ],
        "social_connections": [
            {
                "provider": providers.registry.get_class(account.provider).name,
                "uid": account.uid,
                "date_joined": account.date_joined.isoformat(),
                "last_login": account.last_login.isoformat(),
                "profile": account.extra_data,
            }
            for account in SocialAccount.objects.filter(user=user).order_by("pk")
        ],
        "avatar": (
            {
                "copied_from": avatar.source_url,
                "type": avatar.content_type,
                "fetched": avatar.fetched_at.isoformat(),
                # The picture itself, as kept here: a data: address that a browser shows.
                "picture": f"data:{avatar.content_type};base64,{base64.b64encode(bytes(avatar.image)).decode()}",
            }
            if avatar
            else None
        ),
    }
    for part in personal_data.parts():
        data.update(part.export(user))
    return data


@transaction.atomic
def account_delete(*, user) -> None:
    """Delete a member's account once every app has forgotten them (published comments stay, anonymised); an account
    an app keeps (personal_data.reasons_to_keep) is refused with the reasons."""
    if reasons := personal_data.reasons_to_keep(user):
        raise ValidationError(reasons)
    for part in personal_data.parts():
        part.erase(user)
    # Emails still waiting for the worker (a reset link, a confirmation) go with the account they were for.
    addresses = {address.lower() for address in EmailAddress.objects.filter(user=user).values_list("email", flat=True)}
    addresses.add(user.email.lower())
    for waiting in WaitingEmail.objects.all():
        if addresses & {recipient.lower() for recipient in waiting.to}:
            waiting.delete()
    # The copying of its picture, queued or done, names the account and the picture's address at its provider.
    DBTaskResult.objects.filter(task_path=avatar_fetch.module_path, args_kwargs__kwargs__user_id=user.pk).delete()
    # The admin's history named the account by its name ("Rita Jones") wherever staff changed it, its addresses by
    # the address and its connected accounts by the name the provider gave.
    for model, pks in (
        (get_user_model(), [user.pk]),
        (EmailAddress, EmailAddress.objects.filter(user=user).values_list("pk", flat=True)),
        (SocialAccount, SocialAccount.objects.filter(user=user).values_list("pk", flat=True)),
    ):
        admin_history_anonymise(model=model, pks=pks, user=user, label=_("An erased account"))
    user.delete()


def admin_history_anonymise(
    *, model: type[Model], pks: Iterable, label: str, user=None, guest_emails: Iterable[str] = ()
) -> None:
    """Rename the admin's history lines about these objects, and those about the objects of this kind that are gone
    and were the account's or, written signed out, these addresses' (HistoryLineOwner): each line is named by what its
    object was called when staff changed it ("Rita Jones", "rita@example.com", "Rita Jones likes …"), and keeps that
    name."""
    content_type = ContentType.objects.get_for_model(model)
    lines = Q(object_id__in=[str(pk) for pk in pks])
    noted = Q()
    if user is not None:
        noted |= Q(user=user)
    if guest_emails := [email.strip().lower() for email in guest_emails if email]:
        noted |= Q(user=None, email__in=guest_emails)
    if noted:
        owners = HistoryLineOwner.objects.filter(noted, line__content_type=content_type)
        lines |= Q(pk__in=owners.values("line"))
    LogEntry.objects.filter(lines, content_type=content_type).update(object_repr=label)
    if noted:
        owners.delete()  # renamed: nothing is left to tie to them (a guest's address least of all)


# The objects of accounts that a deletion takes, by kind and deletion (what delete() was called on, kept so that its id
# stays its own), from their pre_delete to their kind's first post_delete: Django sends every pre_delete of a deletion
# before it deletes anything. Per thread, as requests are served.
_going = threading.local()
# Object ids looked up at a time: databases take only so many values in a query.
_LOOKED_UP_AT_ONCE = 500


def admin_history_owner_note(*, signal: ModelSignal, instance: Model, user_id: int | None, origin) -> None:
    """Note whose the admin's history lines about an object of an account are, as the object goes: nothing else will
    tie them to the account. Whose it is is kept in mind at its pre_delete, and the lines of all a deletion takes of
    its kind are looked up at the first post_delete, in a query however many go. Not when it goes with the account
    itself, which leaves nobody to note (account_delete has renamed the lines)."""
    going = _going.__dict__.setdefault("deletions", {})
    if signal is pre_delete:
        if user_id is not None and (origin.model if isinstance(origin, QuerySet) else type(origin)) is not User:
            going.setdefault((type(instance), id(origin)), (origin, {}))[1][str(instance.pk)] = user_id
        return
    if (origin_and_owners := going.pop((type(instance), id(origin)), None)) is None:
        return
    owners = origin_and_owners[1]
    content_type = ContentType.objects.get_for_model(instance)
    for ids in itertools.batched(owners, _LOOKED_UP_AT_ONCE):
        lines = LogEntry.objects.filter(content_type=content_type, object_id__in=ids).values_list("pk", "object_id")
        HistoryLineOwner.objects.bulk_create(
            HistoryLineOwner(line_id=line, user_id=owners[object_id]) for line, object_id in lines
        )


def admin_history_owners_note(*, objects: QuerySet, email_field: str) -> None:
    """As admin_history_owner_note, for objects about to go, still in the database, by account (their `user`) or,
    without one, by the address they hold (a guest's comments): a few queries however many there are."""
    ids = objects.annotate(id_text=Cast("pk", output_field=CharField())).values("id_text")
    kind = objects.model._meta
    # The kind joined, not looked up: the same queries whether or not this process has read it yet.
    lines = dict(
        LogEntry.objects.filter(
            content_type__app_label=kind.app_label, content_type__model=kind.model_name, object_id__in=ids
        ).values_list("pk", "object_id")
    )
    if not lines:
        return
    owners = {
        str(pk): HistoryLineOwner(user_id=user_id, email="" if user_id else email.strip().lower())
        for pk, user_id, email in objects.filter(pk__in=set(lines.values())).values_list("pk", "user", email_field)
        if user_id or email  # an imported comment may have no address: nobody to note
    }
    HistoryLineOwner.objects.bulk_create(
        HistoryLineOwner(line_id=line, user_id=owners[object_id].user_id, email=owners[object_id].email)
        for line, object_id in lines.items()
        if object_id in owners
    )
