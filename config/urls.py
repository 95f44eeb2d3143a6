from django.conf import settings
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path
from django.views.generic import TemplateView

from accounts.views import identicon
from articles.sitemaps import (
    ArticleSitemap,
    AuthorSitemap,
    CategorySitemap,
    FrontPageSitemap,
    PageSitemap,
    TagSitemap,
)
from config.admin import view_on_site
from config.pagecache import shared_page
from config.views import favicon, media, web_manifest

handler429 = "config.views.too_many_requests"  # allauth's rate limits answer with it too
handler400 = "config.views.bad_request"
handler500 = "config.views.server_error"

admin.site.site_header = "Leave a Reply administration"
admin.site.site_title = "Leave a Reply"

urlpatterns = [
    # Before the admin's own route to the same address (which "View on site" links keep reversing to).
    path("admin/r/<int:content_type_id>/<path:object_id>/", view_on_site),
    path("admin/", admin.site.urls),
    path("accounts/", include("accounts.urls")),
    # Drawn avatars keep the address pages have always used; browsers keep them a year.
    path("avatars/<str:token>.svg", identicon, name="identicon"),
    path("accounts/", include("allauth.urls")),
    path(
        "robots.txt",
        shared_page(TemplateView.as_view(template_name="robots.txt", content_type="text/plain")),
        name="robots",
    ),
    path("favicon.ico", favicon, name="favicon"),
    path("manifest.webmanifest", shared_page(web_manifest), name="web-manifest"),
    path(
        "sitemap.xml",
        shared_page(sitemap),
        {
            "sitemaps": {
                "front": FrontPageSitemap,
                "articles": ArticleSitemap,
                "pages": PageSitemap,
                "categories": CategorySitemap,
                "tags": TagSitemap,
                "authors": AuthorSitemap,
            }
        },
        name="django.contrib.sitemaps.views.sitemap",
    ),
    path("", include("comments.urls")),
    path("", include("articles.urls")),
]

if settings.SERVE_MEDIA:
    urlpatterns.append(path(f"{settings.MEDIA_URL.strip('/')}/<path:path>", media, name="media"))
