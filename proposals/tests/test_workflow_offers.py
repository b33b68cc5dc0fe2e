"""Issue #8: for suggestions, assignments, co-signatures and proposals, in every state a page shows, the transitions
the admin, the portal and the unit workspace offer (their data-transition attributes) are exactly those the workflow
declares for that person now, and over all cases every transition a page may offer is offered somewhere.

The actors: committee staff, the town staff of the lead deputy's town and of another town, a leader, the user of the
assigned unit and of another unit, the lead deputy, a confirmed co-signer, a deputy with no part in the suggestion,
and nobody logged in. The portal's detail page shows three workflows at once (the suggestion's buttons, the visiting
deputy's invitation, the evaluation of each unit's latest reply): its expected set is their union."""
import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from proposals import services
from proposals.conf import rule
from proposals.models import Assignment, Cosignature, Proposal, Suggestion
from proposals.tests.conftest import pdf
from proposals.workflows import ASSIGNMENT, COSIGNATURE, PROPOSAL, SUGGESTION
from tests.offers import Case, names, offer_tests

pytestmark = pytest.mark.django_db
S, A, C = Suggestion.Status, Assignment.Status, Cosignature.Status


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


class World:
    """The named actors and the steps that move a suggestion on, through the services."""

    def __init__(self, flow, actors, cosigner, working_body, unit_org, unit2):
        self.flow, self.actors, self.cosigner = flow, actors, cosigner
        self.working_body, self.unit_org, self.unit2 = working_body, unit_org, unit2
        self.staff, self.lead_user = actors["staff"], actors["lead_deputy"]
        self.unit_user, self.cosigner_user = actors["unit_user"], actors["cosigner"]

    # ------------------------------------------------------------- suggestions

    def invited(self, title="关于加快老旧小区加装电梯的建议") -> Cosignature:
        s = self.flow.draft(title=title)
        (c,) = services.suggestion_invite_cosigners(actor=self.lead_user, suggestion=s, deputies=[self.cosigner])
        return c

    def draft(self) -> Suggestion:
        """A draft with a confirmed co-signer: every later state keeps them, so they may evaluate."""
        c = self.invited()
        services.cosignature_confirm(actor=self.cosigner_user, cosignature=c)
        return Suggestion.objects.get(pk=c.suggestion_id)

    def submitted(self) -> Suggestion:
        return services.suggestion_submit(actor=self.lead_user, suggestion=self.draft())

    def presubmitted(self) -> Suggestion:
        return services.suggestion_submit(actor=self.lead_user, suggestion=self.draft(), presubmit=True)

    def registered(self) -> Suggestion:
        return services.suggestion_register(actor=self.staff, suggestion=self.submitted())

    def assign(self, lead, assisting=(), assigned_on=None) -> list[Assignment]:
        return services.suggestion_assign(actor=self.staff, suggestion=self.registered(), lead=lead, assisting=assisting,
                                          assigned_on=assigned_on)

    def assigned(self, **kwargs) -> Assignment:
        (a,) = self.assign(self.unit_org, **kwargs)
        return a

    def handling(self) -> Assignment:
        a = self.assigned()
        services.assignment_record_contact(actor=self.unit_user, assignment=a, stage="before", summary="电话联系代表")
        return a

    def reply(self, a: Assignment, result="A"):
        return services.assignment_reply(actor=self.unit_user, assignment=fresh(a), letter=pdf(), result=result,
                                         publishable=True)

    def replied(self, result="A") -> Assignment:
        a = self.handling()
        self.reply(a, result)
        return a

    def rehandling(self) -> Assignment:
        a = self.replied()
        services.evaluation_submit(actor=self.lead_user, reply=a.replies.get(), rating="unsatisfied", comment="未解决")
        return a


def fresh(obj):
    return type(obj).objects.get(pk=obj.pk)


