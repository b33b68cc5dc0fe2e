"""Forms of 代表约见's pages (they only collect input; supervision.services.meetings decides)."""
from django import forms

from congress.models import Organization
from supervision.models import MeetingRating


class MeetingRequestForm(forms.Form):
    subject = forms.CharField(label="约见事项", max_length=200)
    organization = forms.ModelChoiceField(label="约见的国家机关", queryset=Organization.objects.none(),
                                          empty_label="请选择")
    head = forms.CharField(label="约见的负责人", max_length=100, required=False,
                           help_text="例如：局长；不填则为该机关主要负责人")
    content = forms.CharField(label="约见的理由和具体问题", max_length=5000, widget=forms.Textarea(attrs={"rows": 6}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = Organization.objects.filter(is_handling_unit=True, is_active=True)


class MeetingRatingForm(forms.Form):
    choice = forms.ChoiceField(label="您对书面答复的评价", choices=MeetingRating.Choice.choices, widget=forms.RadioSelect)
    comment = forms.CharField(label="意见（可选）", max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3}))


class MeetingReplyForm(forms.Form):
    text = forms.CharField(label="书面答复", max_length=20000, widget=forms.Textarea(attrs={"rows": 10}))
