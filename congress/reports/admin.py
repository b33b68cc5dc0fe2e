"""The reports in the admin: the archive of monthly reports (each one's page and PDF), the staff's narrative text per
chapter of the annual report, and the annual report's generated versions (ask for one, watch its progress, download
it). Leaders and committee staff read them (congress.roles); staff write the texts and ask for versions."""
from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseNotAllowed, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html

from congress.lib import uploads
from congress.lib.admin import CongressModelAdmin, ReadOnlyLogAdmin
from congress.models import AnnualReportText, AnnualReportVersion, MonthlyReport
from congress.reports import services


@admin.register(MonthlyReport)
class MonthlyReportAdmin(ReadOnlyLogAdmin):
    """The archive of all months, newest first; each month's page and PDF are drawn from its stored snapshot."""

    list_display = ["month_label", "state", "published_at", "data_taken_at", "attempts", "error_summary", "links"]
    list_filter = ["state"]
    fields = ["month_label", "state", "data_taken_at", "published_at", "attempts", "error", "created_at", "links"]
    readonly_fields = fields

    def get_queryset(self, request):
        # the list never needs the snapshot (it may be large)
        return super().get_queryset(request).defer("snapshot")

    @admin.display(description="月份", ordering="month")
    def month_label(self, obj):
        return f"{obj.month.year}年{obj.month.month}月"

    @admin.display(description="错误")
    def error_summary(self, obj):
        return (obj.error[:60] + "…") if len(obj.error) > 60 else obj.error

    @admin.display(description="查看")
    def links(self, obj):
        if obj.state != MonthlyReport.State.PUBLISHED:
            return "—"
        return format_html('<a href="{}">查看月报</a> | <a href="{}">下载 PDF</a>',
                           reverse("admin:congress_monthlyreport_report", args=[obj.pk]),
                           reverse("admin:congress_monthlyreport_pdf", args=[obj.pk]))

    def get_urls(self):
        return [path("<path:object_id>/report/", self.admin_site.admin_view(self.report_view),
                     name="congress_monthlyreport_report"),
                path("<path:object_id>/pdf/", self.admin_site.admin_view(self.pdf_view),
                     name="congress_monthlyreport_pdf"),
                *super().get_urls()]

    def _published(self, request, object_id) -> MonthlyReport:
        if request.method != "GET":
            raise _NotAllowed
        if not self.has_view_permission(request):
            raise PermissionDenied
        report = MonthlyReport.objects.filter(pk=object_id if str(object_id).isdigit() else None).first()
        if report is None or report.state != MonthlyReport.State.PUBLISHED:
            raise Http404("该月工作月报不存在或尚未生成")
        return report

    def report_view(self, request, object_id):
        try:
            report = self._published(request, object_id)
        except _NotAllowed:
            return HttpResponseNotAllowed(["GET"])
        context = {**self.admin_site.each_context(request), "opts": self.opts, "original": report,
                   "has_view_permission": True,
                   **services.report_context(report.snapshot, title=str(report)),
                   "pdf_url": reverse("admin:congress_monthlyreport_pdf", args=[report.pk])}
        return TemplateResponse(request, "admin/congress/monthlyreport/report.html", context)

    def pdf_view(self, request, object_id):
        try:
            report = self._published(request, object_id)
        except _NotAllowed:
            return HttpResponseNotAllowed(["GET"])
        return uploads.serve(request, services.monthly_report_pdf(report).pdf, filename=f"{report}.pdf")


class _NotAllowed(Exception):
    pass


