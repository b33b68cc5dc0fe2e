"""Committee staff run supervision work in the admin: the committee's composition, satisfaction polls (groups while in
preparation; open, paper ballots, close, publish as workflow pages; a result page for the meeting room's screen),
rectification items (assigned here or by a piece of supervision work; accepted or returned as workflow pages). Nothing
here changes a state itself; ballots are never listed."""
from django import forms as django_forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.template.response import TemplateResponse
from django.urls import path

from congress.lib.admin import CongressModelAdmin, ReadOnlyInline, WorkflowAdminMixin, WorkflowPage
from congress.lib.importexport import CongressImportExportMixin
from congress.services import CongressError
from supervision import selectors, services
from supervision.models import CommitteeMember, PollGroup, PollVoter, Rectification, RectificationReport, SatisfactionPoll
from supervision.resources import CommitteeMemberResource
from supervision.workflows import POLL, RECTIFICATION


@admin.register(CommitteeMember)
class CommitteeMemberAdmin(CongressImportExportMixin, CongressModelAdmin):
    # the composition from the committee's list (supervision/resources.py): whole file or nothing
    resource_classes = [CommitteeMemberResource]
    import_max_bytes = 512 * 1024
    export_title = "常委会组成人员"
    list_display = ["deputy", "role", "term", "start_date", "end_date"]
    list_filter = ["term", "role"]
    list_select_related = ["deputy", "term"]
    search_fields = ["deputy__full_name"]
    autocomplete_fields = ["deputy"]


class PollGroupInline(ReadOnlyInline):
    """The groups, their weights and numbers (set when the poll is created; the numbers frozen when it opens)."""

    model = PollGroup
    fields = ["kind", "weight", "eligible", "present"]
    readonly_fields = fields


class PollCreateForm(django_forms.Form):
    """A new poll: what it rates, on which basis, and who votes with which weight (the weights add up to 100)."""

    term = django_forms.ModelChoiceField(label="届", queryset=None)
    title = django_forms.CharField(label="测评名称", max_length=200)
    organization = django_forms.ModelChoiceField(label="被测评单位", required=False, queryset=None)
    meeting = django_forms.ModelChoiceField(label="会议", required=False, queryset=None)
    basis = django_forms.ChoiceField(label="计算基数", choices=SatisfactionPoll.Basis.choices)
    members_weight = django_forms.IntegerField(label="常委会组成人员权重（%）", min_value=0, max_value=100, initial=100)
    deputies_weight = django_forms.IntegerField(label="人大代表权重（%）", min_value=0, max_value=100, initial=0)
    public_weight = django_forms.IntegerField(label="群众代表权重（%）", min_value=0, max_value=100, initial=0)
    public_eligible = django_forms.IntegerField(label="群众代表应参评人数", min_value=0, max_value=100000, initial=0,
                                                help_text="群众代表以纸质票参评，无需账号")

    def __init__(self, *args, **kwargs):
        from congress.models import Meeting, Organization, Term
        from congress.selectors import current_term

        super().__init__(*args, **kwargs)
        self.fields["term"].queryset = Term.objects.all()
        self.fields["term"].initial = getattr(current_term(), "pk", None)
        self.fields["organization"].queryset = Organization.objects.filter(is_active=True)
        self.fields["meeting"].queryset = Meeting.objects.select_related("term")

    def groups(self) -> list[tuple[str, int]]:
        data = self.cleaned_data
        return [(kind, data[f"{field}_weight"]) for kind, field in
                ((PollGroup.Kind.MEMBERS, "members"), (PollGroup.Kind.DEPUTIES, "deputies"), (PollGroup.Kind.PUBLIC, "public"))
                if data[f"{field}_weight"]]


class PollVoterInline(ReadOnlyInline):
    """Who may vote and whether they have (and on which channel): never what."""

    model = PollVoter
    fields = ["deputy", "group", "channel"]
    readonly_fields = fields
    verbose_name_plural = "参评人员（只显示是否投票，不显示测评意见）"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("deputy", "group")


class PaperBallotsForm(django_forms.Form):
    """One group's paper ballots, counted together: the marks, and (members, deputies) who voted on paper."""

    group = django_forms.ModelChoiceField(label="参评人员组", queryset=PollGroup.objects.none())
    voters = django_forms.ModelMultipleChoiceField(
        label="纸质投票人员（按签到表勾选）", required=False, queryset=PollVoter.objects.none(),
        widget=django_forms.CheckboxSelectMultiple, help_text="群众代表不需勾选")
    satisfied = django_forms.IntegerField(label="满意", min_value=0, max_value=10000, initial=0)
    basic = django_forms.IntegerField(label="基本满意", min_value=0, max_value=10000, initial=0)
    unsatisfied = django_forms.IntegerField(label="不满意", min_value=0, max_value=10000, initial=0)
    invalid = django_forms.IntegerField(label="无效票（未划或多划）", min_value=0, max_value=10000, initial=0)

    def __init__(self, *args, obj=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].queryset = obj.groups.all()
        self.fields["voters"].queryset = obj.voters.filter(channel="").select_related("deputy").order_by("deputy__full_name")
        self.fields["voters"].label_from_instance = lambda v: v.deputy.full_name


