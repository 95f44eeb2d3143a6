"""The likes line under an article: "N bloggers like this:" with the first likers' avatars, and the Like button."""

import time
from dataclasses import dataclass

from django.db.models import Count, Q
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext, ngettext

from accounts.avatars import avatar_url
from articles.models import Article, Like

LIKERS_SHOWN = 10
PENDING_LIKE_SESSION_KEY = "pending_like"
PENDING_LIKE_MAX_AGE = 15 * 60  # seconds: enough to sign in, even through a provider


@dataclass
class Liker:
    """One of the first readers who liked the article, as the block shows them."""

    name: str
    website: str
    avatar_url: str


@dataclass
class Likes:
    """The likes block under an article: the button, the line and the first likers' avatars."""

    article: Article
    count: int
    liked: bool
    likers: list[Liker]
    # The reader clicked Like as a guest and has just signed in: finish it.
    finish_like: bool = False

    @property
    def summary(self) -> str:
        """WordPress's line: nothing to count yet, one blogger, or N bloggers."""
        if not self.count:
            return gettext("Be the first to like this.")
        return ngettext("One blogger likes this:", "%(count)d bloggers like this:", self.count) % {"count": self.count}

    @property
    def more(self) -> int:
        """Likers beyond the avatars shown."""
        return self.count - len(self.likers)

    @property
    def action_url(self) -> str:
        """Where the button posts: Like, or its undo once liked. Both sit under the article's permalink."""
        return reverse("comments:unlike" if self.liked else "comments:like", kwargs=self.article.permalink_kwargs)


def likes_for(request: HttpRequest, article: Article, *, use_gravatar: bool, finish_like: bool = False) -> Likes:
    """The likes block in two queries, however many readers liked the article."""
    likes = Like.objects.filter(article=article)
    # An anonymous reader's pk is None: their share of the count is 0.
    totals = likes.aggregate(count=Count("pk"), mine=Count("pk", filter=Q(user=request.user.pk)))
    first = likes.select_related("user").order_by("created_at", "pk")[:LIKERS_SHOWN] if totals["count"] else []
    liked = bool(totals["mine"])
    return Likes(
        article=article,
        count=totals["count"],
        liked=liked,
        likers=[
            Liker(
                name=like.user.public_name,
                website=like.user.website,
                avatar_url=avatar_url(like.user.email, use_gravatar=use_gravatar, member=like.user),
            )
            for like in first
        ],
        finish_like=finish_like and request.user.is_authenticated and not liked,
    )


def remember_pending_like(request: HttpRequest, article: Article) -> None:
    """A guest pressed Like: the like waits in the session while they sign in."""
    request.session[PENDING_LIKE_SESSION_KEY] = {"article": article.pk, "at": time.time()}


def forget_pending_like(request: HttpRequest) -> None:
    request.session.pop(PENDING_LIKE_SESSION_KEY, None)


def pending_like_taken(request: HttpRequest, article: Article) -> bool:
    """Whether this session's reader clicked Like on this article as a guest, minutes ago; asks only once."""
    pending = request.session.get(PENDING_LIKE_SESSION_KEY)
    if not isinstance(pending, dict) or pending.get("article") != article.pk:
        return False
    del request.session[PENDING_LIKE_SESSION_KEY]
    # On a shared computer a guest's click must not be finished for whoever signs in hours later.
    return time.time() - pending.get("at", 0) <= PENDING_LIKE_MAX_AGE
