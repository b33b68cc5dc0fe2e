"""Committee staff run a law enforcement inspection (执法检查) in the admin: planned on its add page, the team kept in an
inline while the plan is open, the problems found in an inline until they are assigned, the site visits listed (each
arranged on a workflow page through the service, which checks the team and the dates), and each step (start, visit,
report, deliberate, assign, rectification report with its poll, close) a workflow page calling the service."""
from django import forms
from django.conf import settings
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join

from congress.lib.admin import CongressModelAdmin, GatedInline, ReadOnlyInline, WorkflowAdminMixin, WorkflowPage
from congress.models import Meeting, Organization
from congress.services import CongressError
from deputies.models import Deputy, DutyActivityType
from supervision import services
from supervision.models import Inspection, InspectionMember, InspectionProblem, InspectionVisit, Rectification, SatisfactionPoll
from supervision.predicates import can_edit_inspection
from supervision.workflows import INSPECTION


def _standing_meetings():
    return Meeting.objects.filter(kind=Meeting.Kind.STANDING).select_related("term")


def _organs():
    return Organization.objects.filter(is_handling_unit=True, is_active=True)


def _working_bodies():
    return Organization.objects.filter(kind=Organization.Kind.WORKING_BODY, is_active=True)


def _date():
    return forms.DateInput(attrs={"type": "date"})


class InspectionCreateForm(forms.Form):
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
    law = forms.CharField(label="检查的法律法规", max_length=100, help_text="例如：《中华人民共和国消防法》")
    working_body = forms.ModelChoiceField(label="承办工作机构", queryset=Organization.objects.none())
    plan = forms.CharField(label="检查方案", max_length=20000, widget=forms.Textarea(attrs={"rows": 6, "cols": 80}))
    start_date = forms.DateField(label="检查开始日期", widget=_date())
    end_date = forms.DateField(label="检查结束日期", widget=_date())
    report_due = forms.DateField(label="检查报告形成期限", required=False, widget=_date())
    activity_type = forms.ModelChoiceField(label="计入履职活动类型", required=False, queryset=DutyActivityType.objects.none(),
                                           help_text="参加现场检查的代表按此类型的积分规则计分")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].initial = timezone.localdate().year
        days = settings.CONGRESS_RULES["INSPECTION_REPORT_DAYS"]
        self.fields["report_due"].help_text = f"不填则为检查结束后{days}日"
        self.fields["working_body"].queryset = _working_bodies()
        self.fields["activity_type"].queryset = DutyActivityType.objects.all()


class ConfirmForm(forms.Form):
    def __init__(self, *args, obj=None, **kwargs):
        super().__init__(*args, **kwargs)


class NoteForm(forms.Form):
    note = forms.CharField(label="说明", required=False, max_length=500, widget=forms.Textarea(attrs={"rows": 2, "cols": 80}))

    def __init__(self, *args, obj=None, **kwargs):
        super().__init__(*args, **kwargs)


