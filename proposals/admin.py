"""The committee staff's side of suggestions and proposals: lists, the buttons and intermediate pages that call the
services (register, return, assign, merge, extend, decide a send-back, priority supervision, paper evaluations,
publish replies, close), the rates per unit and per session, the import of a session's suggestions and the
交办清单 export. Nothing here changes a state itself."""
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.contenttypes.admin import GenericTabularInline
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as FormError
from django.db.models import QuerySet
from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.http import content_disposition_header
from django.utils.safestring import mark_safe

from congress.lib import statcache
from congress.lib.admin import CongressModelAdmin, ReadOnlyInline, RecordReadOnlyMixin, WorkflowAdminMixin, WorkflowPage
from congress.lib.importexport import XLSX_CONTENT_TYPE, CongressImportExportMixin
from congress.lib.workdays import known_schedule_years, pending_note
from congress.models import ExportRecord, OfficialLetter
from congress.services import CongressError
from proposals import forms, selectors, services
from proposals.models import (
    Assignment,
    AssistOpinion,
    ContactRecord,
    Cosignature,
    Evaluation,
    Extension,
    FollowUpReport,
    Proposal,
    Reply,
    SessionArchive,
    Suggestion,
    SuggestionCategory,
    SupervisionEvent,
)
from proposals.resources import SuggestionImportResource, assignment_list_workbook
from proposals.workflows import ASSIGNMENT, PROPOSAL, SUGGESTION


def deadline_column(request, list_display, name: str, day_of, ordering=None) -> list:
    """list_display with the column `name` (答复期限) replaced by one that adds the 待定 note to a deadline in a year whose
    holiday schedule is not entered; the entered years are read once for the request. Django asks for the list's
    columns twice, for the list and for its sortable ones, and finds a column sortable only when both give the same
    object: the column is made once per request and name (with `ordering`, the header sorts by it)."""
    columns = request.__dict__.setdefault("_deadline_columns", {})
    column = columns.get(name)
    if column is None:
        known = getattr(request, "_known_schedule_years", None)
        if known is None:
            known = request._known_schedule_years = known_schedule_years()

        @admin.display(description="答复期限", ordering=ordering)
        def column(obj):
            day = day_of(obj)
            note = pending_note(day, known)
            return f"{day:%Y-%m-%d}（{note}）" if note else day

        column.__name__ = name  # the header's class: column-<name>
        columns[name] = column
    return [column if item == name else item for item in list_display]


class CosignatureInline(ReadOnlyInline):
    model = Cosignature
    fields = ["deputy", "status", "invited_at", "responded_at"]
    readonly_fields = fields


class AssignmentInline(ReadOnlyInline):
    model = Assignment
    fields = ["unit", "role", "status", "assigned_on", "due_date", "extended_due_date", "second_due_date", "result",
              "due_explanation"]
    readonly_fields = fields
    show_change_link = True

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("unit")


class SupervisionEventInline(ReadOnlyInline):
    model = SupervisionEvent
    fields = ["date", "place", "participants", "description", "recorded_by"]
    readonly_fields = fields


@admin.register(SuggestionCategory)
class SuggestionCategoryAdmin(CongressModelAdmin):
    list_display = ["name", "sort_order", "is_active"]
    list_editable = ["sort_order", "is_active"]
    search_fields = ["name"]


class BatchFilter(admin.SimpleListFilter):
    title = "批次"
    parameter_name = "batch"

    def lookups(self, request, model_admin):
        return selectors.batch_choices()

    def queryset(self, request, queryset):
        return queryset.filter(batch_key=self.value()) if self.value() else queryset


class OverdueFilter(admin.SimpleListFilter):
    title = "是否超期"
    parameter_name = "overdue"

    def lookups(self, request, model_admin):
        return [("1", "已超期未答复")]

    def queryset(self, request, queryset):
        if self.value() == "1":
            return queryset.filter(next_due__lt=timezone.localdate())
        return queryset


