"""The site's article feeds, RSS and Atom.

A feed's description is HTML to a feed reader: plain text (an excerpt, a summary) is escaped once
before it goes in, so "Tics & twitches in <children>" arrives as typed.
"""

from functools import partial

from django.contrib.sites.shortcuts import get_current_site
from django.contrib.syndication.views import Feed, add_domain
from django.urls import reverse_lazy
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape
from django.utils.translation import gettext as _

from .models import Article


class SiteFeed(Feed):
    """A feed named after the site, as readers know it. A new one answers each request (`as_view`), so what
    it keeps of the request (the site) is never another request's."""

    @classmethod
    def as_view(cls):
        def view(request, *args, **kwargs):
            return cls()(request, *args, **kwargs)

        return view

    def __call__(self, request, *args, **kwargs):
        site = get_current_site(request)
        self.site_name = site.name
        self.absolute = partial(add_domain, site.domain, secure=request.is_secure())
        return super().__call__(request, *args, **kwargs)

    def title(self) -> str:
        return self.site_name


class LatestArticlesFeed(SiteFeed):
    link = reverse_lazy("articles:front")

    def description(self) -> str:
        return _("The newest articles of %(site)s.") % {"site": self.site_name}

    def items(self):
        return Article.objects.published().select_related("author").prefetch_related("categories")[:20]

    def item_title(self, item: Article) -> str:
        return item.title

    def item_description(self, item: Article) -> str:
        return escape(item.summary)

    def item_comments(self, item: Article) -> str:
        return self.absolute(f"{item.get_absolute_url()}#comments")

    def item_author_name(self, item: Article) -> str:
        return item.author.byline_name or self.site_name

    def item_pubdate(self, item: Article):
        return item.published_at

    def item_updateddate(self, item: Article):
        return item.updated_at

    def item_categories(self, item: Article) -> list[str]:
        return [category.name for category in item.categories.all()]


class LatestArticlesAtomFeed(LatestArticlesFeed):
    feed_type = Atom1Feed

    def subtitle(self) -> str:
        return self.description()
