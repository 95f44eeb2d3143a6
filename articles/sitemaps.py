from django.contrib.sitemaps import Sitemap

from .models import Article, Page


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
