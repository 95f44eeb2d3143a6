from django.db import transaction

from accounts.services import verified_addresses
from articles.models import Article

from .. import notifications
from .models import Subscription


def subscription_request(
    *, email: str, user=None, topic: str, article: Article | None = None, comment=None
) -> Subscription:
    """Ask for emails (double opt-in): a confirmation link is sent unless the address already confirmed, or it is
    the verified address of the signed-in reader asking.

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
        if subscription.status == Subscription.Status.PENDING:
            if signed_in and subscription.email in verified_addresses(user):
                # Their account proved the address is theirs: asking the owner to prove it again is only friction.
                subscription.confirm()
            else:
                notifications.subscription_asked(subscription)
        # (Otherwise confirmed meanwhile by a link from an earlier email: nothing to ask.)
    return subscription


def subscriptions_stop_for_removed_address(*, user_id: int, email: str) -> int:
    """Stop what the account subscribed with an address it no longer has; returns how many. What was asked signed out
    with the address is the address's own, and stays."""
    # Deleted, not only unsubscribed: a row kept for the account would be the one the address's next holder takes up
    # again by asking for the same emails (one per address and article), and it would show on the old account.
    theirs = Subscription.objects.filter(user_id=user_id, email=email.strip().lower())
    stopped = theirs.active().count()
    theirs.delete()
    return stopped
