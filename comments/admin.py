from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Case, Count, Exists, F, OuterRef, Q, When
from django.http import Http404, HttpResponseRedirect
from django.tasks import TaskResultStatus
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.text import Truncator
from django.utils.timezone import localtime
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_tasks_db.admin import DBTaskResultAdmin
from django_tasks_db.models import DBTaskResult

from articles import sanitize
from articles.admin import FIRST_YEAR, LAST_YEAR, count_per_article
from articles.models import Article, is_article_writer
from config.admin import OddDatesListAdmin, OneRowAdmin, RelatedLinksWhereAllowedAdmin, count_per_row
from config.requests import row_id

from .models import (
    MODERATION,
    Block,
    Comment,
    CommentQuerySet,
    DiscussionSettings,
    ModerationAction,
    Report,
    SafetyRule,
    is_comment_moderator,
    may_moderate_comments_on,
    validate_comment_length,
)
from .services import (
    CommentRejected,
    RequestMeta,
    block_end_kept,
    block_hide_comments,
    block_show_comments,
    comment_delete,
    comment_edit,
    comment_reply,
    comments_anonymise,
    comments_delete,
    comments_moderate,
    reports_dismiss,
)
from .subscriptions.admin import ArticleWithSubscribersAdmin
from .threads import approved_below, shown_to_readers


class StatusFilter(admin.SimpleListFilter):
    """WordPress's status links: each status with how many of the comments listed have it (the list's other filters
    and its search applied: an article's link counts that article's comments); "All" is the live ones."""

    title = _("status")
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return Comment.Status.choices

    def choices(self, changelist):
        listed = changelist.get_queryset(self.request, exclude_parameters=self.expected_parameters())
        counts = dict(listed.order_by().values_list("status").annotate(Count("pk")))
        self.lookup_choices = [
            (status, _("%(status)s (%(count)d)") % {"status": label, "count": counts.get(status, 0)})
            for status, label in self.lookup_choices
        ]
        choices = super().choices(changelist)
        every = next(choices)  # "All" comes first: WordPress's "All (N)", of the live ones it lists
        live = counts.get(Comment.Status.PENDING, 0) + counts.get(Comment.Status.APPROVED, 0)
        yield {**every, "display": _("All (%(count)d)") % {"count": live}}
        yield from choices

    def queryset(self, request, queryset):
        if self.value() in Comment.Status.values:
            return queryset.filter(status=self.value())
        # As WordPress: spam and trash stay out of the way until asked for (so does a status that is no status).
        return queryset.live()


class ErasePersonalDataForm(forms.Form):
    email = forms.EmailField(
        label=_("Email address"),
        help_text=_(
            "Every comment a guest wrote with this address loses its name, email, website, IP address and browser; "
            "published ones stay, signed “Anonymous”, the others are deleted, and the address's email subscriptions "
            "go. This cannot be undone. A member's comments stay: members delete their account under Your data."
        ),
    )


class CommentChangeForm(forms.ModelForm):
    """The comment as a moderator corrects it; the email is kept lower-cased, as every comment's is."""

    class Meta:
        model = Comment
        fields = ["body", "author_name", "author_email", "author_url"]

    def clean_author_email(self) -> str:
        return self.cleaned_data["author_email"].strip().lower()

    def clean_body(self) -> str:
        body = self.cleaned_data["body"]
        # WordPress's comment edit screen checks no length (edit_comment, wp_update_comment): its limits
        # (wp_check_comment_data_max_lengths) stop what readers send (wp_handle_comment_submission) and the REST API.
        # Followed for what is stored: a comment longer than the limit (kept from before it was lowered) is saved as
        # it is or shorter, to approve it or mend a name. Made longer, it meets the limit a reader's post meets.
        # A browser sends each line break as "\r\n", also those stored as "\n" (imported ones): counted alike.
        if len(body.replace("\r\n", "\n")) > len(self.instance.body.replace("\r\n", "\n")):
            validate_comment_length(body)
        return body


class ReplyForm(forms.Form):
    body = forms.CharField(
        label=_("Your reply"),
        widget=forms.Textarea(attrs={"rows": 8, "cols": 80}),
        help_text=_("Published at once under the comment, cleaned like every comment."),
    )
    next = forms.CharField(widget=forms.HiddenInput, required=False)


