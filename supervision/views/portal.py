"""The members' polls in the portal (/portal/polls/): the open polls they may vote in, a ballot on the phone, and the
published results of polls they were asked in."""
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from congress.lib.access import deputy_required
from congress.services import CongressError
from supervision import selectors, services
from supervision.forms import VoteForm
from supervision.models import SatisfactionPoll
from supervision.selectors_reports import member_work_reports
from supervision.workflows import POLL


def open_polls_panel(request, deputy):
    """Portal home (deputies.seams.home_panels): the open polls this deputy may still vote in; none, no panel. When no
    poll is open, the page asks nothing per deputy."""
    if not selectors.any_poll_offered_to_deputies():
        return None
    polls = selectors.open_poll_titles_for(deputy)
    if not polls:
        return None
    return {"template": "supervision/portal/panel_polls.html", "context": {"polls": polls}}


@require_GET
@deputy_required
def poll_list(request):
    return render(request, "supervision/portal/polls.html", {
        "open_polls": selectors.open_polls_for(request.deputy)[:50],
        "published": selectors.published_polls_for(request.deputy)[:20],
        "work_reports": member_work_reports(request.deputy)})


@require_http_methods(["GET", "POST"])
@deputy_required
def poll_vote(request, pk):
    poll = SatisfactionPoll.objects.filter(pk=pk, voters__deputy=request.deputy).select_related(
        "organization", "meeting__term").first()
    if poll is None:
        raise Http404("测评不存在或您不在参评人员名单中")
    form = VoteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.poll_vote(actor=request.user, poll=poll, choice=form.cleaned_data["choice"])
        except CongressError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, "投票成功。测评实行无记名投票，您的选择不与您的姓名关联。")
            return redirect("supervision:polls")
    return render(request, "supervision/portal/vote.html", {
        "poll": poll, "form": form, "offers": POLL.offered(request.user, poll, "portal"),
        "figures": poll.figures if poll.status == SatisfactionPoll.Status.PUBLISHED else None})
