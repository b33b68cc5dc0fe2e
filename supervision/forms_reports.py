"""Forms of the special work report pages (they only collect input; supervision.services.reports decides)."""
from django import forms

from congress.lib import uploads


class ReportFileForm(forms.Form):
    file = uploads.CheckedFileField(label="报告文件（PDF）", kind="pdf")
    note = forms.CharField(label="说明（可选）", required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))
