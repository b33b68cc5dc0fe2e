"""Forms of the institution's own admin pages (they only collect input; congress.services decides)."""
from django import forms

MAX_NOTICE_BYTES = 1024 * 1024  # a notice is a page of text


class HolidayScheduleForm(forms.Form):
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
    text = forms.CharField(label="通知正文", required=False, max_length=20000,
                           widget=forms.Textarea(attrs={"rows": 14, "cols": 90}),
                           help_text="如：二、春节：2月6日（周六）至14日（周日）放假调休，共9天。2月20日（周六）上班。"
                                     "也可每行一天：2027-02-06,放假,春节")
    file = forms.FileField(label="或上传文本文件", required=False, help_text="纯文本文件或 CSV 文件，不超过 1 MB，读后不保存")

    def clean(self):
        data = super().clean()
        upload = data.get("file")
        if upload is not None:
            name = (upload.name or "").lower()
            if not name.endswith((".txt", ".csv")):
                raise forms.ValidationError("只能上传纯文本文件（扩展名 .txt）或 CSV 文件")
            if upload.size > MAX_NOTICE_BYTES:
                raise forms.ValidationError("文件不能超过 1 MB")
            raw = upload.read()
            for encoding in ("utf-8-sig", "gb18030"):
                try:
                    data["text"] = raw.decode(encoding)
                    break
                except UnicodeDecodeError:
                    continue
            else:
                raise forms.ValidationError("读不出文件内容：请另存为 UTF-8 编码的纯文本后再上传，或直接粘贴通知正文")
        if not (data.get("text") or "").strip():
            raise forms.ValidationError("请粘贴通知正文或上传文件")
        return data
