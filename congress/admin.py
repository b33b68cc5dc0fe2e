from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import GroupAdmin as DjangoGroupAdmin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminPasswordChangeForm, SetUnusablePasswordMixin
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe
from django.utils.text import format_lazy

from congress import roles
from congress.admin_audit import ExportRecordAdmin, describe_axes, register_history_admins
from congress.letters.admin import register as register_letter_admin
from congress.lib.admin import CongressInline, CongressModelAdmin, ReadOnlyLogAdmin, SafeInputAdminMixin, year_filter
from congress.lib.importexport import CongressImportExportMixin
from congress.models import (
    AgendaItem,
    Appointment,
    CalendarDay,
    CongressSession,
    ExportRecord,
    HolidaySchedule,
    Meeting,
    Organization,
    StateChange,
    Term,
    User,
)
from congress.resources import OrganizationResource
from congress.selectors import town_list, units_without_account
from congress.services import (
    CongressError,
    appointment_steps_check,
    managed_town_ids,
    user_set_managed_towns,
    user_set_roles,
)


def _has_role(user, role) -> bool:
    from congress.predicates import has_role

    return user.is_superuser or has_role(user, role)


class SecurityForm(forms.ModelForm):
    """What the security administrator edits on a user: roles and granted towns, nothing else."""

    # required: a form of unticked boxes would otherwise be a valid "no roles" (an empty POST stripped every role)
    roles = forms.ModelMultipleChoiceField(label="角色", queryset=Group.objects.all(), widget=forms.CheckboxSelectMultiple,
                                           error_messages={"required": "请至少选择一个角色；要停用账号，请取消勾选“有效”"})
    managed_towns = forms.ModelMultipleChoiceField(label="授权管理的镇街", queryset=town_list(), required=False,
                                                   widget=forms.CheckboxSelectMultiple,
                                                   help_text="镇街人大工作人员只能查看、编辑这些镇街的代表和家站点")

    class Meta:
        model = User
        fields = ["is_active"]


class PasswordChangeForm(AdminPasswordChangeForm):
    # Django appends an English sentence to this help text outside gettext ("If disabled, the current password …")
    usable_password_help_text = format_lazy(
        '{}<ul id="id_unusable_warning" class="messagelist"><li class="warning">{}</li></ul>',
        SetUnusablePasswordMixin.usable_password_help_text, "禁用后，该用户当前的密码将失效。")


