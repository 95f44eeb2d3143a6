"""Pages shown to readers change with the articles: the shared page cache is told (config/pagecache.py). A like
taken back stays its reader's in the admin's history."""

from django.contrib.sites.models import Site
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete
from django.dispatch import receiver

from accounts.services import admin_history_owner_note
from config import pagecache

from .models import Article, Category, Image, Like, MedicalDisclaimer, Page, Reference, Reviewer, Tag


@receiver([post_save, post_delete], sender=Article)
@receiver([post_save, post_delete], sender=Category)
@receiver([post_save, post_delete], sender=Tag)
@receiver([post_save, post_delete], sender=Site)
@receiver([post_save, post_delete], sender=Reviewer)
@receiver([post_save, post_delete], sender=Reference)
@receiver([post_save, post_delete], sender=MedicalDisclaimer)
@receiver([post_save, post_delete], sender=Image)
@receiver([post_save, post_delete], sender=Page)
@receiver(m2m_changed, sender=Article.categories.through)
@receiver(m2m_changed, sender=Article.tags.through)
def every_page_may_show_it(sender, raw: bool = False, **kwargs) -> None:
    """An article, a category or tag, a reviewer, a reference, the disclaimer, a picture (a featured image's alt text),
    a page (in every footer) or the site's name: on the front page, archives, feeds and the articles."""
    if not raw:
        pagecache.site_changed()


@receiver([post_save, post_delete], sender=Like)
def the_article_page_shows_it(sender, instance: Like, raw: bool = False, created: bool = True, **kwargs) -> None:
    """A like: the article's likes line (a like moved to another article in the admin: both articles')."""
    if raw:
        return
    if not created:
        pagecache.site_changed()
    pagecache.pages_changed(instance.article.get_absolute_url())


@receiver([pre_delete, post_delete], sender=Like)
def the_admins_history_of_it_stays_the_readers(sender, instance: Like, signal, origin=None, **kwargs) -> None:
    """A like taken back (or deleted by a superuser, or with its article): the lines of the admin's history that name
    its reader are still theirs to erase."""
    admin_history_owner_note(signal=signal, instance=instance, user_id=instance.user_id, origin=origin)
