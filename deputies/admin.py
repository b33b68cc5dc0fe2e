from django.contrib import admin
from django.db.models import Count

from congress.lib.admin import CongressModelAdmin, TownScopedAdmin, TownScopedInline
from congress.lib.importexport import CongressImportExportMixin
from deputies import selectors, services
from deputies.models import (
    Constituency,
    Delegation,
    Deputy,
    DeputyGroup,
    DeputyGroupMembership,
    DutyActivity,
    DutyActivityParticipant,
    DutyActivityType,
    Mandate,
    PersonalDataView,
)
from deputies.resources import DeputyRosterResource


class MandateInline(admin.TabularInline):
    model = Mandate
    extra = 0
    autocomplete_fields = ["term", "constituency", "delegation"]
    fields = ["level", "term", "term_label", "constituency", "delegation", "status", "start_date", "end_date"]


@admin.register(Deputy)
class DeputyAdmin(CongressImportExportMixin, TownScopedAdmin):
    resource_classes = [DeputyRosterResource]
    export_title = "代表名册"
    list_display = ["full_name", "gender", "town", "levels", "party", "occupation", "workplace", "phone_display",
                    "id_number_display"]
    list_filter = ["mandates__level", "mandates__status", "town", "gender", "party", "occupation", "education"]
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
    # only on the deputy's own page (RULES.md).
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
        return fields[:9] + ["phone_masked", "id_number_masked"] + fields[9:]

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and not self._sees_personal_data(request):
            return ["phone_masked", "id_number_masked"]
        return []

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
        return super().get_queryset(request).annotate(member_count=Count("mandates"))

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
        return super().get_queryset(request).annotate(member_count=Count("memberships"))

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
    list_display = ["name", "sort_order", "is_active"]
    list_editable = ["sort_order", "is_active"]
    search_fields = ["name"]


class ParticipantInline(TownScopedInline, admin.TabularInline):
    model = DutyActivityParticipant
    extra = 0
    autocomplete_fields = ["deputy"]


@admin.register(DutyActivity)
class DutyActivityAdmin(CongressModelAdmin):
    list_display = ["title", "activity_type", "date", "place", "organizer", "status", "participant_count"]
    list_filter = ["status", "activity_type", "date"]
    list_select_related = ["activity_type", "organizer"]
    search_fields = ["title", "place"]
    autocomplete_fields = ["activity_type", "organizer"]
    date_hierarchy = "date"
    inlines = [ParticipantInline]
    readonly_fields = ["status", "created_by", "created_at"]

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


@admin.register(PersonalDataView)
class PersonalDataViewAdmin(CongressModelAdmin):
    list_display = ["viewed_at", "user", "deputy"]
    list_select_related = ["user", "deputy"]
    search_fields = ["deputy__full_name", "user__username"]
    date_hierarchy = "viewed_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
