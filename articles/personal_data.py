"""What the articles app holds about a member: the articles they liked."""

from config.email import absolute_url

from .models import Like


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
    Like.objects.filter(user=user).delete()
