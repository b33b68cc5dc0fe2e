"""Forms of the stations admin pages (each page's write goes through stations.services) and the public search."""
from django import forms
from django.contrib import admin
from django.contrib.admin.widgets import AdminDateWidget, AdminTimeWidget

from congress.lib.bounds import integer_field
from congress.lib.widgets import SafeAutocompleteSelect as AutocompleteSelect
from congress.lib.widgets import SafeAutocompleteSelectMultiple as AutocompleteSelectMultiple
from congress.models import Organization
from congress.selectors import towns_for
from deputies.models import Deputy, Mandate
from stations.conf import stations_setting
from stations.models import ReceptionDay, Station, VoterOpinion

UNIT_KINDS = (Organization.Kind.STATE_ORGAN, Organization.Kind.DEPARTMENT)


class StaffActionForm(forms.Form):
    """A form of an admin action page (congress.lib.admin.WorkflowAdminMixin passes the object as `obj`)."""

    def __init__(self, *args, obj=None, **kwargs):
        self.obj = obj
        super().__init__(*args, **kwargs)


class ReceptionScheduleForm(forms.Form):
    station = forms.ModelChoiceField(label="家站点", queryset=Station.objects.filter(is_active=True))
    date = forms.DateField(label="接待日期", widget=AdminDateWidget)
    starts_at = forms.TimeField(label="开始时间", widget=AdminTimeWidget)
    ends_at = forms.TimeField(label="结束时间", widget=AdminTimeWidget)
    deputies = forms.ModelMultipleChoiceField(
        label="接待代表", queryset=Deputy.objects.filter(mandates__status=Mandate.Status.SERVING).distinct(),
        help_text="可安排本站进站代表，也可邀请各级代表进站接待")
    topic = forms.CharField(label="接待主题", max_length=100, required=False, help_text="不填为综合接待")
    visiting_units = forms.ModelMultipleChoiceField(
        label="进站国家机关", queryset=Organization.objects.filter(kind__in=UNIT_KINDS), required=False,
        help_text="随同接待、现场答复群众的政府部门等")

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        towns = towns_for(user) if user is not None else None
        if towns is not None:
            self.fields["station"].queryset = self.fields["station"].queryset.filter(town__in=towns)
        site = admin.site
        self.fields["station"].widget = AutocompleteSelect(ReceptionDay._meta.get_field("station"), site)
        self.fields["deputies"].widget = AutocompleteSelectMultiple(ReceptionDay._meta.get_field("deputies"), site)
        self.fields["visiting_units"].widget = AutocompleteSelectMultiple(
            ReceptionDay._meta.get_field("visiting_units"), site)
        for name in ("station", "deputies", "visiting_units"):
            self.fields[name].widget.choices = self.fields[name].choices  # (a widget set after init has none)

    def clean(self):
        from congress.services import CongressError
        from stations.services import reception_times_check

        data = super().clean()
        if data.get("starts_at") and data.get("ends_at"):
            try:
                reception_times_check(data["starts_at"], data["ends_at"])
            except CongressError as exc:
                self.add_error("ends_at", exc.messages[0])
        return data


class ReceptionRecordForm(StaffActionForm):
    visitor_count = integer_field(ReceptionDay, "visitor_count", label="接待群众人次", min_value=0)
    opinion_count = integer_field(ReceptionDay, "opinion_count", label="收集意见建议条数", min_value=0, initial=0)
    present = forms.ModelMultipleChoiceField(label="到场代表", queryset=Deputy.objects.none(),
                                             widget=forms.CheckboxSelectMultiple,
                                             help_text="到场代表自动记入一次“接待选民”履职活动")
    summary = forms.CharField(label="接待情况", widget=forms.Textarea(attrs={"rows": 5}), required=False,
                              help_text="群众反映的主要问题、现场答复情况")

    def __init__(self, *args, obj=None, **kwargs):
        super().__init__(*args, obj=obj, **kwargs)
        on_duty = Deputy.objects.filter(reception_duties__reception=obj).order_by("full_name")
        self.fields["present"].queryset = on_duty
        self.fields["present"].initial = list(on_duty.values_list("pk", flat=True))


class ReceptionCancelForm(StaffActionForm):
    reason = forms.CharField(label="取消原因", max_length=200, widget=forms.Textarea(attrs={"rows": 3}),
                             help_text="将在家站点页面公告，并通知接待代表")


class StationSearchForm(forms.Form):
    q = forms.CharField(label="名称或地址", max_length=50, required=False)
    town = forms.ModelChoiceField(label="镇街", queryset=Organization.objects.filter(kind__in=Organization.TOWN_KINDS),
                                  required=False, empty_label="全部镇街")
    kind = forms.ChoiceField(label="类型", choices=[("", "全部类型"), *Station.Kind.choices], required=False)


class OpinionForm(forms.Form):
    """The form a voter fills after scanning a station's QR code: short, phone-first, nothing required but the text."""

    category = forms.ChoiceField(label="类别", choices=VoterOpinion.Category.choices, initial=VoterOpinion.Category.OTHER)
    content = forms.CharField(label="您的意见或建议", widget=forms.Textarea(attrs={"rows": 6, "maxlength": 2000}),
                              help_text="请写清楚事情、地点和您的诉求")
    name = forms.CharField(label="称呼（可不填）", max_length=30, required=False)
    phone = forms.CharField(label="联系电话（可不填，用于回访）", max_length=20, required=False,
                            widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}))
    # a field people do not see: a form that fills it is a robot (no captcha service on an offline intranet)
    website = forms.CharField(required=False, widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["content"].widget.attrs["maxlength"] = stations_setting("OPINION_MAX_LENGTH")

    def clean_website(self):
        if self.cleaned_data.get("website"):
            raise forms.ValidationError("提交失败，请刷新页面后重试")
        return ""


class OpinionRateForm(forms.Form):
    satisfaction = forms.ChoiceField(label="您对答复满意吗？", choices=VoterOpinion.Satisfaction.choices,
                                     widget=forms.RadioSelect)


class OpinionReferForm(StaffActionForm):
    unit = forms.ModelChoiceField(label="转办单位", queryset=Organization.objects.filter(is_handling_unit=True,
                                                                                      is_active=True))
    note = forms.CharField(label="转办说明", max_length=200, required=False)


class OpinionReplyForm(StaffActionForm):
    reply = forms.CharField(label="答复内容", widget=forms.Textarea(attrs={"rows": 6}), help_text="群众凭查询码可以看到")


class OpinionDeclineForm(StaffActionForm):
    reason = forms.CharField(label="不予受理理由", max_length=200, widget=forms.Textarea(attrs={"rows": 3}),
                             help_text="群众凭查询码可以看到，请写明可以通过什么途径反映")


class OpinionCloseForm(StaffActionForm):
    satisfaction = forms.ChoiceField(label="回访评价", choices=[("", "未评价"), *VoterOpinion.Satisfaction.choices],
                                     required=False)
    note = forms.CharField(label="回访情况", max_length=200, required=False)
