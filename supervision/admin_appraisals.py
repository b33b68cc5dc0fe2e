"""工作评议 in the admin: the year's aspects and weights (edited here, summing to 100, locked once a score of that year is
in), the appraisals (made on the add page, moved through their phases by the workflow's pages: questionnaires, the
meeting and its poll, the opinion, rectification items, 回头看, the scores), and the year's ranking with its Excel
export for the district's assessment office. Nothing here changes a state itself."""
import io
from decimal import Decimal

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.forms.models import BaseInlineFormSet
from django.http import HttpResponse, HttpResponseNotAllowed, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.http import content_disposition_header

from congress.lib.admin import CongressModelAdmin, GatedInline, ReadOnlyInline, WorkflowAdminMixin, WorkflowPage
from congress.models import ExportRecord
from congress.services import CongressError
from supervision import selectors, services
from supervision.models import (
    Appraisal,
    AppraisalAspect,
    AppraisalScheme,
    AppraisalScore,
    AppraisalSurvey,
    PollGroup,
    SatisfactionPoll,
)
from supervision.workflows import APPRAISAL

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _scheme_locked(scheme) -> bool:
    return scheme is not None and scheme.pk is not None and AppraisalScore.objects.filter(aspect__scheme=scheme).exists()


class AspectFormSet(BaseInlineFormSet):
    """The weights of the year's aspects must sum to 100."""

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        weights = [f.cleaned_data.get("weight") or 0 for f in self.forms
                   if f.cleaned_data and not f.cleaned_data.get("DELETE")]
        if sum(weights) != 100:
            raise forms.ValidationError(f"各测评项目的权重合计须为100%（现为{sum(weights)}%）")


class AppraisalAspectInline(GatedInline):
    model = AppraisalAspect
    formset = AspectFormSet
    fields = ["name", "weight", "order"]
    extra = 0

    def get_extra(self, request, obj=None, **kwargs):
        return 3 if obj is None else 0

    def editable(self, request, obj):
        return not _scheme_locked(obj)


@admin.register(AppraisalScheme)
class AppraisalSchemeAdmin(CongressModelAdmin):
    list_display = ["year", "aspects_text", "note"]
    fields = ["year", "note"]
    inlines = [AppraisalAspectInline]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("aspects")

    @admin.display(description="测评项目及权重")
    def aspects_text(self, obj):
        return "，".join(str(a) for a in obj.aspects.all()) or "尚未设置"

    def get_readonly_fields(self, request, obj=None):
        return ["year", "note"] if _scheme_locked(obj) else []

    def has_delete_permission(self, request, obj=None):
        return not _scheme_locked(obj) and super().has_delete_permission(request, obj)


class SurveyInline(ReadOnlyInline):
    model = AppraisalSurvey
    fields = ["respondents", "sent", "returned", "score", "note"]
    readonly_fields = fields


class ScoreInline(ReadOnlyInline):
    model = AppraisalScore
    fields = ["aspect", "score"]
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("aspect")


class AppraisalCreateForm(forms.ModelForm):
    class Meta:
        model = Appraisal
        fields = ["term", "year", "organization", "kind", "subject"]

    def __init__(self, *args, **kwargs):
        from congress.models import Organization
        from congress.selectors import current_term

        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = Organization.objects.filter(kind=Organization.Kind.DEPARTMENT, is_active=True)
        self.fields["term"].initial = getattr(current_term(), "pk", None)
        self.fields["year"].initial = timezone.localdate().year


class _ObjForm(forms.Form):
    def __init__(self, *args, obj=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.obj = obj


class NoteForm(_ObjForm):
    note = forms.CharField(label="工作情况", required=False, max_length=1000,
                           widget=forms.Textarea(attrs={"rows": 3, "cols": 80}))


class SurveyForm(_ObjForm):
    respondents = forms.ChoiceField(label="问卷对象", choices=AppraisalSurvey.Respondents.choices)
    sent = forms.IntegerField(label="发出份数", min_value=1, max_value=1_000_000)
    returned = forms.IntegerField(label="收回份数", min_value=0, max_value=1_000_000)
    score = forms.DecimalField(label="问卷得分", min_value=0, max_value=100, max_digits=5, decimal_places=2,
                               help_text="0～100分，按收回问卷统计")
    note = forms.CharField(label="主要意见", required=False, max_length=500)


class ConveneForm(_ObjForm):
    """The meeting, and who votes in its satisfaction poll with which weights."""

    meeting = forms.ModelChoiceField(label="评议会议", queryset=None)
    basis = forms.ChoiceField(label="计算基数", choices=SatisfactionPoll.Basis.choices)
    members_weight = forms.IntegerField(label="常委会组成人员权重（%）", min_value=0, max_value=100, initial=100)
    deputies_weight = forms.IntegerField(label="人大代表权重（%）", min_value=0, max_value=100, initial=0)
    public_weight = forms.IntegerField(label="群众代表权重（%）", min_value=0, max_value=100, initial=0)
    public_eligible = forms.IntegerField(label="群众代表应参评人数", min_value=0, max_value=100000, initial=0)

    def __init__(self, *args, obj=None, **kwargs):
        from congress.models import Meeting

        super().__init__(*args, obj=obj, **kwargs)
        self.fields["meeting"].queryset = Meeting.objects.select_related("term")


class OpinionForm(_ObjForm):
    opinion = forms.CharField(label="评议意见", max_length=20000, widget=forms.Textarea(attrs={"rows": 8, "cols": 80}))


class AssignForm(_ObjForm):
    title = forms.CharField(label="整改事项", max_length=200)
    description = forms.CharField(label="问题和要求", required=False, max_length=5000,
                                  widget=forms.Textarea(attrs={"rows": 4, "cols": 80}))
    due_date = forms.DateField(label="整改期限", widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}))

    def __init__(self, *args, obj=None, **kwargs):
        super().__init__(*args, obj=obj, **kwargs)
        self.fields["due_date"].initial = services.appraisals.rectification_due()


class ScoresForm(_ObjForm):
    """One score (0–100) for each aspect of the appraisal's year."""

    def __init__(self, *args, obj=None, **kwargs):
        super().__init__(*args, obj=obj, **kwargs)
        current = {s.aspect_id: s.score for s in obj.scores.all()}
        for aspect in AppraisalAspect.objects.filter(scheme__year=obj.year):
            self.fields[f"aspect_{aspect.pk}"] = forms.DecimalField(
                label=f"{aspect.name}（权重{aspect.weight}%）", min_value=0, max_value=100, max_digits=5, decimal_places=2,
                initial=current.get(aspect.pk))


@admin.register(Appraisal)
class AppraisalAdmin(WorkflowAdminMixin, CongressModelAdmin):
    list_display = ["organization", "year", "kind", "status", "meeting", "result"]
    list_filter = ["year", "status", "kind", "result"]
    list_select_related = ["organization", "meeting__term"]
    search_fields = ["organization__name", "subject"]
    inlines = [SurveyInline, ScoreInline]
    change_form_template = "admin/workflow_change_form_timeline.html"
    change_list_template = "admin/supervision/appraisal/change_list.html"
    fields = ["term", "year", "organization", "kind", "subject", "status", "meeting", "poll", "result", "total_text",
              "self_check_report", "self_check_at", "opinion", "follow_up_of", "due_date", "created_by", "created_at"]
    workflow = APPRAISAL
    workflow_pages = [
        WorkflowPage("survey", "开展调查研究", ("survey",), NoteForm, "已进入调查研究阶段。",
                     lambda r, a, d: services.appraisal_start_survey(actor=r.user, appraisal=a, note=d["note"])),
        WorkflowPage("questionnaire", "录入问卷调查", ("record_survey",), SurveyForm, "问卷调查情况已录入。",
                     lambda r, a, d: services.appraisal_record_survey(
                         actor=r.user, appraisal=a, respondents=d["respondents"], sent=d["sent"], returned=d["returned"],
                         score=d["score"], note=d["note"])),
        WorkflowPage("self_check", "部署自查自纠", ("self_check",), NoteForm, "已通知被评议部门开展自查并提交自查报告。",
                     lambda r, a, d: services.appraisal_start_self_check(actor=r.user, appraisal=a, note=d["note"])),
        WorkflowPage("convene", "召开评议会议", ("convene",), ConveneForm, "已确定评议会议，满意度测评已创建。",
                     lambda r, a, d: services.appraisal_convene(
                         actor=r.user, appraisal=a, meeting=d["meeting"], groups=_groups(d), basis=d["basis"],
                         public_eligible=d["public_eligible"] or 0)),
        WorkflowPage("conclude", "形成评议意见", ("conclude",), OpinionForm, "评议意见已形成，进入整改落实阶段。",
                     lambda r, a, d: services.appraisal_conclude(actor=r.user, appraisal=a, opinion=d["opinion"])),
        WorkflowPage("assign", "交办整改事项", ("assign",), AssignForm, "已交办整改事项，并通知被评议部门。",
                     lambda r, a, d: services.appraisal_assign(actor=r.user, appraisal=a, title=d["title"],
                                                               due_date=d["due_date"], description=d["description"])),
        WorkflowPage("review", "开展回头看", ("review",), NoteForm, "已进入回头看阶段。",
                     lambda r, a, d: services.appraisal_start_review(actor=r.user, appraisal=a, note=d["note"])),
        WorkflowPage("scores", "录入测评得分", ("record_scores",), ScoresForm, "测评得分已录入。",
                     lambda r, a, d: services.appraisal_record_scores(actor=r.user, appraisal=a, scores={
                         int(k.split("_")[1]): v for k, v in d.items() if k.startswith("aspect_")})),
        WorkflowPage("close", "评议结束", ("close",), NoteForm, "工作评议已结束。",
                     lambda r, a, d: services.appraisal_close(actor=r.user, appraisal=a, note=d["note"])),
    ]

    def get_readonly_fields(self, request, obj=None):
        return [*self.fields]

    def has_change_permission(self, request, obj=None):
        return obj is None and super().has_change_permission(request)

    @admin.display(description="加权总分")
    def total_text(self, obj):
        aspects = list(AppraisalAspect.objects.filter(scheme__year=obj.year))
        scores = {s.aspect_id: s.score for s in obj.scores.all()}
        if not aspects or any(a.pk not in scores for a in aspects):
            return "尚未录入全部测评项目的得分"
        total = selectors.appraisal_total([(scores[a.pk], a.weight) for a in aspects])
        return f"{total}（{selectors.appraisal_grade(total, obj.result)}）"

    def add_view(self, request, form_url="", extra_context=None):
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = AppraisalCreateForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                appraisal = services.appraisal_create(actor=request.user, term=data["term"], year=data["year"],
                                                      organization=data["organization"], kind=data["kind"],
                                                      subject=data["subject"])
            except CongressError as exc:
                form.add_error(None, exc.messages)
            else:
                self.message_user(request, f"已确定评议对象：{appraisal}。")
                return HttpResponseRedirect(reverse("admin:supervision_appraisal_change", args=[appraisal.pk]))
        context = {**self.admin_site.each_context(request), "opts": self.opts, "form": form, "title": "确定工作评议对象",
                   "intro": "评议依次经过动员部署、调查研究、自查自纠、评议会议、整改落实、回头看；每个部门每年评议一次。",
                   "submit_label": "创建", "media": self.media + form.media, "has_view_permission": True}
        return TemplateResponse(request, "admin/form_page.html", context)

    # -- the year's ranking ----------------------------------------------------------------------------------------

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        wrap = self.admin_site.admin_view
        return [path("ranking/", wrap(self.ranking_view), name="{}_{}_ranking".format(*info)),
                path("ranking/export/", wrap(self.ranking_export), name="{}_{}_ranking_export".format(*info)),
                *super().get_urls()]

    def _year(self, request) -> int:
        years = selectors.appraisal_years()
        try:
            year = int(request.GET.get("year", ""))
        except ValueError:
            year = None
        if year not in years:
            year = years[0] if years else timezone.localdate().year
        return year

    def ranking_view(self, request):
        if request.method != "GET":
            return HttpResponseNotAllowed(["GET"])
        if not self.has_view_permission(request):
            raise PermissionDenied
        from congress.selectors import current_term

        year, term = self._year(request), current_term()
        context = {**self.admin_site.each_context(request), "opts": self.opts, "title": f"{year}年度工作评议排名",
                   "ranking": selectors.appraisal_ranking(year), "years": selectors.appraisal_years(), "year": year,
                   "coverage": term and selectors.appraisal_coverage(term), "term": term, "has_view_permission": True}
        return TemplateResponse(request, "admin/supervision/appraisal/ranking.html", context)

    def ranking_export(self, request):
        if request.method != "GET":
            return HttpResponseNotAllowed(["GET"])
        if not self.has_view_permission(request):
            raise PermissionDenied
        year = self._year(request)
        content, count = ranking_workbook(selectors.appraisal_ranking(year))
        ExportRecord.objects.create(user=request.user, model_label="supervision.appraisal", row_count=count,
                                    file_format="xlsx")
        response = HttpResponse(content, content_type=XLSX)
        response["Content-Disposition"] = content_disposition_header(True, f"{year}年度工作评议排名.xlsx")
        return response


def _groups(data):
    return [(kind, data[f"{name}_weight"]) for kind, name in
            ((PollGroup.Kind.MEMBERS, "members"), (PollGroup.Kind.DEPUTIES, "deputies"), (PollGroup.Kind.PUBLIC, "public"))
            if data[f"{name}_weight"]]


def ranking_workbook(ranking: dict) -> tuple[bytes, int]:
    """One sheet, the header row first (名次, 单位, each aspect, 总分, 等次) and one row per department, numbers as
    numbers with two decimals, so the assessment office's system can take it in as it is."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = f"{ranking['year']}年度工作评议排名"
    sheet.append(["名次", "单位", *[a.name for a in ranking["aspects"]], "总分", "等次"])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in ranking["rows"]:
        sheet.append([row["rank"], row["organization"].name, *[Decimal(s) for s in row["scores"]], row["total"], row["grade"]])
    for line in sheet.iter_rows(min_row=2, min_col=3, max_col=3 + len(ranking["aspects"])):
        for cell in line:
            cell.number_format = "0.00"
    sheet.column_dimensions["B"].width = 30
    out = io.BytesIO()
    book.save(out)
    return out.getvalue(), len(ranking["rows"])
