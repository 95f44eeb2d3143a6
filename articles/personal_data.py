"""What the articles app holds about a member: the articles they liked; and the articles they wrote, which keep
their account until they are deleted or an editor gives them to another author."""

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.services import admin_history_anonymise
from config.email import absolute_url

from .models import Article, Like


def export(user) -> dict[str, object]:
    return {
        "likes": [
            {
                "article": like.article.title,
                "url": absolute_url(like.article.get_absolute_url()),  # the file is read away from the site
                "liked": like.created_at.isoformat(),
            }
            for like in Like.objects.filter(user=user).select_related("article").order_by("created_at")
        ]
    }


def erase(user) -> None:
    likes = Like.objects.filter(user=user)
    # A like is named in the admin's history by who likes it ("Rita Jones likes …"), one taken back too.
    admin_history_anonymise(
        model=Like, pks=likes.values_list("pk", flat=True), user=user, label=_("A like of an erased account")
    )
    likes.delete()


def kept_because(user) -> str:
    """An article's author (protected: its byline) keeps the account until every article has another author."""
    count = Article.objects.filter(author=user).count()
    if not count:
        return ""
    return ngettext(
        "You are the author of %(count)d article here: delete it, or ask an editor to give it to another author, "
        "first.",
        "You are the author of %(count)d articles here: delete them, or ask an editor to give them to another "
        "author, first.",
        count,
    ) % {"count": count}
