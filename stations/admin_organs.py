"""The admin of 国家机关进家站点 (the organs' item lists, their visits and the figures per organ, station and item) and
of the stations' figures (on the station's change page, and the per-town table). Imported at the end of
stations/admin.py; StationAdmin takes StationFiguresAdminMixin."""
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.views.decorators.http import require_GET

from congress.lib.admin import CongressModelAdmin, RecordReadOnlyMixin, TownScopedAdmin, export_xlsx, year_filter
from congress.selectors import town_list, towns_for
from congress.services import CongressError
from stations import figures
from stations import selectors_organs as sel
from stations.forms_organs import OrganPickForm, OrganVisitForm, YearForm
from stations.models import Station
from stations.models_organs import OrganServiceItem, OrganVisit
from stations.services_organs import organ_visit_record


def _year(request) -> int | None:
    form = YearForm(request.GET or None)
    return form.cleaned_data.get("year") if form.is_valid() else None


def _years() -> list[int]:
    this = timezone.localdate().year
    return list(range(this, this - 10, -1))


@admin.register(OrganServiceItem)
class OrganServiceItemAdmin(CongressModelAdmin):
    """The organs' lists of items handled at stations; the organs keep their own in the unit workspace too."""

    list_display = ["name", "organ", "sort_order", "is_active"]
    list_filter = ["is_active", "organ__kind"]
    list_select_related = ["organ"]
    search_fields = ["name", "organ__name"]
    autocomplete_fields = ["organ"]
    fields = ["organ", "name", "description", "sort_order", "is_active"]
    actions = [export_xlsx]


@admin.register(OrganVisit)
class OrganVisitAdmin(RecordReadOnlyMixin, TownScopedAdmin):
    """Visits are recorded on the add page through stations.services_organs (the organ first, then its items); the
    record itself is read-only. 统计 shows the figures per organ, per station and per item."""

    town_lookup = "station__town"
    list_display = ["date", "organ", "station", "staff_names", "item_names", "voters_served"]
    list_filter = [year_filter("date"), "organ__kind", "station__town"]
    list_select_related = ["organ", "station"]
    search_fields = ["organ__name", "station__name", "staff_names"]
    fields = ["organ", "station", "date", "staff_names", "item_names", "voters_served", "results", "recorded_by",
              "recorded_at"]
    readonly_fields = fields
    actions = [export_xlsx]
    change_list_template = "admin/stations/organvisit/change_list.html"

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related(
            Prefetch("items", queryset=OrganServiceItem.objects.order_by("sort_order", "name")))

    @admin.display(description="办理事项")
    def item_names(self, obj):
        return "、".join(i.name for i in obj.items.all()) or "—"

    def get_urls(self):
        return [path("figures/", self.admin_site.admin_view(require_GET(self.figures_view)),
                     name="stations_organvisit_figures")] + super().get_urls()

    def figures_view(self, request):
        """统计: per organ, per station (town staff: their towns'), per item; each one grouped query."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        year = _year(request)
        towns = towns_for(request.user)
        stations = Station.objects.all() if towns is None else Station.objects.filter(town__in=towns)
        context = {**self.admin_site.each_context(request), "opts": self.opts, "title": "国家机关进家站点统计",
                   "year": year, "years": _years(), "organs": sel.organ_figures(year=year) if towns is None else None,
                   "stations": sel.station_visit_figures(stations, year=year),
                   "items": sel.items_handled(year=year, station_ids=None if towns is None else stations)}
        return TemplateResponse(request, "admin/stations/organ_figures.html", context)

    def add_view(self, request, form_url="", extra_context=None):
        if not self.has_add_permission(request):
            raise PermissionDenied
        organ = None
        if request.GET.get("organ"):
            pick = OrganPickForm({"organ": request.GET["organ"]})
            organ = pick.cleaned_data["organ"] if pick.is_valid() else None
        if organ is None:
            return self._pick_organ(request)
        form = OrganVisitForm(request.POST or None, organ=organ, user=request.user, admin_widgets=True)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                visit = organ_visit_record(actor=request.user, organ_id=organ.pk, station_id=data["station"].pk,
                                           date=data["date"], staff_names=data["staff_names"],
                                           item_ids=[i.pk for i in data["items"]], voters_served=data["voters_served"],
                                           results=data["results"])
            except CongressError as exc:
                form.add_error(None, exc.messages)
            else:
                self.message_user(request, f"已登记：{visit}", messages.SUCCESS)
                return HttpResponseRedirect(reverse("admin:stations_organvisit_change", args=[visit.pk]))
        intro = f"国家机关：{organ.name}。办理事项从该单位的进站事项中勾选；镇街工作人员只能登记本镇街的家站点。"
        return self._page(request, form, "登记国家机关进站活动", intro, "登记")

    def _pick_organ(self, request):
        form = OrganPickForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            return HttpResponseRedirect(f"{reverse('admin:stations_organvisit_add')}?organ={form.cleaned_data['organ'].pk}")
        return self._page(request, form, "登记国家机关进站活动：选择单位", "先选择进站的国家机关，再填写进站情况。", "下一步")

    def _page(self, request, form, title, intro, submit):
        context = {**self.admin_site.each_context(request), "opts": self.opts, "form": form, "title": title,
                   "intro": intro, "submit_label": submit, "media": self.media + form.media, "has_view_permission": True}
        return TemplateResponse(request, "admin/form_page.html", context)


def figures_table(rows: list[tuple[str, figures.Figures]]) -> str:
    """The figures as an admin table (the station's change page)."""
    head = ("", "接待选民日", "接待群众人次", "社情民意", "办结率", "满意占比", "办结用时中位数")
    body = format_html_join("", "<tr><th>{}</th><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>", (
        (label, f.receptions, f.visitors, f.opinions, figures.percent(f.closed_rate),
         figures.percent(f.satisfaction_rate), figures.days(f.median_days)) for label, f in rows))
    return format_html('<table class="station-figures"><thead><tr>{}</tr></thead><tbody>{}</tbody></table>',
                       format_html_join("", "<th>{}</th>", ((h,) for h in head)), body)


class StationFiguresAdminMixin:
    """The station's figures (this year and in all) on its change page, and 各镇街工作数据, the per-town table."""

    @admin.display(description="工作数据")
    def work_figures(self, obj):
        if obj is None or obj.pk is None:
            return "—"
        year = timezone.localdate().year
        this = figures.station_figures([obj.pk], year=year)[obj.pk]
        total = figures.station_figures([obj.pk])[obj.pk]
        return format_html('{}<p class="help">满意占比：已办结且有群众评价的意见中评为“满意”的比例；'
                           '<a href="{}">各镇街工作数据</a></p>', figures_table([(f"{year}年", this), ("累计", total)]),
                           reverse("admin:stations_station_town_figures"))

    def get_readonly_fields(self, request, obj=None):
        return [*super().get_readonly_fields(request, obj), "work_figures"]

    def get_urls(self):
        return [path("town-figures/", self.admin_site.admin_view(require_GET(self.town_figures_view)),
                     name="stations_station_town_figures")] + super().get_urls()

    def town_figures_view(self, request):
        """各镇街工作数据: one row per town (town staff: theirs), one grouped query for the whole table."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        year = _year(request)
        towns = towns_for(request.user)
        rows = figures.town_figures(town_list() if towns is None else towns, year=year)
        context = {**self.admin_site.each_context(request), "opts": self.opts, "title": "各镇街家站点工作数据",
                   "year": year, "years": _years(), "rows": rows}
        return TemplateResponse(request, "admin/stations/town_figures.html", context)