@pytest.fixture
def world(flow, staff, town_staff, other_town_staff, leader, unit_user, unit2_user, deputy_user, cosigner_user, cosigner,
          other_deputy_user, next_session, working_body, unit_org, unit2):
    # next_session: a session still to come, so the lead deputy may pre-submit (the guard of "presubmit")
    actors = {"staff": staff, "town_staff": town_staff, "other_town_staff": other_town_staff, "leader": leader,
              "unit_user": unit_user, "other_unit_user": unit2_user, "lead_deputy": deputy_user,
              "cosigner": cosigner_user, "outsider_deputy": other_deputy_user, "anonymous": None}
    return World(flow, actors, cosigner, working_body, unit_org, unit2)


# ---------------------------------------------------------------- the cases: (workflow, state, builder)

def _town_returned(w):
    return services.suggestion_town_return(actor=w.actors["town_staff"], suggestion=w.presubmitted(), comment="请补充材料")


def _priority(w):
    return services.suggestion_mark_priority(actor=w.staff, suggestion=w.registered(), supervising_leader="李主任",
                                             government_official="张副区长", supervising_body=w.working_body)


def _returned(w):
    return services.suggestion_return(actor=w.staff, suggestion=w.submitted(), reason="不属于建议范围")


def _merged(w):
    return services.suggestion_merge(actor=w.staff, suggestion=w.submitted(), into=w.registered())


def _closed(w):
    a = w.replied()
    services.evaluation_submit(actor=w.lead_user, reply=a.replies.get(), rating="satisfied")
    return services.suggestion_close(actor=w.staff, suggestion=fresh(a.suggestion), note="办结")


def _assisting(w):
    """The assisting unit's assignment (the lead unit is the other unit)."""
    return next(a for a in w.assign(w.unit2, assisting=[w.unit_org]) if a.unit_id == w.unit_org.pk)


def _past_send_back_window(w):
    return w.assigned(assigned_on=timezone.localdate() - datetime.timedelta(days=60))


def _send_back_requested(w):
    return services.assignment_request_send_back(actor=w.unit_user, assignment=w.assigned(), reason="不属于本单位职责")


def _sent_back(w):
    return services.assignment_decide_send_back(actor=w.staff, assignment=_send_back_requested(w), approve=True)


def _extended_to_limit(w):
    a = w.handling()
    services.assignment_grant_extension(actor=w.staff, assignment=a, months=rule("MAX_EXTENSION_MONTHS"), reason="需要立项")
    return a


def _overdue(w):
    a = w.handling()
    Assignment.objects.filter(pk=a.pk).update(extended_due_date=timezone.localdate() - datetime.timedelta(days=1))
    return Assignment.objects.get(pk=a.pk)


def _opinion_sent(w):
    a = _assisting(w)
    services.assignment_send_assist_opinion(actor=w.unit_user, assignment=a, content="同意主办单位意见")
    return a


def _separate_one_replied(w):
    """分办 to two units: this unit has replied, the other still handles its part (the suggestion is not replied)."""
    made = services.suggestion_assign(actor=w.staff, suggestion=w.registered(), separate=[w.unit_org, w.unit2])
    a = next(a for a in made if a.unit_id == w.unit_org.pk)
    w.reply(a)
    return a


def _rated_by_lead_only(w):
    a = w.replied()
    services.evaluation_submit(actor=w.lead_user, reply=a.replies.get(), rating="satisfied")
    return a


def _second_reply(w):
    a = w.rehandling()
    w.reply(a, "B")
    return a


def _proposal(w) -> Proposal:
    from deputies.models import Delegation

    delegation, _ = Delegation.objects.get_or_create(term=w.flow.session.term, name="城东街道代表团", town=w.flow.lead.town)
    return services.proposal_register(actor=w.staff, session=w.flow.session, title="关于制定养老服务条例的议案",
                                      content="内容", delegation=delegation, lead_deputy=w.flow.lead)


