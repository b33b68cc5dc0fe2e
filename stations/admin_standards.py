"""The 八有 standards and the star ratings in the admin (imported at the end of stations/admin.py).

- 八有标准项: the checklist committee staff keep. 家站点“八有”达标情况: each station's state against each item, recorded
  on the 填报 page (stations.standards.standard_record; town staff for their towns), the photo served only through
  the permission-checked photo view; the 缺项家站点 page lists the stations missing an item (filter by item and town).
- 星级评定标准（年度）: a year's criteria and points (summing to 100), editable until the year's first appraisal is
  confirmed. 星级评定: opened and scored by town staff, confirmed or returned by committee staff on the workflow's
  pages (stations.workflows.STAR_RATING). The station's own page shows its states and its appraisals by year.
Nothing here changes a state itself."""
from django import forms as djforms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.forms.models import BaseInlineFormSet
from django.http import Http404, HttpResponseNotAllowed, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join

from congress.lib import uploads
from congress.lib.admin import (
    CongressModelAdmin,
    GatedInline,
    ReadOnlyInline,
    RecordReadOnlyMixin,
    TownScopedAdmin,
    WorkflowAdminMixin,
    WorkflowPage,
    export_xlsx,
)
from congress.selectors import towns_for
from congress.services import CongressError
from stations import forms_standards as forms
from stations import selectors, standards
from stations import selectors_standards as sel
from stations.admin import StationAdmin
from stations.models import (
    RatingCriterion,
    RatingScheme,
    StandardItem,
    StationAppraisal,
    StationAppraisalScore,
    StationStandard,
)
from stations.workflows import STAR_RATING


def _photo_link(state) -> str:
    if not state or not state.photo:
        return "—"
    return format_html('<a href="{}" target="_blank" rel="noopener">查看照片</a>',
                       reverse("admin:stations_stationstandard_photo", args=[state.pk]))


@admin.register(StandardItem)
class StandardItemAdmin(CongressModelAdmin):
    list_display = ["name", "order", "is_active", "description"]
    list_filter = ["is_active"]
    search_fields = ["name"]
    fields = ["name", "description", "order", "is_active"]


@admin.register(StationStandard)
class StationStandardAdmin(RecordReadOnlyMixin, TownScopedAdmin):
    town_lookup = "station__town"
    list_display = ["station", "station_town", "item", "met", "photo_link", "note", "updated_by", "updated_at"]
    list_filter = ["item", "met", "station__town"]
    list_select_related = ["station__town", "item", "updated_by"]
    search_fields = ["station__name", "item__name"]
    fields = ["station", "item", "met", "photo_link", "note", "updated_by", "updated_at", "record_again"]
    readonly_fields = fields
    actions = [export_xlsx]
    change_list_template = "admin/stations/stationstandard/change_list.html"

    @admin.display(description="镇街", ordering="station__town__sort_order")
    def station_town(self, obj):
        return obj.station.town.name

    @admin.display(description="佐证照片")
    def photo_link(self, obj):
        return _photo_link(obj)

    @admin.display(description="重新填报")
    def record_again(self, obj):
        url = reverse("admin:stations_stationstandard_add") + f"?station={obj.station_id}&item={obj.item_id}"
        return format_html('<a href="{}" id="record-again">重新填报本项</a>', url)

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [path("<path:object_id>/photo/", wrap(self.photo_view), name="stations_stationstandard_photo"),
                path("missing/", wrap(self.missing_view), name="stations_stationstandard_missing"),
                *super().get_urls()]

    def photo_view(self, request, object_id):
        """The evidence photo, for whoever may see that station's standards (a re-encoded JPEG, shown inline)."""
        if request.method != "GET":
            return HttpResponseNotAllowed(["GET"])
        try:
            pk = int(object_id)
        except ValueError:
            raise Http404("照片不存在") from None
        state = sel.get_standard_photo_for_user(request.user, pk)
        return uploads.serve(request, state.photo, filename=f"{state.station.name}{state.item.name}", inline_image=True)

    def missing_view(self, request):
        """缺项家站点: running stations missing an active item, in this person's towns, filtered by item and town."""
        if request.method != "GET":
            return HttpResponseNotAllowed(["GET"])
        if not self.has_view_permission(request):
            raise PermissionDenied
        form = forms.GapFilterForm(request.GET or None, user=request.user)
        filters = form.cleaned_data if form.is_valid() else {}
        rows = sel.standard_gaps(towns=towns_for(request.user), item=filters.get("item"), town=filters.get("town"))
        context = {**self.admin_site.each_context(request), "opts": self.opts, "title": "“八有”缺项家站点",
                   "form": form, "rows": rows, "has_view_permission": True,
                   "can_record": self.has_add_permission(request)}
        return TemplateResponse(request, "admin/stations/stationstandard/missing.html", context)

    def add_view(self, request, form_url="", extra_context=None):
        """填报达标情况: one station and item; recorded again, it replaces the earlier state."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        initial = {k: request.GET.get(k) for k in ("station", "item") if request.GET.get(k, "").isdigit()}
        form = forms.StandardRecordForm(request.POST or None, request.FILES or None, user=request.user, initial=initial)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                state = standards.standard_record(actor=request.user, station_id=data["station"].pk,
                                                  item_id=data["item"].pk, met=data["met"], photo=data["photo"],
                                                  note=data["note"], clear_photo=data["clear_photo"])
            except CongressError as exc:
                form.add_error(None, exc.messages)
            else:
                self.message_user(request, f"已填报：{state}（{'已达标' if state.met else '未达标'}）。", messages.SUCCESS)
                return HttpResponseRedirect(reverse("admin:stations_stationstandard_change", args=[state.pk]))
        context = {**self.admin_site.each_context(request), "opts": self.opts, "form": form, "title": "填报“八有”达标情况",
                   "intro": "标记已达标须上传一张照片作为佐证；同一站点同一标准项再次填报即更新原记录。",
                   "submit_label": "保存", "media": self.media + form.media, "has_view_permission": True}
        return TemplateResponse(request, "admin/stations/stationstandard/record.html", context)


class CriteriaFormSet(BaseInlineFormSet):
    """The points of a year's criteria add up to the set total (stations.standards.criteria_check_total)."""

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        try:
            standards.criteria_check_total(f.cleaned_data.get("max_points") for f in self.forms
                                           if f.cleaned_data and not f.cleaned_data.get("DELETE"))
        except CongressError as exc:
            raise djforms.ValidationError(exc.messages) from None


