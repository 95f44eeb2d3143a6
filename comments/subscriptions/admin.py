"""Subscriptions in the admin: who asked for emails, and how many follow each article's comments."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from articles.admin import ArticleAdmin, count_per_article
from articles.models import Article
from config.admin import OddDatesListAdmin

from .models import Subscription


@admin.register(Subscription)
class SubscriptionAdmin(OddDatesListAdmin, admin.ModelAdmin):
    """Who asked for emails; readers confirm and unsubscribe through their links, not here."""

    date_hierarchy = "created_at"
    list_display = ("email", "topic", "article", "status", "created_at", "confirmed_at")
    list_filter = ("topic", "status", "article")
    list_select_related = ("article",)
    readonly_fields = ("email", "user", "topic", "article", "status", "created_at", "confirmed_at", "unsubscribed_at")
    search_fields = ("email", "article__title", "user__display_name")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class ArticleWithSubscribersAdmin(ArticleAdmin):
    """The article admin, with what this app knows of an article's readers: who subscribed to its comments."""

    reader_fields = (*ArticleAdmin.reader_fields, "subscribed")
    readonly_fields = (*ArticleAdmin.readonly_fields, "subscribed", "subscribed_count")

    def get_queryset(self, request):
        return (
            super().get_queryset(request).annotate(subscriber_count=count_per_article(Subscription.objects.confirmed()))
        )

    def get_reader_fields(self, request) -> tuple[str, ...]:
        # Who subscribed (their addresses) is for those who may list the subscriptions: others are told how many.
        if self.admin_site.get_model_admin(Subscription).has_view_permission(request):
            return super().get_reader_fields(request)
        return tuple(
            "subscribed_count" if name == "subscribed" else name for name in super().get_reader_fields(request)
        )

    @admin.display(description=_("subscribed to its comments"))
    def subscribed(self, article: Article) -> str:
        return self.readers_count(article, "subscriber_count", "admin:comments_subscription_changelist")

    @admin.display(description=_("subscribed to its comments"))
    def subscribed_count(self, article: Article) -> int:
        return getattr(article, "subscriber_count", 0)  # annotated by get_queryset; a new article has none


admin.site.unregister(Article)
admin.site.register(Article, ArticleWithSubscribersAdmin)
