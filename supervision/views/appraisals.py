"""The appraised department's side of a work appraisal in the unit workspace (/unit/appraisals/): its appraisals and
their phases, the self-inspection report it submits while the appraisal is at 自查自纠, the opinion and result once
the meeting has given them, and the rectification items that came of it."""
from django import forms
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from congress.lib.access import unit_required
from congress.lib.paging import paginate
from congress.lib.workflow import timeline_rows
from congress.services import CongressError
from supervision import services
from supervision.models import Appraisal, Rectification
from supervision.workflows import APPRAISAL


class SelfCheckForm(forms.Form):
    report = forms.CharField(label="自查报告", max_length=20000, widget=forms.Textarea(attrs={"rows": 10}),
                             help_text="写明对照评议内容自查发现的问题、原因和整改措施")


@require_GET
@unit_required
def appraisal_list(request):
    appraisals = (Appraisal.objects.filter(organization_id=request.user.organization_id)
                  .select_related("organization", "meeting__term").order_by("-year", "-id"))
    page, query = paginate(request, appraisals, 30)
    return render(request, "supervision/appraisals/unit_list.html", {"page": page, "query": query})


@require_http_methods(["GET", "POST"])
@unit_required
def appraisal_detail(request, pk):
    appraisal = (Appraisal.objects.filter(pk=pk, organization_id=request.user.organization_id)
                 .select_related("organization", "meeting__term").first())
    if appraisal is None:
        raise Http404("工作评议不存在")
    offers = APPRAISAL.offered(request.user, appraisal, "unit")
    form = SelfCheckForm(request.POST or None, initial={"report": appraisal.self_check_report})
    if request.method == "POST":
        if not offers.get("report_self_check"):
            messages.error(request, APPRAISAL.refusal(request.user, appraisal, "report_self_check"))
            return redirect("supervision_appraisal_unit:detail", pk=appraisal.pk)
        if form.is_valid():
            try:
                services.appraisal_submit_self_check(actor=request.user, appraisal=appraisal,
                                                     report=form.cleaned_data["report"])
            except CongressError as exc:
                form.add_error(None, exc.messages)
            else:
                messages.success(request, "自查报告已提交")
                return redirect("supervision_appraisal_unit:detail", pk=appraisal.pk)
    items = Rectification.objects.filter(source_workflow=APPRAISAL.name, source_id=appraisal.pk).order_by("due_date", "id")
    return render(request, "supervision/appraisals/unit_detail.html", {
        "appraisal": appraisal, "form": form, "offers": offers, "items": items,
        "timeline": timeline_rows(APPRAISAL.history(appraisal).exclude(action__in=["record_survey", "record_scores"]))})