class ChosenArticleFilter(admin.SimpleListFilter):
    """The comments of one article, chosen from its link in the list (WordPress's "In response to" column) or from
    the articles list's count of pending comments: only that article is offered, not every article of the site."""

    title = _("article")
    parameter_name = "article__id__exact"

    def lookups(self, request, model_admin):
        if (chosen := row_id(self.value())) is None:
            return []
        # Named only to an account that lists its comments (an author: their own articles').
        listed = Comment.objects.listed_to(request.user).filter(article=OuterRef("pk"))
        article = Article.objects.filter(Exists(listed), pk=chosen).only("title").first()
        return [(str(article.pk), article.title)] if article else []

    def queryset(self, request, queryset):
        if (chosen := row_id(self.value())) is not None:
            return queryset.filter(article=chosen)
        return queryset


class ReportedFilter(admin.SimpleListFilter):
    title = _("reports from readers")
    parameter_name = "reported"

    def lookups(self, request, model_admin):
        return [("standing", _("Reported, not dismissed")), ("any", _("Ever reported"))]

    def queryset(self, request, queryset):
        # On CommentAdmin's queryset, which counts the standing reports already.
        if self.value() == "standing":
            return queryset.filter(standing_reports__gt=0)
        if self.value() == "any":
            return queryset.filter(Exists(Report.objects.filter(comment=OuterRef("pk"))))
        return queryset


