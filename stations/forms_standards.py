"""Forms of the 八有 and star-rating admin pages (each page's write goes through stations.standards)."""
from django import forms
from django.contrib import admin

from congress.lib import uploads
from congress.lib.widgets import SafeAutocompleteSelect as AutocompleteSelect
from congress.models import Organization
from congress.selectors import town_list, towns_for
from stations import selectors_standards as sel
from stations.models import StandardItem, Station, StationAppraisal, StationStandard


def _stations_for(user):
    towns = towns_for(user)
    qs = Station.objects.select_related("town")
    return qs if towns is None else qs.filter(town__in=towns)


class StandardRecordForm(forms.Form):
    """One station's state against one item: recording it again replaces the earlier state (the photo is kept unless
    a new one is uploaded or it is removed)."""

    station = forms.ModelChoiceField(label="家站点", queryset=Station.objects.none())
    item = forms.ModelChoiceField(label="标准项", queryset=StandardItem.objects.filter(is_active=True))
    met = forms.BooleanField(label="已达标", required=False)
    photo = forms.FileField(label="佐证照片", required=False, help_text=uploads.help_text("photo"),
                            widget=forms.ClearableFileInput(attrs={"accept": uploads.accept("photo")}))
    clear_photo = forms.BooleanField(label="删除已上传的照片", required=False)
    note = forms.CharField(label="说明", max_length=200, required=False)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["station"].queryset = _stations_for(user)
        self.fields["station"].widget = AutocompleteSelect(StationStandard._meta.get_field("station"), admin.site)
        self.fields["station"].widget.choices = self.fields["station"].choices


class GapFilterForm(forms.Form):
    item = forms.ModelChoiceField(label="标准项", queryset=StandardItem.objects.filter(is_active=True), required=False,
                                  empty_label="全部标准项")
    town = forms.ModelChoiceField(label="镇街", queryset=Organization.objects.none(), required=False, empty_label="全部镇街")

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        towns = towns_for(user)
        self.fields["town"].queryset = towns if towns is not None else town_list().order_by("sort_order", "name")


class AppraisalOpenForm(forms.Form):
    station = forms.ModelChoiceField(label="家站点", queryset=Station.objects.none())
    year = forms.IntegerField(label="评定年度", min_value=2000, max_value=2100)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["station"].queryset = _stations_for(user).filter(is_active=True)
        self.fields["station"].widget = AutocompleteSelect(StationAppraisal._meta.get_field("station"), admin.site)
        self.fields["station"].widget.choices = self.fields["station"].choices


class _ObjForm(forms.Form):
    def __init__(self, *args, obj=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.obj = obj


class AppraisalScoreForm(_ObjForm):
    """One field per criterion of the appraisal's year; the cap (0 to the criterion's points) is the service's rule."""

    def __init__(self, *args, obj=None, **kwargs):
        super().__init__(*args, obj=obj, **kwargs)
        current = {s.criterion_id: s.points for s in obj.scores.all()}
        for criterion in sel.criteria_for_year(obj.year):
            self.fields[f"criterion_{criterion.pk}"] = forms.DecimalField(
                label=f"{criterion.name}（{criterion.max_points}分）", required=False, max_digits=4, decimal_places=1,
                initial=current.get(criterion.pk), help_text=criterion.description)
        self.fields["basis"] = forms.CharField(label="评定依据", required=False, max_length=5000, initial=obj.basis,
                                               widget=forms.Textarea(attrs={"rows": 4, "cols": 80}))

    def points(self) -> dict:
        return {int(k.split("_")[1]): v for k, v in self.cleaned_data.items() if k.startswith("criterion_")}


class NothingForm(_ObjForm):
    """A step that takes no input (提交确认)."""


class ConfirmForm(_ObjForm):
    note = forms.CharField(label="确认意见", required=False, max_length=200)


class ReturnForm(_ObjForm):
    reason = forms.CharField(label="退回原因", max_length=300, widget=forms.Textarea(attrs={"rows": 3, "cols": 80}))
