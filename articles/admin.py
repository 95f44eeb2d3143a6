from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from config.admin import OneRowAdmin

from . import revisions, sanitize
from .models import Article, Category, Like, MedicalDisclaimer, Reference, Reviewer, Revision, Tag


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}
    search_fields = ("name",)


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}
    search_fields = ("name",)


def count_per_article(related) -> Coalesce:
    """How many rows of `related` (a queryset of another model with an `article`) each listed article has:
    a subquery, so that counts of several kinds never multiply one another as joins would."""
    counted = related.filter(article=OuterRef("pk")).order_by().values("article").annotate(count=Count("pk"))
    return Coalesce(Subquery(counted.values("count"), output_field=IntegerField()), 0)


def may_edit_others(user) -> bool:
    return user.has_perm("articles.change_others_article")


@admin.register(Reviewer)
class ReviewerAdmin(admin.ModelAdmin):
    list_display = ("name", "credentials", "reviewed_count")
    ordering = ("name",)  # the count groups the query, and a grouped query drops the model's ordering
    search_fields = ("name", "credentials")

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(reviewed_count=Count("reviewed_articles"))

    @admin.display(description=_("articles reviewed"), ordering="reviewed_count")
    def reviewed_count(self, reviewer: Reviewer) -> int:
        return reviewer.reviewed_count


@admin.register(MedicalDisclaimer)
class MedicalDisclaimerAdmin(OneRowAdmin):
    """The disclaimer shown under every article: one text, edited in place."""


class ReferenceInline(admin.TabularInline):
    model = Reference
    extra = 1
    fields = ("number", "citation", "url")


class ArticleForm(forms.ModelForm):
    """The change form, which notices when someone else saved the article after it was opened."""

    # When the article was last saved, as this form was opened: a later save is someone else's.
    opened_version = forms.CharField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Article
        # The admin's fieldsets choose what is shown; these are all it may show.
        fields = (
            "title", "slug", "author", "body", "excerpt", "status", "published_at", "comments_open",
            "categories", "tags", "reviewed_by", "reviewed_on", "next_review_due",
        )  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.initial["opened_version"] = self.instance.updated_at.isoformat()

    def clean(self):
        cleaned = super().clean()
        if not self.instance.pk:
            return cleaned
        saved = Article.objects.filter(pk=self.instance.pk).values_list("updated_at", flat=True).first()
        if saved is not None and cleaned.get("opened_version") != saved.isoformat():
            latest = self.instance.revisions.select_related("saved_by").first()
            who = latest.saved_by.public_name if latest and latest.saved_by else _("someone")
            # Saving once more, knowing it, replaces their version with this one (theirs stays in the revisions).
            self.data = self.data.copy()
            self.data[self.add_prefix("opened_version")] = saved.isoformat()
            raise ValidationError(
                _(
                    "%(who)s saved this article at %(time)s, after you opened it. Nothing you typed is lost, and "
                    "nothing was saved: compare with their version in Revisions, then save again to replace it "
                    "with yours."
                )
                % {"who": who, "time": date_format(timezone.localtime(saved), "DATETIME_FORMAT")}
            )
        return cleaned


