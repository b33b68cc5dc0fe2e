"""Demo data for the fictional 江海区: the institution, about 1,400 deputies, their groups and stations, a few
years of duty activities, and one login per role.

The same call always produces the same data: every phase draws from its own random.Random seeded from SEED, so
a phase whose size depends on today's date (meetings, activity dates) cannot shift the names and ID numbers of
another. `factor` multiplies the bulk rows (deputies, stations, activities …) for load tests; the institution
itself (15 towns, ~30 departments, meetings) stays the size of one district.

Rows are written with bulk_create in batches and activities in chunks, so memory stays bounded at factor 100,
and no django-simple-history rows are written: the seed is not anybody's action and must not fill the audit log.
"""
import bisect
import contextlib
import datetime
import io
import itertools
import math
import random
import time
from collections import defaultdict
from collections.abc import Iterator
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import connection, reset_queries, transaction
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce

from congress import roles
from congress.demo import data
from congress.lib.cn import chinese_number
from congress.lib.idcard import check_digit
from congress.models import AgendaItem, Appointment, CongressSession, Meeting, Organization, Term, User
from congress.services import create_user_with_role, user_set_managed_towns
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
)
from stations.models import ReceptionDay, ReceptionDuty, Station, StationAppraisal, StationDeputy, VoterOpinion

SEED = 2026
SCALES = {"district": 1.0, "city": 10.0, "province": 100.0}
BATCH = 2000
ACTIVITY_CHUNK = 5000  # activities held in memory at once, with their participants
TODAY = None  # tests may pin "today"; None means the real date

TZ = ZoneInfo("Asia/Shanghai")
TERM17_START = datetime.date(2021, 10, 12)
TERM16_START = datetime.date(2016, 10, 10)
ACTIVITIES_FROM = datetime.date(2022, 1, 1)
# PositiveSmallIntegerField is a smallint on PostgreSQL; constituency numbers must stay below 32767.
MAX_CONSTITUENCIES = 30000
STATION_DEPUTY_COLUMNS = ["station_id", "deputy_id", "since", "is_resident"]
PARTICIPANT_COLUMNS = ["activity_id", "deputy_id", "attendance", "confirmed_at"]
MANDATE_COLUMNS = ["deputy_id", "level", "term_id", "term_label", "constituency_id", "delegation_id", "status",
                   "start_date", "end_date", "end_reason"]
PHONE_PREFIXES = [f"13{d}" for d in range(10)] + [f"15{d}" for d in "012356789"] + [f"18{d}" for d in range(10)]


def rng_for(phase: str) -> random.Random:
    """One generator per phase, all derived from SEED (string seeds hash deterministically across runs)."""
    return random.Random(f"{SEED}:{phase}")


def today() -> datetime.date:
    return TODAY or datetime.date.today()


class Weighted:
    """rng.choices with the cumulative weights computed once (it is called a million times at province scale)."""

    def __init__(self, pairs):
        self.values = [value for value, _ in pairs]
        self.cum = list(itertools.accumulate(weight for _, weight in pairs))

    def __call__(self, rng: random.Random):
        return rng.choices(self.values, cum_weights=self.cum)[0]


SURNAME = Weighted(data.SURNAMES)
OCCUPATION_DISTRICT = Weighted(data.OCCUPATION_WEIGHTS)
# Town congresses have more farmers, workers and village cadres than the district congress.
OCCUPATION_TOWN = Weighted([("official", 8), ("enterprise", 12), ("professional", 14), ("worker", 16),
                            ("farmer", 24), ("grassroots", 20), ("other", 6)])
PARTY = Weighted(data.PARTY_WEIGHTS)
EDUCATION = Weighted(data.EDUCATION_WEIGHTS)
ETHNICITY = Weighted(data.ETHNICITIES)
APPOINTMENT_KIND = Weighted(data.APPOINTMENT_KINDS)
ACTIVITY_TYPE = Weighted(list(zip(data.ACTIVITY_TYPES, data.ACTIVITY_WEIGHTS, strict=True)))
BIRTH_FROM = datetime.date(1960, 1, 1)
BIRTH_DAYS = (datetime.date(1995, 12, 31) - BIRTH_FROM).days + 1


# ---------------------------------------------------------------- pure generators (no database)

def chinese_name(rng: random.Random, female: bool) -> str:
    surname = SURNAME(rng)
    pool = data.GIVEN_FEMALE if female else data.GIVEN_MALE
    # Compound surnames take a one-character given name so every name stays two or three characters long.
    if len(surname) > 1 or rng.random() < 0.3:
        return surname + rng.choice(pool)
    return surname + rng.choice(pool) + rng.choice(pool)


def id_number(rng: random.Random, birth: datetime.date, female: bool, taken: set) -> str:
    """GB 11643: area code, birth date, a sequence whose last digit is odd for men, even for women, check digit."""
    while True:
        sequence = rng.randrange(100) * 10 + rng.randrange(0 if female else 1, 10, 2)
        first17 = f"{rng.choice(data.AREA_CODES)}{birth:%Y%m%d}{sequence:03d}"
        number = first17 + check_digit(first17)
        if number not in taken:
            taken.add(number)
            return number


def mobile(rng: random.Random) -> str:
    return rng.choice(PHONE_PREFIXES) + f"{rng.randrange(10 ** 8):08d}"


def community(rng: random.Random) -> str:
    return rng.choice(data.PLACE_FIRST) + rng.choice(data.PLACE_SECOND)


def company(rng: random.Random) -> str:
    return rng.choice(data.COMPANY_PREFIXES) + rng.choice(data.COMPANY_INDUSTRIES) + rng.choice(data.COMPANY_SUFFIXES)


def workplace(rng: random.Random, occupation: str, town: str) -> tuple[str, str]:
    """(工作单位, 职务职称) consistent with the deputy's 代表构成."""
    fill = {"town": town, "community": community(rng), "company": company(rng),
            "dept": "江海" + rng.choice(data.DEPARTMENTS), "school": rng.choice(data.SCHOOLS),
            "hospital": rng.choice(data.HOSPITALS), "lawfirm": rng.choice(data.LAW_FIRMS)}
    if occupation == "enterprise":
        return fill["company"], rng.choice(data.ENTERPRISE_JOBS)
    if occupation == "worker":
        return fill["company"], rng.choice(data.WORKER_JOBS)
    if occupation == "farmer":
        return f"{town}{fill['community']}村", rng.choice(data.FARMER_JOBS)
    table = {"official": data.OFFICIAL_JOBS, "professional": data.PROFESSIONAL_JOBS,
             "grassroots": data.GRASSROOTS_JOBS, "military": data.MILITARY_JOBS}.get(occupation, data.OTHER_JOBS)
    place, job = rng.choice(table)
    return place.format(**fill), job


