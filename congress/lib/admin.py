"""Shared admin building blocks: a paginator that does not count a million rows, the town scope for town
staff, and the export log."""
from django.contrib import admin, messages
from django.contrib.admin.options import IncorrectLookupParameters
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.functional import cached_property

from congress.lib.bounds import bound_to_column
from congress.lib.widgets import SafeAutocompleteSelect, SafeAutocompleteSelectMultiple
from congress.selectors import estimated_row_count, towns_for
from congress.services import CongressError


class EstimatedCountPaginator(Paginator):
    """An unfiltered change list over a large PostgreSQL table uses the planner's row estimate instead of
    COUNT(*) (STACK-NOTES: ~290 ms at a million rows). Filtered lists and small tables count exactly."""

    ESTIMATE_ABOVE = 50_000

    @cached_property
    def count(self):
        query = getattr(self.object_list, "query", None)
        if query is not None and not query.where:
            estimate = estimated_row_count(self.object_list.model._meta.db_table)
            if estimate is not None and estimate > self.ESTIMATE_ABOVE:
                return estimate
        return super().count


class SafeInputAdminMixin:
    """Tampered input gets a Chinese refusal instead of a 500: autocomplete fields use the widgets of
    congress.lib.widgets, and an action posted with row ids that are not ids of this model is refused (Django's
    own response_action filters pk__in=… with them unchecked). For every ModelAdmin and inline of the project."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        return bound_to_column(super().formfield_for_dbfield(db_field, request, **kwargs), db_field)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = SafeAutocompleteSelect(db_field, self.admin_site, using=kwargs.get("using"))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = SafeAutocompleteSelectMultiple(db_field, self.admin_site, using=kwargs.get("using"))
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def get_changelist_instance(self, request):
        """A filter, search or paging value the database cannot take (a NUL byte, a year past 9999, text for an id in
        a custom filter) is refused the way Django refuses an unknown lookup: the list again, without the parameters.
        ChangeList runs its count query while it is built, so such errors surface here."""
        if any("\x00" in key or any("\x00" in value for value in values) for key, values in request.GET.lists()):
            raise IncorrectLookupParameters("查询参数含有空字符")
        try:
            return super().get_changelist_instance(request)
        except (ValueError, OverflowError) as exc:
            raise IncorrectLookupParameters(f"查询参数无效：{exc}") from exc

    def response_action(self, request, queryset):
        pk = self.model._meta.pk
        for value in request.POST.getlist(admin.helpers.ACTION_CHECKBOX_NAME):
            try:
                pk.to_python(value)
            except (ValidationError, ValueError, TypeError):
                self.message_user(request, "所选记录无效，请在列表中重新勾选。", messages.ERROR)
                return HttpResponseRedirect(request.get_full_path())
        return super().response_action(request, queryset)


class CongressModelAdmin(SafeInputAdminMixin, admin.ModelAdmin):
    """Defaults for every change list: no full-table count, estimated pagination, 50 rows a page."""

    show_full_result_count = False
    paginator = EstimatedCountPaginator
    list_per_page = 50


class TownScopedAdmin(CongressModelAdmin):
    """Town staff see and edit only the rows of the towns granted to them (django-guardian object permission on
    the town); everybody else with the model permission sees all. `town_lookup` is the path to the town."""

    town_lookup = "town"

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        towns = towns_for(request.user)
        if towns is None:
            return qs
        return qs.filter(**{f"{self.town_lookup}__in": towns})

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "town":
            towns = towns_for(request.user)
            if towns is not None:
                kwargs["queryset"] = towns
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class CongressInline(SafeInputAdminMixin, admin.TabularInline):
    """The project's tabular inline (see SafeInputAdminMixin)."""


class ReadOnlyInline(CongressInline):
    """Rows shown under their parent and never edited there (transition records, duties, frozen rankings)."""

    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class TownScopedInline(SafeInputAdminMixin):
    """For inlines whose foreign keys point at town-scoped rows (deputies, stations)."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        towns = towns_for(request.user)
        if towns is not None and db_field.name in {"deputy", "station"} and field is not None:
            field.queryset = field.queryset.filter(town__in=towns)
        return field


class StaffActionsMixin:
    """An intermediate page per staff action: GET shows the form, POST calls the service; a refusal is shown on the
    form and changes nothing."""

    def _action_page(self, request, object_id, *, form_class, title, perform, done):
        if not self.has_change_permission(request):
            raise PermissionDenied
        obj = self.get_object(request, object_id)
        if obj is None:
            raise Http404("对象不存在")
        form = form_class(request.POST or None, request.FILES or None, obj=obj)
        if request.method == "POST" and form.is_valid():
            try:
                perform(request, obj, form.cleaned_data)
            except CongressError as exc:
                form.add_error(None, exc.messages)
            else:
                self.message_user(request, done, messages.SUCCESS)
                info = self.opts.app_label, self.opts.model_name
                return HttpResponseRedirect(reverse("admin:{}_{}_change".format(*info), args=[obj.pk]))
        context = {**self.admin_site.each_context(request), "opts": self.opts, "original": obj, "form": form,
                   "title": title, "media": self.media + form.media, "has_view_permission": True}
        return TemplateResponse(request, "admin/action_form.html", context)