def _cosignature(build_suggestion):
    """The co-signer's cosignature of a suggestion `build_suggestion` makes."""
    return lambda w: Cosignature.objects.get(suggestion=build_suggestion(w), deputy=w.cosigner)


def _invited_then(step):
    def build(w):
        c = w.invited()
        step(w, Suggestion.objects.get(pk=c.suggestion_id))
        return c
    return build


CASES = [
    Case(SUGGESTION, S.DRAFT, lambda w: w.draft()),
    Case(SUGGESTION, S.PRESUBMITTED, lambda w: w.presubmitted()),
    Case(SUGGESTION, S.TOWN_RETURNED, _town_returned),
    Case(SUGGESTION, S.SUBMITTED, lambda w: w.submitted()),
    Case(SUGGESTION, S.REGISTERED, lambda w: w.registered()),
    Case(SUGGESTION, S.REGISTERED, _priority, "priority"),
    Case(SUGGESTION, S.RETURNED, _returned),
    Case(SUGGESTION, S.MERGED, _merged),
    Case(SUGGESTION, S.ASSIGNED, lambda w: w.assigned().suggestion),
    Case(SUGGESTION, S.HANDLING, lambda w: w.handling().suggestion),
    Case(SUGGESTION, S.REPLIED, lambda w: w.replied().suggestion),
    Case(SUGGESTION, S.REHANDLING, lambda w: w.rehandling().suggestion),
    Case(SUGGESTION, S.CLOSED, _closed),

    Case(ASSIGNMENT, A.ASSIGNED, lambda w: w.assigned(), "lead unit"),
    Case(ASSIGNMENT, A.ASSIGNED, _past_send_back_window, "send-back window over"),
    Case(ASSIGNMENT, A.ASSIGNED, _assisting, "assisting unit"),
    Case(ASSIGNMENT, A.SEND_BACK_REQUESTED, _send_back_requested),
    Case(ASSIGNMENT, A.SENT_BACK, _sent_back),
    Case(ASSIGNMENT, A.HANDLING, lambda w: w.handling()),
    Case(ASSIGNMENT, A.HANDLING, _extended_to_limit, "extended to the limit"),
    Case(ASSIGNMENT, A.HANDLING, _overdue, "past its deadline: a reminder letter"),
    Case(ASSIGNMENT, A.OPINION_SENT, _opinion_sent),
    Case(ASSIGNMENT, A.REPLIED, lambda w: w.replied("A"), "result A"),
    Case(ASSIGNMENT, A.REPLIED, lambda w: w.replied("B"), "result B, follow-up due"),
    Case(ASSIGNMENT, A.REPLIED, _separate_one_replied, "separate units, the other still handling"),
    Case(ASSIGNMENT, A.REPLIED, _rated_by_lead_only, "rated by the lead deputy only"),
    Case(ASSIGNMENT, A.REHANDLING, lambda w: w.rehandling()),
    Case(ASSIGNMENT, A.REPLIED, _second_reply, "second reply"),

    Case(COSIGNATURE, C.INVITED, lambda w: w.invited()),
    Case(COSIGNATURE, C.INVITED, _invited_then(lambda w, s: services.suggestion_submit(actor=w.lead_user, suggestion=s)),
         "suggestion submitted"),
    Case(COSIGNATURE, C.INVITED, _invited_then(lambda w, s: _returned_suggestion(w, s)), "suggestion returned"),
    Case(COSIGNATURE, C.INVITED, _invited_then(lambda w, s: _merged_suggestion(w, s)), "suggestion merged"),
    Case(COSIGNATURE, C.CONFIRMED, _cosignature(lambda w: w.draft())),
    Case(COSIGNATURE, C.DECLINED, lambda w: services.cosignature_decline(actor=w.cosigner_user, cosignature=w.invited())),

    Case(PROPOSAL, Proposal.Status.SUBMITTED, _proposal),
    Case(PROPOSAL, Proposal.Status.ON_AGENDA, lambda w: services.proposal_place_on_agenda(actor=w.staff, proposal=_proposal(w))),
    Case(PROPOSAL, Proposal.Status.CONVERTED,
         lambda w: services.proposal_convert_to_suggestion(actor=w.staff, proposal=_proposal(w)).from_proposal),
]


