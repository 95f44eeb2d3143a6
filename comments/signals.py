from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver
from django.utils import timezone

from articles.models import Article

from . import notifications
from .subscriptions.notices import ANNOUNCE_WITHIN


@receiver(post_save, sender=Article)
def announce_published_article(sender, instance: Article, raw: bool = False, **kwargs) -> None:
    """Site subscribers hear of a new article once it is published (now, or when its scheduled time comes)."""
    if raw or instance.status != Article.Status.PUBLISHED:
        return  # Fixtures being loaded, or a draft.
    # An old article edited: nothing to announce, and no task to queue for it.
    if instance.published_at < timezone.now() - ANNOUNCE_WITHIN:
        return
    transaction.on_commit(lambda: notifications.article_published(instance), robust=True)
