"""The site's article feeds, RSS and Atom.

A feed's description is HTML to a feed reader: plain text (an excerpt, a summary) is escaped once
before it goes in, so "Tics & twitches in <children>" arrives as typed.

Another app that counts comments on articles gives each item its count (WordPress's <slash:comments> in RSS,
<thr:total> in Atom) with `register_comment_counts`.
"""

from collections.abc import Callable
from functools import partial

from django.contrib.sites.shortcuts import get_current_site
from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse, reverse_lazy
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from django.utils.html import escape
from django.utils.translation import gettext as _

from accounts.validators import NOT_IN_XML
from config.sites import site_url

from . import sanitize
from .models import Article, authors_with_archives
from .views import AuthorArchive, CategoryArchive, TagArchive, TaxonomyArchive, by_slug

# Each takes the ids of the articles a feed lists and gives how many comments readers see on each (those without any
# may be left out); whatever the count is read from must tell the articles' list_addresses when it changes.
_comment_counts: list[Callable[[list[int]], dict[int, int]]] = []


def register_comment_counts(counts: Callable[[list[int]], dict[int, int]]) -> None:
    if counts not in _comment_counts:
        _comment_counts.append(counts)


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
        self.absolute = partial(site_url, request)  # as every page names the site (config.sites)
        return super().__call__(request, *args, **kwargs)

    def title(self) -> str:
        return self.site_name

    def get_feed(self, obj, request):
        feed = super().get_feed(obj, request)
        # Each feed is its own (Atom's <id>): Django would give the link of the page it is about, which the site's
        # articles feed and its comments feed share.
        feed.feed["id"] = feed.feed["feed_url"] or feed.feed["id"]
        # Atom's subtitle is what RSS calls the description: each feed says it once.
        feed.feed["subtitle"] = feed.feed["subtitle"] or feed.feed["description"]
        # A character XML 1.0 cannot carry (a control character pasted into a name or a title before the forms
        # refused them, or brought by an import) would make the whole feed fail for every reader: it is left out.
        feed.feed = _xml_safe(feed.feed)
        feed.items = [_xml_safe(item) for item in feed.items]
        return feed


def _xml_safe(values: dict) -> dict:
    def safe(value):
        if isinstance(value, str):
            return NOT_IN_XML.sub("", value)
        if isinstance(value, list | tuple):
            return type(value)(safe(part) for part in value)
        return value

    return {key: safe(value) for key, value in values.items()}


class FullTextRss(Rss201rev2Feed):
    """RSS with each article's whole body in <content:encoded>, as WordPress's feed gives it ("Full text"), and the
    feed of its comments in <wfw:commentRss>."""

    def rss_attributes(self):
        return {
            **super().rss_attributes(),
            "xmlns:content": "http://purl.org/rss/1.0/modules/content/",
            "xmlns:wfw": "http://wellformedweb.org/CommentAPI/",
            "xmlns:slash": "http://purl.org/rss/1.0/modules/slash/",
        }

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        handler.addQuickElement("content:encoded", item["body_html"])
        handler.addQuickElement("wfw:commentRss", item["comment_feed"])
        if item["comment_count"] is not None:
            handler.addQuickElement("slash:comments", str(item["comment_count"]))


class FullTextAtom(Atom1Feed):
    """Atom with each article's whole body in <content type="html">, and its count of comments in <thr:total>
    (RFC 4685)."""

    def root_attributes(self):
        return {**super().root_attributes(), "xmlns:thr": "http://purl.org/syndication/thread/1.0"}

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        handler.addQuickElement("content", item["body_html"], {"type": "html"})
        if item["comment_count"] is not None:
            handler.addQuickElement("thr:total", str(item["comment_count"]))


