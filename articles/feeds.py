from django.contrib.syndication.views import Feed
from django.urls import reverse_lazy
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext_lazy as _

from .models import Article


class LatestArticlesFeed(Feed):
    description = _("The newest articles.")
    link = reverse_lazy("articles:front")
    title = _("Latest articles")

    def items(self):
        return Article.objects.published().select_related("author").prefetch_related("categories")[:20]

    def item_title(self, item: Article) -> str:
        return item.title

    def item_description(self, item: Article) -> str:
        return item.summary

    def item_author_name(self, item: Article) -> str:
        return item.author.public_name

    def item_pubdate(self, item: Article):
        return item.published_at

    def item_updateddate(self, item: Article):
        return item.updated_at

    def item_categories(self, item: Article) -> list[str]:
        return [category.name for category in item.categories.all()]


class LatestArticlesAtomFeed(LatestArticlesFeed):
    feed_type = Atom1Feed
    subtitle = LatestArticlesFeed.description
