"""What the admin pages of several apps share."""

from django.contrib import admin
from django.contrib.admin.exceptions import NotRegistered
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.utils import quote
from django.contrib.admin.views.main import ChangeList
from django.contrib.contenttypes import views as contenttype_views
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist, ObjectDoesNotExist, PermissionDenied
from django.db.models import Count, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404, HttpResponseRedirect
from django.urls import reverse
from django.utils.html import format_html


def count_per_row(related, pointing_by: str) -> Coalesce:
    """How many rows of `related` (a queryset of another model) point to each listed row by their `pointing_by`
    field: a subquery, so that counts of several kinds never multiply one another, and the list's query needs no
    GROUP BY over every column of every row it lists (an article's body), as a join would."""
    counted = related.filter(**{pointing_by: OuterRef("pk")}).order_by().values(pointing_by).annotate(count=Count("pk"))
    return Coalesce(Subquery(counted.values("count"), output_field=IntegerField()), 0)


class OddDatesChangeList(ChangeList):
    """A list opened whole for a date no calendar holds (the year 0 or 99999999999, the year, month or day after
    9999-12-31), narrowed to by a date bar's address or typed on any date field: Django checks only some of these,
    and the others were a server error."""

    def get_filters(self, request):
        try:
            return super().get_filters(request)
        except (ValueError, OverflowError) as error:
            raise IncorrectLookupParameters(error) from error

    def get_results(self, request):
        # A year typed on a date field (created_at__year=0) fails only when the query is made.
        try:
            super().get_results(request)
        except (ValueError, OverflowError) as error:
            raise IncorrectLookupParameters(error) from error


class OddDatesListAdmin:
    """Mixed into every ModelAdmin whose model has a date: its list opens whole for a date no calendar holds
    (OddDatesChangeList). Django lets any date field of the model be narrowed in the list's address, date bar or not."""

    def get_changelist(self, request, **kwargs):
        return OddDatesChangeList


class RelatedLinksWhereAllowedAdmin:
    """Mixed into a ModelAdmin whose change page shows other rows read-only (a comment's article and account, who
    uploaded a picture): each links to its own admin page only for those who may open it, as WordPress links a
    comment's post only for those who may edit it. Django links them for everyone: a moderator who followed a
    comment's article was refused (403)."""

    def render_change_form(self, request, context, *args, **kwargs):
        if (form := context.get("adminform")) is not None:
            shown = {name: self._shown_where_allowed(request, name) for name in form.readonly_fields}

            def in_line(fields):
                return [
                    tuple(in_line(field)) if isinstance(field, (list, tuple)) else shown.get(field, field)
                    for field in fields
                ]

            form.readonly_fields = list(shown.values())
            form.fieldsets = [
                (title, {**options, "fields": in_line(options["fields"])}) for title, options in form.fieldsets
            ]
        return super().render_change_form(request, context, *args, **kwargs)

    def _shown_where_allowed(self, request, name):
        """What shows the field `name`: itself, unless it names another row, then a function that links that row."""
        try:
            field = self.model._meta.get_field(name) if isinstance(name, str) else None
        except FieldDoesNotExist:
            field = None
        if field is None or not (field.many_to_one or field.one_to_one):
            return name

        @admin.display(description=field.verbose_name)
        def shown(obj):
            other = getattr(obj, name)
            if other is None:
                return self.get_empty_value_display()
            opts = other._meta
            try:
                other_admin = self.admin_site.get_model_admin(type(other))
            except NotRegistered:
                return str(other)
            if not other_admin.has_view_or_change_permission(request, other):
                return str(other)
            url = reverse(
                f"admin:{opts.app_label}_{opts.model_name}_change",
                args=[quote(other.pk)],
                current_app=self.admin_site.name,
            )
            return format_html('<a href="{}">{}</a>', url, other)

        shown.__name__ = name  # its label, help text and class are the field's
        return shown


class OneRowAdmin(admin.ModelAdmin):
    """Settings kept in one row (the model's `load()` makes it): the list opens that row, which is never added
    or deleted, as WordPress's settings pages."""

    def changelist_view(self, request, extra_context=None):
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        opts = self.model._meta
        return HttpResponseRedirect(
            reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[self.model.load().pk])
        )

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.site.admin_view
def view_on_site(request, content_type_id: int, object_id: str):
    """The admin's "View on site" (/admin/r/<type>/<id>/), for what this staff member may see in the admin only.

    Django's leads any staff member to any object's address: another author's draft among them, its title in it."""
    try:
        model = ContentType.objects.get_for_id(content_type_id).model_class()
        model_admin = admin.site.get_model_admin(model)
        model_admin.get_queryset(request).get(pk=object_id)
    except (ObjectDoesNotExist, ValueError, NotRegistered) as error:
        raise Http404 from error
    if not model_admin.has_view_or_change_permission(request):
        raise Http404
    return contenttype_views.shortcut(request, content_type_id, object_id)
