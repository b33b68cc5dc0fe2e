"""任后监督 in the admin: a year's rating round is made on the add page (its list drawn from the appointments in office)
and moved through its phases by the workflow's pages — the list adjusted, the reporting phase with its due date, one
poll per official, the results confirmed, the letters issued; the officials, their reports, results and letters are
read on the round's page and in their own read-only list. Nothing here changes a state itself."""
from django import forms
from django.conf import settings
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html

from congress.lib.admin import CongressModelAdmin, ReadOnlyInline, WorkflowAdminMixin, WorkflowPage
from congress.models import Appointment, Meeting, Organization
from congress.services import CongressError
from supervision import services
from supervision.models import RatedOfficial, RatingRound, SatisfactionPoll
from supervision.selectors_ratings import appointments_in_office
from supervision.workflows import RATING_ROUND


def _letter_link(letter):
    if letter is None:
        return "—"
    return format_html('<a href="{}" class="letter-file">{}</a>', reverse("congress:letter_file", args=[letter.pk]),
                       letter.number)


class RatedOfficialInline(ReadOnlyInline):
    model = RatedOfficial
    fields = ["person_name", "position", "organization", "status", "report_submitted_at", "poll", "satisfied", "basic",
              "unsatisfied", "satisfied_share", "grade", "letter"]
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("organization", "poll", "reminder_letter")

    @admin.display(description="提醒函")
    def letter(self, obj):
        return _letter_link(obj.reminder_letter)


class RatingRoundCreateForm(forms.ModelForm):
    class Meta:
        model = RatingRound
        fields = ["term", "year", "title"]

    def __init__(self, *args, **kwargs):
        from congress.selectors import current_term

        super().__init__(*args, **kwargs)
        self.fields["term"].initial = getattr(current_term(), "pk", None)
        self.fields["year"].initial = timezone.localdate().year
        self.fields["title"].required = False
        self.fields["title"].help_text = "不填则为“某年度任命干部履职评议”"

    def validate_unique(self):
        pass  # the service refuses a second round of a year with its own sentence


class _ObjForm(forms.Form):
    def __init__(self, *args, obj=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.obj = obj


class AdjustForm(_ObjForm):
    add = forms.ModelMultipleChoiceField(label="增加被评议干部", required=False, queryset=Appointment.objects.none(),
                                         widget=forms.CheckboxSelectMultiple, help_text="在任的常委会任命干部")
    remove = forms.ModelMultipleChoiceField(label="移出评议名单", required=False, queryset=RatedOfficial.objects.none(),
                                            widget=forms.CheckboxSelectMultiple)
    note = forms.CharField(label="说明", required=False, max_length=500)

    def __init__(self, *args, obj=None, **kwargs):
        super().__init__(*args, obj=obj, **kwargs)
        taken = set(obj.officials.values_list("appointment_id", flat=True))
        self.fields["add"].queryset = Appointment.objects.filter(
            pk__in=[a.pk for a in appointments_in_office() if a.pk not in taken]).select_related("organization")
        self.fields["remove"].queryset = obj.officials.select_related("organization")


class ReportingForm(_ObjForm):
    due = forms.DateField(label="述职报告提交期限", widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}))

    def __init__(self, *args, obj=None, **kwargs):
        super().__init__(*args, obj=obj, **kwargs)
        self.fields["due"].initial = services.ratings.default_report_due()


class PollingForm(_ObjForm):
    meeting = forms.ModelChoiceField(label="测评会议", queryset=Meeting.objects.none(), required=False)
    basis = forms.ChoiceField(label="计算基数", choices=SatisfactionPoll.Basis.choices)

    def __init__(self, *args, obj=None, **kwargs):
        super().__init__(*args, obj=obj, **kwargs)
        self.fields["meeting"].queryset = Meeting.objects.select_related("term")
        from supervision.models import PollGroup

        groups = "，".join(f"{PollGroup.Kind(k).label}{w}%" for k, w in services.ratings.poll_groups())
        self.fields["basis"].help_text = f"参评人员及权重：{groups}（按本地设置）"


class NoteForm(_ObjForm):
    pass


class LettersForm(_ObjForm):
    addressee = forms.ModelChoiceField(label="评议情况报告主送机关", queryset=Organization.objects.none())

    def __init__(self, *args, obj=None, **kwargs):
        super().__init__(*args, obj=obj, **kwargs)
        self.fields["addressee"].queryset = Organization.objects.filter(is_active=True)
        default = Organization.objects.filter(name=settings.CONGRESS_RULES["RATING_SUMMARY_ADDRESSEE"]).first()
        self.fields["addressee"].initial = getattr(default, "pk", None)


