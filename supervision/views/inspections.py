"""执法检查 in the deputies' portal (/portal/inspections/): the inspections a deputy is on the team of, with the plan's
dates, the site visits (those they went to marked), the report once submitted; and the report's file, read only through
a permission check (staff, leaders, the team)."""
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET

from congress.lib import uploads
from congress.lib.access import deputy_required
from supervision import selectors_inspections
from supervision.models import Inspection
from supervision.predicates import can_read_inspection_report


@require_GET
@deputy_required
def inspection_list(request):
    return render(request, "supervision/inspections/portal_list.html", {
        "inspections": selectors_inspections.team_inspections(request.deputy)})


@require_GET
@login_required
def inspection_report_file(request, pk):
    inspection = Inspection.objects.filter(pk=pk).exclude(report_file="").first()
    if inspection is None or not can_read_inspection_report(request.user, inspection):
        raise Http404("文件不存在或无权查看")
    return uploads.serve(request, inspection.report_file, filename=f"执法检查报告{inspection.pk}")


def team_panel(request, deputy):
    """Portal home (deputies.seams.home_panels): the deputy's inspections still under way; none, no panel. When no
    inspection of anybody's is under way, the page asks nothing per deputy."""
    if not selectors_inspections.any_inspection_under_way():
        return None
    inspections = selectors_inspections.open_team_inspections(deputy)
    if not inspections:
        return None
    return {"template": "supervision/inspections/panel.html", "context": {"inspections": inspections}}
