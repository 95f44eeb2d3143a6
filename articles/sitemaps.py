from django.contrib.sitemaps import Sitemap
from django.db.models import Exists, OuterRef
from django.urls import reverse

from .models import Article, Category, Page, Tag, authors_with_archives


class FrontPageSitemap(Sitemap):
    """The front page, first, as WordPress's sitemap lists the home page."""

    changefreq = "daily"

    def items(self):
        return ["articles:front"]

    def location(self, item: str) -> str:
        return reverse(item)


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


class AuthorSitemap(Sitemap):
    """The pages of the authors' articles, as WordPress's sitemap lists its users with a published post."""

    changefreq = "weekly"

    def items(self):
        return authors_with_archives().only("author_slug").order_by("author_slug")

    def location(self, item) -> str:
        return reverse("articles:author", kwargs={"slug": item.author_slug})
