"""Special work reports and review opinions in the organ's unit workspace (/unit/work-reports/): its plan items with
the dates before the meeting, the draft and revised report it sends, its review opinions and the (re-)reports on how
it handled them; and the files, each read only through a permission check."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from congress.lib import uploads
from congress.lib.access import unit_required
from congress.lib.paging import paginate
from congress.lib.workflow import timeline_rows
from congress.services import CongressError
from supervision import selectors_reports, services
from supervision.forms_reports import ReportFileForm
from supervision.models import ReportSubmission, ReviewOpinion
from supervision.predicates import can_read_report_file, can_see_work_report
from supervision.workflows import REVIEW_OPINION, WORK_REPORT


@require_GET
@unit_required
def work_report_list(request):
    """The organ's plan items and review opinions: by default those it still owes a report on."""
    everything = request.GET.get("all") == "1"
    reports = selectors_reports.unit_work_reports(request.user, everything=everything)
    page, query = paginate(request, reports, 30)
    return render(request, "supervision/reports/unit_list.html", {"page": page, "everything": everything,
                                                                 "query": query})


@require_http_methods(["GET", "POST"])
@unit_required
def work_report_detail(request, pk):
    report = selectors_reports.unit_work_report(request.user, pk)
    form = ReportFileForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            row = services.work_report_submit(actor=request.user, report=report, file=form.cleaned_data["file"],
                                              note=form.cleaned_data["note"])
        except CongressError as exc:
            form.add_error(None, exc.messages)
        else:
            messages.success(request, f"{row.get_kind_display()}已报送")
            return redirect("supervision_unit_reports:work_report", pk=report.pk)
    opinion = getattr(report, "review_opinion", None)
    return render(request, "supervision/reports/unit_report.html", {
        "report": report, "form": form, "offers": WORK_REPORT.offered(request.user, report, "unit"),
        "dates": report.timeline_dates(), "opinion": opinion,
        "submissions": selectors_reports.report_submissions(report, [ReportSubmission.Kind.DRAFT,
                                                                      ReportSubmission.Kind.REVISED]),
        "timeline": timeline_rows(WORK_REPORT.history(report))})


@require_http_methods(["GET", "POST"])
@unit_required
def review_opinion_detail(request, pk):
    opinion = selectors_reports.unit_review_opinion(request.user, pk)
    form = ReportFileForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            row = services.review_opinion_report(actor=request.user, opinion=opinion, file=form.cleaned_data["file"],
                                                 note=form.cleaned_data["note"])
        except CongressError as exc:
            form.add_error(None, exc.messages)
        else:
            messages.success(request, f"{row.get_kind_display()}已报送")
            return redirect("supervision_unit_reports:review_opinion", pk=opinion.pk)
    return render(request, "supervision/reports/unit_opinion.html", {
        "opinion": opinion, "report": opinion.work_report, "form": form,
        "offers": REVIEW_OPINION.offered(request.user, opinion, "unit"),
        "submissions": selectors_reports.report_submissions(opinion.work_report, [ReportSubmission.Kind.HANDLING,
                                                                                  ReportSubmission.Kind.REREPORT]),
        "timeline": timeline_rows(REVIEW_OPINION.history(opinion))})


@require_GET
@login_required
def report_submission_file(request, pk):
    row = ReportSubmission.objects.select_related("work_report__meeting").filter(pk=pk).first()
    if row is None or not can_read_report_file(request.user, row):
        raise Http404("文件不存在或无权查看")
    return uploads.serve(request, row.file, filename=f"{row.get_kind_display()}{row.pk}")


@require_GET
@login_required
def review_opinion_letter(request, pk):
    opinion = ReviewOpinion.objects.filter(pk=pk).exclude(letter="").first()
    if opinion is None or not can_see_work_report(request.user, opinion):
        raise Http404("文件不存在或无权查看")
    return uploads.serve(request, opinion.letter, filename=f"审议意见{opinion.pk}")
