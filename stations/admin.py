from django.contrib import admin

from congress.lib.admin import TownScopedAdmin, TownScopedInline
from congress.lib.importexport import CongressImportExportMixin
from congress.lib.queries import related_count
from stations.models import Station, StationDeputy
from stations.resources import StationResource


class StationDeputyInline(TownScopedInline, admin.TabularInline):
    model = StationDeputy
    extra = 0
    autocomplete_fields = ["deputy"]


@admin.register(Station)
class StationAdmin(CongressImportExportMixin, TownScopedAdmin):
    resource_classes = [StationResource]
    list_display = ["name", "kind", "town", "address", "contact_name", "opening_hours", "deputy_count", "is_active"]
    list_filter = ["kind", "town", "is_active"]
    list_select_related = ["town"]
    search_fields = ["name", "address"]
    autocomplete_fields = ["town"]
    inlines = [StationDeputyInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(deputy_count=related_count(StationDeputy, "station"))

    @admin.display(description="进站代表数", ordering="deputy_count")
    def deputy_count(self, obj):
        return obj.deputy_count


@admin.register(StationDeputy)
class StationDeputyAdmin(TownScopedAdmin):
    town_lookup = "station__town"
    list_display = ["station", "deputy", "since", "is_resident"]
    list_filter = ["is_resident", "station__kind"]
    list_select_related = ["station", "deputy"]
    search_fields = ["station__name", "deputy__full_name"]
    autocomplete_fields = ["station", "deputy"]
