"""The organs' rectification items in the unit workspace (/unit/rectifications/), and their evidence files."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from congress.lib import uploads
from congress.lib.access import unit_required
from congress.lib.paging import paginate
from congress.services import CongressError
from supervision import selectors, services
from supervision.forms import RectificationReportForm
from supervision.models import Rectification, RectificationReport
from supervision.predicates import can_see_rectification
from supervision.workflows import RECTIFICATION


@require_GET
@unit_required
def rectification_list(request):
    everything = request.GET.get("all") == "1"
    items = selectors.rectification_list_for_unit(unit_id=request.user.organization_id, open_only=not everything)
    page, query = paginate(request, items, 30)
    return render(request, "supervision/unit/rectifications.html", {"page": page, "everything": everything,
                                                                     "query": query})


@require_http_methods(["GET", "POST"])
@unit_required
def rectification_detail(request, pk):
    item = Rectification.objects.filter(pk=pk, organization_id=request.user.organization_id).first()
    if item is None:
        raise Http404("整改事项不存在")
    form = RectificationReportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.rectification_report(actor=request.user, rectification=item, text=data["text"],
                                          evidence=data["evidence"], final=data["final"])
        except CongressError as exc:
            form.add_error(None, exc.messages)
        else:
            messages.success(request, "已报告整改完成，等待验收" if data["final"] else "整改进展已报告")
            return redirect("supervision_unit:rectification", pk=item.pk)
    from congress.lib.workflow import timeline_rows

    return render(request, "supervision/unit/rectification.html", {
        "item": item, "form": form, "offers": RECTIFICATION.offered(request.user, item, "unit"),
        "reports": item.reports.select_related("reported_by"),
        "timeline": timeline_rows(RECTIFICATION.history(item))})


@require_GET
@login_required
def rectification_evidence(request, pk):
    report = RectificationReport.objects.select_related("rectification").filter(pk=pk).exclude(evidence="").first()
    if report is None or not can_see_rectification(request.user, report.rectification):
        raise Http404("文件不存在或无权查看")
    return uploads.serve(request, report.evidence, filename=f"整改佐证材料{report.pk}")
