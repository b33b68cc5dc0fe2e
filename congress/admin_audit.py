"""The audit administrator's read-only view of every change (django-simple-history) and every login
(django-axes). Nobody can add, change or delete an audit row through the admin: the log is append-only."""
from django.apps import apps
from django.contrib import admin

from congress.lib.admin import ReadOnlyLogAdmin

AUDITED_APPS = {"congress", "deputies", "stations", "proposals", "supervision"}


class HistoryAdmin(ReadOnlyLogAdmin):
    list_display = ["history_date", "history_user", "history_type", "object_label", "history_change_reason"]
    list_filter = ["history_type"]
    list_select_related = ["history_user"]
    date_hierarchy = "history_date"

    @admin.display(description="对象")
    def object_label(self, obj):
        return f"{obj.instance_type._meta.verbose_name} #{obj.id}"

    # docs/rules.md: full ID and phone numbers are shown only with a permission and each view is logged; the audit trail
    # is read for who changed what, so it shows them masked
    MASKED = {"phone", "id_number"}

    def get_fields(self, request, obj=None):
        return [f"masked_{f.name}" if f.name in self.MASKED else f.name for f in self.model._meta.fields]

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


def register_history_admins(site):
    for model in apps.get_models():
        if model.__name__.startswith("Historical") and model._meta.app_label in AUDITED_APPS:
            if not site.is_registered(model):
                base = model.instance_type._meta.verbose_name
                model._meta.verbose_name = f"{base}变更记录"
                model._meta.verbose_name_plural = f"{base}变更记录"
                site.register(model, HistoryAdmin)


class ExportRecordAdmin(ReadOnlyLogAdmin):
    list_display = ["created_at", "user", "model_label", "row_count", "file_format", "personal_data"]
    list_filter = ["personal_data", "file_format"]
    list_select_related = ["user"]
    search_fields = ["user__username", "model_label"]
    date_hierarchy = "created_at"
