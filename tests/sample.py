"""One row of every model, all in one town, for tests that walk every page."""
import datetime

from congress.lib.idcard import check_digit
from congress.models import (
    AgendaItem,
    Appointment,
    CalendarDay,
    CongressSession,
    HolidaySchedule,
    Meeting,
    Organization,
    StateChange,
    Term,
)
from deputies.models import (
    Constituency,
    Delegation,
    Deputy,
    DeputyGroup,
    DeputyGroupMembership,
    DutyActivity,
    DutyActivityParticipant,
    DutyActivityType,
    Mandate,
    PersonalDataView,
)
from stations.models import (
    ReceptionDay,
    ReceptionDuty,
    Station,
    StationAppraisal,
    StationDeputy,
    VoterOpinion,
)


def sample_id_number(number: int) -> str:
    """A valid, distinct ID number per sample (GB 11643 check digit)."""
    first17 = f"320602199003{number % 28 + 1:02d}{number // 28 % 1000:03d}"
    return first17 + check_digit(first17)


def make_sample(*, town: Organization, term: Term, number: int = 0, user=None, suggestions: bool = True) -> dict:
    """Rows for `town`; `number` keeps names unique when called for several towns."""
    org = Organization.objects.create(name=f"区教育局{number}", kind=Organization.Kind.DEPARTMENT, is_handling_unit=True)
    session = CongressSession.objects.create(term=term, number=1 + number, start_date=datetime.date(2022, 1, 5),
                                             end_date=datetime.date(2022, 1, 8))
    meeting = Meeting.objects.create(term=term, kind=Meeting.Kind.STANDING, number=1 + number,
                                     date=datetime.date(2022, 3, 1))
    agenda = AgendaItem.objects.create(meeting=meeting, order=1, title="听取和审议区政府关于教育工作情况的报告",
                                       reporting_organization=org)
    appointment = Appointment.objects.create(term=term, meeting=meeting, person_name="陈明", kind=Appointment.Kind.APPOINT,
                                             position="局长", organization=org, decided_on=datetime.date(2022, 3, 1))
    suffix = str(number) if number else ""
    constituency = Constituency.objects.create(term=term, number=1 + number, name=f"{town.name}第一选区", town=town)
    delegation = Delegation.objects.create(term=term, name=f"{town.name}代表团{suffix}", town=town)
    deputy = Deputy.objects.create(full_name="张建国", gender="M", birth_date=datetime.date(1990, 3, 7),
                                   id_number=sample_id_number(number), phone="13800138000", town=town)
    mandate = Mandate.objects.create(deputy=deputy, level=Mandate.Level.DISTRICT, term=term, constituency=constituency,
                                     delegation=delegation, start_date=datetime.date(2021, 10, 1))
    group = DeputyGroup.objects.create(term=term, name=f"{town.name}代表小组{suffix}", town=town)
    membership = DeputyGroupMembership.objects.create(group=group, deputy=deputy, role="leader")
    activity_type, _ = DutyActivityType.objects.get_or_create(name="视察")
    activity = DutyActivity.objects.create(title="视察城区学校建设", activity_type=activity_type,
                                           date=datetime.date(2024, 5, 10), place=town.name)
    participant = DutyActivityParticipant.objects.create(activity=activity, deputy=deputy)
    station = Station.objects.create(name=f"{town.name}代表联络站{suffix}", kind=Station.Kind.LIAISON, town=town, address="人民路1号")
    station_deputy = StationDeputy.objects.create(station=station, deputy=deputy)
    reception = ReceptionDay.objects.create(station=station, date=datetime.date(2024, 6, 15), starts_at=datetime.time(9),
                                            ends_at=datetime.time(11), status=ReceptionDay.Status.HELD, visitor_count=12)
    reception_duty = ReceptionDuty.objects.create(reception=reception, deputy=deputy)
    reception.visiting_units.add(org)
    opinion = VoterOpinion.objects.create(tracking_code=f"SAMPLE{number:04d}", station=station, content="小区路灯坏了",
                                          phone="13900139000")
    StateChange.objects.create(workflow="opinion", object_id=opinion.pk, thread=f"opinion:{opinion.pk}", action="submit",
                               to_state=opinion.status)
    appraisal = StationAppraisal.objects.create(station=station, year=2024, stars=4, score=88, status="confirmed", is_legacy=True,
                                                appraised_on=datetime.date(2025, 1, 20))
    # (transaction=True tests start from a flushed database, without the migration's holidays)
    holiday = CalendarDay.objects.order_by("pk").first() or CalendarDay(
        date=datetime.date(2026, 10, 1), kind=CalendarDay.Kind.HOLIDAY, name="国庆节")
    holiday.save()  # a history row for the audit lists (the migration loaded the days in bulk)
    schedule = HolidaySchedule.objects.filter(year=holiday.date.year).first() or HolidaySchedule(year=holiday.date.year)
    schedule.save()  # likewise for the years whose schedule is entered
    rows = dict(calendarday=holiday,
                organization=org, congresssession=session, meeting=meeting, agendaitem=agenda, appointment=appointment,
                constituency=constituency, delegation=delegation, deputy=deputy, mandate=mandate, deputygroup=group,
                deputygroupmembership=membership, dutyactivitytype=activity_type, dutyactivity=activity,
                dutyactivityparticipant=participant, station=station, stationdeputy=station_deputy, term=term,
                receptionday=reception, receptionduty=reception_duty, voteropinion=opinion,
                stationappraisal=appraisal)
    if user is not None:
        rows["personaldataview"] = PersonalDataView.objects.create(user=user, deputy=deputy)
    if suggestions:
        rows.update(make_suggestion_sample(town=town, session=session, deputy=deputy, delegation=delegation, unit=org,
                                           user=user))
    return rows


