from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, OuterRef, Prefetch, Subquery
from django.db.models.functions import Coalesce
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html

from congress.lib.admin import StaffActionsMixin, TownScopedAdmin, TownScopedInline
from congress.lib.importexport import CongressImportExportMixin
from congress.lib.queries import related_count
from congress.services import CongressError
from deputies.admin import export_xlsx
from stations import forms, selectors, services
from stations.conf import stations_setting
from stations.models import ReceptionDay, ReceptionDuty, Station, StationDeputy
from stations.resources import StationResource


class ReceptionThisMonthFilter(admin.SimpleListFilter):
    """RULES.md: each 代表联络站 receives voters at least RECEPTION_MIN_PER_MONTH times a month (scheduled or held
    reception days); this finds the stations below that and those that meet it."""

    title = "本月接待选民日"
    parameter_name = "reception_month"

    def lookups(self, request, model_admin):
        least = stations_setting("RECEPTION_MIN_PER_MONTH")
        return [("none", f"本月未达 {least} 次"), ("some", f"本月已达 {least} 次")]

    def queryset(self, request, queryset):
        if self.value() not in {"none", "some"}:
            return queryset
        month = (selectors.receptions_this_month(timezone.localdate()).filter(station=OuterRef("pk")).order_by()
                 .values("station").annotate(n=Count("pk")).values("n"))
        queryset = queryset.annotate(month_receptions=Coalesce(Subquery(month), 0))
        least = stations_setting("RECEPTION_MIN_PER_MONTH")
        if self.value() == "none":
            return queryset.filter(month_receptions__lt=least)
        return queryset.filter(month_receptions__gte=least)


class StationDeputyInline(TownScopedInline, admin.TabularInline):
    model = StationDeputy
    extra = 0
    autocomplete_fields = ["deputy"]


@admin.register(Station)
class StationAdmin(CongressImportExportMixin, TownScopedAdmin):
    resource_classes = [StationResource]
    list_display = ["name", "kind", "town", "address", "contact_name", "opening_hours", "deputy_count", "is_active"]
    list_filter = ["kind", "town", "is_active", ReceptionThisMonthFilter]
    list_select_related = ["town"]
    search_fields = ["name", "address"]
    autocomplete_fields = ["town"]
    inlines = [StationDeputyInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(deputy_count=related_count(StationDeputy, "station"))

    @admin.display(description="进站代表数", ordering="deputy_count")
    def deputy_count(self, obj):
        return obj.deputy_count


@admin.register(StationDeputy)
class StationDeputyAdmin(TownScopedAdmin):
    town_lookup = "station__town"
    list_display = ["station", "deputy", "since", "is_resident"]
    list_filter = ["is_resident", "station__kind"]
    list_select_related = ["station", "deputy"]
    search_fields = ["station__name", "deputy__full_name"]
    autocomplete_fields = ["station", "deputy"]


class ReceptionDutyInline(admin.TabularInline):
    model = ReceptionDuty
    extra = 0
    fields = ["deputy"]
    readonly_fields = ["deputy"]
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(ReceptionDay)
class ReceptionDayAdmin(StaffActionsMixin, TownScopedAdmin):
    """Scheduling, cancelling and recording a reception day are pages that call stations.services; the change page
    itself only shows the record, with links to the two next steps."""

    town_lookup = "station__town"
    list_display = ["date", "time_range", "station", "topic", "duty_names", "status", "visitor_count", "opinion_count"]
    list_filter = ["status", "station__kind", "station__town"]
    list_select_related = ["station"]
    search_fields = ["station__name", "topic"]
    date_hierarchy = "date"
    inlines = [ReceptionDutyInline]
    fields = ["station", "date", "starts_at", "ends_at", "topic", "units", "status", "next_steps", "visitor_count",
              "opinion_count", "summary", "cancel_reason", "activity", "created_by", "created_at"]
    readonly_fields = fields
    actions = [export_xlsx]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related(
            Prefetch("duties", queryset=ReceptionDuty.objects.select_related("deputy").order_by("pk")), "visiting_units")

    @admin.display(description="时间")
    def time_range(self, obj):
        return f"{obj.starts_at:%H:%M}—{obj.ends_at:%H:%M}"

    @admin.display(description="接待代表")
    def duty_names(self, obj):
        return "、".join(d.deputy.full_name for d in obj.duties.all())

    @admin.display(description="进站国家机关")
    def units(self, obj):
        return "、".join(u.name for u in obj.visiting_units.all()) or "—"

    @admin.display(description="办理")
    def next_steps(self, obj):
        if obj.status != ReceptionDay.Status.SCHEDULED:
            return "—"
        return format_html('<a class="button" href="{}">登记接待情况</a> <a class="button" href="{}">取消接待</a>',
                           reverse("admin:stations_receptionday_record", args=[obj.pk]),
                           reverse("admin:stations_receptionday_cancel", args=[obj.pk]))

    def get_urls(self):
        from django.urls import path

        view = self.admin_site.admin_view
        return [path("<path:object_id>/record/", view(self.record_view), name="stations_receptionday_record"),
                path("<path:object_id>/cancel/", view(self.cancel_view), name="stations_receptionday_cancel"),
                *super().get_urls()]

    def add_view(self, request, form_url="", extra_context=None):
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = forms.ReceptionScheduleForm(request.POST or None, user=request.user)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                reception = services.reception_schedule(
                    actor=request.user, station_id=data["station"].pk, date=data["date"], starts_at=data["starts_at"],
                    ends_at=data["ends_at"], deputy_ids=[d.pk for d in data["deputies"]], topic=data["topic"],
                    unit_ids=[u.pk for u in data["visiting_units"]])
            except CongressError as exc:
                form.add_error(None, exc.messages)
            else:
                self.message_user(request, f"已安排{reception}，并通知接待代表。", messages.SUCCESS)
                return HttpResponseRedirect(reverse("admin:stations_receptionday_change", args=[reception.pk]))
        context = {**self.admin_site.each_context(request), "opts": self.opts, "form": form, "title": "安排接待选民日",
                   "notice_days": stations_setting("RECEPTION_NOTICE_DAYS"), "media": self.media + form.media,
                   "has_view_permission": True}
        return TemplateResponse(request, "admin/stations/reception_schedule.html", context)

    def record_view(self, request, object_id):
        def perform(r, reception, d):
            services.reception_record(actor=r.user, reception_id=reception.pk, visitor_count=d["visitor_count"],
                                      opinion_count=d["opinion_count"], summary=d["summary"],
                                      present_ids=[p.pk for p in d["present"]])

        return self._action_page(request, object_id, form_class=forms.ReceptionRecordForm, title="登记接待情况",
                                 done="已登记，到场代表的“接待选民”履职活动已记入。", perform=perform)

    def cancel_view(self, request, object_id):
        return self._action_page(
            request, object_id, form_class=forms.ReceptionCancelForm, title="取消接待", done="已取消并通知接待代表。",
            perform=lambda r, reception, d: services.reception_cancel(actor=r.user, reception_id=reception.pk,
                                                                      reason=d["reason"]))
