"""Building rating rounds for the tests: appointments (some since removed), a round taken through the services to any
phase, polls voted by the members with given marks."""
import datetime

from congress.models import Appointment, Meeting, Organization
from supervision import services
from supervision.models import RatedOfficial, RatingRound, SatisfactionPoll

R = RatingRound.Status
C = SatisfactionPoll.Choice
YEAR = 2026
REPORT = "本人任职以来，认真履行职责，依法行政，执行常委会的决议决定，廉洁自律，现将履职情况报告如下。"


def appoint(term, organization, name, position="副局长", kind=Appointment.Kind.APPOINT, day=datetime.date(2022, 3, 1)):
    return Appointment.objects.create(term=term, person_name=name, kind=kind, position=position,
                                      organization=organization, decided_on=day)


def round_in(state, *, staff, term, unit_users=(), members=(), marks=None, meeting=None, year=YEAR):
    """A round of the appointments in office, taken to `state`. The organs' users submit the reports; from 测评 on,
    each official's poll is opened, and from 结果已确认 on the members vote (`marks[i]`: the marks of official i's
    poll, default all 满意) and the polls are closed."""
    order = [R.PREPARING, R.REPORTING, R.POLLING, R.CONFIRMED, R.LETTERS_SENT]
    target = order.index(state)
    rnd = services.rating_round_create(actor=staff, term=term, year=year)
    if target >= 1:
        rnd = services.rating_round_start_reporting(actor=staff, rnd=rnd, due=datetime.date.today() + datetime.timedelta(days=20))
    if target >= 2:
        by_org = {u.organization_id: u for u in unit_users}
        for official in rnd.officials.all():
            services.rated_official_submit_report(actor=by_org[official.organization_id], official=official, report=REPORT)
        meeting = meeting or Meeting.objects.create(term=term, kind=Meeting.Kind.STANDING, number=year % 1000,
                                                    date=datetime.date.today())
        rnd = services.rating_round_start_polling(actor=staff, rnd=rnd, meeting=meeting)
    if target >= 3:
        for i, official in enumerate(rnd.officials.order_by("id")):
            poll = services.poll_open(actor=staff, poll=official.poll)
            for deputy, mark in zip(members, (marks or {}).get(i) or [C.SATISFIED] * len(members), strict=False):
                services.poll_vote(actor=deputy.user, poll=poll, choice=mark)
            services.poll_close(actor=staff, poll=poll)
        rnd = services.rating_round_confirm(actor=staff, rnd=rnd)
    if target >= 4:
        district = Organization.objects.get_or_create(name="中共江海区委员会", defaults={"kind": Organization.Kind.OTHER})[0]
        rnd = services.rating_round_send_letters(actor=staff, rnd=rnd, addressee=district)
    return RatingRound.objects.get(pk=rnd.pk)


def officials(rnd):
    return list(RatedOfficial.objects.filter(round=rnd).order_by("id"))