def person(rng: random.Random, taken: set, *, town: str, level: str) -> dict:
    """One deputy's personal data. About three in ten district deputies are women, a little more in towns."""
    female = rng.random() < (0.30 if level == "district" else 0.36)
    birth = BIRTH_FROM + datetime.timedelta(days=rng.randrange(BIRTH_DAYS))
    occupation = (OCCUPATION_DISTRICT if level == "district" else OCCUPATION_TOWN)(rng)
    place, job = workplace(rng, occupation, town)
    return {
        "full_name": chinese_name(rng, female), "gender": "F" if female else "M", "birth_date": birth,
        "id_number": id_number(rng, birth, female, taken), "ethnicity": ETHNICITY(rng), "party": PARTY(rng),
        "education": EDUCATION(rng), "occupation": occupation, "workplace": place, "job_title": job,
        "phone": mobile(rng),
    }


def people(rng: random.Random, count: int, *, town: str = "城东街道", level: str = "district") -> list[dict]:
    taken: set = set()
    return [person(rng, taken, town=town, level=level) for _ in range(count)]


def apportion(total: int, weights: list[int]) -> list[int]:
    """Split total by weights with the largest-remainder method, so the parts add up exactly."""
    whole = sum(weights)
    exact = [total * w / whole for w in weights]
    parts = [math.floor(x) for x in exact]
    for i in sorted(range(len(weights)), key=lambda i: (parts[i] - exact[i], i))[: total - sum(parts)]:
        parts[i] += 1
    return parts


def place_names(rng: random.Random) -> Iterator[str]:
    """Distinct community or village names for one town: two-character names first, then 一村, 二村 … variants."""
    base = [a + b for a in data.PLACE_FIRST for b in data.PLACE_SECOND]
    rng.shuffle(base)
    yield from base
    for suffix in "新一二三四五六七八九十":
        yield from (name + suffix for name in base)


def january_session(year: int) -> datetime.date:
    """The district congress meets each January (the day moves a little from year to year)."""
    return datetime.date(year, 1, 6 + year % 7)


def next_session_start(today: datetime.date) -> datetime.date:
    """The coming session of the current term, some weeks after `today` whatever day the seed runs: January's session
    when it is three to ten weeks away, else an extra session five weeks on (the demo must always have one to
    pre-submit suggestions for and to ask leave from)."""
    for year in (today.year, today.year + 1):
        start = january_session(year)
        if today + datetime.timedelta(weeks=3) <= start <= today + datetime.timedelta(weeks=10):
            return start
    return today + datetime.timedelta(weeks=5)


def random_date(rng: random.Random, start: datetime.date, end: datetime.date) -> datetime.date:
    # One draw whatever the span, so a later "today" moves dates without shifting the rest of the sequence.
    return start + datetime.timedelta(days=int(rng.random() * ((end - start).days + 1)))


# ---------------------------------------------------------------- the seeder

