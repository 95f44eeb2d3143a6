from allauth.account.models import EmailAddress
from django.db.models.signals import post_delete, post_save, pre_delete
from django.dispatch import receiver
from django.urls import reverse
from django.utils import timezone

from accounts.services import admin_history_owner_note, admin_history_owners_note
from articles import addresses
from articles.models import Article
from config import pagecache

from . import notifications
from .models import Block, Comment, DiscussionSettings, SafetyRule
from .subscriptions.models import Subscription
from .subscriptions.notices import ANNOUNCE_WITHIN
from .subscriptions.services import subscriptions_stop_for_removed_address


@receiver(post_save, sender=Article)
def announce_published_article(sender, instance: Article, raw: bool = False, **kwargs) -> None:
    """Site subscribers hear of a new article once it is published (now, or when its scheduled time comes)."""
    if raw or instance.status != Article.Status.PUBLISHED:
        return  # Fixtures being loaded, or a draft.
    # An old article edited: nothing to announce, and no task to queue for it.
    if instance.published_at < timezone.now() - ANNOUNCE_WITHIN:
        return
    notifications.article_published(instance)


@receiver([post_save, post_delete], sender=Comment)
def the_article_page_shows_it(sender, instance: Comment, raw: bool = False, **kwargs) -> None:
    """A comment posted, moderated, edited or deleted: the article's page of comments, the comment feeds and, when the
    article's count of comments may change, the lists that count them."""
    if raw:
        return
    # A new held comment, or a save of fields other than its status or place (its words, who was told), counts the same.
    created, saved = kwargs.get("created", False), kwargs.get("update_fields")
    counted = (
        instance.status == Comment.Status.APPROVED
        if created
        else saved is None or bool({"status", "parent"} & set(saved))
    )

    def pages() -> list[str]:
        try:
            article = instance.article  # already at hand when the comment was just posted or moderated
        except Article.DoesNotExist:
            return []  # Deleted with its article, which tells every page itself.
        on_the_article = article.permalink_kwargs
        return [
            article.get_absolute_url(),
            reverse("comments:article-feed", kwargs=on_the_article),
            reverse("comments:article-feed-atom", kwargs=on_the_article),
            reverse("comments:feed"),
            reverse("comments:feed-atom"),
            *(article.list_addresses() if counted else ()),
        ]

    # Asked once per article in a transaction: a bulk action changes hundreds of comments of a few articles.
    pagecache.pages_changed_once(f"comments-of:{instance.article_id}:{counted}", pages)


@receiver([post_save, post_delete], sender=DiscussionSettings)
@receiver([post_save, post_delete], sender=SafetyRule)
@receiver([post_save, post_delete], sender=Block)
def every_comment_box_may_show_it(sender, raw: bool = False, **kwargs) -> None:
    """The site owner's discussion rules (reply links, closed comments, avatars, on every article), and the
    safety rules and blocks every new comment is checked against, all kept with the site's generation."""
    if not raw:
        pagecache.site_changed()


@receiver(addresses.moved)
def the_article_comment_feeds_moved(sender, article: Article, old: dict, **kwargs) -> None:
    """Feed readers subscribed to the article's comments at its old address keep getting them."""
    for name in ("comments:article-feed", "comments:article-feed-atom"):
        addresses.lead_on(reverse(name, kwargs=old), reverse(name, kwargs=article.permalink_kwargs))


@receiver(post_save, sender=EmailAddress)
def a_blocked_accounts_new_address_is_blocked_at_once(
    sender, instance: EmailAddress, raw: bool = False, **kwargs
) -> None:
    """A block on an account covers its verified addresses (Block.account_addresses), kept with the site's generation:
    one the account verifies since is covered from the next comment, not once the site changes for another reason."""
    if not raw and instance.verified and Block.objects.in_force().filter(user_id=instance.user_id).exists():
        pagecache.site_changed()


@receiver(post_delete, sender=EmailAddress)
def stop_emailing_an_address_taken_off_the_account(sender, instance: EmailAddress, **kwargs) -> None:
    """An address taken off an account (one the member gave up, or that is someone else's now) is sent nothing more
    on the account's behalf: what they subscribed to with it stops. Whoever took it off: the member (Your account →
    Email addresses, allauth's email_removed) or staff in the admin, which sends no such signal."""
    subscriptions_stop_for_removed_address(user_id=instance.user_id, email=instance.email)


@receiver([pre_delete, post_delete], sender=Subscription)
@receiver([pre_delete, post_delete], sender=Block)
def the_admins_history_of_it_stays_the_members(
    sender, instance: Subscription | Block, signal, origin=None, **kwargs
) -> None:
    """A member's subscription deleted (by a superuser, with the address it was made with or with its article), or a
    block on their account lifted: its lines in the admin's history are named by the address or by the account's name,
    and are still the account's to erase. A guest's subscriptions are found by the address itself
    (comments.services._subscriptions_history_anonymise)."""
    admin_history_owner_note(signal=signal, instance=instance, user_id=instance.user_id, origin=origin)


@receiver(pre_delete, sender=Article)
def the_admins_history_of_its_comments_stays_their_writers(sender, instance: Article, **kwargs) -> None:
    """An article deleted takes its comments with it: the lines of the admin's history that name their writers are
    still theirs to erase, as when a comment is deleted for good (comments.services.comments_delete)."""
    admin_history_owners_note(objects=Comment.objects.filter(article=instance), email_field="author_email")
