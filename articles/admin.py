import datetime
from collections import Counter

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.auth import get_user_model
from django.contrib.redirects.admin import RedirectAdmin
from django.contrib.redirects.models import Redirect
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, F, Max, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.forms.models import BaseInlineFormSet
from django.http import Http404, HttpResponseNotAllowed, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.csp import CSP
from django.utils.encoding import iri_to_uri
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from django_prose_editor.widgets import AdminProseEditorWidget, prose_editor_admin_media, prose_editor_js
from js_asset import Media, Script

from config import csp
from config.admin import OddDatesListAdmin, OneRowAdmin, RelatedLinksWhereAllowedAdmin, count_per_row
from config.requests import row_id

from . import addresses, revisions, sanitize, services
from .forms import ImageForm
from .models import (
    REFERENCE_NUMBER_TAKEN,
    UNNAMED_TITLE,
    Article,
    Category,
    Image,
    Like,
    MedicalDisclaimer,
    Page,
    Reference,
    Reviewer,
    Revision,
    Tag,
    is_unnamed_slug,
    is_unnamed_title,
    may_edit,
    may_edit_others,
    showing,
    unnamed_slug,
)
from .views import ArticleDetailView


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
    """How many rows of `related` (a queryset of another model with an `article`) each listed article has."""
    return count_per_row(related, "article")


class RedirectForm(forms.ModelForm):
    """A redirect from an address of this site: to another of its addresses, or to none (410 Gone). Only a
    superuser may lead readers to another site: an editor's redirect would otherwise lend the site's address
    to any page on the web (a link in a phishing email that starts with the health site's name)."""

    class Meta:
        model = Redirect
        fields = ("site", "old_path", "new_path")

    may_lead_elsewhere = False

    @staticmethod
    def _on_this_site(path: str) -> bool:
        # "/x", not "//host/x" nor "/\host/x", which browsers take to another host.
        return path.startswith("/") and url_has_allowed_host_and_scheme(path, allowed_hosts=None)

    def clean_old_path(self) -> str:
        old_path = self.cleaned_data["old_path"]
        if not self._on_this_site(old_path):
            raise ValidationError(_("Give the old address as it follows the site's name: starting with /."))
        # Kept as browsers send it, which is what it is compared with: typed as the address bar shows it ("/santé/",
        # "/old page.html"), it never matched /sant%C3%A9/. What is already sent so (%C3%A9) stays as it is.
        sent = iri_to_uri(old_path)
        limit = Redirect._meta.get_field("old_path").max_length
        if len(sent) > limit:
            raise ValidationError(
                _("As browsers send it, this address has %(length)d characters; it may have at most %(limit)d.")
                % {"length": len(sent), "limit": limit}
            )
        return sent

    def clean_new_path(self) -> str:
        new_path = self.cleaned_data["new_path"]
        if new_path and not self.may_lead_elsewhere and not self._on_this_site(new_path):
            raise ValidationError(
                _("Give an address on this site, starting with / (only a superuser may lead readers to another site).")
            )
        return new_path


class SuperuserRedirectForm(RedirectForm):
    may_lead_elsewhere = True


admin.site.unregister(Redirect)


@admin.register(Redirect)
class SiteRedirectAdmin(RedirectAdmin):
    def get_form(self, request, obj=None, **kwargs):
        kwargs["form"] = SuperuserRedirectForm if request.user.is_superuser else RedirectForm
        return super().get_form(request, obj, **kwargs)


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


class ReferenceForm(forms.ModelForm):
    """A row of the references table."""

    class Meta:
        model = Reference
        fields = ("number", "citation", "url")

    def validate_constraints(self):
        # Whether a number is free depends on the other rows, renumbered in the same save: ReferenceFormSet.clean
        # asks, not the saved references one row at a time (a new [1] above the old one, now [2], was refused).
        try:
            self.instance.validate_constraints(exclude={"number"})
        except ValidationError as error:
            self.add_error(None, error)


