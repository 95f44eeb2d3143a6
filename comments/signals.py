from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver

from articles.models import Article


@receiver(post_save, sender=Article)
def announce_published_article(sender, instance: Article, **kwargs) -> None:
    """Site subscribers hear of a new article once it is published (now, or when its scheduled time comes)."""
    if instance.status == Article.Status.PUBLISHED:
        from . import tasks

        transaction.on_commit(lambda: tasks.new_post_announce(instance), robust=True)
