"""Committee staff keep a special inquiry (专题询问) in the admin: arranged on its add page, the officials, questions
(follow-ups and on-the-spot questions linked to the question they follow) and commitments recorded in inlines while the
record is open (until the commitments are assigned), the questions shown in order with the follow-ups indented, and
each step (hold, assign, report with its poll, close) a workflow page calling the service."""
from collections import defaultdict

from django import forms
from django.contrib import admin
from django.contrib.admin.widgets import FilteredSelectMultiple
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html, format_html_join

from congress.lib.admin import CongressModelAdmin, GatedInline, ReadOnlyInline, WorkflowAdminMixin, WorkflowPage
from congress.models import Meeting, Organization
from congress.services import CongressError
from supervision import services
from supervision.models import Inquiry, InquiryCommitment, InquiryOfficial, InquiryQuestion, InquiryReport, SatisfactionPoll
from supervision.predicates import can_edit_inquiry_record
from supervision.workflows import INQUIRY


def _standing_meetings():
    return Meeting.objects.filter(kind=Meeting.Kind.STANDING).select_related("term")


def _organs():
    return Organization.objects.filter(is_handling_unit=True, is_active=True)


class InquiryCreateForm(forms.Form):
    meeting = forms.ModelChoiceField(label="会议", queryset=Meeting.objects.none())
    topic = forms.CharField(label="询问主题", max_length=200)
    organizations = forms.ModelMultipleChoiceField(label="应询单位", queryset=Organization.objects.none(),
                                                   widget=FilteredSelectMultiple("应询单位", False))
    description = forms.CharField(label="询问安排", required=False, max_length=5000,
                                  widget=forms.Textarea(attrs={"rows": 3, "cols": 80}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["meeting"].queryset = _standing_meetings()
        self.fields["organizations"].queryset = _organs()


class InquiryConfirmForm(forms.Form):
    def __init__(self, *args, obj=None, **kwargs):
        super().__init__(*args, **kwargs)


class InquiryNoteForm(forms.Form):
    note = forms.CharField(label="说明", required=False, max_length=500, widget=forms.Textarea(attrs={"rows": 2, "cols": 80}))

    def __init__(self, *args, obj=None, **kwargs):
        super().__init__(*args, **kwargs)


class InquiryReportForm(forms.Form):
    """The organs' rectification report, and the meeting whose members rate it."""

    text = forms.CharField(label="整改情况", max_length=20000, widget=forms.Textarea(attrs={"rows": 6, "cols": 80}))
    received_on = forms.DateField(label="收到报告日期", widget=forms.DateInput(attrs={"type": "date"}))
    meeting = forms.ModelChoiceField(label="听取报告并测评的会议", queryset=Meeting.objects.none())
    basis = forms.ChoiceField(label="测评计算基数", choices=SatisfactionPoll.Basis.choices)

    def __init__(self, *args, obj=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["meeting"].queryset = _standing_meetings()


class _RecordInline(GatedInline):
    """Editable while the record of the meeting is open (can_edit_inquiry_record), read-only after."""

    extra = 0

    def editable(self, request, obj) -> bool:
        return obj is not None and can_edit_inquiry_record(request.user, obj)

    def get_formset(self, request, obj=None, **kwargs):
        request._inquiry = obj  # the foreign keys below offer this inquiry's officials and questions only
        return super().get_formset(request, obj, **kwargs)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        from deputies.models import Deputy, Mandate

        inquiry = getattr(request, "_inquiry", None)
        if db_field.name == "respondent":
            kwargs["queryset"] = InquiryOfficial.objects.filter(inquiry=inquiry).order_by("number")
        elif db_field.name in {"follows", "question"}:
            kwargs["queryset"] = InquiryQuestion.objects.filter(inquiry=inquiry).order_by("number")
        elif db_field.name == "organization":
            kwargs["queryset"] = _organs()
        elif db_field.name == "asker":
            # the term's district deputies: the committee's members are among them, and so are the deputies invited
            term_id = inquiry.meeting.term_id if inquiry is not None else None
            kwargs["queryset"] = Deputy.objects.filter(
                pk__in=Mandate.objects.filter(term_id=term_id, level=Mandate.Level.DISTRICT).values("deputy_id")
            ).order_by("full_name", "pk")
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if field is not None and db_field.name in {"respondent", "follows", "question", "organization", "asker"}:
            # one query for the choices of every row's select, not one a row (the copies keep the list)
            choices = list(field.choices)
            field.choices = choices
            inner = getattr(field.widget, "widget", None)
            if inner is not None:
                inner.choices = choices
        return field


class InquiryOfficialInline(_RecordInline):
    model = InquiryOfficial
    fields = ["number", "name", "post", "organization", "is_head"]


class InquiryQuestionInline(_RecordInline):
    model = InquiryQuestion
    fields = ["number", "kind", "follows", "asker", "respondent", "question", "answer"]

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name in {"question", "answer"} and field is not None:
            field.widget.attrs.update({"rows": 3, "cols": 40})
        return field

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("asker", "respondent", "follows")


class InquiryCommitmentInline(_RecordInline):
    model = InquiryCommitment
    fields = ["number", "question", "organization", "title", "detail", "due_date", "rectification"]
    readonly_fields = ["rectification"]

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name == "detail" and field is not None:
            field.widget.attrs.update({"rows": 2, "cols": 40})
        if db_field.name == "due_date" and field is not None:
            field.widget = forms.DateInput(attrs={"type": "date"})
        return field

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("organization", "question", "rectification")


class InquiryReportInline(ReadOnlyInline):
    model = InquiryReport
    fields = ["round", "received_on", "text", "poll", "poll_result", "recorded_by"]
    readonly_fields = fields

    @admin.display(description="测评结果")
    def poll_result(self, obj):
        if obj.poll is None or not obj.poll.result:
            return "尚未测评" if obj.poll is None or not obj.poll.closed_at else "无法计算"
        return obj.poll.get_result_display()

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("poll", "recorded_by")


@admin.register(Inquiry)
class InquiryAdmin(WorkflowAdminMixin, CongressModelAdmin):
    list_display = ["topic", "meeting", "organs", "status", "further_report_due"]
    list_filter = ["status", "meeting__term"]
    list_select_related = ["meeting__term"]
    search_fields = ["topic", "organizations__name"]
    autocomplete_fields = ["organizations"]  # (a plain multiple select carries Django's English help text)
    inlines = [InquiryOfficialInline, InquiryQuestionInline, InquiryCommitmentInline, InquiryReportInline]
    change_form_template = "admin/workflow_change_form_timeline.html"
    workflow = INQUIRY
    workflow_pages = [
        WorkflowPage("hold", "举行询问", ("hold",), InquiryConfirmForm, "已记为举行询问。请记录提问、回答和应询承诺。",
                     lambda r, o, d: services.inquiry_hold(actor=r.user, inquiry=o)),
        WorkflowPage("assign", "交办承诺事项", ("assign",), InquiryConfirmForm, "应询承诺已逐项交办为整改事项，并已通知责任单位。",
                     lambda r, o, d: services.inquiry_assign(actor=r.user, inquiry=o)),
        WorkflowPage("report", "登记整改情况报告", ("report",), InquiryReportForm,
                     "已登记整改情况报告，并已创建满意度测评（在“满意度测评”中开始投票）。",
                     lambda r, o, d: services.inquiry_report(actor=r.user, inquiry=o, text=d["text"],
                                                             received_on=d["received_on"], meeting=d["meeting"],
                                                             basis=d["basis"])),
        WorkflowPage("close", "办结", ("close",), InquiryNoteForm, "专题询问已办结。",
                     lambda r, o, d: services.inquiry_close(actor=r.user, inquiry=o, note=d["note"])),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("organizations")

    @admin.display(description="应询单位")
    def organs(self, obj):
        return "、".join(o.name for o in obj.organizations.all())

    def get_fields(self, request, obj=None):
        return ["topic", "meeting", "organizations", "description", "status", "further_report_due", "question_list"]

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and can_edit_inquiry_record(request.user, obj):
            return ["status", "further_report_due", "question_list"]
        return self.get_fields(request, obj)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "meeting":
            kwargs["queryset"] = _standing_meetings()
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "organizations":
            kwargs["queryset"] = _organs()
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def has_change_permission(self, request, obj=None):
        # the record is edited while it is open; later the page only shows it (a POST is refused)
        return super().has_change_permission(request, obj) and (obj is None or can_edit_inquiry_record(request.user, obj))

    @admin.display(description="询问过程")
    def question_list(self, obj):
        """Every question in the order asked; follow-ups (and on-the-spot questions that follow one) indented under
        the question they follow."""
        questions = list(obj.questions.select_related("asker", "respondent").order_by("number"))
        if not questions:
            return "尚未记录提问"
        below = defaultdict(list)
        for q in questions:
            below[q.follows_id].append(q)
        known = {q.pk for q in questions}

        def items(rows):
            return format_html_join("", "<li data-question=\"{}\">{}{}</li>", (
                (q.number, format_html(
                    "<strong>第{}问 {}</strong> {} 问 {}：{}<br>答：{}", q.number, q.get_kind_display(),
                    q.asker.full_name, q.respondent.name, q.question, q.answer or "（未记录回答）"),
                 format_html("<ul class=\"inquiry-follow-ups\">{}</ul>", items(below[q.pk])) if below[q.pk] else "")
                for q in rows))

        roots = [q for q in questions if q.follows_id is None or q.follows_id not in known]
        return format_html("<ol id=\"inquiry-questions\">{}</ol>", items(roots))

    def add_view(self, request, form_url="", extra_context=None):
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = InquiryCreateForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                inquiry = services.inquiry_create(actor=request.user, meeting=data["meeting"], topic=data["topic"],
                                                  organizations=data["organizations"], description=data["description"])
            except CongressError as exc:
                form.add_error(None, exc.messages)
            else:
                self.message_user(request, f"已安排：{inquiry}。请填写应询人员。")
                return HttpResponseRedirect(reverse("admin:supervision_inquiry_change", args=[inquiry.pk]))
        context = {**self.admin_site.each_context(request), "opts": self.opts, "form": form, "title": "安排专题询问",
                   "intro": "专题询问在常委会会议上进行，应询单位主要负责人到会应询。安排后填写应询人员，会后记录提问、追问、"
                            "临时提问、回答和应询承诺。", "submit_label": "安排",
                   "media": self.media + form.media, "has_view_permission": True}
        return TemplateResponse(request, "admin/form_page.html", context)
