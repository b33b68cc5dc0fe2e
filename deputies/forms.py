"""Portal forms: short, phone-friendly, all labels Chinese. Rules live in deputies.services."""
from django import forms
from django.utils import timezone

from congress.lib import uploads
from congress.lib.bounds import integer_field
from deputies.conf import portal_setting
from deputies.models import Deputy, DutyActivityType, VoterReport


class MultipleImageInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleImageField(forms.FileField):
    widget = MultipleImageInput

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else [data] if data else []
        if len(files) > portal_setting("MAX_PHOTOS"):
            raise forms.ValidationError(f"每次最多上传 {portal_setting('MAX_PHOTOS')} 张照片")
        files = [super(MultipleImageField, self).clean(f, initial) for f in files]
        return uploads.check_all(files, "photo")


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None, format="%Y-%m-%d"):  # the browser's date picker wants ISO dates
        super().__init__(attrs, format)


class ActivityForm(forms.Form):
    activity_type = forms.ModelChoiceField(DutyActivityType.objects.filter(is_active=True), label="活动类型",
                                           empty_label="请选择")
    date = forms.DateField(label="活动日期", widget=DateInput)
    place = forms.CharField(label="地点或联络站", max_length=120, required=False)
    title = forms.CharField(label="活动名称（可不填）", max_length=120, required=False)
    description = forms.CharField(label="活动内容", required=False, widget=forms.Textarea(attrs={"rows": 4}))
    photos = MultipleImageField(label="照片", required=False,
                                widget=MultipleImageInput(attrs={"accept": uploads.accept("photo"), "multiple": True}))
    co_deputies = forms.ModelMultipleChoiceField(Deputy.objects.none(), label="共同参加的代表", required=False,
                                                 widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, co_deputies=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["date"].initial = timezone.localdate()
        self.fields["photos"].help_text = (f"JPG 或 PNG，最多 {portal_setting('MAX_PHOTOS')} 张，"
                                           f"每张不超过 {uploads.max_mb('photo')} MB")
        if co_deputies is not None:
            self.fields["co_deputies"].queryset = co_deputies


class LeaveForm(forms.Form):
    meeting = forms.ChoiceField(label="会议")
    reason = forms.CharField(label="请假事由", max_length=200)

    def __init__(self, *args, sessions=(), meetings=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.sessions = {str(s.pk): s for s in sessions}
        self.meetings = {str(m.pk): m for m in meetings}
        self.fields["meeting"].choices = ([(f"s{pk}", f"{s}（{s.start_date:%m月%d日}）") for pk, s in self.sessions.items()]
                                          + [(f"m{pk}", f"{m}（{m.date:%m月%d日}）") for pk, m in self.meetings.items()])

    def target(self) -> dict:
        value = self.cleaned_data["meeting"]
        if value.startswith("s"):
            return {"congress_session": self.sessions[value[1:]]}
        return {"meeting": self.meetings[value[1:]]}


class VoterReportForm(forms.Form):
    date = forms.DateField(label="述职日期", widget=DateInput)
    place = forms.CharField(label="述职地点", max_length=120)
    attendance = integer_field(VoterReport, "attendance", label="参加选民人数", min_value=0, initial=0)
    text = forms.CharField(label="述职报告", required=False, widget=forms.Textarea(attrs={"rows": 5}))
    file = uploads.CheckedFileField(kind="report", label="或上传报告文件", required=False)


class ParticipantsUploadForm(forms.Form):
    """An event's participants from a spreadsheet: a header row, then an ID number or a name per row."""

    HEADER_WORDS = ("身份证", "姓名")
    file = forms.FileField(label="表格文件（.xlsx 或 .csv）")

    def clean_file(self):
        upload = self.cleaned_data["file"]
        name = upload.name.lower()
        try:
            if name.endswith(".xlsx"):
                from openpyxl import load_workbook

                sheet = load_workbook(upload, read_only=True, data_only=True).worksheets[0]
                column = [row[0] if row else None for row in sheet.iter_rows(values_only=True)]
            elif name.endswith(".csv"):
                import csv
                import io

                raw = upload.read()
                try:
                    text = raw.decode("utf-8-sig")
                except UnicodeDecodeError:
                    text = raw.decode("gbk")  # a CSV saved by Excel on a Chinese Windows
                column = [row[0] if row else None for row in csv.reader(io.StringIO(text))]
            else:
                raise forms.ValidationError("只能上传 .xlsx 或 .csv 文件")
        except forms.ValidationError:
            raise
        except Exception:
            raise forms.ValidationError("无法读取这个文件，请确认它是有效的 .xlsx 或 .csv 表格")
        if not column or not any(word in str(column[0] or "") for word in self.HEADER_WORDS):
            raise forms.ValidationError("第一行应为表头“身份证号码或姓名”")
        self.cleaned_data["keys"] = ["" if v is None else str(v) for v in column[1:]]
        return upload


class ReviewNoteForm(forms.Form):
    """A staff step on one activity or leave request that needs no input (审核通过, 批准)."""

    def __init__(self, *args, obj=None, **kwargs):
        super().__init__(*args, **kwargs)


class ActivityReturnForm(forms.Form):
    reason = forms.CharField(label="退回原因", max_length=200, widget=forms.Textarea(attrs={"rows": 3, "cols": 80}),
                             help_text="代表在履职平台上看到这条原因")

    def __init__(self, *args, obj=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].initial = portal_setting("RETURN_REASON")


class ScoreSnapshotRequestForm(forms.Form):
    """The admin's 发布积分排名: a finished quarter (deputies.services.score_snapshot_request checks the rest)."""

    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
    quarter = forms.TypedChoiceField(label="季度", coerce=int, choices=[(q, f"第{q}季度") for q in (1, 2, 3, 4)])
