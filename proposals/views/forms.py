"""Small forms of the portal, unit and public pages (the admin's forms are in proposals/forms.py)."""
from django import forms

from congress.lib import uploads
from congress.models import Organization
from proposals.models import Assignment, ContactRecord, Evaluation, SuggestionAttachment, SuggestionCategory


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            files = [super(MultipleFileField, self).clean(d, initial) for d in data if d]
        else:
            files = [super().clean(data, initial)] if data else []
        return uploads.check_all(files, "attachment")


class SuggestionForm(forms.Form):
    title = forms.CharField(label="标题", max_length=200)
    content = forms.CharField(label="内容", widget=forms.Textarea(attrs={"rows": 10}))
    category = forms.ModelChoiceField(label="分类", queryset=SuggestionCategory.objects.filter(is_active=True),
                                      required=False, empty_label="（请选择）")
    # the original file name is kept for display in a 200-character column: a longer one is refused in Chinese
    attachments = MultipleFileField(label="附件（可多选）", help_text=uploads.help_text("attachment"),
                                    max_length=SuggestionAttachment._meta.get_field("name").max_length,
                                    widget=MultipleFileInput(attrs={"accept": uploads.accept("attachment")}))


class EvaluationForm(forms.Form):
    rating = forms.ChoiceField(label="评价", choices=Evaluation.Rating.choices, widget=forms.RadioSelect)
    comment = forms.CharField(label="意见", required=False, widget=forms.Textarea(attrs={"rows": 3}))


class ReasonForm(forms.Form):
    reason = forms.CharField(label="理由", widget=forms.Textarea(attrs={"rows": 3}))


class ContactForm(forms.Form):
    stage = forms.ChoiceField(label="阶段", choices=ContactRecord.Stage.choices)
    method = forms.ChoiceField(label="方式", choices=ContactRecord.Method.choices)
    date = forms.DateField(label="日期", widget=forms.DateInput(attrs={"type": "date"}))
    summary = forms.CharField(label="沟通情况", widget=forms.Textarea(attrs={"rows": 3}))


class OpinionForm(forms.Form):
    content = forms.CharField(label="会办意见", widget=forms.Textarea(attrs={"rows": 4}))
    attachment = uploads.CheckedFileField(kind="attachment", label="附件", required=False)


class ReplyForm(forms.Form):
    letter = uploads.CheckedFileField(kind="letter", label="盖章答复函（PDF）")
    result = forms.ChoiceField(label="办理结果", choices=Assignment.Result.choices)
    summary = forms.CharField(label="答复摘要", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    publishable = forms.BooleanField(label="同意公开", required=False)

    def __init__(self, *args, d_enabled=True, **kwargs):
        super().__init__(*args, **kwargs)
        if not d_enabled:
            self.fields["result"].choices = [c for c in Assignment.Result.choices if c[0] != "D"]


class FollowUpForm(forms.Form):
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
    progress = forms.CharField(label="落实进展", widget=forms.Textarea(attrs={"rows": 3}))
    solved = forms.BooleanField(label="已解决", required=False)


class PublicSearchForm(forms.Form):
    q = forms.CharField(label="关键词", required=False, max_length=50)
    unit = forms.ModelChoiceField(label="承办单位", required=False, empty_label="全部单位",
                                  queryset=Organization.objects.filter(is_handling_unit=True, is_active=True))
    category = forms.ModelChoiceField(label="分类", required=False, empty_label="全部分类",
                                      queryset=SuggestionCategory.objects.all())
    year = forms.IntegerField(label="年度", required=False, min_value=2000, max_value=2100)
