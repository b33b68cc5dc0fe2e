"""The demo seed: real rows with valid personal data, one working login per role, idempotent, deterministic."""
import datetime
import io
import random
import re

import pytest
from django.conf import settings
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.db import transaction
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone

from congress import roles
from congress.demo import data
from congress.demo.seed import apportion, next_session_start, people, seed
from congress.lib.idcard import birth_date_from_id, gender_from_id, id_number_problem
from congress.models import Appointment, CongressSession, Meeting, Organization, StateChange, Term, User
from congress.services import managed_town_ids
from deputies.models import Deputy, DeputyGroup, DeputyGroupMembership, DutyActivity, LeaveRequest, Mandate
from proposals.models import Assignment, Reply, Suggestion
from proposals.workflows import SUGGESTION
from stations.models import Station, StationDeputy

SMALL = 0.05


@pytest.fixture(autouse=True)
def fast_hasher(settings):
    # Each seed hashes eight demo passwords; the production hasher would spend most of these tests on that.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def readme_accounts() -> list[dict]:
    """The rows of README.md's table 演示账号 / Demo logins: username, password, role, town or unit, name."""
    lines = (settings.BASE_DIR / "README.md").read_text(encoding="utf-8").splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("| 用户名 username"))
    rows = []
    for line in lines[start + 2:]:
        if not line.startswith("|"):
            break
        username, password, role, where, name = (c.strip().strip("`") for c in line.strip().strip("|").split("|"))
        rows.append({"username": username, "password": password, "role": role.split()[0],
                     "where": "" if where == "—" else where, "name": name})
    return rows


def banner_accounts() -> list[list[str]]:
    """The logins scripts/demo.sh prints when the demo starts: username, password, role and where, one line each."""
    text = (settings.BASE_DIR / "scripts" / "demo.sh").read_text(encoding="utf-8")
    block = text.split("演示账号 / demo logins", 1)[1].split("三员登录还需动态口令", 1)[0]
    return [line.split() for line in block.splitlines()[2:] if line.strip()]


def log_in(username: str, password: str) -> Client:
    """Through the real login form, with the password the README prints."""
    client = Client()
    response = client.post(reverse("accounts:login"), {"username": username, "password": password})
    assert response.status_code == 302, f"demo login {username} failed"
    return client


def readme_password(username: str) -> str:
    return next(row["password"] for row in readme_accounts() if row["username"] == username)


def readme_name(username: str) -> str:
    return next(row["name"] for row in readme_accounts() if row["username"] == username)


def run(*args) -> str:
    out = io.StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


def fingerprint() -> list:
    """What a second run must reproduce: people, places and activities, in creation order."""
    return [
        list(Deputy.objects.order_by("id").values_list("full_name", "id_number", "phone", "town__name")),
        list(Station.objects.order_by("id").values_list("name", "address", "contact_name")),
        list(DutyActivity.objects.order_by("id").values_list("title", "date", "status")[:200]),
        list(Appointment.objects.order_by("id").values_list("person_name", "position", "decided_on")),
    ]


@pytest.mark.django_db
def test_small_seed_creates_a_consistent_district():
    output = run("--factor", str(SMALL))

    assert Term.objects.get(is_current=True).number == 17
    assert Term.objects.get(number=16).end_date is not None
    assert Organization.objects.filter(kind__in=Organization.TOWN_KINDS).count() == 15
    assert Organization.objects.filter(kind=Organization.Kind.DEPARTMENT, is_handling_unit=True).count() >= 30
    assert Organization.objects.filter(kind=Organization.Kind.STATE_ORGAN, is_handling_unit=True).count() == 4
    assert Meeting.objects.filter(kind=Meeting.Kind.STANDING).count() >= 25
    for meeting in Meeting.objects.all()[:20]:
        assert 3 <= meeting.agenda_items.count() <= 6

    district = Mandate.objects.filter(level=Mandate.Level.DISTRICT, term__number=17)
    assert district.count() == 20
    deputies = list(Deputy.objects.all())
    assert len(deputies) == 20 + 50
    for deputy in deputies:
        assert id_number_problem(deputy.id_number) is None, deputy.id_number
        assert birth_date_from_id(deputy.id_number) == deputy.birth_date
        assert datetime.date(1960, 1, 1) <= deputy.birth_date <= datetime.date(1995, 12, 31)
        assert gender_from_id(deputy.id_number) == deputy.gender
        assert deputy.phone[:2] in {"13", "15", "18"} and len(deputy.phone) == 11 and deputy.phone.isdigit()
        assert 2 <= len(deputy.full_name) <= 3
        assert deputy.town.is_town
    # Every mandate of the district's own term sits in a constituency inside the deputy's town.
    for mandate in Mandate.objects.filter(term__number=17).select_related("constituency", "deputy"):
        assert mandate.constituency.town_id == mandate.deputy.town_id
    assert Mandate.objects.filter(level__in=["city", "provincial"], term=None).exclude(term_label="").count() == \
        Mandate.objects.filter(level__in=["city", "provincial"]).count()

    assert Station.objects.filter(kind=Station.Kind.HOME).count() == 15
    assert StationDeputy.objects.exists()
    assert DeputyGroup.objects.filter(kind=DeputyGroup.Kind.REGIONAL).count() == 15
    assert DeputyGroup.objects.filter(kind=DeputyGroup.Kind.PROFESSIONAL, working_body__isnull=False).count() == 6
    assert DeputyGroupMembership.objects.filter(role="leader").count() == DeputyGroup.objects.count()
    activities = DutyActivity.objects.all()
    assert activities.count() == 150 + 1  # and the one a deputy login logged with the others
    for activity in activities.prefetch_related("participations"):
        assert 1 <= len(activity.participations.all()) <= 15
    assert activities.filter(status=DutyActivity.Status.VERIFIED).count() > 100
    assert "sysadmin / Xitong@2026" in output


