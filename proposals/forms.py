"""Forms of the staff's intermediate pages in the admin (return, assign, merge, …). They only collect input;
the services decide."""
from django import forms
from django.contrib import admin

from congress.lib.bounds import integer_field
from congress.lib.widgets import SafeAutocompleteSelect as AutocompleteSelect
from congress.lib.widgets import SafeAutocompleteSelectMultiple as AutocompleteSelectMultiple
from congress.models import Organization
from deputies.models import Deputy
from proposals.models import Assignment, Evaluation, Extension, Reply, Suggestion


def _units():
    return Organization.objects.filter(is_handling_unit=True, is_active=True)


class ReasonForm(forms.Form):
    reason = forms.CharField(label="理由", widget=forms.Textarea(attrs={"rows": 4, "cols": 80}))

    def __init__(self, *args, obj=None, **kwargs):
        self.obj = obj
        super().__init__(*args, **kwargs)


class NoteForm(forms.Form):
    """A transition that needs no input but an optional note (登记编号, 办结)."""

    note = forms.CharField(label="说明", required=False, max_length=500,
                           widget=forms.Textarea(attrs={"rows": 2, "cols": 80}))

    def __init__(self, *args, obj=None, **kwargs):
        super().__init__(*args, **kwargs)


class DecisionForm(forms.Form):
    """The presidium's decision on a 议案: the date and a note."""

    decided_on = forms.DateField(label="主席团决定日期", required=False, help_text="留空为今天",
                                 widget=forms.DateInput(attrs={"type": "date"}))
    note = forms.CharField(label="决定说明", required=False, max_length=500,
                           widget=forms.Textarea(attrs={"rows": 3, "cols": 80}))

    def __init__(self, *args, obj=None, **kwargs):
        super().__init__(*args, **kwargs)


class AssignForm(forms.Form):
    lead = forms.ModelChoiceField(label="主办单位", queryset=_units(), required=False)
    assisting = forms.ModelMultipleChoiceField(label="协办（会办）单位", queryset=_units(), required=False)
    separate = forms.ModelMultipleChoiceField(label="分办单位", queryset=_units(), required=False,
                                              help_text="分办时不填主办单位，指定两个以上分办单位，各自答复")
    is_hard = forms.BooleanField(label="涉及面广、处理难度大（答复期限6个月）", required=False)
    assigned_on = forms.DateField(label="交办日期", required=False, help_text="留空为今天",
                                  widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, obj=None, **kwargs):
        super().__init__(*args, **kwargs)
        field = Assignment._meta.get_field("unit")
        self.fields["lead"].widget = AutocompleteSelect(field, admin.site)
        self.fields["assisting"].widget = AutocompleteSelectMultiple(field, admin.site)
        self.fields["separate"].widget = AutocompleteSelectMultiple(field, admin.site)
        for name in ("lead", "assisting", "separate"):
            # a widget set after the field was made needs the field's choices
            self.fields[name].widget.choices = self.fields[name].choices
        if obj is not None:
            self.fields["is_hard"].initial = obj.is_hard


class MergeForm(forms.Form):
    """并案 in two steps: choose the suggestion to merge into (pre-selected only when it is really similar, from
    PROPOSALS["MERGE_PRESELECT_SIMILARITY"]), then confirm on a second submit, with both titles named; choosing
    another target asks again."""

    into = forms.ModelChoiceField(label="并入建议", queryset=Suggestion.objects.none())
    reason = forms.CharField(label="并案说明", required=False, widget=forms.Textarea(attrs={"rows": 3, "cols": 80}))
    confirmed = integer_field(Suggestion, "id", required=False, widget=forms.HiddenInput)

    def __init__(self, *args, obj=None, **kwargs):
        super().__init__(*args, **kwargs)
        from proposals.conf import proposals_setting
        from proposals.selectors import similar_for_page
        from proposals.services import merge_targets

        self.obj = obj
        if self.is_bound:
            self.data = self.data.copy()  # the confirmation step writes the chosen target back into the form
        qs = merge_targets(obj)
        self.fields["into"].queryset = qs
        similar = similar_for_page(obj, limit=5, among=qs)
        self.similar = similar
        if similar:
            self.fields["into"].help_text = "内容相近的建议：" + "；".join(f"{s.number or s.title}（相似度{score:.2f}）"
                                                                      for s, score in similar)
            best, score = similar[0]
            if score >= proposals_setting("MERGE_PRESELECT_SIMILARITY"):
                self.fields["into"].initial = best.pk

    def clean(self):
        data = super().clean()
        into = data.get("into")
        if into is not None and data.get("confirmed") != into.pk:
            self.data["confirmed"] = str(into.pk)
            raise forms.ValidationError(f"请确认：将《{self.obj.title}》并入《{into.title}》办理。确认无误，请再点击“确定”。")
        return data


