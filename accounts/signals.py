from allauth.account.signals import user_logged_in
from django.db import transaction
from django.dispatch import receiver

from config.tasks import enqueue_or_log

from .adapters import SIGNED_IN_WITH_SESSION_KEY
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