class AnnualReportTextForm(forms.ModelForm):
    chapter = forms.ChoiceField(label="章节", choices=())

    class Meta:
        model = AnnualReportText
        fields = ["year", "chapter", "text"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["chapter"].choices = [("", "---------"), *services.chapter_choices()]
        if not self.instance.pk:
            self.fields["year"].initial = timezone.localdate().year


@admin.register(AnnualReportText)
class AnnualReportTextAdmin(CongressModelAdmin):
    form = AnnualReportTextForm
    list_display = ["year", "chapter_title", "updated_by", "updated_at"]
    list_filter = ["year"]
    list_select_related = ["updated_by"]

    @admin.display(description="章节", ordering="chapter")
    def chapter_title(self, obj):
        return dict(services.chapter_choices()).get(obj.chapter, "章节已撤销")

    def save_model(self, request, obj, form, change):
        obj.updated_by = request.user
        super().save_model(request, obj, form, change)


class AnnualReportRequestForm(forms.Form):
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100,
                              help_text="生成该年度的工作报告；当年的报告统计到今天。请先在“年度报告文字说明”中填写各章的文字。")


@admin.register(AnnualReportVersion)
class AnnualReportVersionAdmin(CongressModelAdmin):
    """Every generated version, kept with who asked for it and when. 增加 asks for a new one (generated in the
    background); its page shows the progress and refreshes itself until the version is finished."""

    change_form_template = "admin/congress/annualreportversion/change_form.html"
    list_display = ["__str__", "year", "state", "progress", "requested_by", "requested_at", "finished_at", "size_label",
                    "pages", "download"]
    list_filter = ["year", "state"]
    list_select_related = ["requested_by"]
    fields = ["year", "state", "progress", "stage", "error", "requested_by", "requested_at", "finished_at",
              "data_taken_at", "size_label", "pages", "render_seconds", "download"]
    readonly_fields = fields

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description="进度")
    def progress(self, obj):
        return format_html('<progress value="{}" max="100">{}%</progress> {}%', obj.percent, obj.percent, obj.percent)

    @admin.display(description="文件大小")
    def size_label(self, obj):
        return "—" if obj.size is None else f"{obj.size / 1024:.0f} 千字节"

    @admin.display(description="下载")
    def download(self, obj):
        if obj.state != AnnualReportVersion.State.DONE or not obj.pdf:
            return "—"
        return format_html('<a href="{}">下载 PDF</a>', reverse("admin:congress_annualreportversion_pdf", args=[obj.pk]))

    def get_urls(self):
        return [path("<path:object_id>/pdf/", self.admin_site.admin_view(self.pdf_view),
                     name="congress_annualreportversion_pdf"),
                *super().get_urls()]

    def add_view(self, request, form_url="", extra_context=None):
        """Ask for a new version: a year, then the version's own page with its progress."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = AnnualReportRequestForm(request.POST or None, initial={"year": timezone.localdate().year})
        if request.method == "POST" and form.is_valid():
            try:
                version = services.annual_report_request(actor=request.user, year=form.cleaned_data["year"])
            except services.CongressError as exc:
                form.add_error(None, exc.messages)
            else:
                self.message_user(request, f"已开始生成{version.year}年度工作报告，生成完成后可在本页下载。", messages.SUCCESS)
                return HttpResponseRedirect(reverse("admin:congress_annualreportversion_change", args=[version.pk]))
        context = {**self.admin_site.each_context(request), "opts": self.opts, "form": form, "title": "生成年度工作报告",
                   "submit_label": "开始生成", "media": self.media + form.media, "has_view_permission": True,
                   "intro": "报告包括封面、目录、各章数据、表格和图表，以及各章的文字说明；在后台生成，生成过程中可以离开本页。"}
        return TemplateResponse(request, "admin/form_page.html", context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.get_object(request, object_id)
        running = obj is not None and obj.state not in AnnualReportVersion.FINISHED
        return super().change_view(request, object_id, form_url, {**(extra_context or {}), "refresh": running})

    def pdf_view(self, request, object_id):
        if request.method != "GET":
            return HttpResponseNotAllowed(["GET"])
        if not self.has_view_permission(request):
            raise PermissionDenied
        version = AnnualReportVersion.objects.filter(pk=object_id if str(object_id).isdigit() else None).first()
        if version is None or version.state != AnnualReportVersion.State.DONE:
            raise Http404("该版本的报告不存在或尚未生成")
        return uploads.serve(request, version.pdf, filename=f"{version.year}年度工作报告（第{version.pk}版）.pdf")
