from allauth.account.models import EmailAddress
from allauth.account.signals import user_logged_in
from allauth.socialaccount.models import SocialAccount, SocialApp
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete
from django.dispatch import receiver

from config import pagecache
from config.tasks import enqueue_or_log

from .adapters import SIGNED_IN_WITH_SESSION_KEY
from .models import User
from .services import admin_history_owner_note
from .tasks import avatar_fetch


@receiver(user_logged_in)
def remember_how_the_reader_signed_in(sender, request, user, **kwargs) -> None:
    """The comment box says "You are commenting using your <Provider> account"."""
    sociallogin = kwargs.get("sociallogin")
    if sociallogin is not None:
        request.session[SIGNED_IN_WITH_SESSION_KEY] = sociallogin.account.get_provider(request).name
    else:
        request.session.pop(SIGNED_IN_WITH_SESSION_KEY, None)


@receiver(user_logged_in)
def copy_the_providers_avatar(sender, request, user, **kwargs) -> None:
    """A picture from the provider is copied here in the background, never loaded from there by a page."""
    sociallogin = kwargs.get("sociallogin")
    url = sociallogin.account.get_provider_account().get_avatar_url() if sociallogin is not None else None
    if url:  # The task itself refuses addresses that are not public HTTPS.
        transaction.on_commit(lambda: enqueue_or_log(avatar_fetch, user_id=user.pk, url=url), robust=True)


# Saved at every sign-in, and shown on no page.
UNSEEN_FIELDS = {"last_login", "password"}


@receiver(post_save, sender=User)
@receiver(post_delete, sender=User)
def pages_show_members(sender, instance: User, raw: bool = False, created: bool = False, **kwargs) -> None:
    """A member's name, website or picture is on bylines, comments and likes across the site."""
    update_fields = kwargs.get("update_fields")
    if raw or created or (update_fields is not None and set(update_fields) <= UNSEEN_FIELDS):
        return
    pagecache.site_changed()


@receiver([post_save, post_delete], sender=SocialApp)
@receiver(m2m_changed, sender=SocialApp.sites.through)
def comment_boxes_show_the_sign_in_choices(sender, raw: bool = False, **kwargs) -> None:
    """A sign-in service configured in the admin: its icon is in every comment box."""
    if not raw:
        pagecache.site_changed()


@receiver([pre_delete, post_delete], sender=EmailAddress)
@receiver([pre_delete, post_delete], sender=SocialAccount)
def the_admins_history_of_it_stays_the_accounts(sender, instance, signal, origin=None, **kwargs) -> None:
    """An address or a connection taken off the account (by the member or by staff): the lines of the admin's history
    named by it are still the account's to erase."""
    admin_history_owner_note(signal=signal, instance=instance, user_id=instance.user_id, origin=origin)