class ClosePollForm(django_forms.Form):
    """With the "present" basis, the numbers present per group (else those who voted)."""

    def __init__(self, *args, obj=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.obj = obj
        if obj.basis == SatisfactionPoll.Basis.PRESENT:
            for group in obj.groups.all():
                self.fields[f"present_{group.pk}"] = django_forms.IntegerField(
                    label=f"{group.get_kind_display()}实到人数", min_value=0, max_value=group.eligible or 100000,
                    required=False, help_text="不填则按实际投票人数计")


class NoteForm(django_forms.Form):
    note = django_forms.CharField(label="说明", required=False, max_length=500,
                                  widget=django_forms.Textarea(attrs={"rows": 2, "cols": 80}))

    def __init__(self, *args, obj=None, **kwargs):
        super().__init__(*args, **kwargs)


class ConfirmForm(django_forms.Form):
    def __init__(self, *args, obj=None, **kwargs):
        super().__init__(*args, **kwargs)


class ReasonForm(django_forms.Form):
    reason = django_forms.CharField(label="理由", max_length=1000, widget=django_forms.Textarea(attrs={"rows": 3, "cols": 80}))

    def __init__(self, *args, obj=None, **kwargs):
        super().__init__(*args, **kwargs)


@admin.register(SatisfactionPoll)
class SatisfactionPollAdmin(WorkflowAdminMixin, CongressModelAdmin):
    list_display = ["title", "organization", "meeting", "status", "result", "opened_at", "closed_at"]
    list_filter = ["status", "result", "term"]
    list_select_related = ["organization", "meeting__term", "term"]
    search_fields = ["title", "organization__name"]
    autocomplete_fields = ["organization", "meeting"]
    fields = ["term", "title", "organization", "meeting", "basis", "status", "result", "figures_text", "opened_at",
              "closed_at", "published_at"]
    readonly_fields = ["status", "result", "figures_text", "opened_at", "closed_at", "published_at"]
    inlines = [PollGroupInline, PollVoterInline]
    change_form_template = "admin/supervision/satisfactionpoll/change_form.html"
    workflow = POLL
    workflow_pages = [
        WorkflowPage("open", "开始投票", ("open",), ConfirmForm, "已开始投票，并已通知参评人员。",
                     lambda r, p, d: services.poll_open(actor=r.user, poll=p)),
        WorkflowPage("paper", "录入纸质票", ("enter_paper",), PaperBallotsForm, "纸质票已录入。",
                     lambda r, p, d: services.poll_enter_paper(
                         actor=r.user, poll=p, group=d["group"], voters=[v.deputy for v in d["voters"]],
                         satisfied=d["satisfied"], basic=d["basic"], unsatisfied=d["unsatisfied"], invalid=d["invalid"])),
        WorkflowPage("close", "结束投票并计票", ("close",), ClosePollForm, "已结束投票并计票。",
                     lambda r, p, d: services.poll_close(actor=r.user, poll=p, present={
                         int(k.split("_")[1]): v for k, v in d.items() if k.startswith("present_") and v is not None})),
        WorkflowPage("publish", "公布结果", ("publish",), ConfirmForm, "已公布测评结果。",
                     lambda r, p, d: services.poll_publish(actor=r.user, poll=p)),
    ]

    def get_readonly_fields(self, request, obj=None):
        return [*self.fields]  # made on the add page, moved on by the workflow's pages

    def has_change_permission(self, request, obj=None):
        return obj is None and super().has_change_permission(request)

    def add_view(self, request, form_url="", extra_context=None):
        from django.http import HttpResponseRedirect
        from django.urls import reverse

        if not self.has_add_permission(request):
            raise PermissionDenied
        form = PollCreateForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                poll = services.poll_create(
                    actor=request.user, term=data["term"], title=data["title"], organization=data["organization"],
                    meeting=data["meeting"], basis=data["basis"], groups=form.groups(),
                    public_eligible=data["public_eligible"] or 0)
            except CongressError as exc:
                form.add_error(None, exc.messages)
            else:
                self.message_user(request, f"已创建：{poll}。确认无误后点击“开始投票”。")
                return HttpResponseRedirect(reverse("admin:supervision_satisfactionpoll_change", args=[poll.pk]))
        context = {**self.admin_site.each_context(request), "opts": self.opts, "form": form, "title": "组织满意度测评",
                   "intro": "测评实行无记名投票：组成人员（和代表）在手机上投票，未使用手机的由工作人员录入纸质票；"
                            "开始投票时按当日名单确定参评人员。", "submit_label": "创建",
                   "media": self.media + form.media, "has_view_permission": True}
        return TemplateResponse(request, "admin/form_page.html", context)

    @admin.display(description="测评数据")
    def figures_text(self, obj):
        if not obj.figures:
            return "结束投票后计票"
        f = obj.figures
        return (f"应参评{f['totals']['eligible']}人，投票{f['totals']['voted']}人，收回选票{f['totals']['cast']}张"
                f"（有效{f['totals']['valid']}，无效{f['totals']['invalid']}）；满意{f['weighted']['satisfied']}%，"
                f"基本满意{f['weighted']['basic']}%，不满意{f['weighted']['unsatisfied']}%")

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        return [path("<path:object_id>/screen/", self.admin_site.admin_view(self.screen_view),
                     name="{}_{}_screen".format(*info)), *super().get_urls()]

    def screen_view(self, request, object_id):
        """For the meeting room's screen: while voting, how many have voted; once closed, every figure."""
        from django.http import HttpResponseNotAllowed

        if request.method != "GET":
            return HttpResponseNotAllowed(["GET"])
        if not self.has_view_permission(request):
            raise PermissionDenied
        poll = self.get_object(request, object_id)
        if poll is None:
            raise Http404("测评不存在")
        live = selectors.poll_figures(poll) if poll.status == SatisfactionPoll.Status.OPEN else None
        context = {**self.admin_site.each_context(request), "opts": self.opts, "original": poll, "title": poll.title,
                   "figures": poll.figures or None, "progress": live and live["totals"], "has_view_permission": True}
        return TemplateResponse(request, "admin/supervision/satisfactionpoll/screen.html", context)


class RectificationReportInline(ReadOnlyInline):
    model = RectificationReport
    fields = ["reported_at", "final", "text", "evidence", "reported_by"]
    readonly_fields = fields


class RectificationForm(django_forms.ModelForm):
    class Meta:
        model = Rectification
        fields = ["organization", "title", "description", "due_date"]
        widgets = {"due_date": django_forms.DateInput(attrs={"type": "date"})}

    def __init__(self, *args, **kwargs):
        from congress.models import Organization

        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = Organization.objects.filter(is_handling_unit=True, is_active=True)


@admin.register(Rectification)
class RectificationAdmin(WorkflowAdminMixin, CongressModelAdmin):
    list_display = ["title", "organization", "source_label", "due_date", "status"]
    list_filter = ["status", "organization__kind"]
    list_select_related = ["organization"]
    search_fields = ["title", "organization__name", "source_label"]
    autocomplete_fields = ["organization"]
    inlines = [RectificationReportInline]
    change_form_template = "admin/workflow_change_form_timeline.html"
    workflow = RECTIFICATION
    workflow_pages = [
        WorkflowPage("accept", "验收", ("accept",), NoteForm, "已验收。",
                     lambda r, i, d: services.rectification_accept(actor=r.user, rectification=i, note=d["note"])),
        WorkflowPage("return", "退回继续整改", ("return",), ReasonForm, "已退回继续整改。",
                     lambda r, i, d: services.rectification_return(actor=r.user, rectification=i, reason=d["reason"])),
    ]

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["organization", "title", "description", "due_date"]
        return ["title", "organization", "source_label", "description", "due_date", "status", "accepted_at",
                "created_by", "created_at"]

    def get_readonly_fields(self, request, obj=None):
        return [] if obj is None else self.get_fields(request, obj)

    def has_change_permission(self, request, obj=None):
        # the record is read-only (its steps are the workflow's pages); the pages need the model permission
        return obj is None and super().has_change_permission(request)

    def add_view(self, request, form_url="", extra_context=None):
        from django.http import HttpResponseRedirect
        from django.urls import reverse

        if not self.has_add_permission(request):
            raise PermissionDenied
        form = RectificationForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                item = services.rectification_create(actor=request.user, organization=data["organization"],
                                                     title=data["title"], due_date=data["due_date"],
                                                     description=data["description"])
            except CongressError as exc:
                form.add_error(None, exc.messages)
            else:
                self.message_user(request, f"已交办整改事项：{item}，并通知责任单位。")
                return HttpResponseRedirect(reverse("admin:supervision_rectification_change", args=[item.pk]))
        context = {**self.admin_site.each_context(request), "opts": self.opts, "form": form, "title": "交办整改事项",
                   "submit_label": "交办", "media": self.media + form.media, "has_view_permission": True}
        return TemplateResponse(request, "admin/form_page.html", context)


# each kind of supervision work registers its admin classes in its own module
from supervision import admin_appraisals, admin_inquiries, admin_reports  # noqa: E402, F401, I001
from supervision import admin_meetings  # noqa: E402, F401, I001
from supervision import admin_inspections  # noqa: E402, F401, I001  (执法检查)
from supervision import admin_livelihood  # noqa: E402, F401, I001
from supervision import admin_ratings  # noqa: E402, F401, I001