class LatestArticlesFeed(SiteFeed):
    """The newest published articles, each with its summary and its whole body, its addresses made whole (a feed
    reader shows it away from this site)."""

    feed_type = FullTextRss
    link = reverse_lazy("articles:front")

    def description(self) -> str:
        return _("The newest articles of %(site)s.") % {"site": self.site_name}

    def items(self):
        return self.newest(Article.objects.published())

    def newest(self, published) -> list[Article]:
        """The newest 20 of these published articles, with what each item shows of its author, categories and tags;
        their comments counted together."""
        articles = list(published.select_related("author").prefetch_related("categories", "tags")[:20])
        self.comment_counts = {}
        for counts in _comment_counts:
            self.comment_counts.update(counts([article.pk for article in articles]))
        return articles

    def comment_count(self, item: Article) -> int | None:
        """How many comments readers see on the article; None when no app counts them."""
        return self.comment_counts.get(item.pk, 0) if _comment_counts else None

    def item_title(self, item: Article) -> str:
        return item.title

    def item_description(self, item: Article) -> str:
        return escape(item.summary)

    def item_extra_kwargs(self, item: Article) -> dict:
        return {
            "body_html": self.with_whole_addresses(item.body_html, page=item.get_absolute_url()),
            # The comments app's feed of the article's comments (at its address + feed/), by the name it gives it.
            "comment_feed": self.absolute(reverse("comments:article-feed", kwargs=item.permalink_kwargs)),
            "comment_count": self.comment_count(item),
        }

    def with_whole_addresses(self, body_html: str, *, page: str) -> str:
        """A cleaned body whose addresses on this site ("/media/…", "#ref-2" on its page) name the site."""

        def whole(address: str) -> str:
            if address.startswith("#"):
                return self.absolute(page + address)
            return self.absolute(address) if address.startswith("/") and not address.startswith("//") else address

        return sanitize.with_whole_addresses(body_html, whole=whole)

    def item_guid(self, item: Article) -> str:
        return item.feed_id

    item_guid_is_permalink = False

    def item_comments(self, item: Article) -> str:
        return self.absolute(f"{item.get_absolute_url()}#comments")

    def item_author_name(self, item: Article) -> str:
        return item.author.byline_name or self.site_name

    def item_pubdate(self, item: Article):
        return item.published_at

    def item_updateddate(self, item: Article):
        return item.updated_at

    def item_categories(self, item: Article) -> list[str]:
        # Its categories, then its tags, as WordPress's feed lists both.
        return [category.name for category in item.categories.all()] + [tag.name for tag in item.tags.all()]


class LatestArticlesAtomFeed(LatestArticlesFeed):
    feed_type = FullTextAtom


class TermFeed(LatestArticlesFeed):
    """The newest articles of one category or tag, at its archive's address + feed/ (WordPress's /category/x/feed/)."""

    archive: type[TaxonomyArchive]

    def get_object(self, request, slug: str):
        return by_slug(request, self.archive.model.objects.all(), slug)  # asked with capitals too, as its archive

    def title(self, term) -> str:
        return f"{self.site_name} » {self.archive.label % {'name': term.name}}"

    def link(self, term) -> str:
        return term.get_absolute_url()

    def description(self, term) -> str:
        return _("The newest articles of %(site)s in “%(name)s”.") % {"site": self.site_name, "name": term.name}

    def items(self, term):
        return self.newest(Article.objects.published().filter(**{self.archive.relation: term}))


class AuthorFeed(LatestArticlesFeed):
    """The newest articles of one author, at their page's address + feed/ (WordPress's /author/x/feed/)."""

    def get_object(self, request, slug: str):
        return get_object_or_404(authors_with_archives(), author_slug=slug)

    def title(self, author) -> str:
        return f"{self.site_name} » {AuthorArchive.label % {'name': author.byline_name}}"

    def link(self, author) -> str:
        return reverse("articles:author", kwargs={"slug": author.author_slug})

    def description(self, author) -> str:
        return _("The newest articles of %(site)s by %(name)s.") % {"site": self.site_name, "name": author.byline_name}

    def items(self, author):
        return self.newest(Article.objects.published().filter(author=author))


class AuthorAtomFeed(AuthorFeed):
    feed_type = FullTextAtom


class CategoryFeed(TermFeed):
    archive = CategoryArchive


class TagFeed(TermFeed):
    archive = TagArchive


class CategoryAtomFeed(CategoryFeed):
    feed_type = FullTextAtom


class TagAtomFeed(TagFeed):
    feed_type = FullTextAtom
