from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html

from congress.lib.admin import (
    ReadOnlyInline,
    ReadOnlyLogAdmin,
    RecordReadOnlyMixin,
    TownScopedAdmin,
    TownScopedInline,
    WorkflowAdminMixin,
    WorkflowPage,
    export_xlsx,
    year_filter,
)
from congress.lib.importexport import CongressImportExportMixin
from congress.lib.pdf import pdf_response
from congress.lib.queries import related_count
from congress.services import CongressError
from stations import forms, selectors, services
from stations.admin_organs import StationFiguresAdminMixin  # also registers the organs' admin (国家机关进家站点)
from stations.conf import stations_setting
from stations.models import (
    ReceptionDay,
    ReceptionDuty,
    Station,
    StationDeputy,
    VoterContactView,
    VoterOpinion,
)
from stations.resources import StationResource
from stations.workflows import OPINION, RECEPTION


class ReceptionThisMonthFilter(admin.SimpleListFilter):
    """docs/rules.md: each 代表联络站 receives voters at least RECEPTION_MIN_PER_MONTH times a month (scheduled or held
    reception days); this finds the stations below that and those that meet it."""

    title = "本月接待选民日"
    parameter_name = "reception_month"

    def lookups(self, request, model_admin):
        least = stations_setting("RECEPTION_MIN_PER_MONTH")
        return [("none", f"本月未达 {least} 次"), ("some", f"本月已达 {least} 次")]

    def queryset(self, request, queryset):
        if self.value() not in {"none", "some"}:
            return queryset
        queryset = selectors.with_month_receptions(queryset, timezone.localdate())
        least = stations_setting("RECEPTION_MIN_PER_MONTH")
        if self.value() == "none":
            return queryset.filter(month_receptions__lt=least)
        return queryset.filter(month_receptions__gte=least)


class StationDeputyInline(TownScopedInline, admin.TabularInline):
    model = StationDeputy
    extra = 0
    autocomplete_fields = ["deputy"]


@admin.register(Station)
class StationAdmin(StationFiguresAdminMixin, CongressImportExportMixin, TownScopedAdmin):
    resource_classes = [StationResource]
    list_display = ["name", "kind", "town", "address", "contact_name", "opening_hours", "deputy_count", "is_active"]
    list_filter = ["kind", "town", "is_active", ReceptionThisMonthFilter]
    list_select_related = ["town"]
    search_fields = ["name", "address"]
    autocomplete_fields = ["town"]
    inlines = [StationDeputyInline]
    readonly_fields = ["opinion_qr"]

    @admin.display(description="社情民意二维码")
    def opinion_qr(self, obj):
        if obj is None or obj.pk is None:
            return "保存后生成，打印张贴在站点，群众扫码即可反映意见"
        qr = reverse("stations:qr", args=[obj.pk])
        return format_html('<img src="{}" width="200" height="200" alt="社情民意二维码"><br><a href="{}" target="_blank">'
                           '打开二维码以打印</a> · 扫码打开 <a href="{}" target="_blank">{}</a>', qr, qr,
                           reverse("stations:opinion_new", args=[obj.pk]), reverse("stations:opinion_new", args=[obj.pk]))

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(deputy_count=related_count(StationDeputy, "station"))

    @admin.display(description="进站代表数", ordering="deputy_count")
    def deputy_count(self, obj):
        return obj.deputy_count

    def get_urls(self):
        return [path("<path:object_id>/poster/", self.admin_site.admin_view(self.poster_view),
                     name="stations_station_poster")] + super().get_urls()

    def poster_view(self, request, object_id):
        """The A4 poster (PDF) of a station this person may view (town staff: their towns' stations only)."""
        from stations.printables import station_poster_pdf

        if not self.has_view_permission(request):
            raise PermissionDenied
        station = self.get_object(request, object_id)
        if station is None:
            raise Http404("家站点不存在")
        data = station_poster_pdf(station, today=timezone.localdate(), opinion_url=request.build_absolute_uri(
            reverse("stations:opinion_new", args=[station.pk])))
        return pdf_response(data, f"{station.name}公示牌.pdf")