@admin.register(Comment)
class CommentAdmin(OddDatesListAdmin, RelatedLinksWhereAllowedAdmin, admin.ModelAdmin):
    form = CommentChangeForm
    actions = [
        "approve_selected",
        "unapprove_selected",
        "spam_selected",
        "trash_selected",
        "restore_selected",
        "delete_spam_and_trash",
        "dismiss_reports",
        "block_writer",
    ]
    date_hierarchy = "created_at"
    fieldsets = (
        (None, {"fields": ("article", "parent", "body", "body_as_published")}),
        (_("Author"), {"fields": ("author_name", "author_email", "author_url", "user")}),
        (
            _("Status"),
            {
                "fields": (
                    "status",
                    "status_reason",
                    "safety_rule",
                    "status_changed_at",
                    "status_changed_by",
                )
            },
        ),
        (_("Sent from"), {"fields": ("ip_address", "user_agent", "created_at")}),
        (_("Edits and reports"), {"fields": ("edited_at", "earlier_versions", "readers_reports")}),
    )
    # With the article each answers after the excerpt (get_list_display: it keeps the list's status).
    list_display = (
        "author",
        "excerpt",
        "status_and_reason",
        "standing_reports",
        "created_at",
        "ip_address",
    )
    list_filter = (
        StatusFilter,
        ReportedFilter,
        ("safety_rule", admin.RelatedOnlyFieldListFilter),
        ChosenArticleFilter,
    )
    list_select_related = ("article", "user")
    ordering = ("-created_at", "-id")
    readonly_fields = (
        "article",
        "parent",
        "body_as_published",
        "user",
        "status",
        "status_reason",
        "safety_rule",
        "edited_at",
        "earlier_versions",
        "readers_reports",
        "status_changed_at",
        "status_changed_by",
        "ip_address",
        "user_agent",
        "created_at",
    )
    # A member's name as the list shows it too (their account's now: author_shown), not only as it was when they posted.
    search_fields = (
        "body",
        "author_name",
        "author_email",
        "ip_address",
        "user__display_name",
        "user__first_name",
        "user__last_name",
    )
    # The status filter already shows its counts.
    show_facets = admin.ShowFacets.NEVER

    @admin.display(description=_("author"), ordering="author_shown")
    def author(self, comment: Comment):
        # Isolated, as the thread shows it: a name written right to left takes no neighbour into its direction.
        return format_html("<bdi>{}</bdi><br><small>{}</small>", comment.author_display_name, comment.author_email)

    @admin.display(description=_("comment"))
    def excerpt(self, comment: Comment) -> str:
        # Plain text: the admin escapes whatever this returns.
        return Truncator(sanitize.text_of(comment.body_html)).chars(120)

    @admin.display(description=_("status"), ordering="status")
    def status_and_reason(self, comment: Comment):
        if not comment.status_reason:
            return comment.get_status_display()
        return format_html("{}<br><small>{}</small>", comment.get_status_display(), comment.status_reason)

    def get_readonly_fields(self, request, obj=None):
        # A member's comment shows their account's name, address and website (Comment.author_display_name): those
        # are changed in the account, not here, where a change would be saved and never shown.
        if obj is not None and obj.user_id:
            return (*self.readonly_fields, "author_name", "author_email", "author_url")
        # A guest's address is who they are to blocks, subscriptions and erasure: only a comment moderator changes
        # it (an article's author changing it could publish what a moderator's block keeps out).
        if not is_comment_moderator(request.user):
            return (*self.readonly_fields, "author_email")
        return self.readonly_fields

    def get_queryset(self, request):
        standing = count_per_row(Report.objects.filter(dismissed_at__isnull=True), "comment")
        # What the author column shows: a member's name as their account has it now (Comment.author_display_name).
        shown = Case(When(user__isnull=True, then=F("author_name")), default=get_user_model().public_name_of("user"))
        comments = super().get_queryset(request).annotate(standing_reports=standing, author_shown=shown)
        # The list shows the article's title and reads what its links need, never its body.
        return comments.defer(*(f"article__{field}" for field in Article.LONG_TEXT_FIELDS)).listed_to(request.user)

    # ---- Who sees and moderates which comments ----------------------------------------
    # Comment moderators (Django's permissions on comments): every comment. An article's writer
    # (comments.models.may_moderate_comments_on: an author, their own articles'; an Editor, every article's):
    # listed, approved, edited and answered here, never deleted for good nor their writers blocked.
    def _as_the_articles_author(self, request, comment: Comment | None) -> bool:
        if comment is None:
            return is_article_writer(request.user)
        return may_moderate_comments_on(request.user, comment.article)

    def has_module_permission(self, request):
        return super().has_module_permission(request) or is_article_writer(request.user)

    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) or self._as_the_articles_author(request, obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) or self._as_the_articles_author(request, obj)

    def has_block_permission(self, request) -> bool:
        return request.user.has_perm("comments.add_block")

    @admin.display(description=_("earlier versions"))
    def earlier_versions(self, comment: Comment) -> str:
        """What the comment said before each of its writer's edits, newest first."""
        versions = comment.versions.all()
        if not versions:
            return _("Not edited by its writer.")
        return format_html(
            '<ol class="comment-versions">{}</ol>',
            format_html_join(
                "",
                "<li><small>{}</small><pre>{}</pre></li>",
                ((date_format(localtime(version.written_at), "DATETIME_FORMAT"), version.body) for version in versions),
            ),
        )

    @admin.display(description=_("readers' reports"))
    def readers_reports(self, comment: Comment) -> str:
        reports = comment.reports.select_related("dismissed_by")
        if not reports:
            return _("No reader reported it.")
        return format_html(
            "<ul>{}</ul>",
            format_html_join(
                "",
                "<li>{} — {}{}</li>",
                (
                    (
                        report.get_reason_display(),
                        date_format(localtime(report.created_at), "DATETIME_FORMAT"),
                        format_html(" ({})", _("dismissed")) if report.dismissed_at else "",
                    )
                    for report in reports
                ),
            ),
        )

    @admin.display(description=_("reports"), ordering="standing_reports")
    def standing_reports(self, comment: Comment) -> int:
        return comment.standing_reports

    @admin.action(description=_("Block the writer of the selected comment…"), permissions=["block"])
    def block_writer(self, request, queryset):
        """To the block form, filled in with who wrote the comment: the moderator gives the reason there."""
        if queryset.count() != 1:
            self.message_user(request, _("Choose one comment: its writer is the one blocked."), messages.WARNING)
            return None
        comment = queryset.get()
        ways = writer_block_ways(comment)
        return HttpResponseRedirect(block_form_url(comment, ways[0][1] if ways else {}))

    @admin.action(description=_("Delete selected spam and trash permanently"), permissions=["delete"])
    def delete_spam_and_trash(self, request, queryset):
        """WordPress's "Empty Spam" and "Empty Trash": on those lists, select all, then this. Only spam and trash go,
        each as its own deletion does it (its replies move up to the comment it answered)."""
        selected = list(queryset.values_list("pk", flat=True))
        doomed = Comment.objects.filter(pk__in=selected, status__in=(Comment.Status.SPAM, Comment.Status.TRASH))
        if deleted := comments_delete(comments=doomed):
            self.message_user(
                request,
                ngettext("%(count)d comment deleted permanently.", "%(count)d comments deleted permanently.", deleted)
                % {"count": deleted},
                messages.SUCCESS,
            )
        if kept := len(selected) - deleted:
            self.message_user(
                request,
                ngettext(
                    "%(count)d comment kept: only spam and trash are deleted permanently.",
                    "%(count)d comments kept: only spam and trash are deleted permanently.",
                    kept,
                )
                % {"count": kept},
                messages.WARNING,
            )

    @admin.action(description=_("Dismiss readers' reports on selected comments"), permissions=["change"])
    def dismiss_reports(self, request, queryset):
        dismissed = reports_dismiss(comments=queryset, by=request.user)
        self.message_user(
            request,
            ngettext("%(count)d report dismissed.", "%(count)d reports dismissed.", dismissed) % {"count": dismissed},
            messages.SUCCESS,
        )

    def _row_actions(self, *, may_delete: bool):
        """The list's column of buttons, for a user who may (or may not) delete comments for good."""

        @admin.display(description=_("moderate"))
        def row_actions(comment: Comment) -> str:
            # Buttons of the changelist's own form, posting elsewhere: one click, no script.
            context = self._moderation_context(comment)
            if not may_delete:
                context["delete_url"] = ""
            return render_to_string("admin/comments/comment/row_actions.html", context)

        return row_actions

    def _moderation_context(self, comment: Comment) -> dict:
        """The actions this comment's status allows, and whether it may be answered (and how)."""
        return {
            "moderation_links": [
                (action.label, reverse("admin:comments_comment_moderate", args=[comment.pk, action]))
                for action in comment.moderation_actions
            ],
            "reply_url": reverse("admin:comments_comment_reply", args=[comment.pk]),
            "reply_label": _("Reply") if comment.status == Comment.Status.APPROVED else _("Approve and Reply"),
            "can_reply": comment.status in (Comment.Status.APPROVED, Comment.Status.PENDING),
            # WordPress's Spam and Trash rows: "Delete Permanently".
            "delete_url": reverse("admin:comments_comment_delete", args=[comment.pk])
            if comment.status in (Comment.Status.SPAM, Comment.Status.TRASH)
            else "",
        }

    @admin.display(description=_("comment as published"))
    def body_as_published(self, comment: Comment):
        return format_html('<pre class="body-as-published">{}</pre>', comment.body_html)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        comment = self.get_object(request, unquote(object_id))
        if comment is not None:
            extra_context = {**(extra_context or {}), **self._moderation_context(comment)}
        return super().change_view(request, object_id, form_url, extra_context)

    def get_list_display(self, request):
        shown = list(self.list_display)
        shown.insert(shown.index("excerpt") + 1, self._in_response_to(request.GET.get("status", "")))
        if self.has_change_permission(request):
            shown.append(self._row_actions(may_delete=super().has_delete_permission(request)))
        return shown

    @staticmethod
    def _in_response_to(status: str):
        """The article column: each leads to the article's comments in the status the list shows (WordPress's)."""
        kept = {"status": status} if status in Comment.Status.values else {}

        @admin.display(description=_("in response to"), ordering="article__title")
        def in_response_to(comment: Comment) -> str:
            query = urlencode({**kept, "article__id__exact": comment.article_id})
            return format_html('<a href="?{}">{}</a>', query, comment.article.title)

        return in_response_to

    # Comments come from readers, or from a moderator's reply: no blank add form.
    def has_add_permission(self, request):
        return False

    # As WordPress: only a comment in the trash can be deleted, one at a time,
    # "permanently". No bulk delete, which would bypass comment_delete.
    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.status not in (Comment.Status.SPAM, Comment.Status.TRASH):
            return False
        return super().has_delete_permission(request, obj)

    def get_actions(self, request, action_location=admin.ActionLocation.CHANGE_LIST):
        actions = super().get_actions(request, action_location=action_location)
        actions.pop("delete_selected", None)
        return actions

    def get_deleted_objects(self, objs, request):
        # Only the comment goes: comment_delete first moves its replies up.
        return [str(comment) for comment in objs], {self.opts.verbose_name_plural: len(objs)}, set(), []

    def delete_model(self, request, obj: Comment):
        comment_delete(comment=obj)

    def save_model(self, request, obj: Comment, form, change):
        # A member's name, address and website are not in the form (get_readonly_fields): they stay as they are.
        signed = {
            name: form.cleaned_data.get(name, getattr(obj, name))
            for name in ("author_name", "author_email", "author_url")
        }
        comment_edit(comment=obj, body=form.cleaned_data["body"], **signed)

    # ---- Moderation ----------------------------------------------------------
    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path(
                "<path:object_id>/moderate/<str:action>/",
                wrap(self.moderate_view),
                name="comments_comment_moderate",
            ),
            path("<path:object_id>/reply/", wrap(self.reply_view), name="comments_comment_reply"),
            path("erase-personal-data/", wrap(self.erase_view), name="comments_comment_erase"),
            *super().get_urls(),
        ]

    def _comment_or_404(self, request, object_id: str) -> Comment:
        comment = self.get_object(request, unquote(object_id))
        if comment is None:
            raise Http404(_("No comment with that ID."))
        return comment

    def _next_url(self, request, candidate: str | None) -> str:
        if candidate and url_has_allowed_host_and_scheme(
            candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            return candidate
        return reverse("admin:comments_comment_changelist")

    def moderate_view(self, request, object_id: str, action: str):
        """GET: confirm one action on one comment. POST (the list's row buttons): apply it."""
        if action not in ModerationAction.values:
            raise Http404(_("No such moderation action."))
        action = ModerationAction(action)
        comment = self._comment_or_404(request, object_id)
        if not self.has_change_permission(request, comment):
            raise PermissionDenied
        if request.method == "POST":
            next_url = self._next_url(request, request.POST.get("next") or request.META.get("HTTP_REFERER"))
            self._moderate(request, Comment.objects.filter(pk=comment.pk), action)
            return HttpResponseRedirect(next_url)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": MODERATION[action].question,
            "comment": comment,
            "button": action.label,
            "next": self._next_url(request, request.META.get("HTTP_REFERER")),
        }
        return TemplateResponse(request, "admin/comments/comment/moderate_confirm.html", context)

    def reply_view(self, request, object_id: str):
        """Answer a comment from the admin; a held comment is approved first, as WordPress's "Approve and Reply"."""
        comment = self._comment_or_404(request, object_id)
        if not self.has_change_permission(request, comment):
            raise PermissionDenied
        # Moderators answer with their permission to add comments; a writer where they moderate (their own article,
        # or every article for an Editor).
        if not (
            request.user.has_perm("comments.add_comment") or may_moderate_comments_on(request.user, comment.article)
        ):
            raise PermissionDenied
        form = ReplyForm(request.POST or None, initial={"next": request.META.get("HTTP_REFERER", "")})
        if request.method == "POST" and form.is_valid():
            try:
                answer = comment_reply(
                    parent=comment,
                    author=request.user,
                    body=form.cleaned_data["body"],
                    meta=RequestMeta.from_request(request),
                )
            except (CommentRejected, ValidationError) as error:
                form.add_error(None, error.message if isinstance(error, CommentRejected) else error.messages)
            else:
                if self._unseen_by_readers([answer]):
                    self.message_user(
                        request,
                        _(
                            "Your reply is saved, but readers do not see it yet: a comment above it in its "
                            "conversation is held, spam or in the trash."
                        ),
                        messages.WARNING,
                    )
                else:
                    self.message_user(request, _("Your reply is published."), messages.SUCCESS)
                return HttpResponseRedirect(self._next_url(request, form.cleaned_data["next"]))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Reply to %(name)s") % {"name": comment.author_display_name},
            "comment": comment,
            "form": form,
            "button": self._moderation_context(comment)["reply_label"],
        }
        return TemplateResponse(request, "admin/comments/comment/reply.html", context)

    def changelist_view(self, request, extra_context=None):
        # Every comment of an address: comment moderators only, not an author.
        can_erase = super().has_change_permission(request) and self.has_delete_permission(request)
        return super().changelist_view(request, {"can_erase": can_erase, **(extra_context or {})})

    def erase_view(self, request):
        """A guest asked to be forgotten: anonymise every comment written with their email address."""
        if not (super().has_change_permission(request) and self.has_delete_permission(request)):
            raise PermissionDenied
        form = ErasePersonalDataForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            count = comments_anonymise(email=form.cleaned_data["email"])
            self.message_user(
                request,
                _(
                    "Personal data erased from the comments of %(email)s; "
                    "%(count)d published comments kept as “Anonymous”."
                )
                % {"email": form.cleaned_data["email"], "count": count},
                messages.SUCCESS,
            )
            return HttpResponseRedirect(reverse("admin:comments_comment_changelist"))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Erase a guest’s personal data"),
            "form": form,
        }
        return TemplateResponse(request, "admin/comments/comment/erase.html", context)

    def _moderate(self, request, comments: CommentQuerySet, action: ModerationAction) -> None:
        changed, refused = comments_moderate(comments=comments, action=action, by=request.user)
        if changed:
            self.message_user(request, MODERATION[action].done_count % {"count": len(changed)}, messages.SUCCESS)
            published = [comment for comment in changed if comment.status == Comment.Status.APPROVED]
            if unseen := self._unseen_by_readers(published):
                self.message_user(
                    request,
                    ngettext(
                        "Readers do not see %(list)s yet: a comment above it in its conversation is held, spam or in "
                        "the trash.",
                        "Readers do not see %(list)s yet: a comment above each in its conversation is held, spam or in "
                        "the trash.",
                        len(unseen),
                    )
                    % {"list": "; ".join(f"“{comment}”" for comment in unseen)},
                    messages.WARNING,
                )
            taken_off = [comment for comment in changed if comment.status != Comment.Status.APPROVED]
            if replies := len(approved_below(taken_off)) if taken_off else 0:
                # Off the page with the comment above them (as in WordPress): a whole conversation may go.
                self.message_user(
                    request,
                    ngettext(
                        "%(count)d published reply is off the page too: readers see it again once the comments "
                        "above it are published.",
                        "%(count)d published replies are off the page too: readers see them again once the comments "
                        "above them are published.",
                        replies,
                    )
                    % {"count": replies},
                    messages.WARNING,
                )
        if refused:
            why = [
                _("“%(comment)s”: %(why)s") % {"comment": comment, "why": " ".join(error.messages)}
                for comment, error in refused
            ]
            self.message_user(request, _("Not changed: %(list)s") % {"list": "; ".join(why)}, messages.WARNING)

    @staticmethod
    def _unseen_by_readers(published: list[Comment]) -> list[Comment]:
        """Those of these published comments that readers do not see: replies under a held, spam or trashed comment,
        off the page with it (as in WordPress). The moderator who published them is told, or would think them seen."""
        seen = set(shown_to_readers(published))
        return [comment for comment in published if comment not in seen]

    # Bulk actions, worded as the moderation table says.
    @admin.action(description=MODERATION[ModerationAction.APPROVE].description, permissions=["change"])
    def approve_selected(self, request, queryset):
        self._moderate(request, queryset, ModerationAction.APPROVE)

    @admin.action(description=MODERATION[ModerationAction.UNAPPROVE].description, permissions=["change"])
    def unapprove_selected(self, request, queryset):
        self._moderate(request, queryset, ModerationAction.UNAPPROVE)

    @admin.action(description=MODERATION[ModerationAction.MARK_SPAM].description, permissions=["change"])
    def spam_selected(self, request, queryset):
        self._moderate(request, queryset, ModerationAction.MARK_SPAM)

    @admin.action(description=MODERATION[ModerationAction.TRASH].description, permissions=["change"])
    def trash_selected(self, request, queryset):
        self._moderate(request, queryset, ModerationAction.TRASH)

    @admin.action(description=MODERATION[ModerationAction.RESTORE].description, permissions=["change"])
    def restore_selected(self, request, queryset):
        self._moderate(request, queryset, ModerationAction.RESTORE)


