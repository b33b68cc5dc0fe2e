"""One row of every model, all in one town, for tests that walk every page."""
import datetime

from congress.lib.idcard import check_digit
from congress.models import AgendaItem, Appointment, CalendarDay, CongressSession, Meeting, Organization, Term
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
from stations.models import Station, StationDeputy


def sample_id_number(number: int) -> str:
    """A valid, distinct ID number per sample (GB 11643 check digit)."""
    first17 = f"320602199003{number % 28 + 1:02d}{number // 28 % 1000:03d}"
    return first17 + check_digit(first17)


def make_sample(*, town: Organization, term: Term, number: int = 0, user=None) -> dict:
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
    # (transaction=True tests start from a flushed database, without the migration's holidays)
    holiday = CalendarDay.objects.order_by("pk").first() or CalendarDay(
        date=datetime.date(2026, 10, 1), kind=CalendarDay.Kind.HOLIDAY, name="国庆节")
    holiday.save()  # a history row for the audit lists (the migration loaded the days in bulk)
    rows = dict(calendarday=holiday,
                organization=org, congresssession=session, meeting=meeting, agendaitem=agenda, appointment=appointment,
                constituency=constituency, delegation=delegation, deputy=deputy, mandate=mandate, deputygroup=group,
                deputygroupmembership=membership, dutyactivitytype=activity_type, dutyactivity=activity,
                dutyactivityparticipant=participant, station=station, stationdeputy=station_deputy, term=term)
    if user is not None:
        rows["personaldataview"] = PersonalDataView.objects.create(user=user, deputy=deputy)
    return rows
