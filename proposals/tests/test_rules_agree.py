"""One rule, written twice, must say the same: the portal's "to rate" list (selectors.replies_to_rate_for, a query) and
the workflow's `evaluate` transition (can_evaluate, per assignment). Over suggestions in the states where they could
part — replied, re-handled, replied again, rated by one deputy and not the other, a co-signer who declined, one still
invited, a suggestion merged into another, separate units — each deputy's list is exactly the latest replies the
kernel lets them evaluate."""
import pytest

from conftest import PASSWORD
from congress import roles
from congress.services import create_user_with_role
from proposals import selectors, services
from proposals.models import Assignment, Reply, Suggestion
from proposals.tests.conftest import make_deputy, pdf
from proposals.workflows import ASSIGNMENT

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def latest_reply(assignment) -> Reply | None:
    return assignment.replies.order_by("-is_second_reply", "-id").first()


def kernel_says(user) -> set[Reply]:
    """The latest reply of every assignment the workflow lets `user` evaluate now."""
    found = set()
    for a in Assignment.objects.select_related("suggestion"):
        latest = latest_reply(a)
        if latest is not None and ASSIGNMENT.can(user, a, "evaluate"):
            found.add(latest)
    return found


def describe(replies) -> list[str]:
    return sorted(f"reply {r.pk} of {r.assignment.unit.name} on suggestion {r.assignment.suggestion_id}"
                  f"{' (second)' if r.is_second_reply else ''}" for r in replies)


class Scene:
    def __init__(self, flow, staff, unit_org, unit2, unit_user, unit2_user, lead_user, cosigner_user, cosigner):
        self.flow, self.staff, self.unit_org, self.unit2 = flow, staff, unit_org, unit2
        self.unit_user, self.unit2_user, self.lead_user = unit_user, unit2_user, lead_user
        self.cosigner_user, self.cosigner = cosigner_user, cosigner

    def with_cosigner(self, confirm=True) -> Suggestion:
        s = self.flow.draft()
        (c,) = services.suggestion_invite_cosigners(actor=self.lead_user, suggestion=s, deputies=[self.cosigner])
        if confirm is not None:
            services.cosignature_respond(actor=self.cosigner_user, cosignature=c, confirm=confirm)
        return Suggestion.objects.get(pk=s.pk)

    def registered(self, s) -> Suggestion:
        s = services.suggestion_submit(actor=self.lead_user, suggestion=s)
        return services.suggestion_register(actor=self.staff, suggestion=s)

    def replied(self, s, unit=None, user=None) -> Assignment:
        (a,) = services.suggestion_assign(actor=self.staff, suggestion=self.registered(s), lead=unit or self.unit_org)
        self.reply(a, user or self.unit_user)
        return a

    def reply(self, a, user, result="A") -> Reply:
        a = Assignment.objects.get(pk=a.pk)
        return services.assignment_reply(actor=user, assignment=a, letter=pdf(), result=result)

    def rate(self, user, a, rating="satisfied"):
        services.evaluation_submit(actor=user, reply=latest_reply(a), rating=rating)


@pytest.fixture
def scene(flow, staff, unit_org, unit2, unit_user, unit2_user, deputy_user, cosigner_user, cosigner):
    return Scene(flow, staff, unit_org, unit2, unit_user, unit2_user, deputy_user, cosigner_user, cosigner)


def test_the_to_rate_list_is_what_the_workflow_lets_each_deputy_evaluate(scene, deputy_user, cosigner_user, other_deputy_user,
                                                                         town_b):
    lead_user, staff = deputy_user, scene.staff
    replied = scene.replied(scene.with_cosigner())                      # nobody has rated yet
    rated_by_lead = scene.replied(scene.with_cosigner())
    scene.rate(lead_user, rated_by_lead)                               # the co-signer still may
    rehandling = scene.replied(scene.with_cosigner())
    scene.rate(lead_user, rehandling, "unsatisfied")                   # back with the unit: nobody rates now
    second = scene.replied(scene.with_cosigner())
    scene.rate(lead_user, second, "unsatisfied")
    scene.reply(second, scene.unit_user, result="B")                   # the second reply is rated afresh, by both
    scene.rate(cosigner_user, second, "basically")                     # … and now by the co-signer
    declined = scene.replied(scene.with_cosigner(confirm=False))       # the co-signer declined: only the lead
    invited = scene.replied(scene.with_cosigner(confirm=None))         # never answered the invitation: only the lead
    # 分办: two units reply separately; the lead deputy rates one of them
    s = scene.registered(scene.with_cosigner())
    separate = services.suggestion_assign(actor=staff, suggestion=s, separate=[scene.unit_org, scene.unit2])
    for a in separate:
        scene.reply(a, scene.unit_user if a.unit_id == scene.unit_org.pk else scene.unit2_user)
    scene.rate(lead_user, separate[0])
    # another deputy's suggestion merged (并案) into one that is then replied: its lead deputy evaluates that one
    merger_user = create_user_with_role(username="deputy4", password=PASSWORD, role=roles.DEPUTY, full_name="冯代表")
    make_deputy("冯代表", town_b, 4, user=merger_user)
    into = scene.registered(scene.with_cosigner())
    theirs = services.suggestion_create(actor=merger_user, title="关于增设公交站点的建议", content="建议在新村增设公交站点。",
                                        category=scene.flow.category, session=scene.flow.session)
    services.suggestion_submit(actor=merger_user, suggestion=theirs)
    services.suggestion_merge(actor=staff, suggestion=Suggestion.objects.get(pk=theirs.pk), into=into)
    (merged,) = services.suggestion_assign(actor=staff, suggestion=Suggestion.objects.get(pk=into.pk), lead=scene.unit_org)
    scene.reply(merged, scene.unit_user)

    def rep(a):
        return latest_reply(Assignment.objects.get(pk=a.pk))

    deputies = {"lead": lead_user, "cosigner": cosigner_user, "outsider": other_deputy_user, "merged lead": merger_user}
    for name, user in deputies.items():
        listed, allowed = set(selectors.replies_to_rate_for(user.deputy)), kernel_says(user)
        assert listed == allowed, (f"{name}: listed but not allowed {describe(listed - allowed)}, "
                                   f"allowed but not listed {describe(allowed - listed)}")

    # and the rule is the one intended, so that both cannot be wrong the same way
    assert kernel_says(lead_user) == {rep(replied), rep(second), rep(declined), rep(invited), rep(separate[1]), rep(merged)}
    assert kernel_says(cosigner_user) == {rep(replied), rep(rated_by_lead), rep(separate[0]), rep(separate[1]), rep(merged)}
    assert kernel_says(other_deputy_user) == set()
    assert kernel_says(merger_user) == {rep(merged)}
    assert rep(second).is_second_reply and Assignment.objects.get(pk=rehandling.pk).status == Assignment.Status.REHANDLING
