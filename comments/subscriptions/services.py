from django.db import transaction

from articles.models import Article

from .. import notifications
from .models import Subscription


def subscription_request(
    *, email: str, user=None, topic: str, article: Article | None = None, comment=None
) -> Subscription:
    """Ask for emails (double opt-in): a confirmation link is sent unless the address already confirmed.

    `comment`: whose replies are asked for (topic "replies")."""
    signed_in = user is not None and user.is_authenticated
    with transaction.atomic():
        subscription, _ = Subscription.objects.get_or_create(
            email=email.strip().lower(),
            topic=topic,
            article=article if topic in (Subscription.Topic.COMMENTS, Subscription.Topic.REPLIES) else None,
            comment=comment if topic == Subscription.Topic.REPLIES else None,
            defaults={"user": user if signed_in else None},
        )
        if subscription.status == Subscription.Status.CONFIRMED:
            return subscription
        subscription.ask_again()
        # Confirmed meanwhile by a link from an earlier email: nothing to ask.
        if subscription.status == Subscription.Status.PENDING:
            notifications.subscription_asked(subscription)
    return subscription