class RatingCriterionInline(GatedInline):
    model = RatingCriterion
    formset = CriteriaFormSet
    fields = ["name", "max_points", "description", "order"]
    extra = 0

    def get_extra(self, request, obj=None, **kwargs):
        return 4 if obj is None else 0

    def editable(self, request, obj):
        return not sel.scheme_locked(obj)


@admin.register(RatingScheme)
class RatingSchemeAdmin(CongressModelAdmin):
    """A year's criteria: editable until the first appraisal of that year is confirmed (then every station of the year
    has been measured by the same table)."""

    list_display = ["year", "criteria_text", "locked", "note"]
    fields = ["year", "note"]
    inlines = [RatingCriterionInline]

    def get_queryset(self, request):
        return sel.schemes_with_lock(super().get_queryset(request).prefetch_related("criteria"))

    @admin.display(description="评分项目及分值")
    def criteria_text(self, obj):
        return "，".join(str(c) for c in obj.criteria.all()) or "尚未设置"

    @admin.display(description="已锁定", boolean=True)
    def locked(self, obj):
        return sel.scheme_locked(obj)

    def get_readonly_fields(self, request, obj=None):
        return ["year", "note"] if sel.scheme_locked(obj) else []

    def change_view(self, request, object_id, form_url="", extra_context=None):
        scheme = self.get_object(request, object_id)
        if scheme is not None and request.method == "GET" and not sel.scheme_locked(scheme):
            scored = sel.scored_appraisals_in(scheme.year)
            if scored:
                self.message_user(request, f"{scheme.year}年度已有{scored}份未确认的星级评定录入了得分。增加评分项目或调低分值后，"
                                           "这些评定须补评或重新评分，才能提交或确认。", messages.WARNING)
        return super().change_view(request, object_id, form_url, extra_context)

    def has_delete_permission(self, request, obj=None):
        return not sel.scheme_locked(obj) and super().has_delete_permission(request, obj)


class ScoreInline(ReadOnlyInline):
    model = StationAppraisalScore
    fields = ["criterion", "points"]
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("criterion")