@admin.register(User)
class UserAdmin(SafeInputAdminMixin, DjangoUserAdmin):
    """三员分立: the system administrator keeps accounts (create, profile, password, no roles); the security
    administrator assigns roles, town grants and activation (no profile, no new accounts); the audit
    administrator has no access here at all."""

    list_display = ["username", "full_name", "organization", "role_names", "is_active", "last_login"]
    list_filter = ["groups", "is_active", "is_staff"]
    search_fields = ["username", "full_name", "phone"]
    list_select_related = ["organization"]
    autocomplete_fields = ["organization"]
    ordering = ["username"]
    show_full_result_count = False
    profile_fieldsets = (
        (None, {"fields": ("username", "password")}),
        ("个人信息", {"fields": ("full_name", "phone", "email", "organization")}),
        ("状态", {"fields": ("last_login", "date_joined", "password_changed_at")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("username", "full_name", "organization",
                                                               "password1", "password2")}),)

    actions = ["reset_second_factor"]
    change_password_form = PasswordChangeForm

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("groups")

    @admin.action(description="重置所选账号的动态口令（手机丢失时；下次登录重新绑定）")
    def reset_second_factor(self, request, queryset):
        from congress.services import second_factor_reset

        done = 0
        for user in queryset:
            try:
                second_factor_reset(actor=request.user, user=user)
                done += 1
            except CongressError as exc:
                messages.warning(request, f"{user}：{exc.messages[0]}")
        if done:
            messages.success(request, f"已重置 {done} 个账号的动态口令。")

    def get_actions(self, request):
        actions = super().get_actions(request)
        if not self._is_security(request):
            actions.pop("reset_second_factor", None)
        return actions

    @admin.display(description="角色")
    def role_names(self, obj):
        return "、".join(g.name for g in obj.groups.all())

    def _is_security(self, request):
        return _has_role(request.user, roles.SECURITY_ADMIN) and not request.user.is_superuser

    def get_fieldsets(self, request, obj=None):
        if obj is None:
            return self.add_fieldsets
        if self._is_security(request):
            return ((None, {"fields": ("is_active", "roles", "managed_towns")}),)
        return self.profile_fieldsets

    def get_readonly_fields(self, request, obj=None):
        return ["last_login", "date_joined", "password_changed_at"] if obj and not self._is_security(request) else []

    def get_form(self, request, obj=None, **kwargs):
        if obj is not None and self._is_security(request):
            defaults = {"form": SecurityForm, "fields": ["is_active", "roles", "managed_towns"]}
            form = super(DjangoUserAdmin, self).get_form(request, obj, **{**kwargs, **defaults})
            form.base_fields["roles"].initial = list(obj.groups.values_list("pk", flat=True))
            form.base_fields["managed_towns"].initial = managed_town_ids(obj)
            return form
        return super().get_form(request, obj, **kwargs)

    def has_add_permission(self, request):
        return _has_role(request.user, roles.SYSTEM_ADMIN) and super().has_add_permission(request)

    def has_change_permission(self, request, obj=None):
        # the security administrator's own account is read-only to them: nobody changes their own roles or
        # activation (user_set_roles refuses it; the form would have saved "inactive" first)
        if obj is not None and obj.pk == request.user.pk and self._is_security(request):
            return False
        return super().has_change_permission(request, obj)

    def user_change_password(self, request, id, form_url=""):
        # Resetting a password is account keeping: the system administrator's work, not the security one's.
        if not _has_role(request.user, roles.SYSTEM_ADMIN):
            raise PermissionDenied
        return super().user_change_password(request, id, form_url)

    def save_model(self, request, obj, form, change):
        if change and self._is_security(request):
            obj.save(update_fields=["is_active"])
            return
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        if change and self._is_security(request):
            try:
                user_set_roles(actor=request.user, user=form.instance, groups=form.cleaned_data["roles"])
                user_set_managed_towns(actor=request.user, user=form.instance, towns=form.cleaned_data["managed_towns"])
            except (ValidationError, PermissionDenied) as exc:
                messages.error(request, "；".join(getattr(exc, "messages", [str(exc)])))
            return
        super().save_related(request, form, formsets, change)


PERMISSION_ACTIONS = {"add": "增加", "change": "修改", "delete": "删除", "view": "查看"}


def permission_label(permission) -> str:
    """Django stores the names of the built-in permissions in English ("Can view 单位"); say them in Chinese."""
    model = permission.content_type.model_class()
    if model is None:
        return permission.name
    action, _, model_name = permission.codename.partition("_")
    name = permission.name
    if action in PERMISSION_ACTIONS and model_name == model._meta.model_name:
        name = f"{PERMISSION_ACTIONS[action]}{model._meta.verbose_name}"
    return f"{model._meta.app_config.verbose_name}：{name}"


admin.site.unregister(Group)


@admin.register(Group)
class GroupAdmin(SafeInputAdminMixin, DjangoGroupAdmin):
    """The roles, with their permissions named in Chinese (the security administrator reads them; nobody edits)."""

    def formfield_for_manytomany(self, db_field, request=None, **kwargs):
        field = super().formfield_for_manytomany(db_field, request, **kwargs)
        if db_field.name == "permissions":
            field.label_from_instance = permission_label
        return field

    def get_fields(self, request, obj=None):
        if obj is not None and not self.has_change_permission(request, obj):
            return ["name", "permission_names"]
        return super().get_fields(request, obj)

    @admin.display(description="权限")
    def permission_names(self, obj):
        permissions = obj.permissions.select_related("content_type")
        return format_html_join(mark_safe("<br>"), "{}", ((permission_label(p),) for p in permissions))


