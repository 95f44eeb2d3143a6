from django.contrib.sitemaps import Sitemap

from .models import Article


class ArticleSitemap(Sitemap):
    changefreq = "monthly"

    def items(self):
        return Article.objects.published().only("slug", "published_at", "updated_at", "created_at")

    def lastmod(self, item: Article):
        return item.updated_at