class VisitForm(forms.Form):
    """A site visit of the team: the day (within the plan's dates), the place, the organ checked, who went."""

    date = forms.DateField(label="检查日期", widget=_date())
    place = forms.CharField(label="检查地点", max_length=120)
    organization = forms.ModelChoiceField(label="被检查单位", required=False, queryset=Organization.objects.none())
    participants = forms.ModelMultipleChoiceField(label="参加人员", queryset=Deputy.objects.none(),
                                                  widget=forms.CheckboxSelectMultiple)
    note = forms.CharField(label="检查情况", required=False, max_length=5000,
                           widget=forms.Textarea(attrs={"rows": 3, "cols": 80}))

    def __init__(self, *args, obj=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = Organization.objects.filter(is_active=True)
        self.fields["participants"].queryset = Deputy.objects.filter(inspection_teams__inspection=obj).order_by("full_name")
        self.fields["participants"].label_from_instance = lambda d: d.full_name


class ReportForm(forms.Form):
    text = forms.CharField(label="执法检查报告", required=False, max_length=50000,
                           widget=forms.Textarea(attrs={"rows": 8, "cols": 80}))
    file = forms.FileField(label="报告文件（PDF）", required=False)
    meeting = forms.ModelChoiceField(label="提请审议的会议", required=False, queryset=Meeting.objects.none())

    def __init__(self, *args, obj=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["meeting"].queryset = _standing_meetings()


class DeliberateForm(forms.Form):
    meeting = forms.ModelChoiceField(label="审议的会议", required=False, queryset=Meeting.objects.none(),
                                     help_text="不填则为提交报告时选择的会议")
    review_opinion = forms.CharField(label="常委会审议意见", max_length=20000,
                                     widget=forms.Textarea(attrs={"rows": 6, "cols": 80}))

    def __init__(self, *args, obj=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["meeting"].queryset = _standing_meetings()


class RectificationReportForm(forms.Form):
    text = forms.CharField(label="整改情况", max_length=20000, widget=forms.Textarea(attrs={"rows": 6, "cols": 80}))
    meeting = forms.ModelChoiceField(label="听取报告并测评的会议", queryset=Meeting.objects.none())
    basis = forms.ChoiceField(label="测评计算基数", choices=SatisfactionPoll.Basis.choices)

    def __init__(self, *args, obj=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["meeting"].queryset = _standing_meetings()


def _cached_choices(field):
    """One query for the choices of every row's select, not one a row."""
    if field is not None:
        choices = list(field.choices)
        field.choices = choices
        inner = getattr(field.widget, "widget", None)
        if inner is not None:
            inner.choices = choices
    return field


class InspectionMemberInline(GatedInline):
    """The team, edited while the plan is open."""

    model = InspectionMember
    extra = 0
    fields = ["deputy", "capacity", "role"]
    autocomplete_fields = ["deputy"]

    def editable(self, request, obj) -> bool:
        return obj is not None and is_plan_open(request.user, obj)

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("deputy")


class InspectionVisitInline(ReadOnlyInline):
    """The site visits, arranged through the 安排现场检查 page (the service checks the team and the dates)."""

    model = InspectionVisit
    fields = ["date", "place", "organization", "who", "note"]
    readonly_fields = fields

    @admin.display(description="参加人员")
    def who(self, obj):
        return "、".join(d.full_name for d in obj.participants.all())

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("organization").prefetch_related("participants")


class InspectionProblemInline(GatedInline):
    """The problems found, recorded from the checking on until they are assigned as rectification items."""

    model = InspectionProblem
    extra = 0
    fields = ["number", "visit", "organization", "title", "detail", "due_date", "rectification"]
    readonly_fields = ["rectification"]

    def editable(self, request, obj) -> bool:
        return obj is not None and is_committee_staff_editing_problems(request.user, obj)

    def get_formset(self, request, obj=None, **kwargs):
        request._inspection = obj  # the visits offered are this inspection's
        return super().get_formset(request, obj, **kwargs)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "visit":
            kwargs["queryset"] = InspectionVisit.objects.filter(inspection=getattr(request, "_inspection", None))
        elif db_field.name == "organization":
            kwargs["queryset"] = _organs()
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        return _cached_choices(field) if db_field.name in {"visit", "organization"} else field

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name == "detail" and field is not None:
            field.widget.attrs.update({"rows": 2, "cols": 40})
        if db_field.name == "due_date" and field is not None:
            field.widget = _date()
        return field

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("organization", "visit", "rectification")


def is_plan_open(user, inspection) -> bool:
    return can_edit_inspection(user, inspection) and inspection.status in Inspection.PLAN_EDITABLE


def is_committee_staff_editing_problems(user, inspection) -> bool:
    return can_edit_inspection(user, inspection) and inspection.status in Inspection.PROBLEMS_EDITABLE


PLAN_FIELDS = ["year", "law", "working_body", "plan", "start_date", "end_date", "report_due", "activity_type"]
RECORD_FIELDS = ["status", "meeting", "report_text", "report_document", "report_submitted_on", "review_opinion",
                 "rectification_report", "follow_up", "closed_at"]


@admin.register(Inspection)
class InspectionAdmin(WorkflowAdminMixin, CongressModelAdmin):
    list_display = ["__str__", "working_body", "start_date", "end_date", "report_due", "team_size", "visit_count", "status"]
    list_filter = ["status", "year"]
    list_select_related = ["working_body"]
    search_fields = ["law"]
    inlines = [InspectionMemberInline, InspectionVisitInline, InspectionProblemInline]
    change_form_template = "admin/workflow_change_form_timeline.html"
    workflow = INSPECTION
    workflow_pages = [
        WorkflowPage("start", "开始检查", ("start",), ConfirmForm, "已开始检查。请安排现场检查、记录发现的问题。",
                     lambda r, o, d: services.inspection_start(actor=r.user, inspection=o)),
        WorkflowPage("visit", "安排现场检查", ("visit",), VisitForm, "已记录现场检查，计入参加人员的履职档案。",
                     lambda r, o, d: services.inspection_visit(actor=r.user, inspection=o, date=d["date"], place=d["place"],
                                                               organization=d["organization"],
                                                               participants=d["participants"], note=d["note"])),
        WorkflowPage("report", "提交执法检查报告", ("submit_report",), ReportForm, "执法检查报告已提交，待常委会会议审议。",
                     lambda r, o, d: services.inspection_submit_report(actor=r.user, inspection=o, text=d["text"],
                                                                       file=d["file"], meeting=d["meeting"])),
        WorkflowPage("deliberate", "记录审议情况", ("deliberate",), DeliberateForm, "已记录审议情况和审议意见。",
                     lambda r, o, d: services.inspection_deliberate(actor=r.user, inspection=o, meeting=d["meeting"],
                                                                    review_opinion=d["review_opinion"])),
        WorkflowPage("assign", "交办整改问题", ("assign",), ConfirmForm, "发现的问题已逐项交办为整改事项，并已通知责任单位。",
                     lambda r, o, d: services.inspection_assign(actor=r.user, inspection=o)),
        WorkflowPage("rectification", "登记整改情况报告", ("report_rectification",), RectificationReportForm,
                     "已登记整改情况报告，并已创建满意度测评（在“满意度测评”中开始投票）。",
                     lambda r, o, d: services.inspection_report_rectification(actor=r.user, inspection=o, text=d["text"],
                                                                              meeting=d["meeting"], basis=d["basis"])),
        WorkflowPage("close", "办结", ("close",), NoteForm, "执法检查已办结。",
                     lambda r, o, d: services.inspection_close(actor=r.user, inspection=o, note=d["note"])),
    ]

    def get_queryset(self, request):
        from django.db.models import Count

        return super().get_queryset(request).annotate(team_n=Count("team", distinct=True),
                                                      visit_n=Count("visits", distinct=True))

    @admin.display(description="检查组人数", ordering="team_n")
    def team_size(self, obj):
        return obj.team_n

    @admin.display(description="现场检查次数", ordering="visit_n")
    def visit_count(self, obj):
        return obj.visit_n

    @admin.display(description="执法检查报告文件")
    def report_document(self, obj):
        if not obj.report_file:
            return "—"
        return format_html('<a href="{}">下载报告文件</a>', reverse("supervision:inspection_report_file", args=[obj.pk]))

    @admin.display(description="整改事项和满意度测评")
    def follow_up(self, obj):
        items = Rectification.objects.filter(source_workflow=INSPECTION.name, source_id=obj.pk).order_by("due_date", "id")
        polls = SatisfactionPoll.objects.filter(source_workflow=INSPECTION.name, source_id=obj.pk).order_by("created_at", "id")
        rows = [(reverse("admin:supervision_rectification_change", args=[i.pk]), i.title, i.get_status_display())
                for i in items]
        rows += [(reverse("admin:supervision_satisfactionpoll_change", args=[p.pk]), p.title,
                  p.get_result_display() if p.result else p.get_status_display()) for p in polls]
        if not rows:
            return "—"
        return format_html("<ul>{}</ul>", format_html_join("", '<li><a href="{}">{}</a>（{}）</li>', rows))

    def get_fields(self, request, obj=None):
        return PLAN_FIELDS + RECORD_FIELDS

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and is_plan_open(request.user, obj):
            return RECORD_FIELDS
        return PLAN_FIELDS + RECORD_FIELDS

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "working_body":
            kwargs["queryset"] = _working_bodies()
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def has_change_permission(self, request, obj=None):
        # the plan and the problems are edited while open; later the page only shows them (a POST is refused)
        return super().has_change_permission(request, obj) and (obj is None or can_edit_inspection(request.user, obj))

    def add_view(self, request, form_url="", extra_context=None):
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = InspectionCreateForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                inspection = services.inspection_create(
                    actor=request.user, year=data["year"], law=data["law"], working_body=data["working_body"],
                    plan=data["plan"], start_date=data["start_date"], end_date=data["end_date"],
                    report_due=data["report_due"], activity_type=data["activity_type"])
            except CongressError as exc:
                form.add_error(None, exc.messages)
            else:
                self.message_user(request, f"已制定：{inspection}。请组成检查组。")
                return HttpResponseRedirect(reverse("admin:supervision_inspection_change", args=[inspection.pk]))
        context = {**self.admin_site.each_context(request), "opts": self.opts, "form": form, "title": "制定执法检查计划",
                   "intro": "执法检查按年度计划进行：制定检查方案，组成检查组（常委会组成人员和人大代表），安排现场检查，"
                            "记录发现的问题，形成执法检查报告提请常委会会议审议。", "submit_label": "制定",
                   "media": self.media + form.media, "has_view_permission": True}
        return TemplateResponse(request, "admin/form_page.html", context)