@admin.register(DiscussionSettings)
class DiscussionSettingsAdmin(OneRowAdmin):
    """WordPress's Settings → Discussion: one row, edited in place."""

    fieldsets = (
        (
            _("Before a comment appears"),
            {"fields": ("manual_approval", "require_previous_approval", "registration_required")},
        ),
        (
            _("Comment moderation"),
            {"fields": ("hold_link_count", "moderation_words", "disallowed_words", "reports_to_hold")},
        ),
        (
            _("Other comment settings"),
            {
                "fields": (
                    "close_after_days",
                    "thread_depth",
                    "comments_per_page",
                    "first_comment_page",
                    "comment_order",
                    "edit_window_minutes",
                )
            },
        ),
        (_("Spam protection"), {"fields": ("flood_seconds", "minimum_fill_seconds", "blocked_comments")}),
        (_("Avatars"), {"fields": ("use_gravatar",)}),
    )


class BlockForm(forms.ModelForm):
    """A block names an account by its email address or user name: moderators may not list the site's accounts (the
    admin's lookup of users), and come here from a comment with the account filled in."""

    account = forms.CharField(
        label=_("account"),
        required=False,
        max_length=254,
        help_text=_("Its email address or user name; or block an email address or an IP network below."),
    )

    class Meta:
        model = Block
        fields = ["email", "network", "reason", "ends_at"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = self.instance.user if self.instance.user_id else None
        if user is None and (number := row_id(self.initial.get("user", ""))):
            user = get_user_model().objects.filter(pk=number).first()
        if user is not None:
            self.initial["account"] = user.email or user.username

    def clean_account(self) -> str:
        named = self.cleaned_data["account"].strip()
        self.instance.user = None
        if named:
            accounts = get_user_model().objects
            self.instance.user = (
                accounts.filter(email__iexact=named).first()
                or accounts.filter(emailaddress__email__iexact=named).first()
                or accounts.filter(username=named).first()
            )
            if self.instance.user is None:
                raise ValidationError(_("No account has this email address or user name."))
        return named

    def clean_ends_at(self):
        # As an article's publish date: the year 1 east of UTC, or 9999 west of it, is no date once counted in UTC.
        ends_at = self.cleaned_data["ends_at"]
        if ends_at and not FIRST_YEAR <= ends_at.year <= LAST_YEAR:
            raise ValidationError(
                _("Choose an end between the years %(first)d and %(last)d.") % {"first": FIRST_YEAR, "last": LAST_YEAR}
            )
        return ends_at


def writer_block_ways(comment: Comment) -> list[tuple[str, dict[str, str]]]:
    """How the writer of a comment may be blocked, the surest first, each with what fills the block form in: a
    member's account (which covers its verified addresses), else the email address a guest gave; then the IP
    address the comment came from (a guest who changes their address is still kept out by it)."""
    ways = []
    if comment.user_id:
        ways.append((_("their account (%(name)s)") % {"name": comment.user}, {"user": str(comment.user_id)}))
    elif comment.author_email:
        ways.append(
            (_("the email address %(email)s") % {"email": comment.author_email}, {"email": comment.author_email})
        )
    if comment.ip_address:
        ways.append((_("the IP address %(ip)s") % {"ip": comment.ip_address}, {"network": comment.ip_address}))
    return ways


def block_form_url(comment: Comment, who: dict[str, str]) -> str:
    return f"{reverse('admin:comments_block_add')}?{urlencode({**who, 'comment': comment.pk})}"


@admin.register(Block)
class BlockAdmin(OddDatesListAdmin, admin.ModelAdmin):
    """Commenters kept out: their new comments go to spam (or are refused: Discussion settings)."""

    actions = ["hide_comments", "show_comments"]
    list_display = ("__str__", "kind", "reason", "ends_at", "in_force", "created_by", "created_at")
    list_select_related = ("user", "created_by")
    form = BlockForm
    fields = ("account", "email", "network", "reason", "ends_at")
    search_fields = ("email", "network", "reason", "user__username", "user__display_name")

    @admin.display(description=_("what"))
    def kind(self, block: Block) -> str:
        return _("account") if block.user_id else _("email address") if block.email else _("IP network")

    @admin.display(description=_("in force"), boolean=True)
    def in_force(self, block: Block) -> bool:
        return block.in_force

    @staticmethod
    def chosen_comment(request) -> Comment | None:
        """The comment "Block the writer of the selected comment" came from (?comment=), if this moderator lists it."""
        if pk := row_id(request.GET.get("comment", "")):
            return Comment.objects.listed_to(request.user).select_related("user").filter(pk=pk).first()
        return None

    def get_changeform_initial_data(self, request):
        # "Block the writer of the selected comment" comes here with who to block. An account only as the writer of
        # that comment: its number alone would show a moderator whose email address it is (they list no accounts).
        initial = {key: request.GET[key] for key in ("email", "network") if request.GET.get(key)}
        comment = self.chosen_comment(request)
        if comment is not None and comment.user_id and request.GET.get("user") == str(comment.user_id):
            initial["user"] = request.GET["user"]
        return initial

    def add_view(self, request, form_url="", extra_context=None):
        """Come from a comment, the form also offers the other ways to block its writer (its account or email
        address, its IP address), one click each."""
        comment = self.chosen_comment(request)
        if comment is not None:
            chosen = self.get_changeform_initial_data(request)
            extra_context = {
                **(extra_context or {}),
                "blocked_comment": comment,
                "writer_block_ways": [
                    (label, block_form_url(comment, who), who == chosen) for label, who in writer_block_ways(comment)
                ],
            }
        return super().add_view(request, form_url, extra_context)

    def save_model(self, request, obj: Block, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)
        if "ends_at" in form.changed_data:
            block_end_kept(obj)

    # Lifting a block puts back what hiding it took off the page, or nothing could find those comments again.
    def delete_model(self, request, obj: Block):
        block_show_comments(block=obj, by=request.user)
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        lifted = list(queryset)
        for block in lifted:
            block_show_comments(block=block, by=request.user, lifted_with=lifted)
        super().delete_queryset(request, queryset)

    @admin.action(description=_("Hide every published comment of the selected commenters"), permissions=["change"])
    def hide_comments(self, request, queryset):
        if ended := [str(block) for block in queryset if not block.in_force]:
            self.message_user(
                request, _("Ended, nothing hidden: %(list)s") % {"list": "; ".join(ended)}, messages.WARNING
            )
        hidden = sum(block_hide_comments(block=block, by=request.user) for block in queryset)
        self.message_user(
            request,
            ngettext(
                "%(count)d comment taken off the page; “Show their hidden comments again” puts it back.",
                "%(count)d comments taken off the page; “Show their hidden comments again” puts them back.",
                hidden,
            )
            % {"count": hidden},
            messages.SUCCESS,
        )

    @admin.action(description=_("Show their hidden comments again"), permissions=["change"])
    def show_comments(self, request, queryset):
        shown = sum(block_show_comments(block=block, by=request.user) for block in queryset)
        self.message_user(
            request,
            ngettext("%(count)d comment back on the page.", "%(count)d comments back on the page.", shown)
            % {"count": shown},
            messages.SUCCESS,
        )


@admin.register(SafetyRule)
class SafetyRuleAdmin(admin.ModelAdmin):
    """Phrases that may describe an emergency: the reader who writes one is told where to get help at once, and the
    comment waits for a moderator with the rule named."""

    list_display = ("name", "enabled", "position", "held_count")
    list_editable = ("enabled", "position")
    fields = ("name", "enabled", "phrases", "message", "link_url", "link_text", "position")
    ordering = ("position", "name")

    def get_queryset(self, request):
        # The comments its link lists (the comment list leaves spam and trash out until asked).
        live = Q(comments__status__in=[Comment.Status.PENDING, Comment.Status.APPROVED])
        return super().get_queryset(request).annotate(held_count=Count("comments", filter=live))

    @admin.display(description=_("comments it held"), ordering="held_count")
    def held_count(self, rule: SafetyRule) -> str:
        if not rule.held_count:
            return "0"
        held = f"{reverse('admin:comments_comment_changelist')}?{urlencode({'safety_rule__id__exact': rule.pk})}"
        return format_html('<a href="{}">{}</a>', held, rule.held_count)


class QueuedTaskAdmin(OddDatesListAdmin, DBTaskResultAdmin):
    """The task queue (emails above all): each attempt, its error, and a way to send a failed one again."""

    actions = ["send_again"]
    list_display = ("task_name", "recipient_and_attempt", "status", "enqueued_at", "finished_at", "last_error")

    @admin.display(description=_("for, attempt"))
    def recipient_and_attempt(self, result: DBTaskResult) -> str:
        kwargs = dict(result.args_kwargs.get("kwargs", {}))
        attempt = kwargs.pop("attempt", 0) + 1
        return f"{', '.join(f'{key}={value}' for key, value in kwargs.items())} · {attempt}"

    @admin.display(description=_("last error"))
    def last_error(self, result: DBTaskResult) -> str:
        return result.exception_class_path.rsplit(".", 1)[-1] if result.exception_class_path else ""

    def has_send_again_permission(self, request) -> bool:
        return request.user.is_superuser

    @admin.action(description=_("Run again (a failed email is sent again)"), permissions=["send_again"])
    def send_again(self, request, queryset):
        again = 0
        for result in queryset.filter(status=TaskResultStatus.FAILED):
            kwargs = {key: value for key, value in result.args_kwargs.get("kwargs", {}).items() if key != "attempt"}
            result.task.enqueue(*result.args_kwargs.get("args", []), **kwargs)
            again += 1
        self.message_user(request, _("%(count)d queued again.") % {"count": again}, messages.SUCCESS)


admin.site.unregister(DBTaskResult)
admin.site.register(DBTaskResult, QueuedTaskAdmin)


class ArticleWithCommentsAdmin(ArticleWithSubscribersAdmin):
    """The article list, with what waits for a moderator on each article."""

    def get_list_display(self, request):
        shown = list(super().get_list_display(request))
        shown.insert(shown.index("like_count") if "like_count" in shown else len(shown), "pending_comments")
        return shown

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(pending_count=count_per_article(Comment.objects.pending()))

    @admin.display(description=_("comments pending"), ordering="pending_count")
    def pending_comments(self, article: Article) -> str:
        if not article.pending_count:
            return "0"
        query = urlencode({"status": "pending", "article__id__exact": article.pk})
        waiting = f"{reverse('admin:comments_comment_changelist')}?{query}"
        return format_html('<a href="{}">{}</a>', waiting, article.pending_count)


admin.site.unregister(Article)
admin.site.register(Article, ArticleWithCommentsAdmin)
