from allauth.account.signals import user_logged_in
from django.dispatch import receiver

from comments.listing import SIGNED_IN_WITH_SESSION_KEY


@receiver(user_logged_in)
def remember_how_the_reader_signed_in(sender, request, user, **kwargs) -> None:
    """The comment box says "You are commenting using your <Provider> account"."""
    sociallogin = kwargs.get("sociallogin")
    if sociallogin is not None:
        request.session[SIGNED_IN_WITH_SESSION_KEY] = sociallogin.account.get_provider(request).name
    else:
        request.session.pop(SIGNED_IN_WITH_SESSION_KEY, None)