class UnitAccountFilter(admin.SimpleListFilter):
    """The admin index's 单位无账号 links here: units with waiting work and no active account."""

    title = "承办单位账号"
    parameter_name = "account"

    def lookups(self, request, model_admin):
        return [("missing", "有待办但无账号")]

    def queryset(self, request, queryset):
        if self.value() == "missing":
            return queryset.filter(pk__in=units_without_account().values("pk"))
        return queryset


@admin.register(Organization)
class OrganizationAdmin(CongressImportExportMixin, CongressModelAdmin):
    resource_classes = [OrganizationResource]
    list_display = ["name", "kind", "parent", "is_handling_unit", "contact_person", "phone", "is_active"]
    list_filter = ["kind", "is_handling_unit", "is_active", UnitAccountFilter]
    search_fields = ["name", "short_name", "code"]
    list_select_related = ["parent"]
    autocomplete_fields = ["parent"]


@admin.register(Term)
class TermAdmin(CongressModelAdmin):
    list_display = ["__str__", "start_date", "end_date", "is_current"]
    search_fields = ["number"]


@admin.register(CongressSession)
class CongressSessionAdmin(CongressModelAdmin):
    list_display = ["__str__", "term", "start_date", "end_date", "place"]
    list_filter = ["term"]
    list_select_related = ["term"]
    search_fields = ["place"]


class AgendaItemInline(CongressInline):
    model = AgendaItem
    extra = 0
    autocomplete_fields = ["reporting_organization"]


@admin.register(Meeting)
class MeetingAdmin(CongressModelAdmin):
    list_display = ["__str__", "kind", "date", "place"]
    list_filter = [year_filter("date"), "kind", "term"]
    list_select_related = ["term"]
    search_fields = ["agenda_items__title"]
    inlines = [AgendaItemInline]


@admin.register(AgendaItem)
class AgendaItemAdmin(CongressModelAdmin):
    list_display = ["title", "meeting", "order", "kind", "reporting_organization"]
    list_filter = ["kind"]
    list_select_related = ["meeting__term", "reporting_organization"]
    search_fields = ["title"]
    autocomplete_fields = ["meeting", "reporting_organization"]


@admin.register(Appointment)
class AppointmentAdmin(CongressModelAdmin):
    list_display = ["person_name", "kind", "organization", "position", "decided_on", "law_exam_passed",
                    "statement_made", "oath_taken_on", "certificate_issued_on"]
    list_filter = [year_filter("decided_on"), "kind", "law_exam_passed", "term"]
    list_select_related = ["organization"]
    search_fields = ["person_name", "position", "organization__name"]
    autocomplete_fields = ["organization", "meeting"]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)

        class StepsInOrder(form):
            def clean(self):
                data = super().clean()
                try:
                    appointment_steps_check(
                        kind=data.get("kind"), decided_on=data.get("decided_on"),
                        law_exam_passed=bool(data.get("law_exam_passed")), oath_taken_on=data.get("oath_taken_on"),
                        certificate_issued_on=data.get("certificate_issued_on"),
                        statement_made=bool(data.get("statement_made")))
                except CongressError as exc:
                    raise forms.ValidationError(exc.messages) from None
                return data

        return StepsInOrder


