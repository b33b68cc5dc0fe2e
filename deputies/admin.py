
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html

from congress.lib.admin import (
    CongressInline,
    CongressModelAdmin,
    ReadOnlyInline,
    ReadOnlyLogAdmin,
    TownScopedAdmin,
    TownScopedInline,
    WorkflowAdminMixin,
    WorkflowPage,
    export_xlsx,
    year_filter,
)
from congress.lib.importexport import CongressImportExportMixin
from congress.lib.pdf import pdf_response
from congress.lib.queries import related_count
from congress.selectors import town_list, towns_for
from congress.services import CongressError
from deputies import forms, selectors, services
from deputies.conf import portal_setting
from deputies.models import (
    ActivityPhoto,
    ChecklistTown,
    Constituency,
    Delegation,
    Deputy,
    DeputyGroup,
    DeputyGroupMembership,
    DutyActivity,
    DutyActivityParticipant,
    DutyActivityType,
    InactiveDeputy,
    LeaveRequest,
    Mandate,
    PersonalDataView,
    PointRule,
    ScoreSnapshot,
    ScoreSnapshotRow,
    VoterReport,
)
from deputies.resources import DeputyRosterResource
from deputies.workflows import ACTIVITY, LEAVE


class MandateInline(CongressInline):
    model = Mandate
    extra = 0
    autocomplete_fields = ["term", "constituency", "delegation"]
    fields = ["level", "term", "term_label", "constituency", "delegation", "status", "start_date", "end_date"]


class AbsenceFilter(admin.SimpleListFilter):
    """代表法第六十二条: two unexcused absences from the congress session may end a mandate; staff find those deputies."""

    title = "缺席人代会"
    parameter_name = "absences"

    def lookups(self, request, model_admin):
        return [("flagged", f"本届未经批准缺席达到{portal_setting('UNEXCUSED_ABSENCE_FLAG')}次")]

    def queryset(self, request, queryset):
        return selectors.absence_flagged(queryset) if self.value() == "flagged" else queryset


@admin.register(Deputy)
class DeputyAdmin(CongressImportExportMixin, TownScopedAdmin):
    resource_classes = [DeputyRosterResource]
    export_title = "代表名册"
    list_display = ["full_name", "gender", "town", "levels", "party", "occupation", "workplace", "phone_display",
                    "id_number_display"]
    list_filter = [AbsenceFilter, "mandates__level", "mandates__status", "town", "gender", "party", "occupation",
                   "education"]
    search_fields = ["full_name", "workplace", "=id_number", "=phone"]
    list_select_related = ["town"]
    autocomplete_fields = ["town", "user"]
    inlines = [MandateInline]

    def get_queryset(self, request):
        return selectors.deputy_admin_queryset(super().get_queryset(request))

    def _sees_personal_data(self, request):
        return request.user.has_perm("deputies.view_personal_data")

    @admin.display(description="代表层级")
    def levels(self, obj):
        return "、".join(m.get_level_display() for m in obj.mandates.all() if m.status == Mandate.Status.SERVING)

    # Lists show masked values even to those who may see the full ones: a full value is shown, and logged,
    # only on the deputy's own page (docs/rules.md).
    @admin.display(description="手机号码")
    def phone_display(self, obj):
        return obj.phone_masked

    @admin.display(description="身份证号码")
    def id_number_display(self, obj):
        return obj.id_number_masked

    def get_fields(self, request, obj=None):
        fields = ["full_name", "gender", "ethnicity", "birth_date", "party", "education", "workplace", "job_title",
                  "occupation", "town", "photo", "user"]
        if obj is None or self._sees_personal_data(request):
            return fields[:9] + ["phone", "id_number"] + fields[9:]
        return fields[:9] + ["phone_display", "id_number_display"] + fields[9:]

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and not self._sees_personal_data(request):
            return ["phone_display", "id_number_display"]
        return []

    def get_urls(self):
        return [path("<path:object_id>/duty-record/", self.admin_site.admin_view(self.duty_record_view),
                     name="deputies_deputy_duty_record")] + super().get_urls()

    def duty_record_view(self, request, object_id):
        """The deputy's duty record for ?year= as a PDF (town staff: their towns' deputies only)."""
        from deputies.printables import duty_record_filename, duty_record_pdf, year_param

        if not self.has_view_permission(request):
            raise PermissionDenied
        deputy = self.get_object(request, object_id)
        if deputy is None:
            raise Http404("代表不存在")
        year = year_param(request.GET.get("year"))
        return pdf_response(duty_record_pdf(deputy, year), duty_record_filename(deputy, year))

    def change_view(self, request, object_id, form_url="", extra_context=None):
        response = super().change_view(request, object_id, form_url, extra_context)
        if request.method == "GET" and getattr(response, "status_code", None) == 200 and self._sees_personal_data(request):
            services.personal_data_view_record(actor=request.user, deputy_id=int(object_id))
        return response


