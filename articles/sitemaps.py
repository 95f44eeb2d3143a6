from django.contrib.sitemaps import Sitemap
from django.db.models import Exists, OuterRef

from .models import Article, Category, Page, Tag


class ArticleSitemap(Sitemap):
    changefreq = "monthly"

    def items(self):
        return Article.objects.published().only("slug", "published_at", "updated_at", "created_at")

    def lastmod(self, item: Article):
        return item.updated_at


class PageSitemap(Sitemap):
    changefreq = "yearly"

    def items(self):
        return Page.objects.published().only("slug", "updated_at")

    def lastmod(self, item: Page):
        return item.updated_at


class TermSitemap(Sitemap):
    """The archives of the categories and tags that have a published article, as WordPress's sitemap lists them."""

    changefreq = "weekly"
    model: type[Category | Tag]
    relation = ""

    def items(self):
        published = Article.objects.published().filter(**{self.relation: OuterRef("pk")})
        return self.model.objects.filter(Exists(published)).only("slug").order_by("slug")


class CategorySitemap(TermSitemap):
    model = Category
    relation = "categories"


class TagSitemap(TermSitemap):
    model = Tag
    relation = "tags"
