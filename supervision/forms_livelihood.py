"""Forms of the livelihood projects' pages (they only collect input; supervision.services.livelihood decides)."""
from django import forms


class ProposeForm(forms.Form):
    title = forms.CharField(label="项目名称", max_length=200)
    description = forms.CharField(label="项目内容", max_length=5000, required=False,
                                  widget=forms.Textarea(attrs={"rows": 5}),
                                  help_text="写明要解决的问题、实施地点、大致投资和受益群众")


class BallotForm(forms.Form):
    """A checkbox per candidate (赞成); the number marked is checked by the service (more than the places: refused)."""

    projects = forms.MultipleChoiceField(label="赞成的项目", required=False, widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, candidates=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["projects"].choices = [(str(p.pk), str(p)) for p in candidates]


class ProgressForm(forms.Form):
    progress = forms.IntegerField(label="完成进度（%）", min_value=0, max_value=100)
    text = forms.CharField(label="进展情况", max_length=5000, widget=forms.Textarea(attrs={"rows": 6}),
                           help_text="写明本季度完成的工作、资金使用和存在的问题")
