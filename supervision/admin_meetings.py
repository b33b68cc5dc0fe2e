"""Committee staff keep 代表约见 in the admin: the deputies' requests (drafted and co-signed in the portal, so no add
page here), the 主任会议's decision, the meeting and its record, ending the rating; each a workflow page calling the
service. The signers and the ratings are shown read-only."""
from django import forms
from django.contrib import admin
from django.contrib.admin.widgets import FilteredSelectMultiple

from congress.lib.admin import CongressModelAdmin, ReadOnlyInline, WorkflowAdminMixin, WorkflowPage
from deputies.models import Deputy
from supervision import services
from supervision.models import MeetingRating, MeetingRequest, MeetingSigner
from supervision.workflows import MEETING_REQUEST


class MeetingDecisionForm(forms.Form):
    decision = forms.ChoiceField(label="主任会议决定", choices=[("agree", "同意约见"), ("decline", "不同意约见")],
                                 widget=forms.RadioSelect)
    reason = forms.CharField(label="意见和理由", max_length=5000, widget=forms.Textarea(attrs={"rows": 4, "cols": 80}))

    def __init__(self, *args, obj=None, **kwargs):
        super().__init__(*args, **kwargs)


class MeetingHoldForm(forms.Form):
    met_on = forms.DateField(label="约见日期", widget=forms.DateInput(attrs={"type": "date"}))
    place = forms.CharField(label="约见地点", max_length=200)
    officials = forms.CharField(label="到会的机关负责人", max_length=300, help_text="姓名和职务，多人用顿号分隔")
    attendees = forms.ModelMultipleChoiceField(label="参加约见的代表", queryset=Deputy.objects.none(),
                                               widget=FilteredSelectMultiple("参加约见的代表", False))
    record = forms.CharField(label="约见记录", max_length=20000, widget=forms.Textarea(attrs={"rows": 8, "cols": 80}))

    def __init__(self, *args, obj=None, **kwargs):
        super().__init__(*args, **kwargs)
        # the deputies who signed the request
        self.fields["attendees"].queryset = Deputy.objects.filter(
            meeting_signatures__request=obj).order_by("full_name", "pk") if obj is not None else Deputy.objects.none()


class MeetingCloseForm(forms.Form):
    note = forms.CharField(label="说明", required=False, max_length=300, widget=forms.Textarea(attrs={"rows": 2, "cols": 80}))

    def __init__(self, *args, obj=None, **kwargs):
        super().__init__(*args, **kwargs)


class MeetingSignerInline(ReadOnlyInline):
    model = MeetingSigner
    fields = ["deputy", "signed_at"]
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("deputy")


class MeetingRatingInline(ReadOnlyInline):
    model = MeetingRating
    fields = ["deputy", "choice", "comment", "rated_at"]
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("deputy")


@admin.register(MeetingRequest)
class MeetingRequestAdmin(WorkflowAdminMixin, CongressModelAdmin):
    list_display = ["subject", "organization", "drafted_by", "status", "met_on", "reply_due"]
    list_filter = ["status"]
    list_select_related = ["organization", "drafted_by"]
    search_fields = ["subject", "organization__name", "drafted_by__full_name"]
    fields = ["subject", "organization", "head", "content", "drafted_by", "status", "proposed_at", "decision_reason",
              "decided_at", "met_on", "place", "officials", "attendee_names", "record", "reply_due",
              "reply_due_explanation", "reply", "replied_at", "replied_by"]
    inlines = [MeetingSignerInline, MeetingRatingInline]
    change_form_template = "admin/workflow_change_form_timeline.html"
    workflow = MEETING_REQUEST
    workflow_pages = [
        WorkflowPage("decide", "主任会议决定", ("approve", "reject"), MeetingDecisionForm,
                     "已记录主任会议的决定，并已通知联名代表。",
                     lambda r, o, d: services.meeting_request_decide(actor=r.user, request=o,
                                                                     agree=d["decision"] == "agree", reason=d["reason"])),
        WorkflowPage("hold", "记录约见", ("hold",), MeetingHoldForm, "已记录约见情况，并已通知被约见机关书面答复。",
                     lambda r, o, d: services.meeting_request_hold(actor=r.user, request=o, met_on=d["met_on"],
                                                                   place=d["place"], officials=d["officials"],
                                                                   attendees=d["attendees"], record=d["record"])),
        WorkflowPage("close", "结束评价", ("close",), MeetingCloseForm, "已结束评价。",
                     lambda r, o, d: services.meeting_request_close(actor=r.user, request=o, note=d["note"])),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("organization", "drafted_by", "replied_by")

    def get_readonly_fields(self, request, obj=None):
        return [*self.fields]

    def has_add_permission(self, request):
        return False  # drafted by a deputy in the portal

    def has_change_permission(self, request, obj=None):
        return obj is None and super().has_change_permission(request)

    @admin.display(description="参加约见的代表")
    def attendee_names(self, obj):
        return "、".join(d.full_name for d in obj.attendees.order_by("full_name", "pk")) or "—"