@admin.register(Suggestion)
class SuggestionAdmin(CongressImportExportMixin, WorkflowAdminMixin, CongressModelAdmin):
    resource_classes = [SuggestionImportResource]
    export_title = "代表建议"
    list_display = ["number_display", "title", "status", "lead_deputy", "units", "next_due", "overdue", "priority"]
    checkbox_label_columns = ("number_display", "title")  # a row's box is named by its number and title
    list_filter = ["status", BatchFilter, OverdueFilter, "is_priority", "is_hard", "category"]
    search_fields = ["number", "title", "lead_deputy__full_name"]
    list_select_related = ["lead_deputy", "category", "term", "session"]
    autocomplete_fields = ["lead_deputy", "category"]
    actions = ["register_selected", "close_selected"]
    inlines = [CosignatureInline, AssignmentInline, SupervisionEventInline]
    change_form_template = "admin/proposals/suggestion/change_form.html"
    workflow = SUGGESTION
    workflow_pages = [
        WorkflowPage("register", "登记编号", ("register",), forms.NoteForm, "已登记编号。",
                     lambda r, s, d: services.suggestion_register(actor=r.user, suggestion=s)),
        WorkflowPage("town_review", "审核", ("town_forward", "town_return"), forms.TownReviewForm, "已处理。",
                     lambda r, s, d: (services.suggestion_town_return if d["decision"] == "return" else
                                      services.suggestion_town_forward)(actor=r.user, suggestion=s, comment=d["comment"]),
                     gate="view"),
        WorkflowPage("return", "退回", ("return",), forms.ReasonForm, "已退回。",
                     lambda r, s, d: services.suggestion_return(actor=r.user, suggestion=s, reason=d["reason"])),
        WorkflowPage("merge", "并案", ("merge",), forms.MergeForm, "已并案。",
                     lambda r, s, d: services.suggestion_merge(actor=r.user, suggestion=s, into=d["into"],
                                                               reason=d["reason"])),
        WorkflowPage("assign", "交办", ("assign",), forms.AssignForm, "已交办。",
                     lambda r, s, d: services.suggestion_assign(
                         actor=r.user, suggestion=s, lead=d["lead"], assisting=d["assisting"], separate=d["separate"],
                         is_hard=d["is_hard"], assigned_on=d["assigned_on"])),
        WorkflowPage("priority", "列为重点督办", ("priority",), forms.PriorityForm, "已列为重点督办。",
                     lambda r, s, d: services.suggestion_mark_priority(actor=r.user, suggestion=s, **d)),
        WorkflowPage("supervise", "登记现场督办", ("supervise",), forms.SupervisionEventForm, "已登记现场督办。",
                     lambda r, s, d: services.supervision_event_record(actor=r.user, suggestion=s, **d)),
        WorkflowPage("evaluate", "录入纸质评价", ("evaluate_paper",), forms.PaperEvaluationForm, "已录入评价。",
                     lambda r, s, d: services.evaluation_record_paper(actor=r.user, **d)),
        WorkflowPage("close", "办结", ("close",), forms.NoteForm, "已办结。",
                     lambda r, s, d: services.suggestion_close(actor=r.user, suggestion=s, note=d["note"])),
    ]
    change_list_template = "admin/proposals/suggestion/change_list.html"
    readonly_fields = ["number", "status", "term", "session", "recess_year", "is_priority", "supervising_leader",
                       "government_official", "supervising_body", "merged_into", "from_proposal", "return_reason",
                       "town", "town_comment", "submitted_at", "registered_at", "assigned_on", "closed_at"]

    def get_queryset(self, request):
        qs = selectors.suggestion_list_for(user=request.user)
        return selectors.suggestion_admin_queryset(qs)

    def get_changelist_rows(self, request, rows):
        """The list's rows show the lead deputy of the joins: the category, term, session and town are for the change
        page, the actions and the export (five joins to one took the page's query from 11.5 to 7 ms at province)."""
        return rows.select_related(None).select_related("lead_deputy") if isinstance(rows, QuerySet) else rows

    def change_view(self, request, object_id, form_url="", extra_context=None):
        # While it may be merged (并案), staff see the term's most similar suggestions, and its timeline always.
        obj = self.get_object(request, object_id)
        extra_context = dict(extra_context or {})
        if obj is not None and SUGGESTION.can(request.user, obj, "merge"):
            extra_context["similar"] = selectors.similar_for_page(obj, limit=5)
        return super().change_view(request, object_id, form_url, extra_context)

    def workflow_timeline(self, obj):
        return selectors.timeline_for(obj)  # with its assignments' and co-signers' steps

    def history_view(self, request, object_id, extra_context=None):
        # the permission first: a role that sees no suggestion gets 403, not "does not exist"
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        return super().history_view(request, object_id, extra_context)

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["lead_deputy", "title", "content", "category", "is_hard"]
        return ["number", "status", "title", "content", "category", "lead_deputy", "is_hard", "term", "session",
                "recess_year", "return_reason", "merged_into", "from_proposal", "town", "town_comment", "is_priority",
                "supervising_leader", "government_official", "supervising_body", "submitted_at", "registered_at",
                "assigned_on", "closed_at"]

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        fields = list(self.readonly_fields) + ["lead_deputy"]
        # 涉及面广 sets the reply deadline: it may change only until the item is assigned (registered or assigned next)
        if not (SUGGESTION.can(request.user, obj, "register") or SUGGESTION.can(request.user, obj, "assign")):
            fields.append("is_hard")
        return fields

    def save_model(self, request, obj, form, change):
        if change:
            obj.save(update_fields=[f for f in ("title", "content", "category", "is_hard") if f in form.changed_data]
                     or ["title"])
            if {"title", "content"} & set(form.changed_data):
                from proposals.services.similar import similar_text_changed

                similar_text_changed(obj)
            return
        made = services.suggestion_create(actor=request.user, title=obj.title, content=obj.content,
                                          category=obj.category, lead_deputy=obj.lead_deputy, submit=True)
        if obj.is_hard:
            Suggestion.objects.filter(pk=made.pk).update(is_hard=True)
        obj.pk = made.pk
        obj.id = made.pk

    @admin.display(description="建议编号", ordering="serial")
    def number_display(self, obj):
        return obj.number or "（未编号）"

    # 主办 / 协办 / 分办 by role, as get_role_display gives them (which builds the dict of choices for each assignment)
    ROLE_SHORT = {role.value: str(role.label)[:2] for role in Assignment.Role}

    @admin.display(description="承办单位")
    def units(self, obj):
        short = self.ROLE_SHORT
        return "、".join(f"{a.unit.short_name or a.unit.name}（{short.get(a.role) or a.get_role_display()[:2]}）"
                        for a in obj.active_assignments)

    @admin.display(description="答复期限", ordering="next_due")
    def next_due(self, obj):  # (get_list_display puts the page's own column, with the 待定 note, in its place)
        return obj.next_due

    def get_list_display(self, request):
        return deadline_column(request, super().get_list_display(request), "next_due", lambda s: s.next_due, ordering="next_due")

    # 超期 and 重点督办: a short mark in the rows where it holds, nothing in the others (the yes/no icon of every row was
    # 5 KB of a 50-row page, and its 否 read out 100 times); css/admin_lists.css styles the mark
    OVERDUE_MARK = mark_safe('<span class="flag">超期</span>')
    PRIORITY_MARK = mark_safe('<span class="flag priority">重点</span>')

    @admin.display(description="超期", empty_value="")
    def overdue(self, obj):
        return self.OVERDUE_MARK if obj.next_due and obj.next_due < timezone.localdate() else None

    @admin.display(description="重点督办", ordering="is_priority", empty_value="")
    def priority(self, obj):
        return self.PRIORITY_MARK if obj.is_priority else None

    # -- bulk actions ---------------------------------------------------------------------------------------------

    def _each(self, request, queryset, call, done):
        ok, refused = 0, []
        for obj in queryset:
            try:
                call(obj)
                ok += 1
            except CongressError as exc:
                refused.append(f"{obj.title}：{'；'.join(exc.messages)}")
        if ok:
            self.message_user(request, done.format(ok), messages.SUCCESS)
        for text in refused[:10]:
            self.message_user(request, text, messages.ERROR)

    @admin.action(description="登记编号（所选已提交的建议）", permissions=["change"])
    def register_selected(self, request, queryset):
        self._each(request, queryset.order_by("submitted_at", "id"),
                   lambda s: services.suggestion_register(actor=request.user, suggestion=s), "已登记编号 {} 件。")

    @admin.action(description="办结（所选已答复的建议）", permissions=["change"])
    def close_selected(self, request, queryset):
        self._each(request, queryset, lambda s: services.suggestion_close(actor=request.user, suggestion=s),
                   "已办结 {} 件。")

    # -- intermediate pages ---------------------------------------------------------------------------------------

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        wrap = self.admin_site.admin_view
        return [
            path("rates/", wrap(self.rates_view), name="{}_{}_rates".format(*info)),
            path("assignment-list/", wrap(self.assignment_list_view), name="{}_{}_assignment_list".format(*info)),
        ] + super().get_urls()

    # -- rates and the assignment list -----------------------------------------------------------------------------

    def rates_view(self, request):
        if not request.user.has_perm("proposals.view_assignment"):
            raise PermissionDenied
        group_by = "batch" if request.GET.get("by") == "batch" else "unit"
        batch = request.GET.get("batch") or ""
        assignments = Assignment.objects.filter(suggestion__batch_key=batch) if batch and group_by == "unit" else None

        def compute():
            return {"rows": selectors.rates_table(group_by=group_by, assignments=assignments),
                    "batches": selectors.batch_choices(),
                    "overall": [(name, fn(assignments=assignments)[None]) for name, fn in selectors.RATES]}

        figures, taken_at = statcache.cached("rates", (group_by, batch), compute)
        context = {**self.admin_site.each_context(request), "opts": self.opts, "title": "办理情况统计", **figures,
                   "names": [name for name, _ in selectors.RATES], "group_by": group_by, "batch": batch,
                   "taken_at": taken_at, "stats_minutes": settings.STATS_CACHE_SECONDS // 60}
        return TemplateResponse(request, "admin/proposals/rates.html", context)

    def assignment_list_view(self, request):
        if not request.user.has_perm("proposals.view_assignment"):
            raise PermissionDenied
        batch = request.GET.get("batch") or ""
        qs = selectors.suggestion_list_for(user=request.user)
        label = "全部"
        if batch:
            qs = qs.filter(batch_key=batch)
            label = selectors.batch_labels([batch]).get(batch, batch)
        content, count = assignment_list_workbook(qs, f"{label}代表建议交办清单")
        ExportRecord.objects.create(user=request.user, model_label="proposals.assignment", row_count=count,
                                    file_format="xlsx")
        response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
        response["Content-Disposition"] = content_disposition_header(
            True, f"交办清单-{timezone.localdate():%Y%m%d}.xlsx")
        return response


@admin.register(Assignment)
class AssignmentAdmin(RecordReadOnlyMixin, WorkflowAdminMixin, CongressModelAdmin):
    list_display = ["suggestion_number", "suggestion_title", "unit", "role", "status", "assigned_on", "due", "overdue",
                    "result"]
    list_filter = ["status", "role", "result", "unit__kind"]
    search_fields = ["suggestion__number", "suggestion__title", "unit__name"]
    list_select_related = ["suggestion", "unit"]
    change_form_template = "admin/proposals/assignment/change_form.html"
    workflow = ASSIGNMENT
    workflow_pages = [
        WorkflowPage("send_back", "处理退回申请", ("approve_send_back", "reject_send_back"), forms.SendBackDecisionForm,
                     "已处理退回申请。", lambda r, a, d: services.assignment_decide_send_back(
                         actor=r.user, assignment=a, approve=d["decision"] == "approve", note=d["note"])),
        WorkflowPage("extend", "批准延期", ("extend",), forms.ExtensionForm, "已延期。",
                     lambda r, a, d: services.assignment_grant_extension(actor=r.user, assignment=a, **d)),
        WorkflowPage("release", "免于会办", ("release",), forms.ReasonForm, "已免于会办，主办单位可以答复。",
                     lambda r, a, d: services.assignment_release_assist(actor=r.user, assignment=a, reason=d["reason"])),
        WorkflowPage("rehandle", "重新办理", ("rehandle",), forms.RehandleForm, "已要求重新办理。",
                     lambda r, a, d: services.suggestion_rehandle(actor=r.user, assignment=a, reason=d["reason"])),
        # official letters (proposals/services/letters.py): the PDF is listed below and under 公文
        WorkflowPage("letter_assign", "发交办函", ("letter_assign",), forms.NoteForm, "已生成交办函，见本页“公文”。",
                     lambda r, a, d: services.assignment_letter_issue(actor=r.user, assignment=a, note=d["note"])),
        WorkflowPage("letter_supervise", "发督办函", ("letter_supervise",), forms.NoteForm, "已生成督办函，见本页“公文”。",
                     lambda r, a, d: services.assignment_supervision_letter_issue(actor=r.user, assignment=a,
                                                                                  note=d["note"])),
        WorkflowPage("letter_remind", "发提醒函", ("letter_remind",), forms.NoteForm, "已生成提醒函，见本页“公文”。",
                     lambda r, a, d: services.assignment_reminder_letter_issue(actor=r.user, assignment=a,
                                                                               note=d["note"])),
    ]
    actions = ["issue_assignment_letters", "issue_reminder_letters"]

    # -- bulk letters (the records stay read-only: an action of the committee's staff, not a change of the row)

    def has_letter_permission(self, request):
        from congress.predicates import is_committee_staff

        return is_committee_staff(request.user)

    def _issue_letters(self, request, queryset, kind, what):
        from congress.letters.models import LetterKind

        try:
            letters, skipped = services.assignment_letters_issue_many(actor=request.user, assignments=queryset,
                                                                       kind=getattr(LetterKind, kind))
        except CongressError as exc:
            self.message_user(request, "；".join(exc.messages), messages.ERROR)
            return
        if letters:
            numbers = "、".join(letter.number for letter in letters[:10]) + ("等" if len(letters) > 10 else "")
            self.message_user(request, f"已发{what}{len(letters)}份：{numbers}。可在“公文”中查看和下载。", messages.SUCCESS)
        else:
            self.message_user(request, f"所选事项都不需要发{what}。", messages.WARNING)
        for text in skipped[:10]:
            self.message_user(request, f"未发：{text}", messages.WARNING)
        if len(skipped) > 10:
            self.message_user(request, f"另有{len(skipped) - 10}项未发。", messages.WARNING)

    @admin.action(description="发交办函（所选交办，每个承办单位每个交办日一份）", permissions=["letter"])
    def issue_assignment_letters(self, request, queryset):
        self._issue_letters(request, queryset, "ASSIGNMENT", "交办函")

    @admin.action(description="发提醒函（所选逾期未答复的交办，每件一份）", permissions=["letter"])
    def issue_reminder_letters(self, request, queryset):
        self._issue_letters(request, queryset, "REMINDER", "提醒函")

    fields = ["suggestion", "unit", "role", "status", "assigned_on", "due_date", "due_explanation", "extended_due_date",
              "second_due_date", "send_back_until", "send_back_reason", "send_back_decision_note", "first_replied_on",
              "result", "followup_solved"]
    readonly_fields = fields

    class ContactInline(ReadOnlyInline):
        model = ContactRecord
        fields = ["stage", "method", "date", "summary", "recorded_by"]
        readonly_fields = fields

    class OpinionInline(ReadOnlyInline):
        model = AssistOpinion
        fields = ["content", "attachment", "sent_by", "sent_at"]
        readonly_fields = fields

    class ReplyInline(ReadOnlyInline):
        model = Reply
        fields = ["replied_on", "result", "letter", "publishable", "is_second_reply", "published_at"]
        readonly_fields = fields

    class ExtensionInline(ReadOnlyInline):
        model = Extension
        fields = ["months", "old_due_date", "new_due_date", "reason", "granted_by", "granted_at"]
        readonly_fields = fields

    class FollowUpInline(ReadOnlyInline):
        model = FollowUpReport
        fields = ["year", "progress", "solved", "reported_by", "reported_at"]
        readonly_fields = fields

    class LetterInline(GenericTabularInline):
        model = OfficialLetter
        ct_field, ct_fk_field = "subject_type", "subject_id"
        fields = ["number", "kind", "title", "issued_on", "file", "created_by"]
        readonly_fields = fields
        extra, max_num, can_delete, verbose_name_plural = 0, 0, False, "公文（交办函、督办函、提醒函）"

        def has_add_permission(self, request, obj=None):
            return False

        def has_change_permission(self, request, obj=None):
            return False

    inlines = [ContactInline, OpinionInline, ReplyInline, ExtensionInline, FollowUpInline, LetterInline]

    def has_add_permission(self, request):
        return False  # assignments are made by 交办 on the suggestion

    @admin.display(description="建议编号", ordering="suggestion__serial")
    def suggestion_number(self, obj):
        return obj.suggestion.number

    @admin.display(description="标题")
    def suggestion_title(self, obj):
        return obj.suggestion.title

    @admin.display(description="答复期限")
    def due(self, obj):  # (get_list_display puts the page's own column, with the 待定 note, in its place)
        return obj.current_due_date

    def get_list_display(self, request):
        return deadline_column(request, super().get_list_display(request), "due", lambda a: a.current_due_date)

    @admin.display(description="超期", boolean=True)
    def overdue(self, obj):
        return selectors.is_overdue(obj)

@admin.register(Reply)
class ReplyAdmin(RecordReadOnlyMixin, CongressModelAdmin):
    list_display = ["assignment", "result", "replied_on", "is_second_reply", "publishable", "published_at", "letter_link"]
    list_filter = ["result", "is_second_reply", "publishable"]
    list_select_related = ["assignment__suggestion", "assignment__unit"]
    search_fields = ["assignment__suggestion__number", "assignment__unit__name"]
    actions = ["publish_selected"]
    fields = ["assignment", "result", "summary", "letter", "publishable", "is_second_reply", "replied_on", "replied_by",
              "published_at"]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False  # units reply in their workspace

    @admin.display(description="答复函")
    def letter_link(self, obj):
        return format_html('<a href="{}">PDF</a>', reverse("proposals:reply_letter", args=[obj.pk])) if obj.letter else ""

    @admin.action(description="公开所选答复（仅承办单位同意公开的）", permissions=["change"])
    def publish_selected(self, request, queryset):
        ok = 0
        for reply in queryset:
            try:
                services.reply_publish(actor=request.user, reply=reply)
                ok += 1
            except CongressError as exc:
                self.message_user(request, f"{reply}：{'；'.join(exc.messages)}", messages.ERROR)
        if ok:
            self.message_user(request, f"已公开 {ok} 份答复。", messages.SUCCESS)


@admin.register(Evaluation)
class EvaluationAdmin(RecordReadOnlyMixin, CongressModelAdmin):
    list_display = ["reply", "deputy", "rating", "source", "entered_by", "created_at"]
    list_filter = ["rating", "source"]
    list_select_related = ["reply__assignment__suggestion", "reply__assignment__unit", "deputy", "entered_by"]
    search_fields = ["deputy__full_name", "reply__assignment__suggestion__number"]
    fields = ["reply", "deputy", "rating", "comment", "source", "entered_by", "created_at"]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False  # recorded on the suggestion's page (录入纸质评价) or online by deputies


class SessionFilter(admin.SimpleListFilter):
    title = "人代会会议"
    parameter_name = "session"

    def lookups(self, request, model_admin):
        # one query, whatever the number of sessions (the default filter reads each session's term)
        from congress.models import CongressSession

        return [(s.pk, str(s)) for s in CongressSession.objects.select_related("term")]

    def queryset(self, request, queryset):
        return queryset.filter(session_id=self.value()) if self.value() else queryset


@admin.register(Proposal)
class ProposalAdmin(WorkflowAdminMixin, CongressModelAdmin):
    list_display = ["serial", "title", "session", "delegation", "lead_deputy", "status", "decided_on",
                    "supervision_until", "follow_until"]
    list_filter = ["status", SessionFilter]
    list_select_related = ["session__term", "delegation", "lead_deputy"]
    search_fields = ["title"]
    autocomplete_fields = ["delegation", "lead_deputy", "signers"]
    actions = ["place_on_agenda", "convert_to_suggestion"]
    readonly_fields = ["serial", "status", "decided_on", "decision_note", "supervision_until", "follow_until"]
    change_form_template = "admin/workflow_change_form_timeline.html"
    workflow = PROPOSAL
    workflow_pages = [
        WorkflowPage("place_on_agenda", "列入会议议程", ("place_on_agenda",), forms.DecisionForm, "已列入会议议程。",
                     lambda r, p, d: services.proposal_place_on_agenda(actor=r.user, proposal=p, **d)),
        WorkflowPage("convert", "作为建议办理", ("convert",), forms.DecisionForm, "已转为建议。",
                     lambda r, p, d: services.proposal_convert_to_suggestion(actor=r.user, proposal=p, **d)),
    ]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        if obj is not None:
            return form

        class RegisterForm(form):
            def clean(self):
                data = super().clean()
                try:
                    services.proposal_signers_check(delegation=data.get("delegation"), signers=data.get("signers") or ())
                except CongressError as exc:
                    raise FormError(exc.messages) from None
                return data

        return RegisterForm

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            return
        made = services.proposal_register(actor=request.user, session=obj.session, title=obj.title,
                                          content=obj.content, delegation=obj.delegation,
                                          signers=form.cleaned_data.get("signers") or (), lead_deputy=obj.lead_deputy)
        obj.pk = made.pk
        obj.id = made.pk

    def save_related(self, request, form, formsets, change):
        if change:
            super().save_related(request, form, formsets, change)

    @admin.action(description="主席团决定：列入会议议程", permissions=["change"])
    def place_on_agenda(self, request, queryset):
        for p in queryset:
            try:
                services.proposal_place_on_agenda(actor=request.user, proposal=p)
                self.message_user(request, f"第{p.serial}号议案已列入会议议程。", messages.SUCCESS)
            except CongressError as exc:
                self.message_user(request, f"第{p.serial}号议案：{'；'.join(exc.messages)}", messages.ERROR)

    @admin.action(description="主席团决定：作为建议办理", permissions=["change"])
    def convert_to_suggestion(self, request, queryset):
        for p in queryset:
            try:
                services.proposal_convert_to_suggestion(actor=request.user, proposal=p)
                self.message_user(request, f"第{p.serial}号议案已转为建议。", messages.SUCCESS)
            except CongressError as exc:
                self.message_user(request, f"第{p.serial}号议案：{'；'.join(exc.messages)}", messages.ERROR)


@admin.register(SessionArchive)
class SessionArchiveAdmin(CongressModelAdmin):
    """会议建议档案: staff choose a session and the PDF is built in the background (proposals/services/archive.py);
    every build is kept; the list shows its state, its error and the download."""

    list_display = ["session", "status", "suggestion_count", "requested_by", "requested_at", "finished_at", "download",
                    "error"]
    list_filter = ["status"]
    list_select_related = ["session__term", "requested_by"]
    fields = ["session"]

    def get_fields(self, request, obj=None):
        return ["session"] if obj is None else ["session", "status", "suggestion_count", "requested_by", "requested_at",
                                                "finished_at", "download", "error"]

    def get_readonly_fields(self, request, obj=None):
        return [] if obj is None else self.get_fields(request, obj)

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        made = services.session_archive_request(actor=request.user, session=obj.session)
        obj.pk = made.pk
        self.message_user(request, "已开始生成，稍后刷新本页即可下载。", messages.INFO)

    @admin.display(description="PDF")
    def download(self, obj):
        url = reverse("proposals:session_archive_file", args=[obj.pk])
        return format_html('<a href="{}">下载</a>', url) if obj.file else "—"
