"""A livelihood round to test with: a session of the term, proposals with owner organs, shortlisted and (on request)
voting or further on."""
import datetime

from congress.models import CongressSession
from supervision import services
from supervision.demo_livelihood import TITLES  # noqa: F401  (the demo's candidates)
from supervision.models import LivelihoodRound

S = LivelihoodRound.Status


def make_session(term, number=1, start=None):
    start = start or datetime.date.today() - datetime.timedelta(days=30)
    return CongressSession.objects.create(term=term, number=number, start_date=start,
                                          end_date=start + datetime.timedelta(days=3))


def make_round(staff, term, owner, *, candidates=5, places=3, status=S.SHORTLISTED, session=None):
    """A round of `candidates` proposals from voters' opinions, each owned by `owner`; shortlisted (numbered 1…n in the
    order proposed) and moved on as far as `status` (voting: opened)."""
    session = session or make_session(term)
    round_ = services.livelihood_round_create(actor=staff, session=session, year=datetime.date.today().year, places=places)
    projects = [services.livelihood_propose(actor=staff, round_=round_, title=TITLES[n % len(TITLES)], organization=owner,
                                            source_note="城东街道联络站") for n in range(candidates)]
    if status == S.COLLECTING:
        return round_
    round_ = services.livelihood_shortlist(actor=staff, round_=round_, projects=projects)
    if status == S.VOTING:
        round_ = services.livelihood_open(actor=staff, round_=round_)
    return round_


def numbered(round_) -> dict:
    return {p.number: p for p in round_.projects.filter(number__isnull=False)}
