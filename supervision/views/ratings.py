"""The appointed officials' rating in the organ's workspace (/unit/ratings/): the organ's officials under rating, the
duty report (述职报告) it submits for each while the round is at 述职 and the due date, and the result and the 提醒函
once the round has them. Another organ's official is not found."""
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
from supervision.predicates import can_see_rated_official
from supervision.selectors_ratings import rated_official, rated_officials_for_unit
from supervision.workflows import RATED_OFFICIAL


class DutyReportForm(forms.Form):
    report = forms.CharField(label="述职报告", max_length=30000, widget=forms.Textarea(attrs={"rows": 12}),
                             help_text="写明任职以来履行职责、依法行政、执行常委会决议决定、廉洁自律等方面的情况")


@require_GET
@unit_required
def rating_list(request):
    page, query = paginate(request, rated_officials_for_unit(request.user.organization_id), 30)
    return render(request, "supervision/ratings/unit_list.html", {"page": page, "query": query})


@require_http_methods(["GET", "POST"])
@unit_required
def rating_detail(request, pk):
    official = rated_official(pk)
    if official is None or not can_see_rated_official(request.user, official):
        raise Http404("被评议干部不存在")
    offers = RATED_OFFICIAL.offered(request.user, official, "unit")
    form = DutyReportForm(request.POST or None, initial={"report": official.report})
    if request.method == "POST":
        if not offers.get("submit_report"):
            messages.error(request, RATED_OFFICIAL.refusal(request.user, official, "submit_report"))
            return redirect("supervision_rating_unit:detail", pk=official.pk)
        if form.is_valid():
            try:
                services.rated_official_submit_report(actor=request.user, official=official,
                                                      report=form.cleaned_data["report"])
            except CongressError as exc:
                form.add_error(None, exc.messages)
            else:
                messages.success(request, "述职报告已提交")
                return redirect("supervision_rating_unit:detail", pk=official.pk)
    return render(request, "supervision/ratings/unit_detail.html", {
        "official": official, "round": official.round, "form": form, "offers": offers,
        "timeline": timeline_rows(RATED_OFFICIAL.history(official))})