@admin.register(StationDeputy)
class StationDeputyAdmin(TownScopedAdmin):
    town_lookup = "station__town"
    list_display = ["station", "deputy", "since", "is_resident"]
    list_filter = ["is_resident", "station__kind"]
    list_select_related = ["station", "deputy"]
    search_fields = ["station__name", "deputy__full_name"]
    autocomplete_fields = ["station", "deputy"]


class ReceptionDutyInline(ReadOnlyInline):
    model = ReceptionDuty
    fields = ["deputy"]
    readonly_fields = ["deputy"]


class ToRecordFilter(admin.SimpleListFilter):
    """Reception days that are over but still 已安排: their outcome waits to be recorded (the index's to-do)."""

    title = "接待情况"
    parameter_name = "to_record"

    def lookups(self, request, model_admin):
        return [("1", "已过接待日、待登记")]

    def queryset(self, request, queryset):
        if self.value() == "1":
            return queryset.filter(status=ReceptionDay.Status.SCHEDULED, date__lt=timezone.localdate())
        return queryset


@admin.register(ReceptionDay)
class ReceptionDayAdmin(RecordReadOnlyMixin, WorkflowAdminMixin, TownScopedAdmin):
    """Scheduling, cancelling and recording a reception day are pages that call stations.services; the change page
    itself only shows the record, with the buttons of the steps this person may take now (stations.workflows)."""

    workflow = RECEPTION
    workflow_pages = [
        WorkflowPage("record", "登记接待情况", ("record",), forms.ReceptionRecordForm,
                     "已登记，到场代表的“接待选民”履职活动已记入。",
                     lambda r, reception, d: services.reception_record(
                         actor=r.user, reception_id=reception.pk, visitor_count=d["visitor_count"],
                         opinion_count=d["opinion_count"], summary=d["summary"], present_ids=[p.pk for p in d["present"]])),
        WorkflowPage("cancel", "取消接待", ("cancel",), forms.ReceptionCancelForm, "已取消并通知接待代表。",
                     lambda r, reception, d: services.reception_cancel(actor=r.user, reception_id=reception.pk,
                                                                       reason=d["reason"])),
    ]
    change_form_template = "admin/workflow_change_form_timeline.html"

    town_lookup = "station__town"
    list_display = ["date", "time_range", "station", "topic", "duty_names", "status", "visitor_count", "opinion_count"]
    list_filter = [year_filter("date"), "status", ToRecordFilter, "station__kind", "station__town"]
    list_select_related = ["station"]
    search_fields = ["station__name", "topic"]
    inlines = [ReceptionDutyInline]
    fields = ["station", "date", "starts_at", "ends_at", "topic", "units", "status", "visitor_count",
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
        intro = (f"安排后即在家站点公开页面公告，并通知接待代表；接待前一天再次提醒。"
                 f"接待日须至少提前 {stations_setting('RECEPTION_NOTICE_DAYS')} 天公告。")
        context = {**self.admin_site.each_context(request), "opts": self.opts, "form": form, "title": "安排接待选民日",
                   "intro": intro, "submit_label": "安排并通知", "media": self.media + form.media,
                   "has_view_permission": True}
        return TemplateResponse(request, "admin/form_page.html", context)


@admin.register(VoterOpinion)
class VoterOpinionAdmin(WorkflowAdminMixin, TownScopedAdmin):
    """Each step of the closed loop is a page that calls stations.services; the record itself is read-only. The full
    phone number shows only to those who may see it, and each such view is logged."""

    workflow = OPINION
    workflow_pages = [
        WorkflowPage("refer", "转办", ("refer",), forms.OpinionReferForm, "已转办。",
                     lambda r, o, d: services.opinion_refer(actor=r.user, opinion_id=o.pk, unit_id=d["unit"].pk,
                                                            note=d["note"])),
        WorkflowPage("reply", "答复", ("reply",), forms.OpinionReplyForm, "已答复，群众凭查询码可以看到。",
                     lambda r, o, d: services.opinion_reply(actor=r.user, opinion_id=o.pk, reply=d["reply"])),
        WorkflowPage("decline", "不予受理", ("decline",), forms.OpinionDeclineForm, "已不予受理。",
                     lambda r, o, d: services.opinion_decline(actor=r.user, opinion_id=o.pk, reason=d["reason"])),
        WorkflowPage("close", "回访办结", ("close",), forms.OpinionCloseForm, "已办结。",
                     lambda r, o, d: services.opinion_close(actor=r.user, opinion_id=o.pk,
                                                            satisfaction=d["satisfaction"], note=d["note"])),
    ]
    change_form_template = "admin/workflow_change_form_timeline.html"

    town_lookup = "station__town"
    list_display = ["tracking_code", "created_at", "station", "category", "summary", "phone_masked", "status",
                    "unit", "satisfaction"]
    list_filter = [year_filter("created_at"), "status", "category", "satisfaction", "station__town"]
    list_select_related = ["station", "unit"]
    search_fields = ["=tracking_code", "content", "station__name"]
    FIELDS = ["tracking_code", "station", "category", "content", "name", "phone_masked", "status", "unit",
              "reply", "replied_at", "decline_reason", "satisfaction", "first_satisfaction", "created_at", "closed_at"]
    actions = [export_xlsx]

    def _sees_contact(self, request):
        return request.user.has_perm("stations.view_voter_contact")

    def get_fields(self, request, obj=None):
        if self._sees_contact(request):
            return [("phone_full" if f == "phone_masked" else f) for f in self.FIELDS]
        return list(self.FIELDS)

    def get_readonly_fields(self, request, obj=None):
        return self.get_fields(request, obj)

    @admin.display(description="内容")
    def summary(self, obj):
        return obj.content[:30] + ("…" if len(obj.content) > 30 else "")

    @admin.display(description="联系电话")
    def phone_masked(self, obj):
        return obj.phone_masked

    @admin.display(description="联系电话")
    def phone_full(self, obj):
        return obj.phone

    def change_view(self, request, object_id, form_url="", extra_context=None):
        response = super().change_view(request, object_id, form_url, extra_context)
        original = getattr(response, "context_data", {}).get("original")
        # any rendered page counts, not only a GET: a POST that fails validation shows the number again
        if response.status_code == 200 and original is not None and original.phone and self._sees_contact(request):
            services.voter_contact_view_record(actor=request.user, opinion_id=original.pk)
        return response

    def has_add_permission(self, request):
        return False  # opinions come from voters through the public form

    def has_change_permission(self, request, obj=None):
        # the record itself is read-only (its steps are the workflow's pages); the pages need the model permission
        return obj is None and super().has_change_permission(request)

    change_list_template = "admin/stations/voteropinion/change_list.html"

    def get_paginator(self, request, queryset, per_page, orphans=0, allow_empty_first_page=True):
        """The list's 办结率 and 满意率 count every opinion the filters select (one aggregate query, which reads them all
        anyway): its total is the list's count too, so the page does not count them again (nor estimate them). Over a
        large table they are kept as a list's count is (EstimatedCountPaginator.kept), and the page says when they
        were counted."""
        paginator = super().get_paginator(request, queryset, per_page, orphans, allow_empty_first_page)
        if getattr(queryset, "model", None) is not VoterOpinion:
            return paginator  # Django pages an opinion's history (log entries) through here too
        rates, taken_at = (paginator.kept("admin_opinion_rates", lambda: selectors.opinion_rates(queryset))
                           if hasattr(paginator, "kept") else (selectors.opinion_rates(queryset), None))
        paginator.opinion_rates = {**rates, "taken_at": taken_at, "kept_seconds": settings.ADMIN_COUNTS_CACHE_SECONDS}
        paginator.count = rates["total"]
        return paginator

    def changelist_view(self, request, extra_context=None):
        """The list's 办结率 and 满意率 for whatever the filters select (see get_paginator)."""
        response = super().changelist_view(request, extra_context)
        changelist = getattr(response, "context_data", {}).get("cl")
        if changelist is not None:
            response.context_data["opinion_rates"] = changelist.paginator.opinion_rates
        return response


@admin.register(VoterContactView)
class VoterContactViewAdmin(ReadOnlyLogAdmin):
    list_display = ["viewed_at", "user", "opinion"]
    list_select_related = ["user", "opinion"]
    search_fields = ["opinion__tracking_code", "user__username"]
    list_filter = [year_filter("viewed_at")]


from stations import admin_standards  # noqa: E402, F401  (the 八有 standards and the star ratings)