@pytest.mark.django_db
def test_every_demo_login_works_and_has_its_role():
    result = seed(SMALL)
    request = RequestFactory().get("/")
    assert [a["username"] for a in result["accounts"]] == [a[0] for a in data.DEMO_ACCOUNTS]
    for account in result["accounts"]:
        user = authenticate(request=request, username=account["username"], password=account["password"])
        assert user is not None, account["username"]
        assert list(user.groups.values_list("name", flat=True)) == [account["role"]]
    assert not User.objects.filter(is_superuser=True).exists()
    town = User.objects.get(username="town")
    assert managed_town_ids(town) == [Organization.objects.get(name="城东街道").pk]
    assert User.objects.get(username="unit").organization.name == "区住房和城乡建设局"
    assert User.objects.get(username="staff").organization.name == "人事代表工作委员会"
    deputy = Deputy.objects.get(user__username="deputy")
    assert deputy.mandates.filter(level=Mandate.Level.DISTRICT, status=Mandate.Status.SERVING).exists()
    assert User.objects.get(username="deputy").groups.get().name == roles.DEPUTY


@pytest.mark.django_db
def test_second_run_is_a_no_op():
    run("--factor", str(SMALL))
    before = seed(SMALL)["counts"]
    output = run("--factor", str(SMALL))
    assert "演示数据已存在，跳过" in output
    assert seed(SMALL)["counts"] == before


@pytest.mark.django_db
def test_seed_is_deterministic():
    with transaction.atomic():
        seed(SMALL)
        first = fingerprint()
        transaction.set_rollback(True)
    assert not Deputy.objects.exists()
    seed(SMALL)
    assert fingerprint() == first
    assert people(random.Random(2026), 30) == people(random.Random(2026), 30)


def test_apportion_adds_up():
    weights = [w for _, _, w in data.TOWNS]
    for total in (0, 1, 20, 400, 1000, 39999):
        parts = apportion(total, weights)
        assert sum(parts) == total and len(parts) == 15