class ReviewFilter(admin.SimpleListFilter):
    """Which articles need their medical review: overdue first, as an editor works through them."""

    title = _("medical review")
    parameter_name = "review"

    def lookups(self, request, model_admin):
        return [
            ("overdue", _("Overdue")),
            ("due", _("Due within %(days)d days or overdue") % {"days": settings.REVIEW_DUE_SOON_DAYS}),
            ("never", _("Never reviewed")),
        ]

    def queryset(self, request, queryset):
        if self.value() == "overdue":
            return queryset & Article.objects.review_overdue()
        if self.value() == "due":
            return queryset & Article.objects.review_due()
        if self.value() == "never":
            return queryset.filter(reviewed_on__isnull=True)
        return queryset


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    form = ArticleForm
    change_form_template = "admin/articles/article/change_form.html"
    actions = ["publish_selected", "unpublish_selected", "mark_reviewed_today"]
    autocomplete_fields = ("categories", "tags", "reviewed_by")
    inlines = [ReferenceInline]
    date_hierarchy = "published_at"
    # What readers did with the article; apps that know more about readers add theirs.
    reader_fields: tuple[str, ...] = ("liked_by",)
    list_display = ("title", "state", "author", "published_at", "review", "comments_open", "like_count")
    list_filter = (
        "status",
        ReviewFilter,
        "comments_open",
        ("categories", admin.RelatedOnlyFieldListFilter),
        ("tags", admin.RelatedOnlyFieldListFilter),
        ("author", admin.RelatedOnlyFieldListFilter),
    )
    list_select_related = ("author", "reviewed_by")
    prepopulated_fields = {"slug": ("title",)}
    readonly_fields = ("body_as_published", "liked_by")
    search_fields = ("title", "body", "excerpt", "slug")

    @admin.display(description=_("state"), ordering="status")
    def state(self, article: Article) -> str:
        return article.state_label

    @admin.display(description=_("medical review"), ordering="next_review_due")
    def review(self, article: Article) -> str:
        if not article.reviewed_on:
            return _("Not reviewed")
        due = date_format(article.next_review_due) if article.next_review_due else "—"
        labels = {"overdue": _("Overdue since %(date)s"), "due soon": _("Due %(date)s")}
        return labels.get(article.review_state, _("Next %(date)s")) % {"date": due}

    @admin.display(description=_("body as published"))
    def body_as_published(self, article: Article) -> str:
        if not article.pk:
            return _("Shown after saving: the body exactly as readers get it, after cleaning.")
        return format_html('<pre class="body-as-published">{}</pre>', article.body_html)

    @admin.display(description=_("likes"), ordering="like_count")
    def like_count(self, article: Article) -> int:
        return article.like_count

    @admin.display(description=_("likes"))
    def liked_by(self, article: Article) -> str:
        return self.readers_count(article, "like_count", "admin:articles_like_changelist")

    @staticmethod
    def readers_count(article: Article, counted: str, changelist: str) -> str:
        """How many readers did something with the article, linked to the list of who did."""
        count = getattr(article, counted, 0)  # annotated by get_queryset; a new article has none
        if not count:
            return "0"
        who = f"{reverse(changelist)}?{urlencode({'article__id__exact': article.pk})}"
        return format_html('{} (<a href="{}">{}</a>)', count, who, _("see who"))

    # Authors see and change their own articles only; editors all of them.
    # Checked here, server-side, for every view the admin offers.
    def get_queryset(self, request):
        # distinct: a filter on categories or tags joins rows that would count a like twice.
        queryset = super().get_queryset(request).annotate(like_count=Count("likes", distinct=True))
        if may_edit_others(request.user):
            return queryset
        return queryset.filter(author=request.user)

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.author_id != request.user.pk and not may_edit_others(request.user):
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.author_id != request.user.pk and not may_edit_others(request.user):
            return False
        return super().has_delete_permission(request, obj)

    def has_view_permission(self, request, obj=None):
        if obj is not None and obj.author_id != request.user.pk and not may_edit_others(request.user):
            return False
        return super().has_view_permission(request, obj)

    def get_fieldsets(self, request, obj=None):
        return (
            (None, {"fields": ("title", "slug", "author", "body", "body_as_published", "excerpt", "opened_version")}),
            (_("Publishing"), {"fields": ("status", "published_at", "comments_open")}),
            (
                _("Medical review"),
                {
                    "fields": ("reviewed_by", "reviewed_on", "next_review_due"),
                    "description": _("Who checked the article and when; readers see it under the title."),
                },
            ),
            (_("Filing"), {"fields": ("categories", "tags")}),
            (_("Readers"), {"fields": self.reader_fields}),
        )

    def get_readonly_fields(self, request, obj=None):
        # Only those who may record a review change it: an author does not sign off their own article.
        review = (
            ()
            if request.user.has_perm("articles.review_article")
            else ("reviewed_by", "reviewed_on", "next_review_due")
        )
        if may_edit_others(request.user):
            return (*self.readonly_fields, *review)
        return (*self.readonly_fields, "author", *review)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "author":
            # Articles are written by staff: readers' accounts are not listed.
            kwargs["queryset"] = get_user_model().objects.filter(is_staff=True).order_by("username")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_changeform_initial_data(self, request):
        return {"author": request.user.pk, **super().get_changeform_initial_data(request)}

    def save_model(self, request, obj: Article, form, change):
        if not change and not may_edit_others(request.user):
            obj.author = request.user
        super().save_model(request, obj, form, change)
        Revision.record(obj, by=request.user)
        removed = sanitize.removed_from_article(obj.body)
        request.article_markup_removed = bool(removed)
        if removed:
            self.message_user(
                request,
                _("Removed from the published body: %(items)s. See “Body as published”.")
                % {"items": ", ".join(removed)},
                messages.WARNING,
            )

    def response_add(self, request, obj, post_url_continue=None):
        if getattr(request, "article_markup_removed", False):
            return self._stay_on_the_article(request, obj)
        return super().response_add(request, obj, post_url_continue)

    def response_change(self, request, obj):
        if getattr(request, "article_markup_removed", False):
            return self._stay_on_the_article(request, obj)
        return super().response_change(request, obj)

    # ---- Revisions ---------------------------------------------------------------
    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("<path:object_id>/revisions/", wrap(self.revisions_view), name="articles_article_revisions"),
            path(
                "<path:object_id>/revisions/compare/",
                wrap(self.revisions_compare_view),
                name="articles_article_revisions_compare",
            ),
            path(
                "<path:object_id>/revisions/<int:revision_id>/restore/",
                wrap(self.revision_restore_view),
                name="articles_article_revision_restore",
            ),
            *super().get_urls(),
        ]

    def _article_or_404(self, request, object_id: str) -> Article:
        article = self.get_object(request, unquote(object_id))
        if article is None or not self.has_view_permission(request, article):
            raise Http404(_("No article with that ID."))
        return article

    def _revisions_context(self, request, article: Article, **context) -> dict:
        return {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "article": article,
            "can_restore": self.has_change_permission(request, article),
            **context,
        }

    def revisions_view(self, request, object_id: str):
        """Every save of the article, newest first: who, when, what happened; two to compare, one to restore."""
        article = self._article_or_404(request, object_id)
        revisions = article.revisions.select_related("saved_by")
        context = self._revisions_context(request, article, revisions=revisions, title=_("Revisions"))
        return TemplateResponse(request, "admin/articles/article/revisions.html", context)

    def revisions_compare_view(self, request, object_id: str):
        article = self._article_or_404(request, object_id)
        chosen = article.revisions.select_related("saved_by").filter(pk__in=request.GET.getlist("revision")[:2])
        chosen = sorted(chosen, key=lambda revision: (revision.saved_at, revision.pk))
        if len(chosen) != 2:
            self.message_user(request, _("Choose two revisions to compare."), messages.WARNING)
            return HttpResponseRedirect(reverse("admin:articles_article_revisions", args=[article.pk]))
        older, newer = chosen
        context = self._revisions_context(
            request,
            article,
            older=older,
            newer=newer,
            differences=revisions.differences(older, newer),
            title=_("Compare revisions"),
        )
        return TemplateResponse(request, "admin/articles/article/revision_compare.html", context)

    def revision_restore_view(self, request, object_id: str, revision_id: int):
        article = self._article_or_404(request, object_id)
        if request.method != "POST":
            return HttpResponseRedirect(reverse("admin:articles_article_revisions", args=[article.pk]))
        if not self.has_change_permission(request, article):
            raise PermissionDenied
        revision = get_object_or_404(article.revisions, pk=revision_id)
        revisions.revision_restore(revision, by=request.user)
        self.message_user(
            request,
            _("The revision of %(date)s is restored; the article's previous version is kept as a revision.")
            % {"date": date_format(timezone.localtime(revision.saved_at), "DATETIME_FORMAT")},
            messages.SUCCESS,
        )
        return HttpResponseRedirect(reverse("admin:articles_article_change", args=[article.pk]))

    def _stay_on_the_article(self, request, obj):
        # The author sees the cleaned result at once instead of the list.
        return HttpResponseRedirect(reverse("admin:articles_article_change", args=[obj.pk]))

    @admin.action(description=_("Publish selected articles (a future date schedules them)"), permissions=["change"])
    def publish_selected(self, request, queryset):
        self._apply(request, queryset, Article.publish, _("published"))

    @admin.action(description=_("Unpublish selected articles (back to draft)"), permissions=["change"])
    def unpublish_selected(self, request, queryset):
        self._apply(request, queryset, Article.unpublish, _("unpublished"))

    def has_review_permission(self, request) -> bool:
        return request.user.has_perm("articles.review_article")

    @admin.action(description=_("Mark the medical review done today"), permissions=["review"])
    def mark_reviewed_today(self, request, queryset):
        self._apply(request, queryset, Article.mark_reviewed, _("marked reviewed today"))

    def _apply(self, request, queryset, transition, done: str) -> None:
        changed = 0
        for article in queryset:
            if not self.has_change_permission(request, article):
                continue
            try:
                transition(article)
                Revision.record(article, by=request.user, note=str(done).capitalize())
            except ValidationError as error:
                self.message_user(request, " ".join(error.messages), messages.WARNING)
            else:
                changed += 1
        if changed:
            self.message_user(
                request,
                ngettext("%(count)d article %(done)s.", "%(count)d articles %(done)s.", changed)
                % {"count": changed, "done": done},
                messages.SUCCESS,
            )


@admin.register(Like)
class LikeAdmin(admin.ModelAdmin):
    date_hierarchy = "created_at"
    list_display = ("article", "user", "created_at")
    list_filter = (("article", admin.RelatedOnlyFieldListFilter),)
    list_select_related = ("article", "user")
    raw_id_fields = ("article", "user")
    search_fields = (
        "article__title",
        "user__display_name",
        "user__first_name",
        "user__last_name",
        "user__username",
    )  # Not the email: readers' addresses are never shown, nor confirmed by a search, to authors.

    # Who liked what is public on the article pages: every staff member may look.
    # Likes are the readers' own doing, so only a superuser changes them.
    def has_module_permission(self, request):
        return request.user.is_staff

    def has_view_permission(self, request, obj=None):
        return request.user.is_staff

    def has_add_permission(self, request):
        return request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser
