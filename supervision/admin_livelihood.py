"""民生实事项目票决制 in the admin: the year's round (made on the add page; moved on by the workflow's pages: candidates
from voters' opinions, the shortlist with owner organs, the vote, the paper ballots, the count, a tie's decision,
implementation, the satisfaction polls at the next session) and the projects with their quarterly reports (read-only:
the organs submit those in their workspace). Ballots are never listed; nothing here changes a state itself."""
from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone

from congress.lib.admin import CongressModelAdmin, ReadOnlyInline, WorkflowAdminMixin, WorkflowPage
from congress.models import CongressSession, Organization
from congress.services import CongressError
from supervision import services
from supervision.models import LivelihoodProject, LivelihoodReport, LivelihoodRound, LivelihoodVoter
from supervision.services.livelihood import parse_paper_ballots
from supervision.workflows import LIVELIHOOD


class RoundCreateForm(forms.Form):
    session = forms.ModelChoiceField(label="票决会议", queryset=CongressSession.objects.select_related("term"))
    year = forms.IntegerField(label="实施年度", min_value=2000, max_value=2100)
    places = forms.IntegerField(label="票决项目数（名额）", min_value=1, max_value=100, initial=10)
    title = forms.CharField(label="名称", max_length=200, required=False, help_text="不填则为“某年度民生实事项目票决”")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].initial = timezone.localdate().year


class _ObjForm(forms.Form):
    def __init__(self, *args, obj=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.obj = obj


class ConfirmForm(_ObjForm):
    pass


class StaffProposeForm(_ObjForm):
    title = forms.CharField(label="项目名称", max_length=200)
    description = forms.CharField(label="项目内容", max_length=5000, required=False,
                                  widget=forms.Textarea(attrs={"rows": 4, "cols": 80}))
    source_note = forms.CharField(label="选民意见来源", max_length=300, help_text="如联络站名称、社情民意编号、座谈会")
    organization = forms.ModelChoiceField(label="牵头实施单位", required=False,
                                          queryset=Organization.objects.filter(is_active=True))


class ShortlistForm(_ObjForm):
    """For each proposal: whether it is a candidate, and its owner organ; and the places."""

    places = forms.IntegerField(label="票决项目数（名额）", min_value=1, max_value=100)

    def __init__(self, *args, obj=None, **kwargs):
        super().__init__(*args, obj=obj, **kwargs)
        self.fields["places"].initial = obj.places
        organs = Organization.objects.filter(is_active=True)
        self.projects = list(obj.projects.select_related("organization").order_by("id"))
        for p in self.projects:
            self.fields[f"pick_{p.pk}"] = forms.BooleanField(label=f"列为候选：{p.title}（{p.get_source_display()}）",
                                                             required=False, initial=True)
            self.fields[f"owner_{p.pk}"] = forms.ModelChoiceField(label="牵头实施单位", queryset=organs, required=False,
                                                                  initial=p.organization_id)

    def clean(self):
        data = super().clean()
        data["picked"] = [p for p in self.projects if data.get(f"pick_{p.pk}")]
        data["owners"] = {p.pk: data.get(f"owner_{p.pk}") for p in self.projects}
        return data


class PaperForm(_ObjForm):
    voters = forms.ModelMultipleChoiceField(label="纸质投票代表（按签到表勾选）", queryset=LivelihoodVoter.objects.none(),
                                            widget=forms.CheckboxSelectMultiple)
    ballots = forms.CharField(label="纸质选票", max_length=100000, widget=forms.Textarea(attrs={"rows": 12, "cols": 60}),
                              help_text="每行一张选票，填写划“赞成”的候选序号，以空格或逗号分隔；未划任何项目的填写“无”。"
                                        "划“赞成”超过名额的选票记为无效票。")

    def __init__(self, *args, obj=None, **kwargs):
        super().__init__(*args, obj=obj, **kwargs)
        self.fields["voters"].queryset = obj.voters.filter(channel="").select_related("deputy").order_by("deputy__full_name")
        self.fields["voters"].label_from_instance = lambda v: v.deputy.full_name

    def clean_ballots(self):
        try:
            return parse_paper_ballots(self.cleaned_data["ballots"])
        except CongressError as exc:
            raise forms.ValidationError(exc.messages)


class TieForm(_ObjForm):
    projects = forms.ModelMultipleChoiceField(label="确定的项目", queryset=LivelihoodProject.objects.none(),
                                              widget=forms.CheckboxSelectMultiple)
    reason = forms.CharField(label="处理方式和依据", max_length=1000, widget=forms.Textarea(attrs={"rows": 3, "cols": 80}),
                             help_text="如“对同票项目重新投票，结果……”或“经大会主席团第三次会议决定”")

    def __init__(self, *args, obj=None, **kwargs):
        super().__init__(*args, obj=obj, **kwargs)
        self.fields["projects"].queryset = obj.projects.filter(number__in=obj.figures.get("tie", [])).order_by("number")
        self.fields["projects"].help_text = f"从得票相同的项目中确定{obj.figures.get('tie_places', 0)}个"


class PollForm(_ObjForm):
    session = forms.ModelChoiceField(label="测评会议", queryset=CongressSession.objects.none(),
                                     help_text="票决之后的人代会会议，由代表对每个项目的实施情况进行满意度测评")

    def __init__(self, *args, obj=None, **kwargs):
        super().__init__(*args, obj=obj, **kwargs)
        self.fields["session"].queryset = CongressSession.objects.filter(
            start_date__gt=obj.session.start_date).select_related("term")


class ProjectInline(ReadOnlyInline):
    model = LivelihoodProject
    fields = ["number", "title", "source", "proposed_by_deputy", "proposed_by_organization", "source_note",
              "organization", "votes", "rank", "chosen", "result"]
    readonly_fields = fields
    verbose_name_plural = "候选项目和票决结果"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("proposed_by_deputy", "proposed_by_organization",
                                                            "organization")


@admin.register(LivelihoodRound)
class LivelihoodRoundAdmin(WorkflowAdminMixin, CongressModelAdmin):
    list_display = ["title", "session", "year", "places", "status"]
    list_filter = ["status", "year"]
    list_select_related = ["session__term"]
    search_fields = ["title"]
    fields = ["title", "session", "year", "places", "status", "figures_text", "tie_decision", "evaluation_session",
              "opened_at", "counted_at", "created_by", "created_at"]
    inlines = [ProjectInline]
    change_form_template = "admin/workflow_change_form_timeline.html"
    workflow = LIVELIHOOD
    workflow_pages = [
        WorkflowPage("propose", "录入选民意见中的候选项目", ("propose_opinion",), StaffProposeForm, "候选项目已录入。",
                     lambda r, o, d: services.livelihood_propose(
                         actor=r.user, round_=o, title=d["title"], description=d["description"],
                         organization=d["organization"], source_note=d["source_note"])),
        WorkflowPage("shortlist", "确定候选项目", ("shortlist",), ShortlistForm, "候选项目已确定。",
                     lambda r, o, d: services.livelihood_shortlist(actor=r.user, round_=o, projects=d["picked"],
                                                                   places=d["places"], owners=d["owners"])),
        WorkflowPage("open", "开始投票", ("open",), ConfirmForm, "已开始投票，并已通知代表。",
                     lambda r, o, d: services.livelihood_open(actor=r.user, round_=o)),
        WorkflowPage("paper", "录入纸质票", ("enter_paper",), PaperForm, "纸质票已录入。",
                     lambda r, o, d: services.livelihood_enter_paper(
                         actor=r.user, round_=o, voters=[v.deputy for v in d["voters"]], ballots=d["ballots"])),
        WorkflowPage("count", "结束投票并计票", ("count",), ConfirmForm, "已计票。",
                     lambda r, o, d: services.livelihood_count(actor=r.user, round_=o)),
        WorkflowPage("tie", "决定末位同票", ("resolve_tie",), TieForm, "末位同票的处理结果已记录。",
                     lambda r, o, d: services.livelihood_resolve_tie(actor=r.user, round_=o, projects=d["projects"],
                                                                     reason=d["reason"])),
        WorkflowPage("implement", "交付实施", ("implement",), ConfirmForm, "已交付各牵头实施单位，并通知其按季度报送进展。",
                     lambda r, o, d: services.livelihood_implement(actor=r.user, round_=o)),
        WorkflowPage("poll", "组织满意度测评", ("poll",), PollForm, "已为每个项目创建满意度测评，请在测评页面开始投票。",
                     lambda r, o, d: services.livelihood_poll(actor=r.user, round_=o, session=d["session"])),
        WorkflowPage("conclude", "完成满意度评价", ("conclude",), ConfirmForm, "满意度评价已完成。",
                     lambda r, o, d: services.livelihood_conclude(actor=r.user, round_=o)),
    ]

    def get_readonly_fields(self, request, obj=None):
        return [*self.fields]

    def has_change_permission(self, request, obj=None):
        return obj is None and super().has_change_permission(request)

    @admin.display(description="计票结果")
    def figures_text(self, obj):
        f = obj.figures
        if not f:
            return "计票后显示"
        f = {"eligible": 0, "voted": 0, "cast": 0, "valid": 0, "invalid": 0, "places": obj.places, "chosen": 0, "tie": [],
             "tie_places": 0} | f
        text = (f"应参加{f['eligible']}人，投票{f['voted']}人，收回选票{f['cast']}张（有效{f['valid']}，无效{f['invalid']}）；"
                f"名额{f['places']}个，确定{f['chosen']}个")
        if f.get("majority_percent"):
            text += f"（须获有效票{f['majority_percent']}%以上赞成）"
        if obj.tie_pending:
            text += f"；末位同票：候选序号{'、'.join(map(str, f['tie']))}，争{f['tie_places']}个名额，待决定"
        return text

    def add_view(self, request, form_url="", extra_context=None):
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = RoundCreateForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                round_ = services.livelihood_round_create(actor=request.user, session=data["session"], year=data["year"],
                                                          places=data["places"], title=data["title"])
            except CongressError as exc:
                form.add_error(None, exc.messages)
            else:
                self.message_user(request, f"已创建：{round_}，开始征集候选项目。")
                return HttpResponseRedirect(reverse("admin:supervision_livelihoodround_change", args=[round_.pk]))
        context = {**self.admin_site.each_context(request), "opts": self.opts, "form": form, "title": "组织民生实事项目票决",
                   "intro": "依次经过征集候选项目、确定候选项目（候选项目数须多于名额）、人代会票决、计票、交付实施、"
                            "下一次人代会满意度测评。", "submit_label": "创建", "media": self.media + form.media,
                   "has_view_permission": True}
        return TemplateResponse(request, "admin/form_page.html", context)


class ReportInline(ReadOnlyInline):
    model = LivelihoodReport
    fields = ["year", "quarter", "due_date", "submitted_at", "progress", "text", "submitted_by"]
    readonly_fields = fields

    def get_queryset(self, request):  # 报送人 on every row: one query for all of them
        return super().get_queryset(request).select_related("submitted_by")


@admin.register(LivelihoodProject)
class LivelihoodProjectAdmin(CongressModelAdmin):
    list_display = ["title", "round", "number", "source", "organization", "votes", "rank", "chosen", "result"]
    list_filter = ["chosen", "source", "round__year"]
    list_select_related = ["round", "organization"]
    search_fields = ["title", "organization__name"]
    fields = ["round", "number", "title", "description", "source", "proposed_by_deputy", "proposed_by_organization",
              "source_note", "organization", "votes", "rank", "chosen", "poll", "result", "created_by", "created_at"]
    inlines = [ReportInline]

    def get_readonly_fields(self, request, obj=None):
        return [*self.fields]

    def has_add_permission(self, request):
        return False  # proposed on the round's page, in the portal or in the unit workspace

    def has_change_permission(self, request, obj=None):
        return obj is None and super().has_change_permission(request)