@pytest.mark.django_db
def test_district_scale():
    seed(1.0)
    district = Mandate.objects.filter(level=Mandate.Level.DISTRICT, term__number=17).count()
    assert 380 <= district <= 420
    assert 950 <= Deputy.objects.exclude(mandates__level=Mandate.Level.DISTRICT).count() <= 1050
    assert 190 <= Station.objects.count() <= 210
    assert Organization.objects.filter(kind=Organization.Kind.DEPARTMENT).count() >= 30
    assert Organization.objects.filter(kind__in=Organization.TOWN_KINDS).count() == 15
    assert 2000 <= DutyActivity.objects.count() <= 5000
    parties = Deputy.objects.filter(mandates__level=Mandate.Level.DISTRICT)
    share = parties.filter(party="cpc").count() / parties.count()
    assert 0.6 <= share <= 0.8
    assert Mandate.objects.filter(status=Mandate.Status.ENDED).exclude(end_reason="").exists()
    # Some district deputies also sit in their town's congress.
    assert Mandate.objects.filter(level=Mandate.Level.TOWN, deputy__mandates__level=Mandate.Level.DISTRICT).exists()
    # Replies are published the way a district does: most of past years' publishable ones, each with its history row.
    past = Reply.objects.filter(publishable=True, replied_on__year__lt=timezone.localdate().year)
    assert past.filter(published_at__isnull=False).count() >= 0.8 * past.count()
    published = Reply.objects.filter(published_at__isnull=False)
    assert not Reply.objects.filter(publishable=False, published_at__isnull=False).exists()
    assert StateChange.objects.filter(workflow="assignment", action="publish_reply").count() == published.count()
    body = Client().get(reverse("proposals:public_list")).content.decode()
    assert int(re.search(r"共 (\d+) 件", body)[1]) == published.count() > 10
    assert body.count('<li class="item">') > 10
    # every suggestion past its draft has its submission time, so this year's counts as the deputies' 一件好建议 in the
    # per-town "五个一" table as on their portals
    from deputies.selectors import checklist_by_town
    from proposals.models import Suggestion

    before_submission = (Suggestion.Status.DRAFT, Suggestion.Status.PRESUBMITTED, Suggestion.Status.TOWN_RETURNED)
    assert not Suggestion.objects.exclude(status__in=before_submission).filter(submitted_at__isnull=True).exists()
    towns = Organization.objects.filter(kind__in=Organization.TOWN_KINDS)
    assert sum(row.get("suggestion", 0) for row in checklist_by_town(towns, timezone.localdate().year).values()) > 0


# ---------------------------------------------------------------- the README's logins, and what each of them finds

def test_the_coming_session_is_some_weeks_ahead_whatever_the_day():
    assert next_session_start(datetime.date(2026, 11, 29)) == datetime.date(2027, 1, 10)  # the usual January session
    for day in (datetime.date(2026, 12, 28), datetime.date(2027, 3, 15), datetime.date(2027, 7, 1)):
        start = next_session_start(day)
        assert datetime.timedelta(weeks=3) <= start - day <= datetime.timedelta(weeks=10), day


@pytest.mark.django_db
def test_readme_lists_every_demo_login_with_its_role_place_and_name():
    seed(SMALL)
    rows = readme_accounts()
    assert [r["username"] for r in rows] == [a[0] for a in data.DEMO_ACCOUNTS]
    # every account one can log in with is listed (the demo's appraisal liaisons of departments without an account of
    # their own have no usable password: they only sign the demo's self-inspection reports)
    logins = {u.username for u in User.objects.all() if u.has_usable_password()}
    assert logins == {r["username"] for r in rows}
    for row in rows:
        client = log_in(row["username"], row["password"])
        user = User.objects.get(username=row["username"])
        assert int(client.session["_auth_user_id"]) == user.pk
        assert list(user.groups.values_list("name", flat=True)) == [row["role"]], row
        assert user.full_name == row["name"], row
        if row["role"] == roles.DEPUTY:
            deputy = Deputy.objects.select_related("town").get(user=user)
            assert (deputy.full_name, deputy.town.name) == (row["name"], row["where"])
            assert deputy.mandates.filter(level=Mandate.Level.DISTRICT, status=Mandate.Status.SERVING,
                                          delegation__town=deputy.town).exists()
        elif row["where"]:
            assert user.organization.name == row["where"], row
        else:
            assert user.organization is None
    assert managed_town_ids(User.objects.get(username="town")) == [Organization.objects.get(name="城东街道").pk]
    # three deputies in three towns (and delegations), two units
    deputies = Deputy.objects.filter(user__isnull=False)
    assert deputies.values("town").distinct().count() == 3
    assert User.objects.filter(groups__name=roles.HANDLING_UNIT).values("organization").distinct().count() == 2


def test_the_demo_banner_prints_the_readme_logins():
    rows = {r["username"]: r for r in readme_accounts()}
    lines = banner_accounts()
    assert [line[0] for line in lines] == list(rows)
    for username, password, role in lines:
        row = rows[username]
        assert password == row["password"] and role.startswith(row["role"]), username
        if row["role"] == roles.DEPUTY:
            assert row["where"] in role and row["name"] in role, username
        elif row["role"] in (roles.TOWN_STAFF, roles.HANDLING_UNIT):
            assert row["where"] in role, username


