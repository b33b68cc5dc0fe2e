"""Staff run special work reports and review opinions in the admin: the plan item is made on its add page; scheduling,
the copies to the members, the deliberation, the review opinion, a poll on the organ's report, closing and the
rectification items are workflow pages (supervision/workflows.py WORK_REPORT, REVIEW_OPINION) calling
supervision.services.reports. Nothing here changes a state itself."""
from django import forms as django_forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html, format_html_join

from congress.lib import uploads
from congress.lib.admin import CongressModelAdmin, ReadOnlyInline, WorkflowAdminMixin, WorkflowPage
from congress.models import Meeting, Organization, Term
from congress.services import CongressError
from supervision import services
from supervision.models import ReportSubmission, ReviewOpinion, SatisfactionPoll, WorkReport
from supervision.workflows import REVIEW_OPINION, WORK_REPORT


class _ObjForm(django_forms.Form):
    def __init__(self, *args, obj=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.obj = obj


class WorkReportCreateForm(django_forms.Form):
    year = django_forms.IntegerField(label="计划年度", min_value=2000, max_value=2100)
    topic = django_forms.CharField(label="议题", max_length=200)
    organization = django_forms.ModelChoiceField(label="报告机关", queryset=Organization.objects.none())
    working_body = django_forms.ModelChoiceField(label="承办工作机构", queryset=Organization.objects.none())
    meeting = django_forms.ModelChoiceField(label="提请审议的常委会会议", required=False, queryset=Meeting.objects.none(),
                                            help_text="可以稍后安排")

    def __init__(self, *args, **kwargs):
        from django.utils import timezone

        super().__init__(*args, **kwargs)
        self.fields["year"].initial = timezone.localdate().year
        self.fields["organization"].queryset = Organization.objects.filter(is_handling_unit=True, is_active=True)
        self.fields["working_body"].queryset = Organization.objects.filter(kind=Organization.Kind.WORKING_BODY,
                                                                           is_active=True)
        self.fields["meeting"].queryset = Meeting.objects.filter(
            kind=Meeting.Kind.STANDING, date__gte=timezone.localdate()).select_related("term")


class ScheduleForm(_ObjForm):
    meeting = django_forms.ModelChoiceField(label="提请审议的常委会会议", queryset=Meeting.objects.none())

    def __init__(self, *args, obj=None, **kwargs):
        from django.utils import timezone

        super().__init__(*args, obj=obj, **kwargs)
        self.fields["meeting"].queryset = Meeting.objects.filter(
            kind=Meeting.Kind.STANDING, date__gte=timezone.localdate()).select_related("term")


class ConfirmForm(_ObjForm):
    pass


class DeliberationForm(_ObjForm):
    deliberation = django_forms.CharField(label="审议情况", max_length=10000,
                                          widget=django_forms.Textarea(attrs={"rows": 6, "cols": 80}))


class OpinionForm(_ObjForm):
    text = django_forms.CharField(label="审议意见", max_length=20000, widget=django_forms.Textarea(attrs={"rows": 10, "cols": 80}))
    letter = uploads.CheckedFileField(label="审议意见文件（可选）", kind="pdf", required=False)
    sent_on = django_forms.DateField(label="送交日期", required=False, help_text="不填为今天",
                                     widget=django_forms.DateInput(attrs={"type": "date"}))


class ReasonForm(_ObjForm):
    reason = django_forms.CharField(label="理由", max_length=1000, widget=django_forms.Textarea(attrs={"rows": 3, "cols": 80}))


class NoteForm(_ObjForm):
    note = django_forms.CharField(label="说明", required=False, max_length=500,
                                  widget=django_forms.Textarea(attrs={"rows": 2, "cols": 80}))


class PollForm(_ObjForm):
    term = django_forms.ModelChoiceField(label="届", queryset=Term.objects.none())
    meeting = django_forms.ModelChoiceField(label="测评的常委会会议", required=False, queryset=Meeting.objects.none())
    basis = django_forms.ChoiceField(label="计算基数", choices=SatisfactionPoll.Basis.choices)

    def __init__(self, *args, obj=None, **kwargs):
        from congress.selectors import current_term

        super().__init__(*args, obj=obj, **kwargs)
        self.fields["term"].queryset = Term.objects.all()
        self.fields["term"].initial = getattr(current_term(), "pk", None)
        self.fields["meeting"].queryset = Meeting.objects.filter(kind=Meeting.Kind.STANDING).select_related("term")


class RectifyForm(_ObjForm):
    title = django_forms.CharField(label="整改事项", max_length=200)
    description = django_forms.CharField(label="说明", required=False, max_length=5000,
                                         widget=django_forms.Textarea(attrs={"rows": 3, "cols": 80}))
    due_date = django_forms.DateField(label="整改期限", widget=django_forms.DateInput(attrs={"type": "date"}))


class ReportSubmissionInline(ReadOnlyInline):
    model = ReportSubmission
    fields = ["kind", "file_link", "note", "submitted_by", "submitted_at"]
    readonly_fields = fields
    verbose_name_plural = "报送材料"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("submitted_by")

    @admin.display(description="文件")
    def file_link(self, row):
        return format_html('<a href="{}">下载</a>', reverse("supervision:report_submission_file", args=[row.pk]))


@admin.register(WorkReport)
class WorkReportAdmin(WorkflowAdminMixin, CongressModelAdmin):
    list_display = ["topic", "year", "organization", "meeting", "status"]
    list_filter = ["year", "status"]
    list_select_related = ["organization", "meeting__term"]
    search_fields = ["topic", "organization__name"]
    fields = ["year", "topic", "organization", "working_body", "meeting", "timeline_text", "status", "copies_sent_at",
              "deliberation", "opinion_link", "created_by", "created_at"]
    inlines = [ReportSubmissionInline]
    change_form_template = "admin/workflow_change_form_timeline.html"
    workflow = WORK_REPORT
    workflow_pages = [
        WorkflowPage("schedule", "安排会议", ("schedule",), ScheduleForm, "已安排会议，并已通知报告机关。",
                     lambda r, o, d: services.work_report_schedule(actor=r.user, report=o, meeting=d["meeting"])),
        WorkflowPage("distribute", "印发组成人员", ("distribute",), ConfirmForm, "已记录印发组成人员。",
                     lambda r, o, d: services.work_report_distribute(actor=r.user, report=o)),
        WorkflowPage("deliberate", "记录审议情况", ("deliberate",), DeliberationForm, "已记录审议情况。",
                     lambda r, o, d: services.work_report_deliberate(actor=r.user, report=o,
                                                                     deliberation=d["deliberation"])),
        WorkflowPage("opinion", "送交审议意见", ("send_opinion",), OpinionForm, "审议意见已送交报告机关。",
                     lambda r, o, d: services.review_opinion_send(actor=r.user, report=o, text=d["text"],
                                                                  letter=d["letter"], sent_on=d["sent_on"])),
        WorkflowPage("cancel", "调整出计划", ("cancel",), ReasonForm, "已调整出监督工作计划。",
                     lambda r, o, d: services.work_report_cancel(actor=r.user, report=o, reason=d["reason"])),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("organization", "working_body", "meeting__term")

    def get_readonly_fields(self, request, obj=None):
        return [*self.fields]

    def has_change_permission(self, request, obj=None):
        return obj is None and super().has_change_permission(request)

    @admin.display(description="会前时间安排")
    def timeline_text(self, obj):
        dates = obj.timeline_dates()
        if not dates:
            return "会议待定"
        return (f"初稿送工作机构 {dates['draft']:%Y-%m-%d} 前；修改稿送常委会 {dates['revised']:%Y-%m-%d} 前；"
                f"印发组成人员 {dates['copies']:%Y-%m-%d} 前")

    @admin.display(description="审议意见")
    def opinion_link(self, obj):
        opinion = ReviewOpinion.objects.filter(work_report=obj).first()
        if opinion is None:
            return "尚未送交"
        return format_html('<a href="{}">{}</a>（{}）', reverse("admin:supervision_reviewopinion_change",
                                                               args=[opinion.pk]), opinion, opinion.get_status_display())

    def add_view(self, request, form_url="", extra_context=None):
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = WorkReportCreateForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                report = services.work_report_create(actor=request.user, year=data["year"], topic=data["topic"],
                                                     organization=data["organization"],
                                                     working_body=data["working_body"], meeting=data["meeting"])
            except CongressError as exc:
                form.add_error(None, exc.messages)
            else:
                self.message_user(request, f"已列入监督工作计划：{report}，并已通知报告机关。")
                return HttpResponseRedirect(reverse("admin:supervision_workreport_change", args=[report.pk]))
        context = {**self.admin_site.each_context(request), "opts": self.opts, "form": form,
                   "title": "列入年度监督工作计划：专项工作报告", "submit_label": "列入计划",
                   "intro": "会议举行前的报送、印发日期由会议日期倒推；报告机关在承办单位工作台报送报告。",
                   "media": self.media + form.media, "has_view_permission": True}
        return TemplateResponse(request, "admin/form_page.html", context)


@admin.register(ReviewOpinion)
class ReviewOpinionAdmin(WorkflowAdminMixin, CongressModelAdmin):
    list_display = ["__str__", "organization", "sent_on", "due_date", "rereport_due_date", "status"]
    list_filter = ["status"]
    list_select_related = ["organization", "work_report"]
    search_fields = ["work_report__topic", "organization__name"]
    fields = ["work_report", "organization", "text", "letter_link", "sent_on", "sent_by", "due_date", "due_explanation",
              "rereport_requested_on", "rereport_due_date", "rereport_explanation", "status", "polls_text",
              "rectifications_text", "closed_at"]
    inlines = []
    change_form_template = "admin/workflow_change_form_timeline.html"
    workflow = REVIEW_OPINION
    workflow_pages = [
        WorkflowPage("poll", "组织满意度测评", ("poll",), PollForm, "已创建满意度测评，请在测评页面开始投票。",
                     lambda r, o, d: services.review_opinion_poll(actor=r.user, opinion=o, term=d["term"],
                                                                  meeting=d["meeting"], basis=d["basis"])),
        WorkflowPage("close", "办结", ("close",), NoteForm, "审议意见已办结。",
                     lambda r, o, d: services.review_opinion_close(actor=r.user, opinion=o, note=d["note"])),
        WorkflowPage("rectify", "交办整改事项", ("rectify",), RectifyForm, "已交办整改事项，并已通知报告机关。",
                     lambda r, o, d: services.review_opinion_rectify(actor=r.user, opinion=o, title=d["title"],
                                                                     due_date=d["due_date"],
                                                                     description=d["description"])),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("organization", "work_report", "sent_by")

    def get_readonly_fields(self, request, obj=None):
        return [*self.fields]

    def has_add_permission(self, request):
        return False  # sent from its work report's page

    def has_change_permission(self, request, obj=None):
        return obj is None and super().has_change_permission(request)

    @admin.display(description="审议意见文件")
    def letter_link(self, obj):
        if not obj.letter:
            return "无"
        return format_html('<a href="{}">下载</a>', reverse("supervision:review_opinion_letter", args=[obj.pk]))

    @admin.display(description="满意度测评")
    def polls_text(self, obj):
        polls = SatisfactionPoll.objects.filter(source_workflow="review_opinion", source_id=obj.pk).order_by("id")
        if not polls:
            return "无"
        return format_html_join("", '<p><a href="{}">{}</a>（{}{}）</p>', (
            (reverse("admin:supervision_satisfactionpoll_change", args=[p.pk]), p.title, p.get_status_display(),
             f"，{p.get_result_display()}" if p.result else "") for p in polls))

    @admin.display(description="整改事项")
    def rectifications_text(self, obj):
        from supervision.models import Rectification

        items = Rectification.objects.filter(source_workflow="review_opinion", source_id=obj.pk).order_by("id")
        if not items:
            return "无"
        return format_html_join("", '<p><a href="{}">{}</a>（{}，期限{}）</p>', (
            (reverse("admin:supervision_rectification_change", args=[i.pk]), i.title, i.get_status_display(),
             f"{i.due_date:%Y-%m-%d}") for i in items))
