"""Feeds of approved comments, RSS and Atom: one per article, and one of the whole site (WordPress's comment feeds)."""

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from articles.feeds import SiteFeed
from articles.models import Article

from .models import Comment
from .threads import shown_counts, shown_to_readers

# The newest comments; a reader's feed program keeps older ones. Twice as many are read, so that replies
# hidden under a comment taken off leave enough.
FEED_LENGTH = 30


def comment_counts(article_ids: list[int]) -> dict[int, int]:
    """For the article feeds' <slash:comments>: how many approved comments readers see on each article, as its
    page's heading counts them."""
    return {article: counts["approved"] for article, counts in shown_counts(article_ids).items()}


class SiteCommentsFeed(SiteFeed):
    """The newest approved comments on every published article."""

    link = "/"

    def title(self) -> str:
        return _("Comments on %(site)s") % {"site": self.site_name}

    def description(self) -> str:
        return _("The newest comments on %(site)s.") % {"site": self.site_name}

    def items(self):
        newest = (
            Comment.objects.approved()
            .filter(article__in=Article.objects.published())
            .select_related("user", "article")
            .order_by("-created_at", "-pk")
        )
        return shown_to_readers(list(newest[: FEED_LENGTH * 2]))[:FEED_LENGTH]

    def item_title(self, item: Comment) -> str:
        return _("Comment on %(article)s by %(name)s") % {
            "article": item.article.title,
            "name": item.author_display_name,
        }

    def item_description(self, item: Comment) -> str:
        return item.body_html  # cleaned by articles.sanitize when it was posted

    def item_author_name(self, item: Comment) -> str:
        return item.author_display_name

    def item_pubdate(self, item: Comment):
        return item.created_at

    def item_updateddate(self, item: Comment):
        # Atom requires it of every entry; a comment edited (by its writer or a moderator) tells when.
        return item.edited_at or item.created_at


class ArticleCommentsFeed(SiteCommentsFeed):
    """The newest approved comments on one published article, at its permalink + feed/."""

    def get_object(self, request, *args, **kwargs) -> Article:
        article = get_object_or_404(Article.objects.published(), slug=kwargs["slug"])
        if article.permalink_kwargs != kwargs:
            raise Http404("The article's comment feed is under its own permalink.")
        return article

    def title(self, article: Article) -> str:
        return _("Comments on: %(article)s") % {"article": article.title}

    def link(self, article: Article) -> str:
        return article.get_absolute_url()

    def description(self, article: Article) -> str:
        return _("The newest comments on “%(article)s”, %(site)s.") % {"article": article.title, "site": self.site_name}

    def items(self, article: Article):
        newest = article.comments.approved().select_related("user").order_by("-created_at", "-pk")
        return shown_to_readers(list(newest[: FEED_LENGTH * 2]))[:FEED_LENGTH]

    def item_title(self, item: Comment) -> str:
        return _("By: %(name)s") % {"name": item.author_display_name}


class SiteCommentsAtomFeed(SiteCommentsFeed):
    feed_type = Atom1Feed


class ArticleCommentsAtomFeed(ArticleCommentsFeed):
    feed_type = Atom1Feed