@pytest.mark.django_db
def test_the_demo_deputy_can_pre_submit_ask_leave_and_find_co_signers():
    seed(SMALL)
    deputy = Deputy.objects.get(user__username="deputy")
    client = log_in("deputy", readme_password("deputy"))

    # a draft to submit or, before the coming session, to pre-submit for the town's review
    draft = Suggestion.objects.get(lead_deputy=deputy, status=Suggestion.Status.DRAFT)
    page = client.get(reverse("proposals:portal_detail", args=[draft.pk])).content.decode()
    assert 'data-transition="submit"' in page and 'data-transition="presubmit"' in page
    response = client.post(reverse("proposals:portal_submit", args=[draft.pk]), {"presubmit": "1"})
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == Suggestion.Status.PRESUBMITTED and draft.session.start_date > timezone.localdate()

    # leave from the coming session and from the coming standing committee meeting
    session = CongressSession.objects.get(term__is_current=True, start_date__gt=timezone.localdate())
    meeting = Meeting.objects.get(kind=Meeting.Kind.STANDING, date__gt=timezone.localdate())
    page = client.get(reverse("portal:leave")).content.decode()
    assert f'value="s{session.pk}"' in page and f'value="m{meeting.pk}"' in page
    response = client.post(reverse("portal:leave"), {"meeting": f"s{session.pk}", "reason": "参加市里的培训"})
    assert response.status_code == 302
    assert LeaveRequest.objects.filter(deputy=deputy, congress_session=session, reason="参加市里的培训").exists()

    # co-signers by name: the other deputy logins, by the names the README gives
    for other in ("deputy2", "deputy3"):
        name = readme_name(other)
        found = client.get(reverse("proposals:portal_deputy_search"), {"q": name}).content.decode()
        assert name in found and str(Deputy.objects.get(user__username=other).pk) in found, other

    # an invitation to co-sign, a reply to rate, an activity to confirm
    invitations = client.get(reverse("proposals:portal_invitations")).content.decode()
    assert "关于增设城西街道公共停车位的建议" in invitations and readme_name("deputy2") in invitations
    to_rate = Suggestion.objects.get(lead_deputy=deputy, title="关于推进城东街道既有住宅加装电梯的建议")
    page = client.get(reverse("proposals:portal_detail", args=[to_rate.pk])).content.decode()
    assert 'data-transition="evaluate"' in page
    home = client.get(reverse("portal:home")).content.decode()
    assert "参加老旧小区改造专题调研" in home and "确认参加" in home


@pytest.mark.django_db
def test_the_other_logins_find_work_waiting():
    seed(SMALL)
    for username in ("deputy2", "deputy3"):
        client = log_in(username, readme_password(username))
        page = client.get(reverse("proposals:portal_list")).content.decode()
        mine = Suggestion.objects.filter(lead_deputy__user__username=username)
        assert mine.count() >= 2 and all(s.title in page for s in mine), username
    home = log_in("deputy3", readme_password("deputy3")).get(reverse("portal:home")).content.decode()
    assert "参加老旧小区改造专题调研" in home

    # each unit's inbox lists the demo logins' items it owes: one to contact first, one to reply to (and for the
    # transport bureau, one to send an assisting opinion on)
    wanted = {"unit": {("lead", "assigned"), ("lead", "handling")},
              "unit2": {("lead", "assigned"), ("lead", "handling"), ("assisting", "assigned")}}
    for username, states in wanted.items():
        inbox = log_in(username, readme_password(username)).get(reverse("unit:inbox")).content.decode()
        unit = User.objects.get(username=username).organization
        items = Assignment.objects.filter(unit=unit, suggestion__lead_deputy__user__isnull=False).open()
        assert unit.name in inbox and set(items.values_list("role", "status")) >= states, username
        assert all(a.suggestion.title in inbox for a in items), username

    # the town staff have a pre-submission to review
    town = User.objects.get(username="town")
    waiting = Suggestion.objects.filter(status=Suggestion.Status.PRESUBMITTED)
    assert waiting.exists() and all(SUGGESTION.can(town, s, "town_forward") for s in waiting)


@pytest.mark.django_db
def test_a_seed_run_on_a_later_day_still_has_a_session_coming():
    from freezegun import freeze_time

    with freeze_time("2027-03-15 09:00:00+08:00"):
        seed(SMALL)
        today = timezone.localdate()
        deputy = User.objects.get(username="deputy")
        draft = Suggestion.objects.get(lead_deputy__user=deputy, status=Suggestion.Status.DRAFT)
        assert SUGGESTION.can(deputy, draft, "presubmit")
        coming = CongressSession.objects.get(term__is_current=True, start_date__gt=today)
        assert coming.number == CongressSession.objects.filter(term__is_current=True).count()
        assert Meeting.objects.filter(kind=Meeting.Kind.STANDING, date__gte=today + datetime.timedelta(days=7)).count() == 1
        # the leave phase's past leave request is not on the coming session
        assert not LeaveRequest.objects.filter(congress_session=coming).exists()