@admin.register(RatingRound)
class RatingRoundAdmin(WorkflowAdminMixin, CongressModelAdmin):
    list_display = ["title", "year", "status", "report_due", "officials_count", "summary"]
    list_filter = ["status"]
    list_select_related = ["summary_letter"]
    search_fields = ["title"]
    inlines = [RatedOfficialInline]
    change_form_template = "admin/workflow_change_form_timeline.html"
    fields = ["term", "year", "title", "status", "report_due", "meeting", "summary_addressee", "summary", "created_by",
              "created_at"]
    workflow = RATING_ROUND
    workflow_pages = [
        WorkflowPage("adjust", "调整评议名单", ("adjust",), AdjustForm, "评议名单已调整。",
                     lambda r, o, d: services.rating_round_adjust(actor=r.user, rnd=o, add=d["add"], remove=d["remove"],
                                                                  note=d["note"])),
        WorkflowPage("reporting", "部署述职", ("start_reporting",), ReportingForm, "已通知各单位提交述职报告。",
                     lambda r, o, d: services.rating_round_start_reporting(actor=r.user, rnd=o, due=d["due"])),
        WorkflowPage("polling", "组织满意度测评", ("start_polling",), PollingForm,
                     "已为每名被评议干部创建满意度测评，请在“满意度测评”中开始投票、结束投票。",
                     lambda r, o, d: services.rating_round_start_polling(actor=r.user, rnd=o, meeting=d["meeting"],
                                                                         basis=d["basis"])),
        WorkflowPage("confirm", "确认评议结果", ("confirm",), NoteForm, "评议结果已确认。",
                     lambda r, o, d: services.rating_round_confirm(actor=r.user, rnd=o)),
        WorkflowPage("letters", "印发一书两函", ("send_letters",), LettersForm, "提醒函和评议情况报告已生成。",
                     lambda r, o, d: services.rating_round_send_letters(actor=r.user, rnd=o, addressee=d["addressee"])),
    ]

    def get_queryset(self, request):
        from django.db.models import Count

        return super().get_queryset(request).annotate(officials_n=Count("officials"))

    @admin.display(description="被评议干部（名）", ordering="officials_n")
    def officials_count(self, obj):
        return obj.officials_n

    @admin.display(description="评议情况报告")
    def summary(self, obj):
        return _letter_link(obj.summary_letter)

    def get_readonly_fields(self, request, obj=None):
        return [*self.fields]

    def has_change_permission(self, request, obj=None):
        return obj is None and super().has_change_permission(request)

    def add_view(self, request, form_url="", extra_context=None):
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = RatingRoundCreateForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                rnd = services.rating_round_create(actor=request.user, term=data["term"], year=data["year"],
                                                   title=data["title"])
            except CongressError as exc:
                form.add_error(None, exc.messages)
            else:
                self.message_user(request, f"已开展{rnd.title}，在任的任命干部{rnd.officials.count()}名列入评议名单。")
                return HttpResponseRedirect(reverse("admin:supervision_ratinground_change", args=[rnd.pk]))
        context = {**self.admin_site.each_context(request), "opts": self.opts, "form": form, "title": "开展任命干部履职评议",
                   "intro": "评议名单取自常委会任命且尚未免职、辞职的干部，筹备阶段可以调整；之后依次为述职、测评、确认结果、"
                            "印发一书两函。",
                   "submit_label": "创建", "media": self.media + form.media, "has_view_permission": True}
        return TemplateResponse(request, "admin/form_page.html", context)


@admin.register(RatedOfficial)
class RatedOfficialAdmin(CongressModelAdmin):
    """Read-only: the officials are listed by their round, report through their organ, are graded on confirmation."""

    list_display = ["person_name", "position", "organization", "round", "status", "satisfied", "basic", "unsatisfied",
                    "grade", "letter"]
    list_filter = ["status", "grade"]
    list_select_related = ["organization", "round", "reminder_letter"]
    search_fields = ["person_name", "organization__name"]
    fields = ["round", "appointment", "person_name", "position", "organization", "status", "report", "report_submitted_at",
              "poll", "satisfied", "basic", "unsatisfied", "satisfied_share", "approval_share", "grade", "letter"]
    readonly_fields = fields

    @admin.display(description="提醒函")
    def letter(self, obj):
        return _letter_link(obj.reminder_letter)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