class ReferenceFormSet(BaseInlineFormSet):
    """The references table: each field of each row is named for screen readers (the table's column headings are
    not labels of its fields), the Delete box the formset adds included.

    Its rows are numbered together: a new source may come in as [1] with the others moving down, two may swap, one
    may be deleted and its number given to another, all in one save."""

    def add_fields(self, form, index):
        super().add_fields(form, index)
        for field in form.fields.values():
            field.widget.attrs.setdefault("aria-label", field.label)

    def clean(self):
        super().clean()  # Django's: two rows kept with one number are refused.
        # The article's references the table does not show (another editor's, added since it was opened) keep theirs.
        shown = [form.instance.pk for form in self.initial_forms]
        kept = set(self.get_queryset().exclude(pk__in=shown).values_list("number", flat=True))
        for form in self.forms:
            if form.is_valid() and form not in self.deleted_forms and form.cleaned_data.get("number") in kept:
                form.add_error("number", REFERENCE_NUMBER_TAKEN)

    def save(self, commit=True):
        if commit:
            self._park_the_numbers_that_move()
        return super().save(commit)

    def _park_the_numbers_that_move(self) -> None:
        """Saved one row at a time, a row's new number may still be another's (which moves, or goes, in the same
        save): those rows first take numbers above all the article's, then Django saves each with its own."""
        moving = [
            form.instance.pk
            for form in self.initial_forms
            if form.instance.pk and (form in self.deleted_forms or "number" in form.changed_data)
        ]
        if moving:
            top = self.get_queryset().aggregate(top=Max("number"))["top"]
            Reference.objects.filter(pk__in=moving).update(number=F("number") + top)


class ReferenceInline(admin.TabularInline):
    model = Reference
    form = ReferenceForm
    formset = ReferenceFormSet
    extra = 1
    fields = ("number", "citation", "url")


class ArticleBodyEditor(AdminProseEditorWidget):
    """The body's rich-text editor (django-prose-editor): what its toolbar makes is what the article allowlist keeps.

    Its import map is an inline script: the change form allows it by the page's nonce (ArticleAdmin.changeform_view).
    """

    EXTENSIONS = {
        "Heading": {"levels": [2, 3, 4, 5, 6]},  # the article's title is the page's h1
        "Bold": True,
        "Italic": True,
        "Strike": True,
        "Subscript": True,
        "Superscript": True,
        "Code": True,
        "BulletList": True,
        "OrderedList": True,
        "ListItem": True,
        "Blockquote": True,
        "HorizontalRule": True,
        "HardBreak": True,
        "Link": {"enableTarget": False, "protocols": ["http", "https", "mailto"]},
        "Image": True,
        "Table": True,
        "TableRow": True,
        "TableHeader": True,
        "TableCell": True,
        # The site's own or its versions of the package's (js/article-editor.js): kept through an edit.
        "Figure": True,
        "Caption": True,
        "Abbreviation": True,
        "Citation": True,
        "DescriptionList": True,
        "DescriptionTerm": True,
        "DescriptionDetails": True,
        "HTML": True,  # the source, for what the toolbar has no button for (<abbr>, <cite>, <dl>)
    }

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, config={"extensions": self.EXTENSIONS}, preset="article")

    @property
    def media(self):
        return prose_editor_admin_media + Media(
            css={"all": ["css/admin-editor.css"]},
            js=[prose_editor_js, Script("js/article-editor.js", type="module")],
        )


# The years an article may be dated in: the articles' date bar looks for the year after the last, and the first
# day of the year 1 east of UTC is still the year 0 in UTC, which no date holds.
FIRST_YEAR, LAST_YEAR = datetime.MINYEAR + 1, datetime.MAXYEAR - 1


class NoticesLaterSaves(forms.ModelForm):
    """A change form that notices when someone else saved the row after it was opened, and saves nothing over it
    until the one who opened it, told, saves again. Its model's `version_field` changes with every save."""

    # When the row was last saved, as this form was opened: a later save is someone else's.
    opened_version = forms.CharField(widget=forms.HiddenInput, required=False)
    version_field = "updated_at"
    # A preview saves nothing, so it overwrites no one: it skips the check.
    checks_later_saves = True

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.initial["opened_version"] = getattr(self.instance, self.version_field).isoformat()

    def clean(self):
        cleaned = super().clean()
        if not self.instance.pk or not self.checks_later_saves:
            return cleaned
        saved = (
            type(self.instance)
            ._default_manager.filter(pk=self.instance.pk)
            .values_list(self.version_field, flat=True)
            .first()
        )
        if saved is not None and cleaned.get("opened_version") != saved.isoformat():
            # Saving once more, knowing it, replaces their version with this one.
            self.data = self.data.copy()
            self.data[self.add_prefix("opened_version")] = saved.isoformat()
            raise ValidationError(self.saved_meanwhile(date_format(timezone.localtime(saved), "DATETIME_FORMAT")))
        return cleaned

    def saved_meanwhile(self, time: str) -> str:
        """What the one who opened the form is told of the save made at `time` since."""
        raise NotImplementedError