def _merged_suggestion(w, s):
    s = services.suggestion_submit(actor=w.lead_user, suggestion=s)
    return services.suggestion_merge(actor=w.staff, suggestion=s, into=w.registered())


def _returned_suggestion(w, s):
    s = services.suggestion_submit(actor=w.lead_user, suggestion=s)
    return services.suggestion_return(actor=w.staff, suggestion=s, reason="不属于建议范围")


# ---------------------------------------------------------------- the pages, and what each should offer

def _latest(a):
    return a.replies.order_by("-is_second_reply", "-id").first()


def _invitation_targets(user, cosignatures) -> tuple[set[str], dict[str, set[str]]]:
    """What a page listing these invitations offers `user`: confirm and decline, each posting to its invitation."""
    offered, targets = set(), {"confirm": set(), "decline": set()}
    for c in cosignatures:
        for name in names(COSIGNATURE.available(user, c, "portal")):
            offered.add(name)
            targets[name].add(reverse("proposals:portal_cosign_respond", args=[c.pk]))
    return offered, targets


def _portal(suggestion, user):
    """The deputy's suggestion page: the suggestion's buttons, the visitor's invitation, and a rating form for the
    latest reply of each assignment the visitor may evaluate (posting to that reply)."""
    expected = names(SUGGESTION.available(user, suggestion, "portal"))
    invited, targets = _invitation_targets(user, suggestion.cosignatures.all())
    expected |= invited
    targets["evaluate"] = set()
    for a in suggestion.assignments.all():
        if "evaluate" in names(ASSIGNMENT.available(user, a, "portal")):
            expected.add("evaluate")
            targets["evaluate"].add(reverse("proposals:portal_evaluate", args=[_latest(a).pk]))
    return reverse("proposals:portal_detail", args=[suggestion.pk]), expected, targets


def _invitations(_obj, user):
    """The deputy's list of invitations: every one they may still answer, whichever suggestion."""
    expected, targets = _invitation_targets(user, Cosignature.objects.all())
    return reverse("proposals:portal_invitations"), expected, targets


def _home(_obj, user):
    """The portal's home: the panels of invitations to answer and of replies to rate (a link to the rating form)."""
    expected, targets = _invitation_targets(user, Cosignature.objects.all())
    targets["evaluate"] = set()
    for a in Assignment.objects.all():
        if "evaluate" in names(ASSIGNMENT.available(user, a, "portal")):
            expected.add("evaluate")
            targets["evaluate"].add(reverse("proposals:portal_detail", args=[a.suggestion_id]) + f"#reply-{_latest(a).pk}")
    return reverse("portal:home"), expected, targets


def _admin(flow, model_name):
    def page(obj, user):
        return reverse(f"admin:proposals_{model_name}_change", args=[obj.pk]), names(flow.available(user, obj, "admin"))
    return page


PAGES = {
    SUGGESTION: {"admin": _admin(SUGGESTION, "suggestion"), "portal": _portal},
    ASSIGNMENT: {"admin": _admin(ASSIGNMENT, "assignment"),
                 "unit": lambda a, user: (reverse("unit:detail", args=[a.pk]), names(ASSIGNMENT.available(user, a, "unit"))),
                 "portal": [lambda a, user: _portal(a.suggestion, user), _home]},
    COSIGNATURE: {"portal": [lambda c, user: _portal(c.suggestion, user), _invitations, _home]},
    PROPOSAL: {"admin": _admin(PROPOSAL, "proposal")},
}


(test_every_surface_of_these_workflows_has_its_page, test_each_page_offers_exactly_the_declared_transitions,
 test_every_transition_a_page_may_offer_is_offered_to_somebody) = offer_tests(CASES, PAGES)
