"""The demo seed's rating of appointed officials (called from supervision.demo.seed_supervision): last year's round of
eleven officials (the list drawn from the appointments in office, adjusted by staff), their duty reports (from the
organs' workspace, or typed in from paper), one poll each from paper ballots, the results (five 优秀, six below) and
the "一书两函" — six 提醒函 and the report to 区委; this year's round at 述职, the demo unit's official among those still
owing a report."""
import datetime

from congress import roles
from congress.models import Appointment, Organization, User
from supervision import services
from supervision.models import RatedOfficial, SatisfactionPoll
from supervision.workflows import RATED_OFFICIAL

C = SatisfactionPoll.Choice
SIZE = 11
NAMES = ["陈志刚", "林晓燕", "黄卫东", "吴建平", "徐丽华", "孙国强", "马俊", "朱红梅", "胡振华", "郭亮", "何静"]


def _report(official) -> str:
    return (f"本人自任{official.organization.name}{official.position}以来，认真学习贯彻宪法和法律，严格执行区人大及其常委会"
            "的决议决定，依法履行职责。一是围绕年度目标抓好分管工作落实；二是认真办理人大代表建议；三是严格遵守廉洁自律"
            "各项规定。存在的不足：调查研究不够深入，工作创新不够。下一步将认真改进。")


def _submit(official, staff) -> None:
    reporter = User.objects.filter(organization_id=official.organization_id, groups__name=roles.HANDLING_UNIT,
                                   is_active=True).first()
    if reporter is not None:
        services.rated_official_submit_report(actor=reporter, official=official, report=_report(official))
        return
    from django.utils import timezone

    # handed in on paper: staff type it in (past the "who" check on purpose: only the organ's account passes it)
    official.report, official.report_submitted_at = _report(official), timezone.now()
    RATED_OFFICIAL.apply_unchecked(official, "submit_report", actor=staff, reason="纸质述职报告，由机关工作人员录入",
                                   fields=["report", "report_submitted_at"])


def _trim(rnd, staff, keep: int, must=()) -> None:
    """Staff adjust the list to `keep` officials (those of `must` organizations stay)."""
    officials = list(rnd.officials.select_related("organization").order_by("id"))
    staying = [o for o in officials if o.organization_id in must][:keep]
    staying += [o for o in officials if o not in staying][:keep - len(staying)]
    extra = [o for o in officials if o not in staying]
    if extra:
        services.rating_round_adjust(actor=staff, rnd=rnd, remove=extra, note="经主任会议研究，确定本年度评议对象")


def _ballots(poll, staff, n: int) -> None:
    """Every member votes on paper; the marks give 优秀 to the first five, 称职 or 基本称职 to the others."""
    group = poll.groups.get(kind="members")
    voters = [v.deputy for v in poll.voters.select_related("deputy").filter(group=group)]
    size = len(voters)
    if n < 5:
        marks = {C.SATISFIED: size - size // 10, C.BASIC: size // 10, C.UNSATISFIED: 0}
    elif n < 10:
        marks = {C.SATISFIED: size // 2, C.BASIC: size - size // 2 - 1, C.UNSATISFIED: 1}
    else:
        marks = {C.SATISFIED: size * 3 // 10, C.BASIC: size * 4 // 10, C.UNSATISFIED: size - size * 7 // 10}
    services.poll_enter_paper(actor=staff, poll=poll, group=group, voters=voters, satisfied=marks[C.SATISFIED],
                              basic=marks[C.BASIC], unsatisfied=marks[C.UNSATISFIED])


def seed(seeder, rng, staff) -> None:
    today = seeder.today
    demo_unit = User.objects.filter(username="unit").values_list("organization_id", flat=True).first()
    from supervision.selectors_ratings import appointments_in_office

    if demo_unit and not any(a.organization_id == demo_unit for a in appointments_in_office(today)):
        unit = Organization.objects.get(pk=demo_unit)
        Appointment.objects.create(term=seeder.term, person_name="周建国", kind=Appointment.Kind.APPOINT,
                                   position="局长", organization=unit, decided_on=today - datetime.timedelta(days=700),
                                   law_exam_score=90, law_exam_passed=True, statement_made=True)
    from django.conf import settings

    # a small demo may have fewer officials in office than a round rates: appointed earlier in the term
    missing = SIZE - len(appointments_in_office(today))
    for n, organ in enumerate(seeder.departments[:max(missing, 0)]):
        Appointment.objects.create(term=seeder.term, person_name=NAMES[n % len(NAMES)], kind=Appointment.Kind.APPOINT,
                                   position="副局长", organization=organ, decided_on=today - datetime.timedelta(days=600),
                                   law_exam_score=85, law_exam_passed=True, statement_made=True)

    district = Organization.objects.get_or_create(name=settings.CONGRESS_RULES["RATING_SUMMARY_ADDRESSEE"],
                                                  defaults={"kind": Organization.Kind.OTHER, "sort_order": 1})[0]

    # last year's round, done
    rnd = services.rating_round_create(actor=staff, term=seeder.term, year=today.year - 1)
    _trim(rnd, staff, SIZE, must={demo_unit})
    rnd = services.rating_round_start_reporting(actor=staff, rnd=rnd, due=today)
    for official in rnd.officials.select_related("organization").order_by("id"):
        _submit(official, staff)
    from congress.models import Meeting

    meeting = (Meeting.objects.filter(term=seeder.term, kind=Meeting.Kind.STANDING, date__lte=today).order_by("-date")
               .first())
    rnd = services.rating_round_start_polling(actor=staff, rnd=rnd, meeting=meeting)
    for n, official in enumerate(RatedOfficial.objects.filter(round=rnd).select_related("poll").order_by("id")):
        poll = services.poll_open(actor=staff, poll=official.poll)
        _ballots(poll, staff, n)
        poll = services.poll_close(actor=staff, poll=poll)
        services.poll_publish(actor=staff, poll=poll)
    rnd = services.rating_round_confirm(actor=staff, rnd=rnd)
    services.rating_round_send_letters(actor=staff, rnd=rnd, addressee=district)

    # this year's: at 述职, some reports in
    rnd = services.rating_round_create(actor=staff, term=seeder.term, year=today.year)
    _trim(rnd, staff, SIZE, must={demo_unit})
    rnd = services.rating_round_start_reporting(actor=staff, rnd=rnd, due=today + datetime.timedelta(days=12))
    for n, official in enumerate(rnd.officials.select_related("organization").order_by("id")):
        if n % 3 == 0 and official.organization_id != demo_unit:
            _submit(official, staff)