class PriorityForm(forms.Form):
    supervising_leader = forms.CharField(label="督办领导", max_length=60)
    government_official = forms.CharField(label="政府牵头领导", max_length=60)
    supervising_body = forms.ModelChoiceField(label="督办工作机构", queryset=Organization.objects.filter(
        kind=Organization.Kind.WORKING_BODY, is_active=True))
    reason = forms.CharField(label="说明（主任会议决定）", required=False, widget=forms.Textarea(attrs={"rows": 3, "cols": 80}))

    def __init__(self, *args, obj=None, **kwargs):
        super().__init__(*args, **kwargs)


class SupervisionEventForm(forms.Form):
    date = forms.DateField(label="日期", widget=forms.DateInput(attrs={"type": "date"}))
    place = forms.CharField(label="地点", max_length=120, required=False)
    participants = forms.CharField(label="参加人员", max_length=300, required=False)
    description = forms.CharField(label="督办情况", widget=forms.Textarea(attrs={"rows": 4, "cols": 80}))

    def __init__(self, *args, obj=None, **kwargs):
        super().__init__(*args, **kwargs)


class PaperEvaluationForm(forms.Form):
    reply = forms.ModelChoiceField(label="答复", queryset=Reply.objects.none())
    deputy = forms.ModelChoiceField(label="评价代表", queryset=Deputy.objects.none())
    rating = forms.ChoiceField(label="评价", choices=Evaluation.Rating.choices)
    comment = forms.CharField(label="意见", required=False, widget=forms.Textarea(attrs={"rows": 3, "cols": 80}))

    def __init__(self, *args, obj=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reply"].queryset = Reply.objects.filter(assignment__suggestion=obj).select_related("assignment__unit")
        ids = [obj.lead_deputy_id, *obj.cosignatures.filter(status="confirmed").values_list("deputy_id", flat=True)]
        self.fields["deputy"].queryset = Deputy.objects.filter(pk__in=ids)
        self.fields["deputy"].initial = obj.lead_deputy_id


class ExtensionForm(forms.Form):
    # the months left under MAX_EXTENSION_MONTHS are set per item below; the column's range caps it anyway
    months = integer_field(Extension, "months", label="延期月数", min_value=1)
    reason = forms.CharField(label="延期理由", widget=forms.Textarea(attrs={"rows": 3, "cols": 80}))

    def __init__(self, *args, obj=None, **kwargs):
        from django.core.validators import MaxValueValidator

        from proposals.services import extension_months_left

        super().__init__(*args, **kwargs)
        left = extension_months_left(obj) if obj is not None else 0
        field = self.fields["months"]
        field.max_value = left
        field.validators.append(MaxValueValidator(left, message=f"延期累计不得超过规定，本件最多还可延期{left}个月"))
        field.widget.attrs["max"] = left
        field.help_text = f"本件最多还可延期{left}个月"


class SendBackDecisionForm(forms.Form):
    decision = forms.ChoiceField(label="处理", choices=[("approve", "同意退回（待重新交办）"), ("reject", "不同意，维持交办")],
                                 widget=forms.RadioSelect)
    note = forms.CharField(label="处理意见", required=False, widget=forms.Textarea(attrs={"rows": 3, "cols": 80}))

    def __init__(self, *args, obj=None, **kwargs):
        super().__init__(*args, **kwargs)


class RehandleForm(ReasonForm):
    pass


class TownReviewForm(forms.Form):
    decision = forms.ChoiceField(label="审核", choices=[("forward", "审核通过，提交常委会"), ("return", "退回代表修改")],
                                 widget=forms.RadioSelect)
    comment = forms.CharField(label="审核意见", required=False, widget=forms.Textarea(attrs={"rows": 4, "cols": 80}),
                              help_text="退回修改时必填")

    def __init__(self, *args, obj=None, **kwargs):
        super().__init__(*args, **kwargs)
