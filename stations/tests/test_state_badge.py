"""The state badge (congress.templatetags.workflow.state_badge) writes what its former inclusion template wrote: the
tone as a class, an optional id (escaped), the state's label (escaped); nothing for an object without a workflow."""
import pytest
from django.template import Context, Template

from stations.models import Station, StationAppraisal, VoterOpinion

pytestmark = pytest.mark.django_db

FORMER = ('<span class="status{% if tone %} {{ tone }}{% endif %}"{% if element_id %} id="{{ element_id }}"{% endif %}>'
          '{{ label }}</span>\n')


def former(obj, element_id=""):
    from congress.lib.workflow import workflow_of

    flow = workflow_of(obj)
    value = getattr(obj, flow.field) if flow else ""
    return Template(FORMER).render(Context({"tone": flow.tone(value) if flow else "",
                                            "label": flow.state_label(value) if flow else "", "element_id": element_id}))


def badge(obj, element_id=""):
    return Template('{% load workflow %}{% state_badge obj element_id %}').render(Context({"obj": obj,
                                                                                          "element_id": element_id}))


@pytest.mark.parametrize("status", [s for s, _ in StationAppraisal.Status.choices])
def test_each_state_of_a_workflow_as_before(station_a, status):
    appraisal = StationAppraisal(station=station_a, year=2026, status=status)
    assert badge(appraisal) == former(appraisal)
    assert badge(appraisal, 'x"<y>') == former(appraisal, 'x"<y>')
    assert 'id="x&quot;&lt;y&gt;"' in badge(appraisal, 'x"<y>')


def test_a_tone_and_no_tone_and_no_workflow(station_a):
    opinion = VoterOpinion(station=station_a, content="路灯坏了很久没人修", status=VoterOpinion.Status.RECEIVED)
    assert badge(opinion, "state") == former(opinion, "state")
    confirmed = StationAppraisal(station=station_a, year=2026, status=StationAppraisal.Status.CONFIRMED)
    assert badge(confirmed).startswith('<span class="status green">')
    draft = StationAppraisal(station=station_a, year=2026, status=StationAppraisal.Status.DRAFT)
    assert badge(draft).startswith('<span class="status">')
    plain = Station(name="城东联络站", kind=Station.Kind.LIAISON, town=station_a.town, address="路")
    assert badge(plain) == former(plain) == '<span class="status"></span>\n'
