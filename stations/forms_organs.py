"""Forms of 国家机关进家站点 (the admin's and the unit workspace's pages; each write goes through
stations.services_organs)."""
from django import forms
from django.contrib.admin.widgets import AdminDateWidget

from congress.lib.bounds import integer_field
from congress.selectors import towns_for
from stations.models import Station
from stations.models_organs import OrganServiceItem, OrganVisit
from stations.selectors_organs import organ_items, station_organs


class OrganPickForm(forms.Form):
    """The admin's first step of recording a visit: which organ came (its items then fill the form)."""

    organ = forms.ModelChoiceField(label="国家机关", queryset=station_organs(), empty_label="请选择")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organ"].queryset = station_organs()


class ItemChoices(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class OrganVisitForm(forms.Form):
    station = forms.ModelChoiceField(label="家站点", queryset=Station.objects.none(), empty_label="请选择")
    date = forms.DateField(label="进站日期")
    staff_names = forms.CharField(label="进站工作人员", max_length=200, help_text="姓名和职务，多人用顿号分开")
    items = ItemChoices(label="办理事项", queryset=OrganServiceItem.objects.none(), widget=forms.CheckboxSelectMultiple,
                        help_text="从本单位的进站事项中勾选本次办理的")
    voters_served = integer_field(OrganVisit, "voters_served", label="服务群众人次", min_value=0)
    results = forms.CharField(label="办理结果", widget=forms.Textarea(attrs={"rows": 4}),
                              help_text="现场办结、受理、解答的情况")

    def __init__(self, *args, organ, user, admin_widgets: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.organ = organ
        stations = Station.objects.filter(is_active=True).select_related("town").order_by("town__sort_order", "name")
        towns = towns_for(user)
        self.fields["station"].queryset = stations if towns is None else stations.filter(town__in=towns)
        self.fields["items"].queryset = organ_items(organ.pk, active_only=True)
        if admin_widgets:
            self.fields["date"].widget = AdminDateWidget()
        else:
            self.fields["date"].widget = forms.DateInput(attrs={"type": "date"})


class OrganItemForm(forms.Form):
    name = forms.CharField(label="事项名称", max_length=100)
    description = forms.CharField(label="办理说明", required=False, widget=forms.Textarea(attrs={"rows": 3}),
                                  help_text="办理条件、所需材料等，在家站点公开页面显示")
    sort_order = integer_field(OrganServiceItem, "sort_order", label="排序", initial=100)
    is_active = forms.BooleanField(label="可办理", required=False, initial=True,
                                   help_text="取消勾选即停办：不再公开显示，也不能再登记为已办理")


class YearForm(forms.Form):
    year = forms.IntegerField(label="年度", required=False, min_value=2000, max_value=2100)
