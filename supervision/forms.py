"""Forms of supervision's pages (they only collect input; supervision.services decides)."""
from django import forms

from supervision.models import SatisfactionPoll


class VoteForm(forms.Form):
    choice = forms.ChoiceField(label="您的测评意见", choices=SatisfactionPoll.Choice.choices, widget=forms.RadioSelect)


class RectificationReportForm(forms.Form):
    text = forms.CharField(label="整改情况", max_length=5000, widget=forms.Textarea(attrs={"rows": 5}))
    evidence = forms.FileField(label="佐证材料（可选）", required=False)
    final = forms.BooleanField(label="整改已完成，报请验收", required=False)