def make_suggestion_sample(*, town, session, deputy, delegation, unit, user=None) -> dict:
    """A pre-submitted suggestion of `town` (first, so town staff can open it), a closed one with its assignment,
    reply, evaluation and transitions, a category and a proposal — written directly, with history rows."""
    from congress.models import User
    from proposals.models import Assignment, Evaluation, Proposal, Reply, Suggestion, SuggestionCategory

    actor = user or User.objects.get_or_create(username="sample_system", defaults={"full_name": "样例数据"})[0]
    category, _ = SuggestionCategory.objects.get_or_create(name="城乡建设")
    pre = Suggestion.objects.create(term=session.term, session=session, title="关于改造城区排水管网的建议",
                                    content="雨季积水严重，建议改造排水管网。", category=category, lead_deputy=deputy,
                                    town=town, status=Suggestion.Status.PRESUBMITTED)
    done = Suggestion.objects.create(term=session.term, session=session, serial=1, title="关于加快老旧小区加装电梯的建议",
                                     content="老年居民上下楼困难。", category=category, lead_deputy=deputy,
                                     status=Suggestion.Status.CLOSED, assigned_on=datetime.date(2022, 1, 20))
    done.number = done.format_number(1)
    done.save(update_fields=["number"])
    assignment = Assignment.objects.create(
        suggestion=done, unit=unit, role=Assignment.Role.LEAD, status=Assignment.Status.REPLIED,
        assigned_on=datetime.date(2022, 1, 20), due_date=datetime.date(2022, 4, 20),
        send_back_until=datetime.date(2022, 1, 29), first_replied_on=datetime.date(2022, 4, 1), result="A")
    reply = Reply.objects.create(assignment=assignment, letter="suggestions/replies/sample.pdf", result="A",
                                 replied_on=datetime.date(2022, 4, 1), replied_by=actor, publishable=True)
    evaluation = Evaluation.objects.create(reply=reply, deputy=deputy, rating=Evaluation.Rating.SATISFIED,
                                           entered_by=actor)
    transition = StateChange.objects.create(workflow="suggestion", object_id=done.pk, thread=f"suggestion:{done.pk}",
                                            action="close", from_state="replied", to_state="closed", actor=actor)
    proposal = Proposal.objects.create(session=session, serial=1, title="关于制定养老服务条例的议案", content="内容",
                                       delegation=delegation, lead_deputy=deputy)
    return dict(suggestion=pre, closed_suggestion=done, assignment=assignment, reply=reply, evaluation=evaluation,
                statechange=transition, suggestioncategory=category, proposal=proposal)