def insert_rows(model, columns: list[str], rows: list[tuple]) -> None:
    """Write plain tuples without building model instances: for the big link tables (mandates, participants …)
    whose ids nobody needs back, Django's per-object work in bulk_create costs more than the database does.
    PostgreSQL gets COPY; other databases one executemany. Values must already be in database form, except
    dates and booleans, which are converted here."""
    if not rows:
        return
    table = connection.ops.quote_name(model._meta.db_table)
    names = ", ".join(connection.ops.quote_name(c) for c in columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql" and hasattr(cursor.cursor, "copy_expert"):
            # COPY text format: tab-separated, \N for NULL (the seed's strings hold no tabs or newlines).
            text = "\n".join("\t".join("\\N" if v is None else "t" if v is True else "f" if v is False else str(v)
                                       for v in row) for row in rows)
            cursor.cursor.copy_expert(f"COPY {table} ({names}) FROM STDIN", io.StringIO(text + "\n"))
        else:
            plain = [tuple(v.isoformat() if isinstance(v, datetime.date) else int(v) if isinstance(v, bool) else v
                           for v in row) for row in rows]
            placeholders = ", ".join(["%s"] * len(columns))
            cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({placeholders})", plain)


def password_hashes(passwords: list[str]) -> list[str]:
    """The demo logins' password hashes, two at a time: the production hasher is slow on purpose (most of the
    accounts phase), and hashlib's PBKDF2 releases the GIL, so two threads take half the time on two cores."""
    from concurrent.futures import ThreadPoolExecutor

    from django.contrib.auth.hashers import make_password

    with ThreadPoolExecutor(max_workers=2) as pool:
        return list(pool.map(make_password, passwords))


@contextlib.contextmanager
def _no_query_log():
    """With DEBUG on (the demo runs so), Django keeps every SQL text and, on SQLite, quotes every parameter of
    every bulk insert once more to log it; at province scale that is gigabytes and doubles the time."""
    debug = settings.DEBUG
    settings.DEBUG = False
    try:
        yield
    finally:
        settings.DEBUG = debug
        reset_queries()


class Seeder:
    def __init__(self, factor: float, stdout=None):
        self.factor = factor
        self.stdout = stdout
        self.timings: list[tuple[str, float]] = []
        self.today = today()

    def n(self, base: int, minimum: int = 1) -> int:
        return max(minimum, round(base * self.factor))

    def say(self, text: str) -> None:
        if self.stdout is not None:
            self.stdout.write(text)

    @contextlib.contextmanager
    def phase(self, name: str):
        started = time.monotonic()
        yield
        seconds = time.monotonic() - started
        self.timings.append((name, seconds))
        self.say(f"  {name}：{seconds:.1f} 秒")

    def run(self) -> dict:
        with self.phase("届次与人代会会议"):
            self.terms_and_sessions()
        with self.phase("单位"):
            self.organizations()
        with self.phase("常委会会议、主任会议与议题"):
            self.meetings()
        with self.phase("人事任免"):
            self.appointments()
        with self.phase("选区、代表团与代表"):
            self.deputies()
        with self.phase("代表小组"):
            self.groups()
        with self.phase("家站点与进站代表"):
            self.stations()
        with self.phase("履职活动"):
            self.activities()
        with self.phase("演示账号"):
            accounts = self.accounts()
        with self.phase("积分规则、排名、请假与述职"):
            self.portal()
        with self.phase("代表建议与议案"):
            self.suggestions()
        with self.phase("接待选民日"):
            self.receptions()
        with self.phase("社情民意"):
            self.opinions()
        with self.phase("星级评定"):
            self.appraisals()
        with self.phase("国家机关进家站点"):
            from stations.demo_organs import seed as seed_organs

            seed_organs(self, rng_for("organs"), self.today)
        with self.phase("监督工作（组成人员、满意度测评、整改事项）"):
            self.supervision()
        with self.phase("工作月报与年度工作报告"):
            self.reports()
        return {"skipped": False, "counts": counts(), "timings": self.timings, "accounts": accounts}

    # -- the institution

    def terms_and_sessions(self):
        self.term16 = Term.objects.create(number=16, start_date=TERM16_START,
                                          end_date=TERM17_START - datetime.timedelta(days=1))
        self.term = Term.objects.create(number=17, start_date=TERM17_START, is_current=True)
        place = "江海区人民会堂"
        # The first session opens the term; later ones meet each January (2020's was delayed to May).
        starts16 = [TERM16_START, datetime.date(2017, 1, 9), datetime.date(2018, 1, 15), datetime.date(2019, 1, 14),
                    datetime.date(2020, 5, 11), datetime.date(2021, 1, 11)]
        starts17 = [TERM17_START] + [january_session(year) for year in range(2022, self.today.year + 1)]
        sessions = []
        for term, starts in ((self.term16, starts16), (self.term, starts17)):
            for number, start in enumerate(starts, 1):
                if start <= self.today:
                    sessions.append(CongressSession(term=term, number=number, start_date=start,
                                                    end_date=start + datetime.timedelta(days=2), place=place))
        self.session_count = sum(1 for s in sessions if s.term is self.term)
        # The coming session: deputies pre-submit suggestions for it and ask for leave from it.
        start = next_session_start(self.today)
        self.next_session = CongressSession(term=self.term, number=self.session_count + 1, start_date=start,
                                            end_date=start + datetime.timedelta(days=2), place=place)
        sessions.append(self.next_session)
        CongressSession.objects.bulk_create(sessions)

    def organizations(self):
        rng = rng_for("organizations")

        def contact():
            return chinese_name(rng, rng.random() < 0.5)

        government = Organization.objects.create(
            name="区人民政府", short_name="区政府", kind=Organization.Kind.STATE_ORGAN, is_handling_unit=True,
            sort_order=1, code="JH-G001", contact_person=contact(), phone="0523-86001001",
            address="江海区人民路1号")
        rows = [Organization(name=name, short_name=name.removeprefix("区"), kind=Organization.Kind.STATE_ORGAN,
                             is_handling_unit=True, sort_order=i, code=f"JH-G{i:03d}", contact_person=contact(),
                             phone=f"0523-8600{i:04d}",
                             address=f"江海区{rng.choice(data.ROADS)}{rng.randrange(1, 300)}号")
                for i, name in enumerate(data.STATE_ORGANS[1:], 2)]
        rows += [Organization(name=name, short_name=name.removeprefix("区"), kind=Organization.Kind.DEPARTMENT,
                              parent=government, is_handling_unit=True, sort_order=i, code=f"JH-D{i:03d}",
                              contact_person=contact(), phone=f"0523-8610{i:04d}",
                              address=f"江海区{rng.choice(data.ROADS)}{rng.randrange(1, 300)}号")
                 for i, name in enumerate(data.DEPARTMENTS, 1)]
        rows += [Organization(name=name, short_name=name[:-2], kind=kind, sort_order=i, code=f"JH-T{i:03d}",
                              contact_person=contact(), phone=f"0523-8620{i:04d}",
                              address=f"江海区{name}{rng.choice(data.ROADS)}{rng.randrange(1, 300)}号")
                 for i, (name, kind, _) in enumerate(data.TOWNS, 1)]
        rows += [Organization(name=name, short_name=short, kind=Organization.Kind.WORKING_BODY, sort_order=i,
                              code=f"JH-W{i:03d}", contact_person=contact(), phone=f"0523-8630{i:04d}",
                              address="江海区人民路1号区人大常委会机关")
                 for i, (name, short) in enumerate(data.WORKING_BODIES, 1)]
        Organization.objects.bulk_create(rows, batch_size=BATCH)
        by_name = {o.name: o for o in Organization.objects.all()}
        self.orgs = by_name
        self.towns = [by_name[name] for name, _, _ in data.TOWNS]
        self.town_weights = [weight for _, _, weight in data.TOWNS]
        self.working_bodies = [by_name[name] for name, _ in data.WORKING_BODIES]
        self.departments = [by_name[name] for name in data.DEPARTMENTS]

    def meetings(self):
        rng = rng_for("meetings")
        meetings, agendas = [], []
        standing_dates = [TERM17_START + datetime.timedelta(days=2)]
        month = datetime.date(2021, 12, 1)
        while True:
            # Standing committee every second month near its end; the chairpersons' council every month mid-month.
            day = month.replace(day=rng.randint(20, 28))
            if day > self.today:
                break
            standing_dates.append(day)
            month = (month + datetime.timedelta(days=62)).replace(day=1)
        next_standing = max(day, self.today + datetime.timedelta(days=7))
        council_dates = []
        month = datetime.date(2021, 10, 1)
        while True:
            day = month.replace(day=rng.randint(10, 18))
            if day > self.today:
                break
            if day > TERM17_START:
                council_dates.append(day)
            month = (month + datetime.timedelta(days=32)).replace(day=1)
        for number, day in enumerate(standing_dates, 1):
            meetings.append(Meeting(term=self.term, kind=Meeting.Kind.STANDING, number=number, date=day,
                                    place="区人大常委会第一会议室"))
        for number, day in enumerate(council_dates, 1):
            meetings.append(Meeting(term=self.term, kind=Meeting.Kind.COUNCIL, number=number, date=day,
                                    place="区人大常委会第二会议室"))
        Meeting.objects.bulk_create(meetings, batch_size=BATCH)
        self.standing = [m for m in meetings if m.kind == Meeting.Kind.STANDING]
        for meeting in meetings:
            year = meeting.date.year
            # A council meeting prepares the next standing committee meeting, hence the number after its date.
            upcoming = bisect.bisect_right(standing_dates, meeting.date) + 1
            fill = {"year": year, "prev": year - 1, "next_year": year + 1, "topic": rng.choice(data.ACTIVITY_TOPICS),
                    "law": rng.choice(data.LAWS), "n": chinese_number(upcoming),
                    "next_session": chinese_number(min(self.session_count + 1, 6))}
            count = rng.randint(3, 6)
            if meeting.kind == Meeting.Kind.STANDING:
                chosen = rng.sample(data.STANDING_AGENDA, count)
                # Most standing committee meetings end with appointments and removals.
                if rng.random() < 0.6:
                    chosen[-1] = ("appointment", "审议有关人事任免事项", "")
                items = [(kind, title.format(**fill), self.orgs.get(org)) for kind, title, org in chosen]
            else:
                items = [("other", title.format(**fill), None) for title in rng.sample(data.COUNCIL_AGENDA, count)]
            agendas += [AgendaItem(meeting=meeting, order=order, kind=kind, title=title, reporting_organization=org)
                        for order, (kind, title, org) in enumerate(items, 1)]
        AgendaItem.objects.bulk_create(agendas, batch_size=BATCH)
        self.upcoming_meeting(len(standing_dates) + 1, next_standing)

    def upcoming_meeting(self, number: int, day: datetime.date):
        """The coming standing committee meeting, at least a week ahead (deputies may ask leave from it). Its agenda
        has its own generator, so the past meetings stay the same whatever day the seed runs."""
        rng = rng_for("meetings:upcoming")
        meeting = Meeting.objects.create(term=self.term, kind=Meeting.Kind.STANDING, number=number, date=day,
                                         place="区人大常委会第一会议室")
        fill = {"year": day.year, "prev": day.year - 1, "next_year": day.year + 1, "topic": rng.choice(data.ACTIVITY_TOPICS),
                "law": rng.choice(data.LAWS), "n": chinese_number(number),
                "next_session": chinese_number(self.next_session.number)}
        chosen = [item for item in data.STANDING_AGENDA if "next_session" not in item[1]]
        chosen = rng.sample(chosen, 3)
        if self.next_session.start_date > day:
            chosen.insert(0, next(item for item in data.STANDING_AGENDA if "next_session" in item[1]))
        AgendaItem.objects.bulk_create([
            AgendaItem(meeting=meeting, order=order, kind=kind, title=title.format(**fill), reporting_organization=self.orgs.get(org))
            for order, (kind, title, org) in enumerate(chosen, 1)])

    def appointments(self):
        rng = rng_for("appointments")
        rows = []
        serial = defaultdict(int)
        for _ in range(self.n(48, minimum=6)):
            meeting = rng.choice(self.standing[1:] or self.standing)
            kind = APPOINTMENT_KIND(rng)
            position, org_name = rng.choice(data.APPOINTMENT_POSITIONS)
            taking_office = kind in ("appoint", "elect", "approve")
            row = Appointment(term=self.term, meeting=meeting, person_name=chinese_name(rng, rng.random() < 0.3),
                              kind=kind, position=position, organization=self.orgs[org_name],
                              decided_on=meeting.date)
            if taking_office:
                # 任前法律考试 (pass mark 60), 表态发言, 宪法宣誓 and the certificate on the day of the decision.
                serial[meeting.date.year] += 1
                row.law_exam_score = rng.randint(72, 98)
                row.law_exam_passed = True
                row.statement_made = True
                row.oath_taken_on = meeting.date
                row.certificate_number = f"江海人常任〔{meeting.date.year}〕{serial[meeting.date.year]}号"
                row.certificate_issued_on = meeting.date
            rows.append(row)
        Appointment.objects.bulk_create(rows, batch_size=BATCH)

    # -- deputies

    def deputies(self):
        rng = rng_for("deputies")
        taken: set = set()
        n_district, n_town = self.n(400, 15), self.n(1000, 15)
        district_per_town = apportion(n_district, self.town_weights)
        town_per_town = apportion(n_town, self.town_weights)
        self.delegations = Delegation.objects.bulk_create(
            [Delegation(term=self.term, name=f"{town.name}代表团", town=town) for town in self.towns])
        # Two or three seats per constituency, fewer constituencies than the smallint numbers allow.
        constituencies = {}
        rows = []
        for level, per_town, seats in (("district", district_per_town, 2.6), ("town", town_per_town, 2.2)):
            seats = max(seats, sum(per_town) / MAX_CONSTITUENCIES)
            number = 0
            for town, count in zip(self.towns, per_town, strict=True):
                places = place_names(rng_for(f"constituencies:{level}:{town.name}"))
                made = []
                for _ in range(max(1, round(count / seats))):
                    number += 1
                    made.append(Constituency(term=self.term, level=level, number=number, town=town,
                                             name=f"{town.name}{next(places)}选区", seats=1))
                constituencies[level, town.pk] = made
                rows += made
        Constituency.objects.bulk_create(rows, batch_size=BATCH)

        # Who may take part in what: serving deputies per town, by level.
        self.pool_district = defaultdict(list)
        self.pool_town = defaultdict(list)
        self.demo_deputy_id = None
        # A mandate is (level, term, term_label, constituency, delegation, status, start, end, end_reason).
        pending: list[tuple[Deputy, list[tuple]]] = []
        start = TERM17_START
        term = self.term.pk
        serving, ended = Mandate.Status.SERVING.value, Mandate.Status.ENDED.value

        def flush():
            Deputy.objects.bulk_create([d for d, _ in pending], batch_size=BATCH)
            mandates = []
            for deputy, its in pending:
                mandates += [(deputy.pk, *mandate) for mandate in its]
                if its[0][5] == serving:
                    pool = self.pool_district if its[0][0] == "district" else self.pool_town
                    pool[deputy.town_id].append(deputy.pk)
            insert_rows(Mandate, MANDATE_COLUMNS, mandates)
            pending.clear()
            reset_queries()

        for delegation, town, d_count, t_count in zip(self.delegations, self.towns, district_per_town,
                                                      town_per_town, strict=True):
            for level, count in (("district", d_count), ("town", t_count)):
                seats = constituencies[level, town.pk]
                for i in range(count):
                    deputy = Deputy(town=town, **person(rng, taken, town=town.name, level=level))
                    # A few seats end during the term (代表资格终止), with the reason on record.
                    status, end, reason = serving, None, ""
                    if rng.random() < 0.02:
                        status, end = ended, random_date(rng, datetime.date(2022, 3, 1), self.today)
                        reason = rng.choice(data.END_REASONS)
                    its = [(level, term, "", seats[i % len(seats)].pk,
                            delegation.pk if level == "district" else None, status, start, end, reason)]
                    if level == "district":
                        # Many district deputies also sit in their town's congress; a few in the city's or
                        # province's (those terms are not the district's, hence term_label instead of term).
                        if rng.random() < 0.25:
                            town_seat = rng.choice(constituencies["town", town.pk]).pk
                            its.append(("town", term, "", town_seat, None, status, start, end, reason))
                        draw = rng.random()
                        if draw < 0.05:
                            its.append(("city", None, "第十六届", None, None, serving, datetime.date(2022, 1, 18),
                                        None, ""))
                        elif draw < 0.06:
                            its.append(("provincial", None, "第十四届", None, None, serving,
                                        datetime.date(2023, 1, 12), None, ""))
                    pending.append((deputy, its))
                    if len(pending) >= BATCH:
                        flush()
        flush()
        # Seats as elected: the number of deputies each constituency actually returned.
        per_constituency = (Mandate.objects.filter(constituency=OuterRef("pk")).order_by()
                            .values("constituency").annotate(c=Count("id")).values("c"))
        Constituency.objects.filter(term=self.term).update(seats=Coalesce(Subquery(per_constituency), 1))
        self.account_deputies(taken)

    def account_deputies(self, taken: set) -> None:
        """The deputy logins: the first serving district deputy of each login's town. The very first deputy drawn
        (城东街道's) is the same at every scale; a later town's first one depends on how many were drawn before it, so
        those get their personal data from a generator of their own, and the names README.md lists hold at every
        scale."""
        self.deputy_ids = {}
        for username, _, role_name, _, town_name, _ in data.DEMO_ACCOUNTS:
            if role_name != "DEPUTY":
                continue
            town = self.orgs[town_name]
            pk = self.pool_district[town.pk][0]
            if self.deputy_ids:
                Deputy.objects.filter(pk=pk).update(
                    **person(rng_for(f"deputies:{username}"), taken, town=town.name, level="district"))
            self.deputy_ids[username] = pk
        self.demo_deputy_id = self.deputy_ids["deputy"]

    def groups(self):
        rng = rng_for("groups")
        per_town = max(1, round(self.factor))
        groups, plans = [], []
        for town in self.towns:
            members = self.pool_district[town.pk]
            for j in range(per_town):
                name = f"{town.name}代表小组" if per_town == 1 else f"{town.name}第{chinese_number(j + 1)}代表小组"
                groups.append(DeputyGroup(term=self.term, name=name, kind=DeputyGroup.Kind.REGIONAL, town=town))
                plans.append(members[j::per_town])
        everyone = [pk for town in self.towns for pk in self.pool_district[town.pk]]
        for j in range(per_town):
            for name, body in data.PROFESSIONAL_GROUPS:
                if per_town > 1:
                    name = name.replace("专业代表小组", f"专业代表第{chinese_number(j + 1)}小组")
                groups.append(DeputyGroup(term=self.term, name=name, kind=DeputyGroup.Kind.PROFESSIONAL,
                                          working_body=self.orgs[body]))
                plans.append(rng.sample(everyone, min(len(everyone), rng.randint(10, 18))))
        DeputyGroup.objects.bulk_create(groups, batch_size=BATCH)
        rows = []
        for group, members in zip(groups, plans, strict=True):
            for i, pk in enumerate(members):
                role = ("leader", "deputy_leader")[i] if i < 2 else "member"
                rows.append((group.pk, pk, role))
        insert_rows(DeputyGroupMembership, ["group_id", "deputy_id", "role"], rows)

    # -- stations

    def stations(self):
        rng = rng_for("stations")
        total = self.n(200, len(self.towns))
        per_town = apportion(total - len(self.towns), self.town_weights)
        rows = []
        for town, count in zip(self.towns, per_town, strict=True):
            places = place_names(rng_for(f"stations:{town.name}"))
            village = town.kind == Organization.Kind.TOWN
            unit = "村" if village else "社区"
            kinds = [Station.Kind.HOME]
            for _ in range(count):
                draw = rng.random()
                kinds.append(Station.Kind.STUDIO if draw < 0.03 else
                             Station.Kind.LIAISON if draw < 0.58 else Station.Kind.CONTACT)
            for kind in kinds:
                if kind == Station.Kind.HOME:
                    name, address = f"{town.name}人大代表之家", f"{data.DISTRICT}{town.name}{rng.choice(data.ROADS)}1号"
                else:
                    place = next(places)
                    label = {Station.Kind.LIAISON: "人大代表联络站", Station.Kind.CONTACT: "人大代表联系点",
                             Station.Kind.STUDIO: f"{rng.choice(data.STUDIO_FIELDS)}专业代表工作室"}[kind]
                    name = f"{town.name}{place}{unit}{label}"
                    if village:
                        address = f"{data.DISTRICT}{town.name}{place}村{rng.randint(1, 12)}组{rng.randint(1, 60)}号"
                    else:
                        address = f"{data.DISTRICT}{town.name}{rng.choice(data.ROADS)}{rng.randint(2, 400)}号"
                rows.append(Station(
                    name=name, kind=kind, town=town, address=address, opening_hours=rng.choice(data.OPENING_HOURS),
                    contact_name=chinese_name(rng, rng.random() < 0.5), contact_phone=mobile(rng),
                    established_on=random_date(rng, datetime.date(2017, 3, 1), datetime.date(2024, 12, 31)),
                    is_active=rng.random() > 0.02))
        Station.objects.bulk_create(rows, batch_size=BATCH)
        self.station_names = defaultdict(list)
        by_town = defaultdict(list)
        for station in rows:
            by_town[station.town_id].append(station)
            self.station_names[station.town_id].append(station.name)

        # Every serving deputy joins one station in their town; district deputies also join the 代表之家.
        assignments = []
        for town in self.towns:
            home, *others = by_town[town.pk]
            for level_pool, at_home in ((self.pool_district, True), (self.pool_town, False)):
                for pk in level_pool[town.pk]:
                    picks = [rng.choice(others)] if others else []
                    if at_home or not others:
                        picks.append(home)
                    for station in picks:
                        since = max(station.established_on, TERM17_START) + datetime.timedelta(days=rng.randint(0, 90))
                        assignments.append((station.pk, pk, since, rng.random() < 0.08))
        insert_rows(StationDeputy, STATION_DEPUTY_COLUMNS, assignments)

    # -- duty activities

    def activities(self):
        rng = rng_for("activities")
        types = DutyActivityType.objects.bulk_create(
            [DutyActivityType(name=name, sort_order=i) for i, name in enumerate(data.ACTIVITY_TYPES, 1)])
        type_by_name = {t.name: t for t in types}
        town_led = {"接待选民", "走访选民", "述职", "宣传", "志愿服务"}
        bodies = [b for b in self.working_bodies if b.name != "常委会办公室"]
        everyone = [pk for town in self.towns for pk in self.pool_district[town.pk]]
        town_pool = {town.pk: self.pool_district[town.pk] + self.pool_town[town.pk] for town in self.towns}
        town_choice = Weighted(list(zip(self.towns, self.town_weights, strict=True)))
        standing_count = len(self.standing)
        confirmed_field = DutyActivityParticipant._meta.get_field("confirmed_at")
        remaining = self.n(3000)
        while remaining:
            size = min(ACTIVITY_CHUNK, remaining)
            remaining -= size
            activities, plans = [], []
            for _ in range(size):
                type_name = ACTIVITY_TYPE(rng)
                town = town_choice(rng)
                day = random_date(rng, ACTIVITIES_FROM, self.today)
                stations = self.station_names[town.pk]
                station = rng.choice(stations)
                fill = {"town": town.name, "topic": rng.choice(data.ACTIVITY_TOPICS), "law": rng.choice(data.LAWS),
                        "station": station, "unit": rng.choice(self.departments).name,
                        "n": chinese_number(rng.randint(1, standing_count))}
                title = rng.choice(data.ACTIVITY_TITLES[type_name]).format(**fill)
                if type_name in town_led:
                    organizer, pool, place = town, town_pool[town.pk], station
                else:
                    organizer, pool, place = rng.choice(bodies), everyone, f"{data.DISTRICT}{town.name}"
                # Mostly small groups: a reception has one or two deputies, an inspection up to fifteen.
                k = min(15, len(pool), 1 + int(rng.expovariate(1 / 4)))
                draw = rng.random()
                # Recent records are the ones still waiting for verification.
                recent = (self.today - day).days < 60
                status = ("submitted" if recent and draw < 0.6 else "returned" if draw < 0.04 else "verified")
                activities.append(DutyActivity(
                    title=title[:120], activity_type=type_by_name[type_name], date=day, place=place[:120],
                    description=f"围绕{fill['topic']}，{k}名代表参加，收集意见建议{rng.randint(0, 12)}条。",
                    organizer=organizer, status=status))
                plans.append(rng.sample(pool, k))
            DutyActivity.objects.bulk_create(activities, batch_size=BATCH)
            rows = []
            for activity, members in zip(activities, plans, strict=True):
                # Deputies confirm their attendance the evening of a verified activity.
                confirmed = (confirmed_field.get_db_prep_save(
                    datetime.datetime.combine(activity.date, datetime.time(20, 0), tzinfo=TZ), connection)
                    if activity.status == "verified" else None)
                for pk in members:
                    draw = rng.random()
                    attendance = "excused" if draw < 0.04 else "absent" if draw < 0.05 else "present"
                    rows.append((activity.pk, pk, attendance, confirmed if attendance == "present" else None))
            insert_rows(DutyActivityParticipant, PARTICIPANT_COLUMNS, rows)
            reset_queries()

    # -- suggestions and proposals (proposals/demo.py; after the logins, whose accounts handle a few items)

    def suggestions(self):
        from proposals.demo import seed_suggestions

        seed_suggestions(self, rng_for("suggestions"))

    def supervision(self):
        from supervision.demo import seed_supervision

        seed_supervision(self, rng_for("supervision"))

    def reports(self):
        """Last month's report (the leaders are told) and a first version of this year's annual work report, with the
        staff's text for one chapter: what the monthly task and the staff's 生成 would have made."""
        from congress.models import AnnualReportText, AnnualReportVersion
        from congress.reports import services

        year, month = services.previous_month(self.today)
        services.monthly_report_build(year=year, month=month)
        staff = User.objects.filter(username="staff").first()
        AnnualReportText.objects.create(
            year=self.today.year, chapter="suggestions", updated_by=staff,
            text="常委会坚持把代表建议办理作为联系群众的重要途径，实行分类交办、重点督办、跟踪问效。\n"
                 "今后将进一步提高办理质量，推动更多建议从“答复型”向“落实型”转变。")
        version = AnnualReportVersion.objects.create(year=self.today.year, requested_by=staff)
        services.annual_report_generate(version_id=version.pk)

    # -- logins

    def accounts(self) -> list[dict]:
        deputies = Deputy.objects.in_bulk(self.deputy_ids.values())
        hashes = password_hashes([password for _, password, *_ in data.DEMO_ACCOUNTS])
        made, result = {}, []
        for (username, password, role_name, full_name, where, description), hashed in zip(
                data.DEMO_ACCOUNTS, hashes, strict=True):
            role = getattr(roles, role_name)
            deputy = deputies.get(self.deputy_ids.get(username))
            # a staff account belongs to its organization; a deputy's login is linked to the deputy (below)
            made[username] = create_user_with_role(
                username=username, password=None, role=role, full_name=deputy.full_name if deputy else full_name,
                organization=self.orgs[where] if where and deputy is None else None)
            made[username].password = hashed
            result.append({"username": username, "password": password, "role": role, "description": description})
        User.objects.bulk_update(made.values(), ["password"])
        user_set_managed_towns(actor=made["secadmin"], user=made["town"], towns=[self.orgs["城东街道"]])
        # the 三员 log in with a second factor: demo devices with known keys (`manage.py totp_now sysadmin` prints the
        # code, as a phone app would)
        from django_otp.plugins.otp_totp.models import TOTPDevice

        for username in ("sysadmin", "secadmin", "auditor"):
            TOTPDevice.objects.create(user=made[username], name="演示动态口令", confirmed=True,
                                      key=demo_totp_key(username))
        for username, pk in self.deputy_ids.items():
            Deputy.objects.filter(pk=pk).update(user=made[username])
        return result


    def portal(self):
        """The deputy portal's tables: point rules, the “五个一” mapping, the last quarter's published ranking,
        a leave request and a report to voters for the demo deputy."""
        from deputies import selectors as deputy_selectors
        from deputies.models import LeaveRequest, PointRule, ScoreSnapshot, ScoreSnapshotRow, VoterReport

        checklist = {"视察": "supervision", "调研": "supervision", "执法检查": "supervision", "专题询问": "supervision",
                     "接待选民": "visit", "走访选民": "visit", "述职": "report", "宣传": "publicity"}
        points = {"会议": (2, -1), "视察": (3, -1), "调研": (3, -1), "执法检查": (3, -1), "专题询问": (3, -1),
                  "接待选民": (2, 0), "走访选民": (2, 0), "约见": (1, 0), "述职": (3, 0), "培训": (1, -1),
                  "宣传": (1, 0), "志愿服务": (1, 0)}
        # suggestions are filed in the proposals app, not logged as activities: an inactive type carries their points
        DutyActivityType.objects.create(name="代表建议", sort_order=99, is_active=False, checklist_item="suggestion")
        points["代表建议"] = (3, 0)
        types = list(DutyActivityType.objects.all())
        for t in types:
            if t.name in checklist:
                t.checklist_item = checklist[t.name]
        DutyActivityType.objects.bulk_update(types, ["checklist_item"])
        PointRule.objects.bulk_create([PointRule(activity_type=t, points_present=points.get(t.name, (1, 0))[0],
                                                 points_absent=points.get(t.name, (1, 0))[1],
                                                 effective_from=TERM17_START) for t in types])
        q = deputy_selectors.quarter_of(self.today) - 1
        year = self.today.year if q else self.today.year - 1
        q = q or 4
        snapshot = ScoreSnapshot.objects.create(year=year, quarter=q, published_by=User.objects.get(username="staff"))
        until = deputy_selectors.quarter_end(year, q)
        ScoreSnapshotRow.objects.bulk_create([ScoreSnapshotRow(snapshot=snapshot, **row)
                                              for row in deputy_selectors.score_table(year=year, until=until)])
        deputy = Deputy.objects.get(pk=self.demo_deputy_id)
        session = (CongressSession.objects.filter(term=self.term, start_date__lte=self.today)
                   .order_by("-start_date").first())
        LeaveRequest.objects.create(deputy=deputy, congress_session=session, reason="单位出差，无法参会")
        VoterReport.objects.create(deputy=deputy, date=self.today - datetime.timedelta(days=40),
                                   place=self.station_names[deputy.town_id][0][:120], attendance=36,
                                   text="本人一年来参加视察调研、接待选民、提出建议的情况。")
        # A survey the 城西街道 deputy logged with the other two deputy logins: it waits for their confirmation.
        from deputies.services import activity_report

        reporter = User.objects.get(username="deputy2")
        activity_report(actor=reporter, activity_type=DutyActivityType.objects.get(name="调研"),
                        date=self.today - datetime.timedelta(days=3), title="参加老旧小区改造专题调研",
                        place="江海区城西街道", description="实地查看三个老旧小区改造项目，听取居民和施工单位意见。",
                        co_deputies=Deputy.objects.filter(pk__in=[self.deputy_ids["deputy"], self.deputy_ids["deputy3"]]))

    def receptions(self):
        """Reception days: most liaison stations and homes held one in each of the last three months and have the
        next one announced; about one in five has nothing this month (the admin's 本月未安排 filter finds them); the
        demo deputy is on duty in five days."""
        rng = rng_for("receptions")
        on_station = defaultdict(list)
        for station_id, deputy_id in StationDeputy.objects.values_list("station_id", "deputy_id").order_by("pk"):
            on_station[station_id].append(deputy_id)
        stations = list(Station.objects.filter(is_active=True, kind__in=[Station.Kind.HOME, Station.Kind.LIAISON])
                        .order_by("pk").values_list("pk", flat=True))
        units = list(Organization.objects.filter(kind=Organization.Kind.DEPARTMENT).order_by("pk"))
        month_start = self.today.replace(day=1)
        rows, duties = [], []
        for station_id in stations:
            deputies = on_station.get(station_id) or []
            if not deputies:
                continue
            skip_this_month = rng.random() < 0.2
            for back in (3, 2, 1, 0, -1):
                year, month = divmod(month_start.year * 12 + month_start.month - 1 - back, 12)
                first = datetime.date(year, month + 1, 1)
                day = first + datetime.timedelta(days=rng.randint(0, 27))
                upcoming = day >= self.today
                if back == 0 and (skip_this_month or upcoming and day < self.today + datetime.timedelta(days=2)):
                    continue
                status = ReceptionDay.Status.SCHEDULED if upcoming else ReceptionDay.Status.HELD
                if upcoming and rng.random() < 0.05:
                    status = ReceptionDay.Status.CANCELLED
                visitors = rng.randint(3, 40) if status == ReceptionDay.Status.HELD else None
                rows.append(ReceptionDay(
                    station_id=station_id, date=day, starts_at=datetime.time(9), ends_at=datetime.time(11, 30),
                    topic=rng.choice(data.RECEPTION_TOPICS), status=status, visitor_count=visitors,
                    opinion_count=rng.randint(0, visitors // 3) if visitors else None,
                    summary=rng.choice(data.RECEPTION_SUMMARIES) if visitors else "",
                    cancel_reason="遇恶劣天气，改期另行公告" if status == ReceptionDay.Status.CANCELLED else ""))
                duties.append(rng.sample(deputies, min(len(deputies), rng.randint(1, 3))))
        demo_station = (StationDeputy.objects.filter(deputy_id=self.demo_deputy_id, station__is_active=True)
                        .order_by("-station__kind").values_list("station_id", flat=True).first())
        if demo_station is not None:
            rows.append(ReceptionDay(station_id=demo_station, date=self.today + datetime.timedelta(days=5),
                                     starts_at=datetime.time(14), ends_at=datetime.time(16, 30), topic="民生实事项目征集"))
            duties.append([self.demo_deputy_id])
        ReceptionDay.objects.bulk_create(rows, batch_size=BATCH)
        ReceptionDuty.objects.bulk_create([ReceptionDuty(reception=r, deputy_id=d)
                                           for r, ids in zip(rows, duties, strict=True) for d in dict.fromkeys(ids)],
                                          batch_size=BATCH)
        if units:
            through = ReceptionDay.visiting_units.through
            through.objects.bulk_create([through(receptionday_id=r.pk, organization_id=units[r.pk % len(units)].pk)
                                         for r in rows[-1:] + rows[:-1:7]], batch_size=BATCH)

    def opinions(self):
        """Voters' opinions at about a third of the stations over the last three months, in every state of the loop,
        each with its timeline; the demo town (城东街道) has some waiting for its staff."""
        from congress.models import StateChange
        from stations.services import TRACKING_ALPHABET

        rng = rng_for("opinions")
        S = VoterOpinion.Status
        units = list(Organization.objects.filter(is_handling_unit=True).order_by("pk"))
        stations = list(Station.objects.filter(is_active=True).order_by("pk"))
        now = datetime.datetime.combine(self.today, datetime.time(0), tzinfo=ZoneInfo(settings.TIME_ZONE))  # past, always
        rows, steps = [], []
        demo_town = self.orgs["城东街道"].pk
        for station in stations:
            if rng.random() > 0.35 and station.town_id != demo_town:
                continue
            for _ in range(rng.randint(1, 3)):
                category, content = rng.choice(data.VOTER_OPINIONS)
                at = now - datetime.timedelta(days=rng.randint(0, 90), hours=rng.randint(0, 8))
                age = (now - at).days
                status = (rng.choice([S.RECEIVED, S.REFERRED]) if age < 7 else
                          rng.choice([S.REFERRED, S.REPLIED, S.CLOSED, S.CLOSED, S.DECLINED])
                          if age < 30 else rng.choice([S.CLOSED, S.CLOSED, S.CLOSED, S.REPLIED, S.DECLINED]))
                unit = rng.choice(units) if units and status != S.DECLINED and rng.random() < 0.6 else None
                if status == S.REFERRED and unit is None:
                    status = S.RECEIVED if not units else status
                    unit = rng.choice(units) if units else None
                replied = status in (S.REPLIED, S.CLOSED)
                opinion = VoterOpinion(
                    tracking_code="".join(rng.choice(TRACKING_ALPHABET) for _ in range(10)), station=station,
                    category=category, content=content, name=rng.choice(["", "", chinese_name(rng, rng.random() < 0.5)]),
                    phone=mobile(rng) if rng.random() < 0.7 else "", status=status,
                    unit=unit if status != S.RECEIVED else None,
                    reply=rng.choice(data.OPINION_REPLIES) if replied else "",
                    replied_at=at + (now - at) * 0.5 if replied else None,
                    decline_reason="该事项已进入诉讼程序，请通过司法途径解决。" if status == S.DECLINED else "",
                    satisfaction=rng.choice(["satisfied", "satisfied", "basic", "dissatisfied"]) if status == S.CLOSED else "",
                    closed_at=at + (now - at) * 0.8 if status in (S.CLOSED, S.DECLINED) else None)
                rows.append((opinion, at))
                trail = [("submit", "", S.RECEIVED, "", at)]
                if opinion.unit_id and status != S.RECEIVED:
                    trail.append(("refer", S.RECEIVED, S.REFERRED, f"转{opinion.unit.name}办理", at + (now - at) * 0.1))
                if replied:
                    trail.append(("reply", trail[-1][2], S.REPLIED, opinion.reply, opinion.replied_at))
                if status == S.CLOSED:
                    trail.append(("rate", S.REPLIED, S.CLOSED, opinion.get_satisfaction_display(), opinion.closed_at))
                if status == S.DECLINED:
                    trail.append(("decline", S.RECEIVED, S.DECLINED, opinion.decline_reason, opinion.closed_at))
                steps.append(trail)
        VoterOpinion.objects.bulk_create([o for o, _ in rows], batch_size=BATCH)
        for (opinion, at), _trail in zip(rows, steps, strict=True):
            opinion.created_at = at
        VoterOpinion.objects.bulk_update([o for o, _ in rows], ["created_at"], batch_size=BATCH)
        StateChange.objects.bulk_create([
            StateChange(workflow="opinion", object_id=o.pk, thread=f"opinion:{o.pk}", action=a, from_state=f, to_state=t,
                        reason=n, at=w)
            for (o, _), trail in zip(rows, steps, strict=True) for a, f, t, n, w in trail], batch_size=BATCH)

    def appraisals(self):
        """Last year's 星级评定 of most homes and liaison stations (the seed articles: 15 five-star homes, 13 five-star
        liaison stations among 248), appraised in January by committee staff."""
        rng = rng_for("appraisals")
        staff = User.objects.get(username="staff")
        year = self.today.year - 1
        rows = []
        for station in Station.objects.filter(kind__in=[Station.Kind.HOME, Station.Kind.LIAISON]).order_by("pk"):
            if rng.random() < 0.25:
                continue
            stars = rng.choices([5, 4, 3, 2, 1], weights=[12, 30, 38, 15, 5])[0]
            rows.append(StationAppraisal(station=station, year=year, stars=stars,
                                         score=round(50 + stars * 9 + rng.uniform(-4, 4), 1),
                                         basis="阵地建设规范，活动记录完整。" if stars >= 4 else "活动开展不够经常，需加强。",
                                         appraised_on=datetime.date(self.today.year, 1, 20), appraised_by=staff,
                                         status=StationAppraisal.Status.CONFIRMED, is_legacy=True))
        StationAppraisal.objects.bulk_create(rows, batch_size=BATCH)
        from stations.demo_standards import seed_standards  # the 八有 states and this year's item-by-item ratings

        seed_standards(self, rng)


def counts() -> dict[str, int]:
    return {
        "单位": Organization.objects.count(),
        "镇街": Organization.objects.filter(kind__in=Organization.TOWN_KINDS).count(),
        "政府部门": Organization.objects.filter(kind=Organization.Kind.DEPARTMENT).count(),
        "人代会会议": CongressSession.objects.count(),
        "常委会/主任会议": Meeting.objects.count(),
        "会议议题": AgendaItem.objects.count(),
        "人事任免": Appointment.objects.count(),
        "选区": Constituency.objects.count(),
        "代表": Deputy.objects.count(),
        "区人大代表资格": Mandate.objects.filter(level=Mandate.Level.DISTRICT).count(),
        "镇人大代表资格": Mandate.objects.filter(level=Mandate.Level.TOWN).count(),
        "代表资格": Mandate.objects.count(),
        "代表小组": DeputyGroup.objects.count(),
        "小组成员": DeputyGroupMembership.objects.count(),
        "家站点": Station.objects.count(),
        "进站代表": StationDeputy.objects.count(),
        "履职活动": DutyActivity.objects.count(),
        "活动参加代表": DutyActivityParticipant.objects.count(),
        "接待选民日": ReceptionDay.objects.count(),
        "社情民意": VoterOpinion.objects.count(),
        "星级评定": StationAppraisal.objects.count(),
        "用户": User.objects.count(),
    }


def seed(factor: float = 1.0, stdout=None) -> dict:
    """Load the demo data unless a term exists already (the demo calls this at every start).

    Returns {"skipped", "counts", "timings", "accounts"}; accounts lists username, password, role, description.
    """
    with _no_query_log(), transaction.atomic():
        if Term.objects.exists():
            return {"skipped": True, "counts": counts(), "timings": [], "accounts": demo_accounts()}
        return Seeder(factor, stdout).run()


def demo_totp_key(username: str) -> str:
    """The demo administrators' TOTP keys (hex, 20 bytes): derived from SEED, so public — demo data only."""
    import hashlib

    return hashlib.sha1(f"{SEED}:totp:{username}".encode()).hexdigest()


def demo_accounts() -> list[dict]:
    return [{"username": u, "password": p, "role": getattr(roles, r), "description": d}
            for u, p, r, _, _, d in data.DEMO_ACCOUNTS]