@admin.register(CalendarDay)
class CalendarDayAdmin(CongressModelAdmin):
    """Holidays and adjusted working weekends: staff add next year's from the State Council's notice."""

    list_display = ["date", "kind", "name"]
    list_filter = [year_filter("date"), "kind", "date"]
    search_fields = ["name"]
    change_list_template = "admin/congress/calendarday/change_list.html"

    def get_urls(self):
        from django.urls import path

        return [path("enter-schedule/", self.admin_site.admin_view(self.enter_schedule_view),
                     name="congress_calendarday_enter_schedule"), *super().get_urls()]

    def enter_schedule_view(self, request):
        """A year's schedule at once: paste the State Council's notice (or upload it as a text file)."""
        from django.http import HttpResponseRedirect
        from django.template.response import TemplateResponse
        from django.urls import reverse

        from congress.forms import HolidayScheduleForm
        from congress.services import holiday_schedule_enter

        if not self.has_add_permission(request):
            raise PermissionDenied
        form = HolidayScheduleForm(request.POST or None, request.FILES or None,
                                   initial={"year": request.GET.get("year", "")})
        if request.method == "POST" and form.is_valid():
            try:
                days, moved = holiday_schedule_enter(actor=request.user, year=form.cleaned_data["year"],
                                                     text=form.cleaned_data["text"])
            except CongressError as exc:
                form.add_error(None, exc.messages)
            else:
                year = form.cleaned_data["year"]
                self.message_user(request, f"已录入{year}年节假日安排，共{days}天；{moved}件交办的期限已按新安排重算并通知"
                                           f"承办单位和代表。", messages.SUCCESS)
                return HttpResponseRedirect(reverse("admin:congress_calendarday_changelist") + f"?date__year={year}")
        context = {**self.admin_site.each_context(request), "opts": self.opts, "form": form,
                   "title": "录入年度节假日安排", "submit_label": "录入", "media": self.media + form.media,
                   "intro": "粘贴国务院办公厅关于当年部分节假日安排的通知正文（或上传文本文件），系统读出放假和调休上班的日期；"
                            "已有的该年日期将被替换。录入后，落在该年的期限不再是“待定”，已交办建议的期限按新安排重算。",
                   "has_view_permission": True}
        return TemplateResponse(request, "admin/form_page.html", context)


@admin.register(HolidaySchedule)
class HolidayScheduleAdmin(ReadOnlyLogAdmin):
    """The years whose official schedule is in the calendar (entered on the calendar's 录入年度节假日安排 page)."""

    list_display = ["year", "entered_by", "entered_at"]
    list_select_related = ["entered_by"]
    fields = ["year", "entered_by", "entered_at", "source"]
    readonly_fields = fields


class WorkflowFilter(admin.SimpleListFilter):
    title = "流程"
    parameter_name = "workflow"

    def lookups(self, request, model_admin):
        from congress.lib.workflow import WORKFLOWS

        return [(name, flow.label) for name, flow in WORKFLOWS.items()]

    def queryset(self, request, queryset):
        return queryset.filter(workflow=self.value()) if self.value() else queryset


@admin.register(StateChange)
class StateChangeAdmin(ReadOnlyLogAdmin):
    """Every workflow's history in one list (办理记录), with the steps' and states' Chinese names."""

    list_display = ["at", "workflow_name", "thread_name", "step", "from_name", "to_name", "actor", "reason"]
    list_filter = [WorkflowFilter]
    list_select_related = ["actor"]
    search_fields = ["=thread", "reason"]
    fields = ["at", "workflow_name", "object_id", "thread_name", "step", "from_name", "to_name", "actor", "reason"]
    readonly_fields = fields

    @admin.display(description="流程")
    def workflow_name(self, obj):
        return obj.workflow_label

    @admin.display(description="所属事项", ordering="thread")
    def thread_name(self, obj):
        # "suggestion:12" is the kernel's key; people read 代表建议 #12
        from congress.lib.workflow import workflow_for

        kind, _, number = obj.thread.partition(":")
        flow = workflow_for(kind)
        return f"{flow.label} #{number}" if flow and number else obj.thread

    @admin.display(description="环节")
    def step(self, obj):
        return obj.action_label

    @admin.display(description="原状态")
    def from_name(self, obj):
        return obj.from_label

    @admin.display(description="新状态")
    def to_name(self, obj):
        return obj.to_label


from congress.reports import admin as reports_admin  # noqa: E402, F401  (the reports' admin pages register themselves)

register_history_admins(admin.site)
admin.site.register(ExportRecord, ExportRecordAdmin)
register_letter_admin(admin.site)
describe_axes(admin.site)


# TOTP devices are set up on the second-factor page and reset by the security administrator's action on the user list;
# django-otp's own device admin (which shows the keys) is not offered.
def _unregister_otp_admin():
    from django_otp.plugins.otp_totp.models import TOTPDevice

    if admin.site.is_registered(TOTPDevice):
        admin.site.unregister(TOTPDevice)


_unregister_otp_admin()