@admin.register(Mandate)
class MandateAdmin(TownScopedAdmin):
    town_lookup = "deputy__town"
    list_display = ["deputy", "level", "term", "constituency", "delegation", "status", "start_date", "end_date"]
    list_filter = ["level", "status", "term"]
    list_select_related = ["deputy", "term", "constituency", "delegation"]
    search_fields = ["deputy__full_name", "constituency__name"]
    autocomplete_fields = ["deputy", "term", "constituency", "delegation"]
    actions = ["end_mandates"]

    @admin.action(description="终止所选代表资格（以今日为终止日期）", permissions=["change"])
    def end_mandates(self, request, queryset):
        count = services.mandates_end(actor=request.user, mandates=queryset, reason="常委会确认代表资格终止")
        self.message_user(request, f"已终止 {count} 个代表资格。")


@admin.register(Constituency)
class ConstituencyAdmin(TownScopedAdmin):
    list_display = ["name", "number", "level", "term", "town", "seats"]
    list_filter = ["level", "term", "town"]
    list_select_related = ["term", "town"]
    search_fields = ["name"]
    autocomplete_fields = ["town", "term"]


@admin.register(Delegation)
class DelegationAdmin(CongressModelAdmin):
    list_display = ["name", "term", "town", "member_count"]
    list_filter = ["term"]
    list_select_related = ["term", "town"]
    search_fields = ["name"]
    autocomplete_fields = ["town", "term"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(member_count=related_count(Mandate, "delegation"))

    @admin.display(description="代表人数", ordering="member_count")
    def member_count(self, obj):
        return obj.member_count


class MembershipInline(TownScopedInline, admin.TabularInline):
    model = DeputyGroupMembership
    extra = 0
    autocomplete_fields = ["deputy"]


@admin.register(DeputyGroup)
class DeputyGroupAdmin(CongressModelAdmin):
    list_display = ["name", "kind", "term", "town", "working_body", "member_count"]
    list_filter = ["kind", "term", "town"]
    list_select_related = ["term", "town", "working_body"]
    search_fields = ["name"]
    autocomplete_fields = ["town", "working_body", "term"]
    inlines = [MembershipInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(member_count=related_count(DeputyGroupMembership, "group"))

    @admin.display(description="成员数", ordering="member_count")
    def member_count(self, obj):
        return obj.member_count


@admin.register(DeputyGroupMembership)
class DeputyGroupMembershipAdmin(TownScopedAdmin):
    town_lookup = "deputy__town"
    list_display = ["group", "deputy", "role"]
    list_filter = ["role", "group__kind"]
    list_select_related = ["group", "deputy"]
    search_fields = ["deputy__full_name", "group__name"]
    autocomplete_fields = ["group", "deputy"]


@admin.register(DutyActivityType)
class DutyActivityTypeAdmin(CongressModelAdmin):
    list_display = ["name", "sort_order", "is_active", "checklist_item"]
    list_editable = ["sort_order", "is_active", "checklist_item"]
    search_fields = ["name"]


class ParticipantInline(TownScopedInline, admin.TabularInline):
    model = DutyActivityParticipant
    extra = 0
    autocomplete_fields = ["deputy"]


def _run(modeladmin, request, queryset, service, done: str, kwargs):
    ok = 0
    for obj in queryset:
        try:
            service(actor=request.user, **kwargs(obj))
            ok += 1
        except CongressError as exc:
            modeladmin.message_user(request, f"{obj}：{exc.messages[0]}", messages.WARNING)
    if ok:
        modeladmin.message_user(request, f"已{done} {ok} 项。")


class PhotoInline(admin.TabularInline):
    model = ActivityPhoto
    extra = 0
    fields = ["preview", "uploaded_at"]
    readonly_fields = ["preview", "uploaded_at"]

    @admin.display(description="照片")
    def preview(self, obj):
        if obj.pk is None:
            return "-"
        url = reverse("portal:photo", args=[obj.pk])
        return format_html('<a href="{}" target="_blank"><img src="{}" height="120" alt="活动照片"></a>', url, url)

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(DutyActivity)
class DutyActivityAdmin(WorkflowAdminMixin, CongressModelAdmin):
    list_display = ["title", "activity_type", "date", "place", "reported_by", "status", "participant_count"]
    list_filter = [year_filter("date"), "status", "activity_type", "signin_open", "date"]
    list_select_related = ["activity_type", "organizer", "reported_by"]
    search_fields = ["title", "place"]
    autocomplete_fields = ["activity_type", "organizer", "congress_session"]
    inlines = [ParticipantInline, PhotoInline]
    readonly_fields = ["status", "reported_by", "created_by", "created_at", "verified_by", "verified_at",
                       "return_reason", "signin_qr", "participants_upload"]
    exclude = ["signin_open"]
    actions = ["verify", "return_for_more", "open_signin", "close_signin", export_xlsx]
    change_form_template = "admin/workflow_change_form_timeline.html"
    workflow = ACTIVITY
    workflow_pages = [
        WorkflowPage("verify", "审核通过", ("verify",), forms.ReviewNoteForm, "已审核通过。",
                     lambda r, a, d: services.activity_verify(actor=r.user, activity_id=a.pk)),
        WorkflowPage("return", "退回", ("return",), forms.ActivityReturnForm, "已退回。",
                     lambda r, a, d: services.activity_return(actor=r.user, activity_id=a.pk, reason=d["reason"])),
    ]

    @admin.display(description="导入参加代表")
    def participants_upload(self, obj):
        if obj is None or obj.pk is None:
            return "保存活动后可从表格导入参加代表"
        return format_html('<a href="{}">从 Excel/CSV 表格导入参加代表</a>（第一列：身份证号码或姓名）',
                           reverse("admin:deputies_dutyactivity_import_participants", args=[obj.pk]))

    def get_urls(self):
        from django.urls import path

        return [path("<path:object_id>/import-participants/",
                     self.admin_site.admin_view(self.import_participants_view),
                     name="deputies_dutyactivity_import_participants"), *super().get_urls()]

    def import_participants_view(self, request, object_id):
        """Upload a spreadsheet whose first column holds ID numbers or names; all rows or none are added."""
        from django.core.exceptions import PermissionDenied
        from django.shortcuts import redirect
        from django.template.response import TemplateResponse

        from deputies.forms import ParticipantsUploadForm

        activity = self.get_object(request, object_id)
        if activity is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, str(object_id))
        if not request.user.has_perm("deputies.add_dutyactivityparticipant"):
            raise PermissionDenied
        form = ParticipantsUploadForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            try:
                added = services.participants_import(actor=request.user, activity_id=activity.pk,
                                                     id_numbers_or_names=form.cleaned_data["keys"])
            except CongressError as exc:
                form.add_error(None, exc.messages[0])
            else:
                self.message_user(request, f"已导入 {added} 位参加代表。")
                return redirect("admin:deputies_dutyactivity_change", activity.pk)
        context = {**self.admin_site.each_context(request), "title": f"导入参加代表：{activity}", "form": form,
                   "activity": activity, "opts": self.opts}
        return TemplateResponse(request, "admin/deputies/import_participants.html", context)

    @admin.display(description="扫码签到")
    def signin_qr(self, obj):
        if obj is None or not obj.signin_token:
            return "未开放（在列表中选择本活动，执行“开放扫码签到”）"
        url = reverse("portal:event_qr", args=[obj.pk])
        state = "签到中" if obj.signin_open else "已关闭"
        signin = reverse("portal:signin", args=[obj.signin_token])
        return format_html('<img src="{}" width="240" height="240" alt="签到二维码"><br>{} · '
                           '<a href="{}" target="_blank">打开二维码以打印</a> · 签到地址 <a class="signin-url" href="{}">{}</a>',
                           url, state, url, signin, signin)

    @admin.action(description="审核通过所选活动", permissions=["change"])
    def verify(self, request, queryset):
        _run(self, request, queryset, services.activity_verify, "审核通过", lambda o: {"activity_id": o.pk})

    @admin.action(description="退回所选活动（请代表补充材料）", permissions=["change"])
    def return_for_more(self, request, queryset):
        """An intermediate page asks for each activity's own reason (pre-filled with the usual one); a blank reason
        returns nothing and says which row. Each deputy sees their activity's reason on the portal."""
        from django.template.response import TemplateResponse

        activities = list(queryset.select_related("activity_type", "reported_by").order_by("date", "pk"))
        reasons = {a.pk: portal_setting("RETURN_REASON") for a in activities}
        errors = []
        if request.POST.get("apply"):
            reasons = {a.pk: request.POST.get(f"reason_{a.pk}", "") for a in activities}
            try:
                returned, refusals = services.activities_return(actor=request.user, reasons=reasons)
            except CongressError as exc:
                errors = exc.messages
            else:
                for refusal in refusals:
                    self.message_user(request, refusal, messages.WARNING)
                if returned:
                    self.message_user(request, f"已退回 {returned} 项。")
                return None
        context = {**self.admin_site.each_context(request), "opts": self.opts, "title": "退回履职活动",
                   "rows": [(a, reasons[a.pk]) for a in activities], "errors": errors,
                   "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME}
        return TemplateResponse(request, "admin/deputies/return_activities.html", context)

    @admin.action(description="开放扫码签到（生成二维码）", permissions=["change"])
    def open_signin(self, request, queryset):
        _run(self, request, queryset, services.signin_open, "开放签到", lambda o: {"activity_id": o.pk})

    @admin.action(description="关闭扫码签到", permissions=["change"])
    def close_signin(self, request, queryset):
        _run(self, request, queryset, services.signin_close, "关闭签到", lambda o: {"activity_id": o.pk})

    def get_queryset(self, request):
        return selectors.activity_admin_queryset(super().get_queryset(request), user=request.user)

    @admin.display(description="参加人数")
    def participant_count(self, obj):
        return obj.participant_count

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(DutyActivityParticipant)
class DutyActivityParticipantAdmin(TownScopedAdmin):
    town_lookup = "deputy__town"
    list_display = ["activity", "deputy", "attendance", "confirmed_at"]
    list_filter = ["attendance"]
    list_select_related = ["activity", "deputy"]
    search_fields = ["deputy__full_name", "activity__title"]
    autocomplete_fields = ["activity", "deputy"]


@admin.register(PointRule)
class PointRuleAdmin(CongressModelAdmin):
    list_display = ["activity_type", "points_present", "points_absent", "effective_from"]
    list_filter = ["activity_type"]
    list_select_related = ["activity_type"]
    autocomplete_fields = ["activity_type"]


class SnapshotRowInline(ReadOnlyInline):
    model = ScoreSnapshotRow
    fields = ["deputy_name", "town_name", "delegation_name", "score", "rank_in_town", "rank_in_delegation"]
    readonly_fields = fields


@admin.register(ScoreSnapshot)
class ScoreSnapshotAdmin(CongressModelAdmin):
    """Publishing a quarter freezes its ranking. 增加 asks for it (deputies.services.score_snapshot_request); the worker
    computes it and its page shows the progress, refreshing itself until it is published or failed; nothing is
    editable."""

    change_form_template = "admin/congress/annualreportversion/change_form.html"  # the refreshing progress page
    list_display = ["__str__", "year", "quarter", "state", "progress", "published_at", "published_by"]
    list_filter = ["state"]
    list_select_related = ["published_by"]
    fields = ["year", "quarter", "state", "progress", "stage", "error", "published_at", "published_by"]
    readonly_fields = fields
    inlines = [SnapshotRowInline]

    @admin.display(description="进度")
    def progress(self, obj):
        return format_html('<progress value="{}" max="100">{}%</progress> {}%', obj.percent, obj.percent, obj.percent)

    def add_view(self, request, form_url="", extra_context=None):
        if not self.has_add_permission(request):
            raise PermissionDenied
        today = timezone.localdate()
        last_quarter = (today.month - 1) // 3 or 4
        form = forms.ScoreSnapshotRequestForm(request.POST or None, initial={
            "year": today.year if last_quarter != 4 else today.year - 1, "quarter": last_quarter})
        if request.method == "POST" and form.is_valid():
            try:
                snapshot = services.score_snapshot_request(actor=request.user, **form.cleaned_data)
            except CongressError as exc:
                form.add_error(None, exc.messages)
            else:
                self.message_user(request, f"已开始计算{snapshot}，完成后自动发布，代表即可在履职平台看到。",
                                  messages.SUCCESS)
                return HttpResponseRedirect(reverse("admin:deputies_scoresnapshot_change", args=[snapshot.pk]))
        context = {**self.admin_site.each_context(request), "opts": self.opts, "form": form, "title": "发布积分排名",
                   "submit_label": "开始计算并发布", "media": self.media + form.media, "has_view_permission": True,
                   "intro": "按季度末的积分计算在任区人大代表在代表团内和镇街内的排名，发布后不再随活动或规则的修改而变化；"
                            "在后台计算，可以离开本页。"}
        return TemplateResponse(request, "admin/form_page.html", context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.get_object(request, object_id)
        running = obj is not None and obj.state not in ScoreSnapshot.FINISHED
        return super().change_view(request, object_id, form_url, {**(extra_context or {}), "refresh": running})

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(LeaveRequest)
class LeaveRequestAdmin(WorkflowAdminMixin, TownScopedAdmin):
    town_lookup = "deputy__town"
    list_display = ["deputy", "congress_session", "meeting", "reason", "status", "created_at", "decided_by"]
    list_filter = ["status"]
    list_select_related = ["deputy", "congress_session__term", "meeting__term", "decided_by"]
    search_fields = ["deputy__full_name"]
    autocomplete_fields = ["deputy", "congress_session", "meeting"]
    readonly_fields = ["status", "decided_by", "decided_at"]
    actions = ["approve", "reject", export_xlsx]
    change_form_template = "admin/workflow_change_form_timeline.html"
    workflow = LEAVE
    workflow_pages = [
        WorkflowPage("approve", "批准", ("approve",), forms.ReviewNoteForm, "已批准。",
                     lambda r, leave, d: services.leave_request_decide(actor=r.user, leave_id=leave.pk, approve=True)),
        WorkflowPage("reject", "不批准", ("reject",), forms.ReviewNoteForm, "已处理。",
                     lambda r, leave, d: services.leave_request_decide(actor=r.user, leave_id=leave.pk, approve=False)),
    ]

    @admin.action(description="批准所选请假", permissions=["change"])
    def approve(self, request, queryset):
        _run(self, request, queryset, services.leave_request_decide, "批准",
             lambda o: {"leave_id": o.pk, "approve": True})

    @admin.action(description="不批准所选请假", permissions=["change"])
    def reject(self, request, queryset):
        _run(self, request, queryset, services.leave_request_decide, "处理",
             lambda o: {"leave_id": o.pk, "approve": False})


@admin.register(VoterReport)
class VoterReportAdmin(TownScopedAdmin):
    town_lookup = "deputy__town"
    list_display = ["deputy", "date", "place", "attendance"]
    list_select_related = ["deputy"]
    search_fields = ["deputy__full_name", "place"]
    autocomplete_fields = ["deputy"]
    list_filter = [year_filter("date")]
    actions = [export_xlsx]


@admin.register(InactiveDeputy)
class InactiveDeputyAdmin(TownScopedAdmin):
    """本季度无履职活动的代表: a read-only list to follow up and export."""

    list_display = ["full_name", "town", "workplace", "phone_display"]
    list_filter = ["town"]
    list_select_related = ["town"]
    search_fields = ["full_name"]
    actions = [export_xlsx]

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        # the list shows only inactive deputies; a deputy's own page opens whatever their record
        if request.resolver_match and request.resolver_match.url_name.endswith("changelist"):
            qs = selectors.inactive_deputies(qs)
        return qs

    @admin.display(description="手机号码")
    def phone_display(self, obj):
        return obj.phone_masked

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ChecklistTown)
class ChecklistTownAdmin(ReadOnlyLogAdmin):
    """“五个一” completion this year, one row a town: how many serving deputies have done each item."""

    list_display = ["name", "deputy_count", *[f"item_{key}" for key, _ in DutyActivityType.ChecklistItem.choices]]
    actions = [export_xlsx]

    def get_queryset(self, request):
        qs = town_list()
        towns = towns_for(request.user)
        return qs.filter(pk__in=towns) if towns is not None else qs

    def get_changelist_instance(self, request):
        changelist = super().get_changelist_instance(request)
        self._figures = selectors.checklist_by_town(list(changelist.result_list), timezone.localdate().year)
        return changelist

    def changelist_view(self, request, extra_context=None):
        self._figures = None
        return super().changelist_view(request, extra_context)

    def _figure(self, obj, key):
        figures = getattr(self, "_figures", None)
        if figures is None or obj.pk not in figures:
            figures = self._figures = selectors.checklist_by_town([obj], timezone.localdate().year)
        return figures[obj.pk].get(key, 0)

    @admin.display(description="在任代表")
    def deputy_count(self, obj):
        return self._figure(obj, "deputies")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


def _item_column(key, label):
    def column(self, obj):
        return self._figure(obj, key)

    column.short_description = label
    return column


for _key, _label in DutyActivityType.ChecklistItem.choices:
    setattr(ChecklistTownAdmin, f"item_{_key}", _item_column(_key, _label))


@admin.register(PersonalDataView)
class PersonalDataViewAdmin(ReadOnlyLogAdmin):
    list_display = ["viewed_at", "user", "deputy"]
    list_select_related = ["user", "deputy"]
    search_fields = ["deputy__full_name", "user__username"]
    list_filter = [year_filter("viewed_at")]