@admin.register(StationAppraisal)
class StationAppraisalAdmin(RecordReadOnlyMixin, WorkflowAdminMixin, TownScopedAdmin):
    """星级评定: opened on the add page, scored, submitted, confirmed or returned on the workflow's pages; the change
    page shows the record, its item scores, the year's figures it weighed, and its steps."""

    workflow = STAR_RATING
    workflow_pages = [
        WorkflowPage("score", "逐项评分", ("score",), forms.AppraisalScoreForm, "评分已保存。",
                     lambda r, a, d: standards.appraisal_score(actor=r.user, appraisal_id=a.pk, basis=d["basis"],
                                                               points={int(k.split("_")[1]): v for k, v in d.items()
                                                                       if k.startswith("criterion_")})),
        WorkflowPage("submit", "提交确认", ("submit",), forms.NothingForm, "已提交，等待区人大常委会确认。",
                     lambda r, a, d: standards.appraisal_submit(actor=r.user, appraisal_id=a.pk)),
        WorkflowPage("confirm", "确认星级", ("confirm",), forms.ConfirmForm, "已确认，星级已在家站点公开页面显示。",
                     lambda r, a, d: standards.appraisal_confirm(actor=r.user, appraisal_id=a.pk, note=d["note"])),
        WorkflowPage("return", "退回修改", ("return",), forms.ReturnForm, "已退回，并通知评分人。",
                     lambda r, a, d: standards.appraisal_return(actor=r.user, appraisal_id=a.pk, reason=d["reason"])),
    ]
    change_form_template = "admin/workflow_change_form_timeline.html"

    town_lookup = "station__town"
    list_display = ["station", "station_town", "year", "status", "score", "stars", "created_by", "appraised_by"]
    list_filter = ["year", "status", "stars", "station__kind", "station__town"]
    list_select_related = ["station__town", "created_by", "appraised_by"]
    search_fields = ["station__name"]
    fields = ["station", "year", "status", "score", "stars", "basis", "return_reason", "is_legacy", "created_by",
              "appraised_on", "appraised_by", "year_figures"]
    readonly_fields = fields
    inlines = [ScoreInline]
    actions = [export_xlsx]

    @admin.display(description="镇街", ordering="station__town__sort_order")
    def station_town(self, obj):
        return obj.station.town.name

    @admin.display(description="当年工作数据")
    def year_figures(self, obj):
        f = selectors.station_year_figures(obj.station, obj.year)
        rate = lambda v: "—" if v is None else f"{v}%"  # noqa: E731
        return (f"接待选民日 {f['receptions']} 次，接待群众 {f['visitors']} 人次；收到社情民意 {f['total']} 条，"
                f"办结率 {rate(f['closed_rate'])}，满意率 {rate(f['satisfied_rate'])}")

    def add_view(self, request, form_url="", extra_context=None):
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = forms.AppraisalOpenForm(request.POST or None, user=request.user,
                                       initial={"year": timezone.localdate().year - 1})
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                appraisal = standards.appraisal_open(actor=request.user, station_id=data["station"].pk, year=data["year"])
            except CongressError as exc:
                form.add_error(None, exc.messages)
            else:
                self.message_user(request, f"已开始：{appraisal}，请逐项评分后提交。", messages.SUCCESS)
                return HttpResponseRedirect(reverse("admin:stations_stationappraisal_change", args=[appraisal.pk]))
        context = {**self.admin_site.each_context(request), "opts": self.opts, "form": form, "title": "开始星级评定",
                   "intro": "镇街人大工作人员按当年星级评定标准逐项评分并提交，区人大常委会机关工作人员确认后按总分评定星级。",
                   "submit_label": "开始评分", "media": self.media + form.media, "has_view_permission": True}
        return TemplateResponse(request, "admin/form_page.html", context)


# -- on the station's own page: its 八有 states and its appraisals by year ---------------------------------------------
# (read-only fields, not inlines: the station's form posts nothing more for them)

@admin.display(description="“八有”达标情况")
def station_standards(station):
    if station is None or station.pk is None:
        return "—"
    rows = format_html_join("", "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>", (
        (row["item"].name, "已达标" if row["met"] else ("未达标" if row["state"] else "未填报"), _photo_link(row["state"]),
         row["state"].note if row["state"] else "") for row in sel.standard_states(station)))
    return format_html('<table id="station-standards"><thead><tr><th>标准项</th><th>达标情况</th><th>佐证照片</th>'
                       "<th>说明</th></tr></thead><tbody>{}</tbody></table>", rows)


@admin.display(description="星级评定（按年度）")
def station_appraisals(station):
    if station is None or station.pk is None:
        return "—"
    history = sel.appraisal_history(station)
    if not history:
        return "尚无星级评定"
    rows = format_html_join("", '<tr><td><a href="{}">{}年</a></td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>', (
        (reverse("admin:stations_stationappraisal_change", args=[a.pk]), a.year, a.get_status_display(),
         "—" if a.score is None else a.score, a.get_stars_display() or "—",
         "按旧办法评定" if a.is_legacy else (a.appraised_on or "")) for a in history))
    return format_html('<table id="station-appraisals"><thead><tr><th>年度</th><th>状态</th><th>总分</th><th>星级</th>'
                       "<th>确认日期</th></tr></thead><tbody>{}</tbody></table>", rows)


StationAdmin.readonly_fields = [*StationAdmin.readonly_fields, station_standards, station_appraisals]
