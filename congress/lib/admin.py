"""Shared admin building blocks: a paginator that does not count a million rows, the town scope for town
staff, read-only logs, and the logged Excel export of any change list. Every app's admin builds on these; no app
imports another app's admin module (import-linter, pyproject.toml)."""
import io

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.http import content_disposition_header
from openpyxl import Workbook

from congress.models import ExportRecord
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


class CongressModelAdmin(admin.ModelAdmin):
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


class ReadOnlyInline(admin.TabularInline):
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


class ReadOnlyLogAdmin(CongressModelAdmin):
    """Logs are append-only: nobody adds, changes or deletes a row through the admin."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class TownScopedInline:
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


@admin.action(description="导出所选为 Excel")
def export_xlsx(modeladmin, request, queryset):
    """Any staff list (waiting for verification, no activity this quarter, checklist by town) as a workbook, with
    the columns the list shows; logged in ExportRecord like every export."""
    changelist = modeladmin.get_changelist_instance(request)
    columns = [c for c in changelist.list_display if c != "action_checkbox"]
    book = Workbook()
    sheet = book.active
    sheet.title = str(modeladmin.opts.verbose_name_plural)[:31]
    sheet.append([str(admin.utils.label_for_field(c, modeladmin.model, modeladmin)) for c in columns])
    rows = 0
    for obj in queryset:
        values = []
        for c in columns:
            field, _a, value = admin.utils.lookup_field(c, obj, modeladmin)
            if field is not None and getattr(field, "choices", None):
                value = admin.utils.display_for_field(value, field, "")  # "已接待", not "held"
            values.append(value if isinstance(value, int | float) else str(value if value is not None else ""))
        sheet.append(values)
        rows += 1
    out = io.BytesIO()
    book.save(out)
    ExportRecord.objects.create(user=request.user, model_label=modeladmin.opts.label_lower, row_count=rows,
                                file_format="xlsx")
    response = HttpResponse(out.getvalue(),
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = content_disposition_header(
        True, f"{modeladmin.opts.verbose_name_plural}-{timezone.localdate():%Y%m%d}.xlsx")
    return response