class ArticleForm(NoticesLaterSaves):
    """The change form, which notices when someone else saved the article after it was opened."""

    class Meta:
        model = Article
        # The admin's fieldsets choose what is shown; these are all it may show.
        fields = (
            "title", "slug", "author", "body", "excerpt", "featured_image", "status", "published_at", "sticky",
            "comments_open",
            "categories", "tags", "reviewed_by", "reviewed_on", "next_review_due",
        )  # fmt: skip
        widgets = {"body": ArticleBodyEditor}

    def clean_body(self) -> str:
        # Browsers send a text box's line breaks as CR LF: an article opened and saved comes back as it was.
        return self.cleaned_data["body"].replace("\r\n", "\n")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The slug filled in from the title (the admin's prepopulate script) stops there too.
        self.slug_room = addresses.slug_room()
        self.fields["slug"].max_length = self.slug_room
        self.fields["slug"].widget.attrs["maxlength"] = str(self.slug_room)
        # A draft its first autosave kept before it was named opens with those boxes empty: the slug fills in from
        # the title again, and saving asks for both.
        if self.instance.pk and not self.is_bound:
            if is_unnamed_title(self.instance.title):
                self.initial["title"] = ""
            if is_unnamed_slug(self.instance.slug):
                self.initial["slug"] = ""

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("status") == Article.Status.PUBLISHED:
            if is_unnamed_title(cleaned.get("title") or ""):
                self.add_error("title", _("Give the article its title before publishing it."))
            if is_unnamed_slug(cleaned.get("slug") or ""):
                self.add_error("slug", _("Give the article its own address before publishing it."))
        return cleaned

    def clean_published_at(self):
        published_at = self.cleaned_data["published_at"]
        if published_at and not FIRST_YEAR <= published_at.year <= LAST_YEAR:
            raise ValidationError(
                _("Choose a publish date between the years %(first)d and %(last)d.")
                % {"first": FIRST_YEAR, "last": LAST_YEAR}
            )
        return published_at

    def clean_slug(self) -> str:
        slug = self.cleaned_data["slug"]
        # A slug kept as it is (an imported article's) stays: only what moves needs to lead on.
        if slug != self.instance.slug and len(slug) > self.slug_room:
            raise ValidationError(
                _(
                    "Keep the slug to %(limit)d characters (it has %(length)d): a longer one makes the addresses of "
                    "the article's comment feeds too long to lead on when the article moves."
                )
                % {"limit": self.slug_room, "length": len(slug)}
            )
        return slug

    def saved_meanwhile(self, time: str) -> str:
        latest = self.instance.revisions.filter(autosave=False).select_related("saved_by").first()
        who = str(latest.saved_by) if latest and latest.saved_by else _("someone")
        # Theirs stays in the revisions.
        return _(
            "%(who)s saved this article at %(time)s, after you opened it. Nothing you typed is lost, and nothing was "
            "saved: compare with their version in Revisions, then save again to replace it with yours."
        ) % {"who": who, "time": time}


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
            return queryset & Article.objects.never_reviewed()
        return queryset


def _errors_of(form) -> list[tuple[str, str]]:
    """A bound form's errors as (field label, message); "" for the form's own."""
    return [
        (str(form.fields[name].label) if name in form.fields else "", message)
        for name, messages_ in form.errors.items()
        for message in messages_
    ]


def _problems_said(form) -> str:
    """A bound form's errors in one line for the editor's status (autosave, picture upload): each after its field."""
    return " ".join(f"{label}: {message}" if label else message for label, message in _errors_of(form))


def _formset_errors_of(formset) -> list[tuple[str, str]]:
    return [("", message) for message in formset.non_form_errors()] + [
        error for form in formset.forms for error in _errors_of(form)
    ]


@admin.register(Article)
class ArticleAdmin(OddDatesListAdmin, RelatedLinksWhereAllowedAdmin, admin.ModelAdmin):
    form = ArticleForm
    change_form_template = "admin/articles/article/change_form.html"
    actions = ["publish_selected", "unpublish_selected", "mark_reviewed_today"]
    autocomplete_fields = ("categories", "tags", "reviewed_by", "featured_image")
    inlines = [ReferenceInline]
    date_hierarchy = "published_at"
    # What readers did with the article; apps that know more about readers add theirs.
    reader_fields: tuple[str, ...] = ("liked_by",)
    list_display = ("title", "state", "author", "published_at", "review", "comments_open", "like_count")
    list_filter = (
        "status",
        ReviewFilter,
        "sticky",
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
        queryset = super().get_queryset(request).annotate(like_count=count_per_article(Like.objects.all()))
        if may_edit_others(request.user):
            return queryset
        return queryset.filter(author=request.user)

    def has_change_permission(self, request, obj=None):
        if obj is not None and not may_edit(request.user, obj):
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        # An author deletes their own articles, as in WordPress (they may unpublish them already); others', an editor.
        if obj is not None and not may_edit(request.user, obj):
            return False
        return super().has_delete_permission(request, obj)

    def get_deleted_objects(self, objs, request):
        # What an article holds goes with it (its comments, likes, revisions, references, subscriptions), as WordPress
        # deletes a post's comments with it: the right to delete the article is what is asked, not the right to delete
        # each of those on its own (which stopped even a superuser: a published comment is never deleted on its own).
        deletable, counts, _, protected = super().get_deleted_objects(objs, request)
        return deletable, counts, set(), protected

    def get_actions(self, request, action_location=admin.ActionLocation.CHANGE_LIST):
        actions = super().get_actions(request, action_location=action_location)
        if not may_edit_others(request.user):
            # Django's bulk delete asks nothing of each article: an author deletes one of theirs at a time.
            actions.pop("delete_selected", None)
        return actions

    def has_view_permission(self, request, obj=None):
        if obj is not None and not may_edit(request.user, obj):
            return False
        return super().has_view_permission(request, obj)

    def get_fieldsets(self, request, obj=None):
        return (
            (
                None,
                {
                    "fields": (
                        "title",
                        "slug",
                        "author",
                        "body",
                        "body_as_published",
                        "excerpt",
                        "featured_image",
                        "opened_version",
                    )
                },
            ),
            (_("Publishing"), {"fields": ("status", "published_at", "sticky", "comments_open")}),
            (
                _("Medical review"),
                {
                    "fields": ("reviewed_by", "reviewed_on", "next_review_due"),
                    "description": _("Who checked the article and when; readers see it under the title."),
                },
            ),
            (_("Filing"), {"fields": ("categories", "tags")}),
            (_("Readers"), {"fields": self.get_reader_fields(request)}),
        )

    def get_reader_fields(self, request) -> tuple[str, ...]:
        """What the Readers box shows this staff member."""
        return self.reader_fields

    def get_readonly_fields(self, request, obj=None):
        # Only those who may record a review change it: an author does not sign off their own article.
        review = (
            ()
            if request.user.has_perm("articles.review_article")
            else ("reviewed_by", "reviewed_on", "next_review_due")
        )
        if may_edit_others(request.user):
            return (*self.readonly_fields, *review)
        # As WordPress: what leads the front page is an editor's choice, as who wrote an article.
        return (*self.readonly_fields, "author", "sticky", *review)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "author":
            # Articles are written by staff: readers' accounts are not listed (but the article's own author is,
            # the seed article's for one, so that saving an article keeps who wrote it).
            staff = Q(is_staff=True)
            if (article_id := request.resolver_match.kwargs.get("object_id")) not in (None, "add"):
                staff |= Q(articles__pk=unquote(article_id))
            kwargs["queryset"] = get_user_model().objects.filter(staff).distinct().order_by("username")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_changeform_initial_data(self, request):
        return {"author": request.user.pk, **super().get_changeform_initial_data(request)}

    def save_model(self, request, obj: Article, form, change):
        self._keep_author(request, obj, change)
        super().save_model(request, obj, form, change)
        Revision.record(obj, by=request.user)
        # Saved for real: the writer's autosave is behind them.
        obj.revisions.filter(autosave=True, saved_by=request.user).delete()
        if obj.is_scheduled:
            # As WordPress's "Post scheduled for…": "Published" was chosen, and readers cannot see it yet.
            self.message_user(
                request,
                _("“%(title)s” is scheduled for %(date)s: readers see it from then.")
                % {"title": obj.title, "date": date_format(timezone.localtime(obj.published_at), "DATETIME_FORMAT")},
                messages.INFO,
            )
        removed = sanitize.removed_from_article(obj.body)
        if removed:
            self._warn(
                request,
                _("Removed from the published body: %(items)s. See “Body as published”.")
                % {"items": ", ".join(removed)},
            )

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # Checked once the references are saved (they may have come in with the text that cites them).
        obj = form.instance
        listed = set(obj.references.values_list("number", flat=True))
        if unlisted := [number for number in sanitize.cited_numbers(obj.body_html) if number not in listed]:
            self._warn(
                request,
                ngettext(
                    "The text cites %(citations)s, which the references do not list: its link leads nowhere. "
                    "Add it to the references, or correct the number.",
                    "The text cites %(citations)s, which the references do not list: their links lead nowhere. "
                    "Add them to the references, or correct the numbers.",
                    len(unlisted),
                )
                % {"citations": ", ".join(f"[{number}]" for number in unlisted)},
            )

    def _warn(self, request, message: str) -> None:
        """Tell the writer what the saved article needs, and keep them on it (see response_change) to see it."""
        self.message_user(request, message, messages.WARNING)
        request.article_needs_a_look = True

    def response_add(self, request, obj, post_url_continue=None):
        if getattr(request, "article_needs_a_look", False):
            return self._stay_on_the_article(request, obj)
        return super().response_add(request, obj, post_url_continue)

    def response_change(self, request, obj):
        if getattr(request, "article_needs_a_look", False):
            return self._stay_on_the_article(request, obj)
        return super().response_change(request, obj)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        article_id = unquote(object_id) if object_id else None
        extra_context = {
            **(extra_context or {}),
            "preview_url": reverse("admin:articles_article_preview", args=[article_id or "add"]),
            "autosave_url": reverse("admin:articles_article_autosave", args=[article_id or "add"]),
            "autosave_seconds": settings.ARTICLE_AUTOSAVE_SECONDS,
            "image_upload_max_bytes": settings.IMAGE_UPLOAD_MAX_BYTES,
        }
        if article_id and row_id(article_id) and request.method == "GET":
            self._tell_of_a_newer_autosave(request, article_id)
        if article_id and row_id(article_id) and request.method == "POST":
            with transaction.atomic():
                # Two saves of one article go one after the other: the later one checks its form against what the
                # earlier one saved (NoticesLaterSaves), where both checked the same and renumbered the references
                # under each other (a server error on their numbers). FOR NO KEY UPDATE, as the save's own UPDATE:
                # rows that point to the article (a reader's comment, a like, a first autosave) need not wait for it.
                Article.objects.select_for_update(no_key=True).filter(pk=row_id(article_id)).values_list("pk").first()
                response = super().changeform_view(request, object_id, form_url, extra_context)
        else:
            response = super().changeform_view(request, object_id, form_url, extra_context)
        # The editor's import map is inline: this personal page lets it run by the nonce its tags carry.
        return csp.allow(response, "script-src", CSP.NONCE)

    # ---- Revisions ---------------------------------------------------------------
    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            # "add" stands for an article not saved yet.
            path("<path:object_id>/preview/", wrap(self.preview_view), name="articles_article_preview"),
            path("<path:object_id>/autosave/", wrap(self.autosave_view), name="articles_article_autosave"),
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
        revisions = list(article.revisions.select_related("saved_by"))
        current = next((revision for revision in revisions if not revision.autosave), None)
        context = self._revisions_context(request, article, revisions=revisions, current=current, title=_("Revisions"))
        return TemplateResponse(request, "admin/articles/article/revisions.html", context)

    def revisions_compare_view(self, request, object_id: str):
        article = self._article_or_404(request, object_id)
        # Two, as ticked: of three or more, which two were meant is not for the page to guess.
        chosen_ids = {number for value in request.GET.getlist("revision") if (number := row_id(value))}
        chosen = article.revisions.select_related("saved_by").filter(pk__in=chosen_ids) if len(chosen_ids) == 2 else []
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
        try:
            revisions.revision_restore(revision, by=request.user)
        except ValidationError as error:
            self.message_user(
                request,
                _("The revision of %(date)s cannot be restored as it is, and nothing changed: %(reasons)s")
                % {
                    "date": date_format(timezone.localtime(revision.saved_at), "DATETIME_FORMAT"),
                    "reasons": " ".join(error.messages),
                },
                messages.ERROR,
            )
            return HttpResponseRedirect(reverse("admin:articles_article_revisions", args=[article.pk]))
        self.message_user(
            request,
            _("The revision of %(date)s is restored; the article's previous version is kept as a revision.")
            % {"date": date_format(timezone.localtime(revision.saved_at), "DATETIME_FORMAT")},
            messages.SUCCESS,
        )
        return HttpResponseRedirect(reverse("admin:articles_article_change", args=[article.pk]))

    # ---- Preview and autosave -----------------------------------------------------
    def _article_for_writing(self, request, object_id: str) -> Article | None:
        """The article the form edits (None for a new one), once the user may write it; server-side, as for saving."""
        if object_id == "add":
            if not self.has_add_permission(request):
                raise PermissionDenied
            return None
        article = self._article_or_404(request, object_id)
        if not self.has_change_permission(request, article):
            raise PermissionDenied
        return article

    def preview_view(self, request, object_id: str):
        """The page exactly as readers will get it with the form's unsaved changes, for the one who writes.

        The form is saved in a transaction that is rolled back once the page is rendered: every part of the page
        (tags, references, the comments) is the real one, and nothing stays; what the site would do after a commit
        (its shared pages, emails) never happens."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        article = self._article_for_writing(request, object_id)
        change = article is not None
        readers_see_it = change and article.is_public  # its saved version, while the form's changes are shown
        form = self.get_form(request, article, change=change)(request.POST, request.FILES, instance=article)
        form.checks_later_saves = False
        with transaction.atomic():
            errors = _errors_of(form)
            if not errors:
                article = form.save(commit=False)
                self._keep_author(request, article, change)
                article.save()
                form.save_m2m()
                formsets, _inlines = self._create_formsets(request, article, change=change)
                errors = [error for formset in formsets for error in _formset_errors_of(formset)]
                if not errors:
                    for formset in formsets:
                        formset.save()
            if errors:
                context = {
                    **self.admin_site.each_context(request),
                    "opts": self.opts,
                    "errors": errors,
                    "title": _("The preview cannot be shown yet"),
                }
                response = TemplateResponse(request, "admin/articles/article/preview_errors.html", context)
            else:
                view = ArticleDetailView()
                view.setup(request, **article.permalink_kwargs)
                view.object = view.get_object()
                context = view.get_context_data(
                    object=view.object, unsaved_preview=True, never_saved=not change, readers_see_it=readers_see_it
                )
                response = view.render_to_response(context)
            response.render()
            transaction.set_rollback(True)
        response["Cache-Control"] = "private, no-store"
        response["X-Robots-Tag"] = "noindex"
        return response

    def _keep_author(self, request, article: Article, change: bool) -> None:
        """A new article is its writer's, unless an editor chose someone else."""
        if not change and (not may_edit_others(request.user) or not article.author_id):
            article.author = request.user

    def autosave_view(self, request, object_id: str):
        """What is being written, kept every so often by the editor: nothing is published.

        A new article becomes a draft (as WordPress's first autosave does), even before it has a title or a slug;
        an article already saved is left as it is, and what was typed is kept as the writer's autosave revision,
        offered back when they open it again."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        article = self._article_for_writing(request, object_id)
        if article is None:
            new_article_form = self.get_form(request, None, change=False)
            # A draft, whatever was chosen: what publishing asks for (a title, an address) may still be missing.
            data = request.POST.copy()
            data["status"] = Article.Status.DRAFT
            form = new_article_form(data)
            if not form.is_valid() and (form.has_error("title", "required") or "slug" in form.errors):
                form = new_article_form(self._named_for_now(form))
            if not form.is_valid():
                return JsonResponse(
                    {"saved": False, "errors": form.errors, "problems": _problems_said(form)}, status=400
                )
            with transaction.atomic():
                article = form.save(commit=False)
                article.status = Article.Status.DRAFT
                self._keep_author(request, article, change=False)
                article.save()
                form.save_m2m()
                Revision.record(article, by=request.user, note=_("Autosave of a new article"))
            return JsonResponse(
                {
                    "saved": True,
                    "saved_at": timezone.localtime(article.updated_at).isoformat(),
                    "change_url": reverse("admin:articles_article_change", args=[article.pk]),
                    "preview_url": reverse("admin:articles_article_preview", args=[article.pk]),
                    "autosave_url": reverse("admin:articles_article_autosave", args=[article.pk]),
                    "opened_version": article.updated_at.isoformat(),
                },
                status=201,
            )
        autosave = Revision.keep_autosave(
            article,
            by=request.user,
            title=request.POST.get("title", ""),
            body=request.POST.get("body", ""),
            excerpt=request.POST.get("excerpt", ""),
        )
        return JsonResponse({"saved": True, "saved_at": timezone.localtime(autosave.saved_at).isoformat()})

    @staticmethod
    def _named_for_now(form) -> dict:
        """What a new article's form sent, with a title standing in for one it lacks, and a slug for one it lacks or
        cannot keep.

        As WordPress's auto-draft: what is typed is kept before the article has a title (the body pasted first), or a
        slug (a Hebrew or Chinese title leaves the one the admin fills in empty). Saving it asks for both. A title
        typed but refused (too long, a pasted NUL) is not replaced: the autosave says why, and the writer keeps it."""
        data = form.data.copy()
        if form.has_error("title", "required"):
            data[form.add_prefix("title")] = str(UNNAMED_TITLE)
        if "slug" in form.errors:
            data[form.add_prefix("slug")] = unnamed_slug()
        return data

    def _tell_of_a_newer_autosave(self, request, article_id: str) -> None:
        autosave = (
            Revision.objects.filter(article_id=article_id, autosave=True, saved_by=request.user)
            .filter(saved_at__gt=Subquery(Article.objects.filter(pk=OuterRef("article_id")).values("updated_at")))
            .first()
        )
        if autosave is None:
            return
        revisions_url = reverse("admin:articles_article_revisions", args=[autosave.article_id])
        self.message_user(
            request,
            format_html(
                gettext(
                    "You have an autosave of this article from {}, newer than the version below (a tab closed "
                    'before saving?). <a href="{}">Compare or restore it in Revisions</a>.'
                ),
                date_format(timezone.localtime(autosave.saved_at), "DATETIME_FORMAT"),
                revisions_url,
            ),
            messages.WARNING,
        )

    def _stay_on_the_article(self, request, obj):
        # The author sees at once what the warning is about (the cleaned result, a citation) instead of the list.
        return HttpResponseRedirect(reverse("admin:articles_article_change", args=[obj.pk]))

    @admin.action(description=_("Publish selected articles (a future date schedules them)"), permissions=["change"])
    def publish_selected(self, request, queryset):
        self._apply(request, queryset, Article.publish, _("published"), already=lambda article: article.is_public)

    @admin.action(description=_("Unpublish selected articles (back to draft)"), permissions=["change"])
    def unpublish_selected(self, request, queryset):
        self._apply(
            request,
            queryset,
            Article.unpublish,
            _("unpublished"),
            already=lambda article: article.status == Article.Status.DRAFT,
        )

    def has_review_permission(self, request) -> bool:
        return request.user.has_perm("articles.review_article")

    @admin.action(description=_("Mark the medical review done today"), permissions=["review"])
    def mark_reviewed_today(self, request, queryset):
        self._apply(request, queryset, Article.mark_reviewed, _("marked reviewed today"))

    def _apply(self, request, queryset, transition, done: str, *, already=lambda article: False) -> None:
        """Apply `transition` to the selected articles; those `already` where it puts them are passed over without a
        word, as WordPress's bulk actions and the comment list do, and those it refuses are named in one message."""
        changed: Counter[str] = Counter()
        refused = []
        for article in queryset:
            if not self.has_change_permission(request, article) or already(article):
                continue
            try:
                transition(article)
            except ValidationError as error:
                refused.append(" ".join(error.messages))
            else:
                # Published with a date to come, it is scheduled: said so, as WordPress says "Scheduled for…".
                what = _("scheduled") if transition == Article.publish and article.is_scheduled else done
                Revision.record(article, by=request.user, note=str(what).capitalize())
                changed[str(what)] += 1
        for what, count in changed.items():
            self.message_user(
                request,
                ngettext("%(count)d article %(done)s.", "%(count)d articles %(done)s.", count)
                % {"count": count, "done": what},
                messages.SUCCESS,
            )
        if refused:
            self.message_user(request, _("Not changed: %(list)s") % {"list": " ".join(refused)}, messages.WARNING)


class PageForm(NoticesLaterSaves):
    """The change form, which notices when someone else saved the page after it was opened."""

    class Meta:
        model = Page
        fields = ("title", "slug", "body", "published", "in_footer", "footer_position")
        widgets = {"body": ArticleBodyEditor}

    # Not updated_at, which moving the page in the footer leaves as it was.
    version_field = "saved_at"
    clean_body = ArticleForm.clean_body

    def saved_meanwhile(self, time: str) -> str:
        return _(
            "Someone saved this page at %(time)s, after you opened it. Nothing you typed is lost, and nothing was "
            "saved: open the page in another tab to see their version, then save again to replace it with yours."
        ) % {"time": time}


@admin.register(Page)
class PageAdmin(OddDatesListAdmin, admin.ModelAdmin):
    """The site's own pages, written in the articles' editor."""

    form = PageForm
    list_display = ("title", "address", "published", "in_footer", "footer_position", "updated_at")
    list_editable = ("footer_position",)
    list_filter = ("published", "in_footer")
    prepopulated_fields = {"slug": ("title",)}
    readonly_fields = ("body_as_published",)
    search_fields = ("title", "body")

    @admin.display(description=_("address"))
    def address(self, page: Page) -> str:
        return page.get_absolute_url()

    body_as_published = ArticleAdmin.body_as_published

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        extra_context = {**(extra_context or {}), "image_upload_max_bytes": settings.IMAGE_UPLOAD_MAX_BYTES}
        response = super().changeform_view(request, object_id, form_url, extra_context)
        # The editor's import map is inline, as on the article form (ArticleBodyEditor).
        return csp.allow(response, "script-src", CSP.NONCE)


@admin.register(Like)
class LikeAdmin(OddDatesListAdmin, RelatedLinksWhereAllowedAdmin, admin.ModelAdmin):
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

    # Who liked what is public on the article pages: every staff member may look, at the likes of the articles
    # readers see and of those this staff member sees in the admin (another author's draft, which may have
    # been public once, keeps its title to itself). Likes are the readers' own doing: only a superuser changes them.
    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        articles = self.admin_site.get_model_admin(Article)
        if not articles.has_view_or_change_permission(request):
            return queryset.filter(article__in=Article.objects.published())
        if may_edit_others(request.user):
            return queryset
        # Their own articles: what ArticleAdmin.get_queryset shows those who may not edit others'.
        return queryset.filter(Q(article__in=Article.objects.published()) | Q(article__author=request.user))

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


@admin.register(Image)
class ImageAdmin(OddDatesListAdmin, RelatedLinksWhereAllowedAdmin, admin.ModelAdmin):
    """The picture library. The file is chosen once: articles link to it, so a new picture is a new upload."""

    form = ImageForm
    list_display = ("thumbnail", "alt_text", "decorative", "size", "uploaded_by", "uploaded_at")
    list_display_links = ("thumbnail", "alt_text")
    list_filter = ("decorative",)
    list_select_related = ("uploaded_by",)
    readonly_fields = ("preview", "size", "uploaded_by", "uploaded_at")
    search_fields = ("alt_text",)
    # How many pictures the editor's picker offers, newest first.
    RECENT = 30

    def has_change_permission(self, request, obj=None):
        # An author corrects the pictures they uploaded (its alt text), as in WordPress, while only their own articles
        # show them: a new description is published again wherever the picture is shown without one of its own
        # (services.image_update), and a page or another's article is not theirs to change. An editor, any picture.
        if (
            obj is not None
            and not may_edit_others(request.user)
            and (obj.uploaded_by_id != request.user.pk or self.shown_beyond_their_articles(request, obj))
        ):
            return False
        return super().has_change_permission(request, obj)

    @staticmethod
    def shown_beyond_their_articles(request, image: Image) -> bool:
        """Whether a page or another's article shows the picture: read once for a request (the admin asks for the
        permission several times over one page)."""
        known = request.__dict__.setdefault("_pictures_shown_beyond", {})
        if image.pk not in known:
            others = Article.objects.exclude(author=request.user)
            known[image.pk] = (
                showing(Page.objects.all(), image).exists()
                or showing(others, image).exists()
                or others.filter(featured_image=image).exists()
            )
        return known[image.pk]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        image = self.get_object(request, unquote(object_id))
        if (
            image is not None
            and image.uploaded_by_id == request.user.pk
            and not self.has_change_permission(request, image)
        ):
            self.message_user(
                request,
                _("This picture is also shown on pages you do not write: an editor may change its description."),
                messages.INFO,
            )
        return super().change_view(request, object_id, form_url, extra_context)

    def get_fields(self, request, obj=None):
        if obj is None:
            return ("file", "alt_text", "decorative")
        return ("preview", "alt_text", "decorative", "size", "uploaded_by", "uploaded_at")

    @staticmethod
    def shown_height(image: Image, width: int) -> int:
        return max(1, round(image.height * width / image.width)) if image.width else width

    @admin.display(description=_("picture"))
    def thumbnail(self, image: Image) -> str:
        return format_html(
            '<img src="{}" alt="" width="80" height="{}" loading="lazy">',
            image.thumbnail_url,
            self.shown_height(image, 80),
        )

    @admin.display(description=_("picture"))
    def preview(self, image: Image) -> str:
        return format_html(
            '<img src="{}" srcset="{}" sizes="320px" alt="{}" width="320" height="{}">',
            image.url,
            image.srcset,
            image.alt,
            self.shown_height(image, 320),
        )

    @admin.display(description=_("size"))
    def size(self, image: Image) -> str:
        return f"{image.width} × {image.height}"

    def save_model(self, request, obj: Image, form, change):
        if change:
            services.image_update(image=obj)
        else:
            services.image_upload(image=obj, by=request.user)

    # ---- The editor's upload and picker ------------------------------------------
    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("upload/", wrap(self.upload_view), name="articles_image_upload"),
            path("recent/", wrap(self.recent_view), name="articles_image_recent"),
            *super().get_urls(),
        ]

    @staticmethod
    def as_json(image: Image) -> dict:
        return {"id": image.pk, "src": image.url, "alt": image.alt, "width": image.width, "height": image.height}

    def upload_view(self, request):
        """POST file, alt_text, decorative ("on"): 201 {"id", "src", "alt", "width", "height"},
        or 400 {"errors": {field: [message, …]}, "problems": what the editor says} with nothing saved."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = ImageForm(request.POST, request.FILES)
        if not form.is_valid():
            errors = {field: list(errors) for field, errors in form.errors.items()}
            return JsonResponse({"errors": errors, "problems": _problems_said(form)}, status=400)
        image = services.image_upload(image=form.save(commit=False), by=request.user)
        return JsonResponse(self.as_json(image), status=201)

    def recent_view(self, request):
        """GET: {"images": [{"id", "src", "alt", "width", "height", "thumbnail"}, …]}, the newest first."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        recent = Image.objects.all()[: self.RECENT]
        return JsonResponse({"images": [{**self.as_json(image), "thumbnail": image.thumbnail_url} for image in recent]})
