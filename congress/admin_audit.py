"""The audit administrator's read-only view of every change (django-simple-history) and every login
(django-axes). Nobody can add, change or delete an audit row through the admin: the log is append-only."""
from django.apps import apps
from django.contrib import admin
from django.utils import formats, timezone

from congress.lib.admin import ReadOnlyLogAdmin, year_filter

AUDITED_APPS = {"congress", "deputies", "stations", "proposals", "supervision"}

# django-simple-history gives its own columns no verbose_name ("history type"), and a label set on the field would
# show up in the migrations: the admin names them here instead, through display methods of the same meaning.
HISTORY_COLUMNS = {"history_id": "history_number", "history_date": "changed_at", "history_user": "changed_by",
                   "history_type": "change_type", "history_change_reason": "change_reason"}


class ChangeTypeFilter(admin.ChoicesFieldListFilter):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.title = "变更类型"


class HistoryAdmin(ReadOnlyLogAdmin):
    list_display = ["changed_at", "changed_by", "change_type", "object_label", "change_reason"]
    list_filter = [year_filter("history_date"), ("history_type", ChangeTypeFilter)]
    list_select_related = ["history_user"]

    @admin.display(description="对象")
    def object_label(self, obj):
        return f"{obj.instance_type._meta.verbose_name} #{obj.id}"

    @admin.display(description="变更记录编号")
    def history_number(self, obj):
        return obj.history_id

    @admin.display(description="变更时间", ordering="history_date")
    def changed_at(self, obj):
        return formats.localize(timezone.template_localtime(obj.history_date))

    @admin.display(description="操作人", ordering="history_user")
    def changed_by(self, obj):
        return obj.history_user or self.get_empty_value_display()

    @admin.display(description="变更类型", ordering="history_type")
    def change_type(self, obj):
        return obj.get_history_type_display()

    @admin.display(description="变更原因")
    def change_reason(self, obj):
        return obj.history_change_reason or self.get_empty_value_display()

    # docs/rules.md: full ID and phone numbers are shown only with a permission and each view is logged; the audit trail
    # is read for who changed what, so it shows them masked
    MASKED = {"phone", "id_number"}

    def get_fields(self, request, obj=None):
        return [f"masked_{f.name}" if f.name in self.MASKED else HISTORY_COLUMNS.get(f.name, f.name)
                for f in self.model._meta.fields]

    def get_readonly_fields(self, request, obj=None):
        return self.get_fields(request, obj)

    @admin.display(description="联系电话")
    def masked_phone(self, obj):
        from congress.lib.idcard import mask_phone

        return mask_phone(obj.phone)

    @admin.display(description="身份证号码")
    def masked_id_number(self, obj):
        from congress.lib.idcard import mask_id_number

        return mask_id_number(obj.id_number)


def _history_str(record) -> str:
    # in place of simple-history's "<object> as of <UTC timestamp>" (the title of the record's page)
    return f"{record.history_object}（{timezone.localtime(record.history_date):%Y年%m月%d日 %H:%M}）"


def register_history_admins(site):
    for model in apps.get_models():
        if model.__name__.startswith("Historical") and model._meta.app_label in AUDITED_APPS:
            if not site.is_registered(model):
                base = model.instance_type._meta.verbose_name
                model._meta.verbose_name = f"{base}变更记录"
                model._meta.verbose_name_plural = f"{base}变更记录"
                model.__str__ = _history_str
                site.register(model, HistoryAdmin)


class ExportRecordAdmin(ReadOnlyLogAdmin):
    list_display = ["created_at", "user", "data_name", "row_count", "file_format", "personal_data"]
    list_filter = [year_filter("created_at"), "personal_data", "file_format"]
    list_select_related = ["user"]
    search_fields = ["user__username", "model_label"]
    fields = ["created_at", "user", "data_name", "row_count", "file_format", "personal_data"]
    readonly_fields = fields

    @admin.display(description="导出数据", ordering="model_label")
    def data_name(self, obj):
        return obj.data_name


