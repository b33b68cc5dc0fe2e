"""民生实事项目票决制 outside the admin: deputies propose candidates and vote in the portal (/portal/livelihood/), the
organs propose candidates and report their projects' progress each quarter in the unit workspace (/unit/livelihood/)."""
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from congress.lib.access import deputy_required, unit_required
from congress.lib.workflow import timeline_rows
from congress.services import CongressError
from supervision import selectors_livelihood as selectors
from supervision import services
from supervision.forms_livelihood import BallotForm, ProgressForm, ProposeForm
from supervision.models import LivelihoodRound
from supervision.predicates import is_livelihood_owner
from supervision.workflows import LIVELIHOOD


def _with_offers(user, rounds) -> list[tuple]:
    """Each round with what the workflow offers this deputy on it in the portal (the rows of portal_rounds answer the
    vote's predicate themselves, so the list does not grow in queries)."""
    return [(round_, LIVELIHOOD.offered(user, round_, "portal")) for round_ in rounds]


def livelihood_panel(request, deputy):
    """Portal home (deputies.seams.home_panels): a round this deputy may still vote in, or one calling for candidates.
    A deputy is offered something only while a round collects candidates or is voting: when none does (most of the
    year), the page asks nothing per deputy."""
    if not selectors.any_round_offered_to_deputies():
        return None
    rows = [(round_, offers) for round_, offers in _with_offers(request.user, selectors.portal_rounds(deputy)[:5]) if offers]
    if not rows:
        return None
    return {"template": "supervision/livelihood/panel.html", "context": {"rows": rows}}


def _round(pk) -> LivelihoodRound:
    round_ = LivelihoodRound.objects.filter(pk=pk).select_related("session__term").first()
    if round_ is None:
        raise Http404("民生实事项目票决不存在")
    return round_


def _propose(request, round_, step, template, back):
    offers = LIVELIHOOD.offered(request.user, round_, "portal" if step == "propose" else "unit")
    form = ProposeForm(request.POST or None)
    if request.method == "POST":
        if not offers.get(step):
            messages.error(request, LIVELIHOOD.refusal(request.user, round_, step))
            return redirect(*back)
        if form.is_valid():
            try:
                services.livelihood_propose(actor=request.user, round_=round_, title=form.cleaned_data["title"],
                                            description=form.cleaned_data["description"])
            except CongressError as exc:
                form.add_error(None, exc.messages)
            else:
                messages.success(request, "候选项目已提出，由常委会机关汇总后确定候选项目。")
                return redirect(*back)
    return render(request, template, {"round": round_, "form": form, "offers": offers})


# -- deputies, in the portal ---------------------------------------------------------------------------------------

@require_GET
@deputy_required
def portal_rounds(request):
    return render(request, "supervision/livelihood/portal_list.html",
                  {"rows": _with_offers(request.user, selectors.portal_rounds(request.deputy))})


@require_http_methods(["GET", "POST"])
@deputy_required
def portal_round(request, pk):
    """The round: while voting, the ballot (a checkbox per candidate); after the count, the result."""
    round_ = _round(pk)
    offers = LIVELIHOOD.offered(request.user, round_, "portal")
    candidates = selectors.candidates(round_)
    form = BallotForm(request.POST or None, candidates=candidates)
    if request.method == "POST":
        if not offers.get("vote"):
            messages.error(request, LIVELIHOOD.refusal(request.user, round_, "vote"))
            return redirect("supervision:livelihood_round", pk=round_.pk)
        if form.is_valid():
            try:
                services.livelihood_vote(actor=request.user, round_=round_, projects=form.cleaned_data["projects"])
            except CongressError as exc:
                form.add_error(None, exc.messages)
            else:
                messages.success(request, "投票成功。票决实行无记名投票，您的选择不与您的姓名关联。")
                return redirect("supervision:livelihood_round", pk=round_.pk)
    counted = round_.status in selectors.COUNTED_STATES
    # while the round is at the vote's step, a deputy it is not offered to is told why (voted, or not on the list)
    voting = LIVELIHOOD["vote"].starts_from(LIVELIHOOD.state_of(round_))
    return render(request, "supervision/livelihood/portal_round.html", {
        "round": round_, "offers": offers, "voting": voting, "form": form, "candidates": candidates, "counted": counted,
        "voted": selectors.has_voted(round_, request.deputy), "mine": selectors.proposed_by_deputy(round_, request.deputy)})


@require_http_methods(["GET", "POST"])
@deputy_required
def portal_propose(request, pk):
    round_ = _round(pk)
    return _propose(request, round_, "propose", "supervision/livelihood/portal_propose.html",
                    ("supervision:livelihood_round", round_.pk))


# -- the organs, in the unit workspace -----------------------------------------------------------------------------

@require_GET
@unit_required
def unit_list(request):
    unit = request.user.organization_id
    return render(request, "supervision/livelihood/unit_list.html", {
        "collecting": selectors.collecting_rounds(), "projects": selectors.unit_projects(unit),
        "proposed": selectors.unit_proposals(unit)})


@require_http_methods(["GET", "POST"])
@unit_required
def unit_propose(request, pk):
    round_ = _round(pk)
    return _propose(request, round_, "propose_unit", "supervision/livelihood/unit_propose.html", ("supervision_livelihood_unit:list",))


@require_http_methods(["GET", "POST"])
@unit_required
def unit_project(request, pk):
    """A chosen project of this organ: its quarterly reports, and the form for the next one owed."""
    project = selectors.livelihood_project(pk)
    if project is None or not is_livelihood_owner(request.user, project):
        raise Http404("民生实事项目不存在")
    round_ = project.round
    offers = LIVELIHOOD.offered(request.user, round_, "unit")
    reports = list(project.reports.order_by("year", "quarter"))
    owed = selectors.next_owed_report(reports)
    form = ProgressForm(request.POST or None)
    if request.method == "POST":
        if not offers.get("report") or owed is None:
            messages.error(request, LIVELIHOOD.refusal(request.user, round_, "report") or "目前没有需要报送的季度进展报告")
            return redirect("supervision_livelihood_unit:project", pk=project.pk)
        if form.is_valid():
            try:
                services.livelihood_report(actor=request.user, report=owed, progress=form.cleaned_data["progress"],
                                           text=form.cleaned_data["text"])
            except CongressError as exc:
                form.add_error(None, exc.messages)
            else:
                messages.success(request, f"{owed}已报送")
                return redirect("supervision_livelihood_unit:project", pk=project.pk)
    return render(request, "supervision/livelihood/unit_project.html", {
        "project": project, "round": round_, "reports": reports, "owed": owed, "offers": offers, "form": form,
        "timeline": timeline_rows(LIVELIHOOD.history(round_).filter(action__in=["implement", "report", "conclude"]))})
