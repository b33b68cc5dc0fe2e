"""The audit administrator's read-only view of every change (django-simple-history) and every login
(django-axes). Nobody can add, change or delete an audit row through the admin: the log is append-only."""
from django.apps import apps
from django.contrib import admin

from congress.lib.admin import CongressModelAdmin

AUDITED_APPS = {"congress", "deputies", "stations", "proposals", "supervision"}


class ReadOnlyLogAdmin(CongressModelAdmin):
    """Logs are append-only: nobody adds, changes or deletes a row through the admin."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class HistoryAdmin(ReadOnlyLogAdmin):
    list_display = ["history_date", "history_user", "history_type", "object_label", "history_change_reason"]
    list_filter = ["history_type"]
    list_select_related = ["history_user"]
    date_hierarchy = "history_date"

    @admin.display(description="对象")
    def object_label(self, obj):
        return f"{obj.instance_type._meta.verbose_name} #{obj.id}"


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