def _at(moment) -> str:
    return f"{timezone.localtime(moment):%Y年%m月%d日 %H:%M}" if moment else ""


# django-axes stores this for a request header that was not sent (a script without a User-Agent)
AXES_UNKNOWN = "<unknown>"
AXES_HEADERS = ("user_agent", "path_info", "http_accept")


class AxesValueFilter(admin.AllValuesFieldListFilter):
    def choices(self, changelist):
        for choice in super().choices(changelist):
            if str(choice["display"]).startswith(AXES_UNKNOWN):
                choice["display"] = str(choice["display"]).replace(AXES_UNKNOWN, "未知", 1)
            yield choice


def _axes_header(name, label):
    @admin.display(description=label, ordering=name)
    def shown(self, obj):
        value = getattr(obj, name)
        return "未知" if value == AXES_UNKNOWN else value

    return shown


def _axes_admin(base, model):
    """`base` with the request headers it shows said "未知" where axes stored "<unknown>"."""
    renamed = {name: f"{name}_shown" for name in AXES_HEADERS}

    def swap(names):
        return type(names)(renamed.get(n, n) if isinstance(n, str) else n for n in names)

    attrs = {shown: _axes_header(name, model._meta.get_field(name).verbose_name) for name, shown in renamed.items()}
    attrs["list_display"] = swap(base.list_display)
    attrs["readonly_fields"] = swap(base.readonly_fields)
    attrs["fieldsets"] = tuple((title, {**options, "fields": swap(options["fields"])}) for title, options in base.fieldsets)
    attrs["list_filter"] = [(n, AxesValueFilter) if n in AXES_HEADERS else n for n in base.list_filter]
    return type(base.__name__, (base,), attrs)


def describe_axes(site):
    """django-axes' pages in Chinese. Its field names, filters and model names go through gettext (locale/zh_Hans);
    what it writes in English in the code is replaced here: the app's name ("Axes"), each row's __str__ (the title of
    its page: "Attempted Access: …"), the unnamed status and expiration columns, the message of its clean-up and the
    "<unknown>" it stores for a missing header."""
    from axes.admin import AccessAttemptAdmin as AxesAccessAttemptAdmin
    from axes.admin import AccessFailureLogAdmin, AccessLogAdmin
    from axes.conf import settings as axes_settings
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog

    apps.get_app_config("axes").verbose_name = "登录审计"
    AccessAttempt.__str__ = lambda row: f"{row.username} 的登录失败计数（{_at(row.attempt_time)}）"
    AccessLog.__str__ = lambda row: f"{row.username} 的登录记录（{_at(row.attempt_time)}）"
    AccessFailureLog.__str__ = lambda row: (f"{row.username} 登录失败{'并被锁定' if row.locked_out else ''}"
                                            f"（{_at(row.attempt_time)}）")

    class AccessAttemptAdmin(AxesAccessAttemptAdmin):
        @admin.display(description="失效时间")
        def expiration(self, obj):
            return super().expiration(obj)

        @admin.display(description="状态")
        def status(self, obj):
            remaining = axes_settings.AXES_FAILURE_LIMIT - obj.failures_since_start
            return f"还可尝试 {remaining} 次" if remaining > 0 else "已锁定"

        @admin.action(description=AxesAccessAttemptAdmin.cleanup_expired_attempts.short_description)
        def cleanup_expired_attempts(self, request, queryset):
            count = self.handler.clean_expired_user_attempts(request=request)
            self.message_user(request, f"已清除 {count} 条过期的登录失败计数。")

    for model, model_admin in [(AccessAttempt, AccessAttemptAdmin), (AccessLog, AccessLogAdmin),
                               (AccessFailureLog, AccessFailureLogAdmin)]:
        if site.is_registered(model):
            site.unregister(model)
            site.register(model, _axes_admin(model_admin, model))
