"""The access matrix for writes: every URL pattern is classified by what a POST to it may do, and every POST is sent
by every role and by the object-level outsiders, with real objects made for the test and the data their owner would
send successfully.

- GET-only pages (GET_ONLY): a POST answers 405 (Django's own password-done page: the login first for anonymous).
- The project's POST endpoints (POSTS): the actors in `allowed` change what the endpoint changes (reloaded and checked,
  with the history row where it is a transition); everybody else gets the status written in the table and changes
  nothing: every watched table (WATCHED) is the same after their POST. The voters' pages (the opinion form and the
  rating by tracking code) are for everyone by design; a rating in the wrong state is refused for everyone.
- The admin's workflow pages (congress.lib.admin.WorkflowAdminMixin, found from the resolver): each admin role and the
  other town's staff POST valid data; only those the predicates allow change anything, and the right person in a
  wrong state gets the refusal page with nothing changed.
- The admin's change-list actions of the project's own (ACTIONS): every actor posts the action with a real object
  selected; only the allowed change it.
- Every other admin page: an EMPTY POST answers what the GET matrix's letters imply (tests/test_access_matrix.py):
  no permission 403, not staff the login, with the permission the form or the confirmation again — never a change.
  Records that are read-only in the admin (RECORD_READ_ONLY) refuse a POST to their change page.

A pattern this file cannot classify fails `test_every_url_pattern_is_classified`, so a new URL must come with its row."""
import datetime
import itertools
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from django.apps import apps
from django.conf import settings as django_settings
from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.urls import get_resolver, reverse
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from conftest import PASSWORD, login_verified
from congress import roles
from congress.lib.admin import export_xlsx
from congress.models import (
    AnnualReportVersion,
    CongressSession,
    LetterCounter,
    MonthlyReport,
    Notification,
    OfficialLetter,
    Organization,
    StateChange,
    User,
)
from congress.services import create_user_with_role, second_factor_device_for
from deputies.models import (
    ActivityPhoto,
    Deputy,
    DutyActivity,
    DutyActivityParticipant,
    DutyActivityType,
    LeaveRequest,
    VoterReport,
)
from proposals.models import (
    Assignment,
    AssistOpinion,
    ContactRecord,
    Cosignature,
    Evaluation,
    Extension,
    FollowUpReport,
    Proposal,
    Reply,
    Suggestion,
    SuggestionAttachment,
    SuggestionCategory,
    SupervisionEvent,
)
from stations.models import ReceptionDay, ReceptionDuty, Station, VoterOpinion
from supervision.models import (
    Appraisal,
    AppraisalAspect,
    AppraisalScheme,
    AppraisalScore,
    AppraisalSurvey,
    MeetingRating,
    MeetingRequest,
    MeetingSigner,
    PollBallot,
    PollGroup,
    PollVoter,
    Rectification,
    RectificationReport,
    ReportSubmission,
    ReviewOpinion,
    SatisfactionPoll,
    WorkReport,
)
from tests.sample import sample_id_number
from tests.test_access_matrix import ADMIN_ROLES, APP_INDEX, ROLES, admin_models, model_access, walk, world  # noqa: F401

OUTSIDERS = ["other_deputy", "other_unit", "other_town"]  # not the lead/participant, not the unit, not the town
ACTORS = [*ROLES, *OUTSIDERS]
NOT_STAFF = {"anonymous", "outsider", "unit", "deputy", "other_deputy", "other_unit"}
LOGIN = "login"  # a 302 to a login page (the site's or the admin's)
S, A = Suggestion.Status, Assignment.Status
AP = Appraisal.Status

# Every table a POST in this file could write to: after a refused POST each one is exactly as before.
WATCHED = [User, TOTPDevice, Notification, StateChange, Suggestion, SuggestionAttachment, Cosignature, Assignment, Reply,
           Evaluation, ContactRecord, AssistOpinion, FollowUpReport, Extension, SupervisionEvent, Proposal, DutyActivity,
           DutyActivityParticipant, ActivityPhoto, LeaveRequest, VoterReport, VoterOpinion, ReceptionDay,
           SatisfactionPoll, PollVoter, PollBallot, Rectification, RectificationReport, OfficialLetter, LetterCounter]
WATCHED += [WorkReport, ReviewOpinion, ReportSubmission]  # supervision: work reports and review opinions
WATCHED += [Appraisal, AppraisalSurvey, AppraisalScore]  # supervision: work appraisals
WATCHED += [MeetingRequest, MeetingSigner, MeetingRating]  # supervision: 代表约见
WATCHED += [apps.get_model("supervision", m) for m in ("Inspection", "InspectionMember", "InspectionVisit",
                                                       "InspectionProblem")]  # supervision: law enforcement inspections
WATCHED += [apps.get_model("stations", "OrganServiceItem"), apps.get_model("stations", "OrganVisit")]  # 国家机关进家站点


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    # every actor logs in with a real password; hashing them at full strength makes each test seconds slower
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def today() -> datetime.date:
    return timezone.localdate()


def days(n: int) -> datetime.date:
    return today() + datetime.timedelta(days=n)


def dump(models=None) -> dict:
    """Every row of the watched tables (the effects of an allowed POST are read from two dumps)."""
    return {m._meta.label: list(m._default_manager.order_by("pk").values()) for m in models or WATCHED}


def fingerprint(models=None) -> dict:
    """A digest of every row of each watched table, in one query: equal before and after a refused POST."""
    models = models or WATCHED
    if connection.vendor != "postgresql":
        return dump(models)
    qn = connection.ops.quote_name
    digests = [f"(SELECT md5(coalesce(string_agg(t::text, '|' ORDER BY t.{qn(m._meta.pk.column)}), '')) "
               f"FROM {qn(m._meta.db_table)} t)" for m in models]
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(digests))
        return dict(zip([m._meta.label for m in models], cursor.fetchone(), strict=True))


def changed_tables(before: dict, after: dict) -> list[str]:
    return [label for label in before if before[label] != after[label]]


def outcome(response) -> int | str:
    if response.status_code == 302:
        target = response["Location"].split("?", 1)[0]
        if target in (django_settings.LOGIN_URL, reverse("admin:login")):
            return LOGIN
    return response.status_code


def pdf(name="答复函.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n",
                              content_type="application/pdf")


# ------------------------------------------------------------------------------------------------ the world


class World:
    """The ten roles and the three outsiders, each with a logged-in client, and what their objects hang on."""

    def __init__(self, **kwargs):
        self.__dict__.update(kwargs)
        self._serial = itertools.count(1)

    def log_in_all(self) -> None:
        """A fresh client per actor, logged in (again: after a logout, a login or a password change)."""
        self.clients = {}
        for actor, user in self.users.items():
            self.clients[actor] = Client()
            if user is not None:
                user.refresh_from_db()  # a changed password changes the session's hash
                login_verified(self.clients[actor], user)

    def deputy_of(self, actor: str) -> Deputy | None:
        return {"deputy": self.deputy, "other_deputy": self.other_deputy}.get(actor)

    def next(self) -> int:
        return next(self._serial)


@pytest.fixture
def w(db, settings, tmp_path, town_a, town_b, term, unit_org, working_body, system_admin, security_admin, audit_admin,
      staff, town_staff, other_town_staff, unit_user, deputy_user, outsider, leader):
    settings.MEDIA_ROOT = tmp_path / "media"
    other_org = Organization.objects.create(name="区交通运输局", kind=Organization.Kind.DEPARTMENT, is_handling_unit=True)
    third_org = Organization.objects.create(name="区水务局", kind=Organization.Kind.DEPARTMENT, is_handling_unit=True)
    other_unit = create_user_with_role(username="unit_b", password=PASSWORD, role=roles.HANDLING_UNIT,
                                       full_name="钱科长", organization=other_org)
    other_deputy_user = create_user_with_role(username="deputy_b", password=PASSWORD, role=roles.DEPUTY, full_name="吴代表")

    def deputy(name, number, user=None):
        return Deputy.objects.create(full_name=name, gender="M", id_number=sample_id_number(800 + number), town=town_a,
                                     user=user)

    users = {"anonymous": None, "outsider": outsider, "sysadmin": system_admin, "secadmin": security_admin,
             "auditor": audit_admin, "staff": staff, "town": town_staff, "unit": unit_user, "deputy": deputy_user,
             "leader": leader, "other_deputy": other_deputy_user, "other_unit": other_unit, "other_town": other_town_staff}
    made = World(
        users=users, town=town_a, other_town=town_b, term=term, unit_org=unit_org, other_org=other_org,
        third_org=third_org, working_body=working_body,
        deputy=deputy("周代表", 1, deputy_user), other_deputy=deputy("吴代表", 2, other_deputy_user), third=deputy("郑代表", 3),
        session=CongressSession.objects.create(term=term, number=1, start_date=datetime.date(2026, 1, 5),
                                               end_date=datetime.date(2026, 1, 8)),
        category=SuggestionCategory.objects.create(name="城乡建设"),
        activity_type=DutyActivityType.objects.get_or_create(name="走访选民")[0],
        station=Station.objects.create(name="城东街道代表联络站", kind=Station.Kind.LIAISON, town=town_a, address="人民路1号"),
    )
    made.log_in_all()
    return made


# ------------------------------------------------------------------------------------------------ real objects


def suggestion(w, status, *, lead=None, **fields) -> Suggestion:
    fields.setdefault("title", f"关于改造城区排水管网的建议（{w.next()}）")
    return Suggestion.objects.create(term=w.term, session=w.session, content="雨季积水严重，建议改造排水管网。",
                                     category=w.category, lead_deputy=lead or w.deputy, status=status, **fields)


def assignment(w, s, status=A.ASSIGNED, *, unit=None, role=Assignment.Role.LEAD, **fields) -> Assignment:
    fields.setdefault("send_back_until", days(5))
    fields.setdefault("due_date", days(80))
    return Assignment.objects.create(suggestion=s, unit=unit or w.unit_org, role=role, status=status,
                                     assigned_on=days(-10), **fields)


def replied(w, *, suggestion_status=S.REPLIED, published=False, result="A"):
    """A suggestion of the deputy with the unit's reply (the latest, not yet evaluated)."""
    s = suggestion(w, suggestion_status)
    a = assignment(w, s, A.REPLIED, result=result, first_replied_on=days(-30))
    r = Reply.objects.create(assignment=a, letter="suggestions/replies/test.pdf", result=result, replied_on=days(-30),
                             replied_by=w.users["unit"], publishable=True,
                             published_at=timezone.now() if published else None)
    return s, a, r


def activity(w, status=DutyActivity.Status.SUBMITTED, *, confirmed=True, **fields) -> DutyActivity:
    """An activity the deputy takes part in (reported by another deputy; the deputy's part confirmed or not)."""
    fields.setdefault("date", days(-3))
    made = DutyActivity.objects.create(title="视察城区学校建设", activity_type=w.activity_type, place="城东街道",
                                       status=status, reported_by=w.third, **fields)
    DutyActivityParticipant.objects.create(activity=made, deputy=w.third, confirmed_at=timezone.now())
    DutyActivityParticipant.objects.create(activity=made, deputy=w.deputy, confirmed_at=timezone.now() if confirmed else None)
    return made


def opinion(w, status=VoterOpinion.Status.RECEIVED, **fields) -> VoterOpinion:
    if status in (VoterOpinion.Status.REPLIED, VoterOpinion.Status.CLOSED):
        fields.setdefault("reply", "已安排维修")
    return VoterOpinion.objects.create(tracking_code=f"W{uuid.uuid4().hex[:9].upper()}", station=w.station,
                                       content="小区门口路灯坏了两个月，晚上出行不便", status=status, **fields)


def reception(w, status=ReceptionDay.Status.SCHEDULED, *, date=None) -> ReceptionDay:
    made = ReceptionDay.objects.create(station=w.station, date=date or days(10), starts_at=datetime.time(9),
                                       ends_at=datetime.time(11), status=status, topic="养老服务")
    ReceptionDuty.objects.create(reception=made, deputy=w.deputy)
    return made


def leave(w, status=LeaveRequest.Status.SUBMITTED) -> LeaveRequest:
    return LeaveRequest.objects.create(deputy=w.deputy, congress_session=w.session, reason="出差在外", status=status)


def poll(w, status=SatisfactionPoll.Status.OPEN, *, voted=False) -> SatisfactionPoll:
    """A poll of the members, the deputy (and the other deputy, as a member who has voted or not) on its list."""
    made = SatisfactionPoll.objects.create(term=w.term, title=f"对区住建局工作的满意度测评（{w.next()}）", status=status)
    group = PollGroup.objects.create(poll=made, kind=PollGroup.Kind.MEMBERS, weight=100, eligible=1)
    if status != SatisfactionPoll.Status.DRAFT:
        PollVoter.objects.create(poll=made, group=group, deputy=w.deputy, channel="online" if voted else "")
    if voted:
        PollBallot.objects.create(poll=made, group=group, choice="satisfied")
    return made


def _poll_paper(w):
    """An open poll and the deputy's paper ballot (marked on the sign-in sheet, counted from the box)."""
    made = poll(w)
    voter = made.voters.get()
    return made, {"group": voter.group_id, "voters": [voter.pk], "satisfied": 1, "basic": 0, "unsatisfied": 0,
                  "invalid": 0}


def _draft_poll(w) -> SatisfactionPoll:
    """A poll in preparation, with the deputy on the committee (opening it freezes them as its voter)."""
    from supervision.models import CommitteeMember

    CommitteeMember.objects.get_or_create(term=w.term, deputy=w.deputy, defaults={"start_date": days(-400)})
    return poll(w, SatisfactionPoll.Status.DRAFT)


def rectification(w, status=Rectification.Status.OPEN, *, unit=None) -> Rectification:
    return Rectification.objects.create(organization=unit or w.unit_org, title=f"整改校园周边交通隐患（{w.next()}）",
                                        due_date=days(30), status=status)


def meeting(w, in_days=30):
    from congress.models import Meeting

    return Meeting.objects.create(term=w.term, kind=Meeting.Kind.STANDING, number=500 + w.next(), date=days(in_days))


def work_report(w, status=WorkReport.Status.PLANNED, *, in_days=30) -> WorkReport:
    """A plan item of the unit, its meeting `in_days` away (0: held today)."""
    return WorkReport.objects.create(year=today().year, topic=f"城市更新工作情况（{w.next()}）", organization=w.unit_org,
                                     working_body=w.working_body, meeting=meeting(w, in_days), status=status)


def review_opinion(w, status=ReviewOpinion.Status.SENT) -> ReviewOpinion:
    report = work_report(w, WorkReport.Status.OPINION_SENT, in_days=0)
    return ReviewOpinion.objects.create(work_report=report, organization=w.unit_org, text="一、加快进度。", sent_on=today(),
                                        sent_by=w.users["staff"], due_date=days(90), status=status)


def _with_letter(opinion: ReviewOpinion) -> ReviewOpinion:
    opinion.letter = "supervision/opinions/t.pdf"
    opinion.save(update_fields=["letter"])
    return opinion


def _pdf():
    return SimpleUploadedFile("报告.pdf", b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n", content_type="application/pdf")
def appraisal(w, status=Appraisal.Status.MOBILIZING, *, scored=False, **fields) -> Appraisal:
    """A work appraisal of the unit, each in a year of its own (one per department and year), with that year's aspects;
    `scored`: every aspect scored."""
    year = 2100 - w.next()
    scheme = AppraisalScheme.objects.create(year=year)
    aspects = [AppraisalAspect.objects.create(scheme=scheme, name=name, weight=weight, order=n)
               for n, (name, weight) in enumerate([("问卷调查", 40), ("满意度测评", 60)], start=1)]
    made = Appraisal.objects.create(term=w.term, year=year, organization=w.unit_org, status=status, **fields)
    if scored:
        AppraisalScore.objects.bulk_create([AppraisalScore(appraisal=made, aspect=a, score=80) for a in aspects])
    return made


def _appraisal_scores(status):
    def make(w):
        made = appraisal(w, status)
        return made, {f"aspect_{a.pk}": "85.5" for a in AppraisalAspect.objects.filter(scheme__year=made.year)}
    return make


def _appraisal_meeting(w):
    from congress.models import Meeting

    return Meeting.objects.create(term=w.term, kind=Meeting.Kind.STANDING, number=100 + w.next(), date=days(7))


CONVENE = lambda w: {"meeting": _appraisal_meeting(w).pk, "basis": "all", "members_weight": 100,  # noqa: E731
                     "deputies_weight": 0, "public_weight": 0, "public_eligible": 0}


def proposal(w, status=Proposal.Status.SUBMITTED) -> Proposal:
    return Proposal.objects.create(session=w.session, serial=w.next(), title="关于制定养老服务条例的议案", content="内容",
                                   lead_deputy=w.deputy, status=status)


def future_session(w) -> CongressSession:
    return CongressSession.objects.create(term=w.term, number=100 + w.next(), start_date=days(30), end_date=days(33))


# ------------------------------------------------------------------------------------------------ what a POST did

SET = object()  # "has a value now"


def new_row(model, **expected):
    """Exactly one new row of `model`, with these values (a callable gets the actor)."""
    label = model._meta.label

    def check(actor, before, after, response):
        old = {r["id"] for r in before[label]}
        new = [r for r in after[label] if r["id"] not in old]
        assert len(new) == 1, f"{label}: {len(new)} new rows"
        for name, value in expected.items():
            value = value(actor) if callable(value) else value
            assert new[0][name] == value, (label, name, new[0][name], value)
    return check


def now(obj, **expected):
    """The object, reloaded, has these values (SET: any value but None/empty)."""
    def check(actor, before, after, response):
        fresh = type(obj).objects.get(pk=obj.pk)
        for name, value in expected.items():
            got = getattr(fresh, name)
            assert (got not in (None, "")) if value is SET else got == value, (type(obj).__name__, name, got, value)
    return check


def history(workflow: str, *actions: str, obj=None):
    """A new history row (congress.StateChange) of this workflow and step (of this object)."""
    def check(actor, before, after, response):
        old = {r["id"] for r in before["congress.StateChange"]}
        assert any(r["id"] not in old and r["workflow"] == workflow and r["action"] in actions
                   and (obj is None or r["object_id"] == obj.pk) for r in after["congress.StateChange"]), \
            f"no new {workflow}.{'/'.join(actions)} history row"
    return check


def all_of(*checks):
    def check(*args):
        for c in checks:
            c(*args)
    return check


# ------------------------------------------------------------------------------------------------ the project's POSTs


@dataclass
class Case:
    url: str
    data: Callable[[str], dict] = lambda actor: {}
    effect: Callable = lambda *args: None          # (actor, before, after, response): what the allowed POST did
    meta: Callable[[str], dict] = lambda actor: {}  # request headers


@dataclass
class Post:
    make: Callable[[World], Case]                   # real objects in the state their owner acts on
    expect: dict                                    # actor → status (LOGIN: 302 to a login page)
    allowed: frozenset                              # whose POST takes effect
    wrong: Callable[[World], Case] | None = None    # the object in a state that refuses even the allowed actors
    wrong_expect: int | str = 302
    note: str = ""
    sessions: bool = False                          # it changes sessions: the clients log in again after it


def table(default: Callable[[str], int | str], **given) -> dict:
    return {a: given[a] if a in given else default(a) for a in ACTORS}


def refused(status):
    """Anonymous users are sent to the login; everybody else logged in gets `status`."""
    return lambda actor: LOGIN if actor == "anonymous" else status


UNITS = dict(unit=302, other_unit=404)  # unit_required pages: 403 for other roles; another unit's object is not found


def _activity_new(w):
    return Case(reverse("portal:activity_new"), lambda a: {
        "activity_type": w.activity_type.pk, "date": today().isoformat(), "place": "城东街道代表联络站",
        "title": "走访社区选民", "description": "听取选民对老旧小区改造的意见"},
        all_of(new_row(DutyActivity, reported_by_id=lambda a: w.deputy_of(a).pk, status="submitted"),
               history("activity", "report")))


def _activity_confirm(w, status=DutyActivity.Status.SUBMITTED):
    act = activity(w, status, confirmed=False)
    return Case(reverse("portal:activity_confirm", args=[act.pk]), effect=now(
        DutyActivityParticipant.objects.get(activity=act, deputy=w.deputy), confirmed_at=SET))


def _signin(w, open_=True):
    act = activity(w, DutyActivity.Status.VERIFIED, confirmed=False, signin_token=uuid.uuid4(), signin_open=open_,
                   date=today())  # the code signs in on the event's day only

    def effect(actor, before, after, response):
        row = DutyActivityParticipant.objects.get(activity=act, deputy=w.deputy_of(actor))
        assert row.confirmed_at is not None and row.attendance == DutyActivityParticipant.Attendance.PRESENT
    return Case(reverse("portal:signin", args=[act.signin_token]), effect=effect)


def _leave(w):
    session = future_session(w)
    return Case(reverse("portal:leave"), lambda a: {"meeting": f"s{session.pk}", "reason": "出差在外"},
                all_of(new_row(LeaveRequest, deputy_id=lambda a: w.deputy_of(a).pk, congress_session_id=session.pk),
                       history("leave", "request")))


def _reports(w):
    return Case(reverse("portal:reports"), lambda a: {
        "date": today().isoformat(), "place": "城东社区活动室", "attendance": 30, "text": "向选民报告一年来的履职情况"},
        new_row(VoterReport, deputy_id=lambda a: w.deputy_of(a).pk, attendance=30))


def _suggestion_new(w):
    return Case(reverse("proposals:portal_new"), lambda a: {
        "title": "关于增设社区养老服务点的建议", "content": "老年人口增多，建议每个社区设一处养老服务点。", "category": w.category.pk},
        all_of(new_row(Suggestion, lead_deputy_id=lambda a: w.deputy_of(a).pk, status="draft"),
               history("suggestion", "create")))


def _suggestion_edit(w, status=S.DRAFT):
    s = suggestion(w, status)
    return Case(reverse("proposals:portal_edit", args=[s.pk]), lambda a: {
        "title": "关于改造城区排水管网的建议（修改稿）", "content": "雨季积水严重，建议分期改造。", "category": w.category.pk},
        all_of(now(s, title="关于改造城区排水管网的建议（修改稿）"), history("suggestion", "edit", obj=s)))


def _suggestion_invite(w, status=S.DRAFT):
    s = suggestion(w, status)
    return Case(reverse("proposals:portal_invite", args=[s.pk]), lambda a: {"deputies": [w.third.pk]},
                all_of(new_row(Cosignature, suggestion_id=s.pk, deputy_id=w.third.pk, status="invited"),
                       history("suggestion", "invite", obj=s)))


def _suggestion_submit(w, status=S.DRAFT):
    s = suggestion(w, status)
    return Case(reverse("proposals:portal_submit", args=[s.pk]),
                effect=all_of(now(s, status=S.SUBMITTED), history("suggestion", "submit", obj=s)))


def _cosign_respond(w, status=S.SUBMITTED):
    c = Cosignature.objects.create(suggestion=suggestion(w, status, lead=w.third), deputy=w.deputy)
    return Case(reverse("proposals:portal_cosign_respond", args=[c.pk]), lambda a: {"decision": "confirm"},
                all_of(now(c, status=Cosignature.Status.CONFIRMED), history("cosignature", "confirm", obj=c)))


def _evaluate(w, evaluated=False):
    s, a, r = replied(w, published=True)
    if evaluated:
        Evaluation.objects.create(reply=r, deputy=w.deputy, rating=Evaluation.Rating.SATISFIED, entered_by=w.users["deputy"])
    return Case(reverse("proposals:portal_evaluate", args=[r.pk]), lambda x: {"rating": "satisfied", "comment": "办理认真"},
                all_of(new_row(Evaluation, reply_id=r.pk, deputy_id=w.deputy.pk), history("assignment", "evaluate", obj=a)))


def _send_back(w, window=5):
    a = assignment(w, suggestion(w, S.ASSIGNED), send_back_until=days(window))
    return Case(reverse("unit:send_back", args=[a.pk]), lambda x: {"reason": "不属于本单位职责"},
                all_of(now(a, status=A.SEND_BACK_REQUESTED), history("assignment", "request_send_back", obj=a)))


def _contact(w, status=A.ASSIGNED):
    a = assignment(w, suggestion(w, S.ASSIGNED), status)
    return Case(reverse("unit:contact", args=[a.pk]), lambda x: {
        "stage": "before", "method": "phone", "date": today().isoformat(), "summary": "电话联系代表了解诉求"},
        all_of(new_row(ContactRecord, assignment_id=a.pk), now(a, status=A.HANDLING), history("assignment", "contact", obj=a)))


def _assist_opinion(w, status=A.ASSIGNED):
    s = suggestion(w, S.ASSIGNED)
    assignment(w, s, unit=w.third_org)
    a = assignment(w, s, status, role=Assignment.Role.ASSISTING)
    return Case(reverse("unit:opinion", args=[a.pk]), lambda x: {"content": "建议结合老旧小区改造统筹实施"},
                all_of(new_row(AssistOpinion, assignment_id=a.pk), now(a, status=A.OPINION_SENT)))


def _reply(w, status=A.ASSIGNED):
    s = suggestion(w, S.ASSIGNED)
    a = assignment(w, s, status)
    return Case(reverse("unit:reply", args=[a.pk]), lambda x: {
        "letter": pdf(), "result": "A", "summary": "已列入年度计划", "publishable": "on"},
        all_of(new_row(Reply, assignment_id=a.pk, result="A"), now(a, status=A.REPLIED), now(s, status=S.REPLIED)))


def _followup(w, result="B"):
    s, a, r = replied(w, result=result)
    return Case(reverse("unit:followup", args=[a.pk]), lambda x: {"year": today().year, "progress": "已完成一期工程"},
                all_of(new_row(FollowUpReport, assignment_id=a.pk), history("assignment", "followup", obj=a)))


def _opinion_new(w, active=True):
    station = w.station
    if not active:
        station = Station.objects.create(name="已撤销的联络站", kind=Station.Kind.LIAISON, town=w.town, is_active=False)
    # a different address for each sender: the form's hourly limit per address is not what this file tests
    return Case(reverse("stations:opinion_new", args=[station.pk]), lambda a: {
        "category": "urban", "content": "小区门口路灯坏了两个月，晚上出行不便", "name": "", "phone": "", "website": ""},
        all_of(new_row(VoterOpinion, station_id=station.pk, status="received"), history("opinion", "submit")),
        meta=lambda a: {"REMOTE_ADDR": f"10.{uuid.uuid4().int % 250}.{uuid.uuid4().int % 250}.{uuid.uuid4().int % 250}"})


def _opinion_rate(w, status=VoterOpinion.Status.REPLIED):
    o = opinion(w, status)
    return Case(reverse("stations:opinion_track", args=[o.tracking_code]), lambda a: {"satisfaction": "satisfied"},
                all_of(now(o, status=VoterOpinion.Status.CLOSED, satisfaction="satisfied"), history("opinion", "rate", obj=o)))


def _unit_opinion_reply(w, status=VoterOpinion.Status.REFERRED):
    o = opinion(w, status, unit=w.unit_org)
    return Case(reverse("stations_unit:detail", args=[o.pk]), lambda a: {"reply": "已安排施工队本周修复"},
                all_of(now(o, status=VoterOpinion.Status.REPLIED), history("opinion", "unit_reply", obj=o)))


def _poll_vote(w, status=SatisfactionPoll.Status.OPEN):
    p = poll(w, status)
    return Case(reverse("supervision:poll_vote", args=[p.pk]), lambda a: {"choice": "satisfied"},
                all_of(new_row(PollBallot, poll_id=p.pk, choice="satisfied"), history("poll", "vote", obj=p)))


def _rectification_report(w, status=Rectification.Status.OPEN):
    item = rectification(w, status)
    return Case(reverse("supervision_unit:rectification", args=[item.pk]), lambda a: {"text": "已完成整改，设置了护栏"},
                all_of(new_row(RectificationReport, rectification_id=item.pk), history("rectification", "report", obj=item)))


def _work_report_submit(w, status=WorkReport.Status.PLANNED):
    r = work_report(w, status)
    return Case(reverse("supervision_unit_reports:work_report", args=[r.pk]), lambda a: {"file": _pdf(), "note": ""},
                all_of(new_row(ReportSubmission, work_report_id=r.pk), history("work_report", "submit_draft", obj=r)))


def _review_opinion_report(w, status=ReviewOpinion.Status.SENT):
    o = review_opinion(w, status)
    return Case(reverse("supervision_unit_reports:review_opinion", args=[o.pk]), lambda a: {"file": _pdf(), "note": ""},
                all_of(new_row(ReportSubmission, kind="handling"), history("review_opinion", "report", obj=o)))
def _appraisal_self_check(w, status=Appraisal.Status.SELF_CHECK):
    made = appraisal(w, status)
    return Case(reverse("supervision_appraisal_unit:detail", args=[made.pk]),
                lambda a: {"report": "自查发现审批时限过长等问题三项，已制定整改措施。"},
                all_of(now(made, self_check_at=SET), history("appraisal", "report_self_check", obj=made)))


def _notification_read(w):
    n = Notification.objects.create(recipient=w.users["deputy"], kind="test", title="您有一条新通知")
    return Case(reverse("congress:notification_read", args=[n.pk]), lambda a: {"next": "/portal/"},
                now(n, read_at=SET))


def _notifications_read_all(w):
    for actor, user in w.users.items():
        if user is not None:
            Notification.objects.create(recipient=user, kind="test", title=f"给{actor}的通知")

    def effect(actor, before, after, response):
        mine = w.users[actor].pk
        old = {r["id"]: r for r in before["congress.Notification"]}
        for row in after["congress.Notification"]:
            if row["recipient_id"] == mine:
                assert row["read_at"] is not None
            else:
                assert row == old[row["id"]], "another user's notification changed"
    return Case(reverse("congress:notifications_read_all"), effect=effect)


def _login(w):
    user = create_user_with_role(username=f"login{w.next()}", password=PASSWORD, role=roles.DEPUTY)

    def effect(actor, before, after, response):
        assert w.clients[actor].session.get("_auth_user_id") == str(user.pk)
        assert User.objects.get(pk=user.pk).last_login is not None
    return Case(reverse("accounts:login"), lambda a: {"username": user.username, "password": PASSWORD}, effect)


def _logout(w):
    def effect(actor, before, after, response):
        assert "_auth_user_id" not in w.clients[actor].session
    return Case(reverse("accounts:logout"), effect=effect)


NEW_PASSWORD = "Xin-Mima@2027!"


def _password_change(w):
    def effect(actor, before, after, response):
        assert User.objects.get(pk=w.users[actor].pk).check_password(NEW_PASSWORD)
        assert [r for r in before["congress.User"] if r["id"] != w.users[actor].pk] == \
            [r for r in after["congress.User"] if r["id"] != w.users[actor].pk], "another user's account changed"
    return Case(reverse("accounts:password_change"), lambda a: {
        "old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}, effect)


def totp(device) -> str:
    return f"{TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift).token():06d}"


ENROLLING = {"staff", "town", "leader", "other_town"}  # staff accounts that may turn the second factor on


def _second_factor(w):
    devices = {a: second_factor_device_for(actor=w.users[a]) for a in ENROLLING}

    def data(actor):
        return {"token": totp(devices.get(actor, devices["staff"])), "next": "/admin/"}

    def effect(actor, before, after, response):
        assert TOTPDevice.objects.get(pk=devices[actor].pk).confirmed
    return Case(reverse("accounts:second_factor"), data, effect)


def _set_language(w):
    def effect(actor, before, after, response):
        assert response.cookies[django_settings.LANGUAGE_COOKIE_NAME].value == "en"
    return Case(reverse("set_language"), lambda a: {"language": "en", "next": "/"}, effect)


EVERYONE = frozenset(ACTORS)
LOGGED_IN = frozenset(ACTORS) - {"anonymous"}
POSTS: dict[str, Post] = {
    # the deputy portal: a deputy creates their own rows; another deputy's object is not found
    "portal:activity_new": Post(_activity_new, table(refused(403), deputy=302, other_deputy=302),
                                frozenset({"deputy", "other_deputy"}), note="each deputy reports their own"),
    "portal:activity_confirm": Post(_activity_confirm, table(refused(403), deputy=302, other_deputy=404),
                                    frozenset({"deputy"}), wrong=lambda w: _activity_confirm(w, DutyActivity.Status.RETURNED)),
    "portal:signin": Post(_signin, table(refused(403), deputy=302, other_deputy=302), frozenset({"deputy", "other_deputy"}),
                          wrong=lambda w: _signin(w, open_=False), wrong_expect=200,
                          note="by design any deputy holding the event's code signs in (a walk-in joins the list)"),
    "portal:leave": Post(_leave, table(refused(403), deputy=302, other_deputy=302), frozenset({"deputy", "other_deputy"})),
    "portal:reports": Post(_reports, table(refused(403), deputy=302, other_deputy=302), frozenset({"deputy", "other_deputy"})),
    "proposals:portal_new": Post(_suggestion_new, table(refused(403), deputy=302, other_deputy=302),
                                 frozenset({"deputy", "other_deputy"})),
    "proposals:portal_edit": Post(_suggestion_edit, table(refused(403), deputy=302, other_deputy=404), frozenset({"deputy"}),
                                  wrong=lambda w: _suggestion_edit(w, S.SUBMITTED), wrong_expect=403),
    "proposals:portal_invite": Post(_suggestion_invite, table(refused(403), deputy=302, other_deputy=404),
                                    frozenset({"deputy"}), wrong=lambda w: _suggestion_invite(w, S.SUBMITTED)),
    "proposals:portal_submit": Post(_suggestion_submit, table(refused(403), deputy=302, other_deputy=404),
                                    frozenset({"deputy"}), wrong=lambda w: _suggestion_submit(w, S.REGISTERED)),
    "proposals:portal_cosign_respond": Post(_cosign_respond, table(refused(403), deputy=302, other_deputy=404),
                                            frozenset({"deputy"}), wrong=lambda w: _cosign_respond(w, S.CLOSED)),
    # a published reply is public, so another deputy reaches the service, which refuses (back with the message)
    "proposals:portal_evaluate": Post(_evaluate, table(refused(403), deputy=302, other_deputy=302), frozenset({"deputy"}),
                                      wrong=lambda w: _evaluate(w, evaluated=True)),
    # the unit workspace: another unit's assignment is not found
    "unit:send_back": Post(_send_back, table(refused(403), **UNITS), frozenset({"unit"}), wrong=lambda w: _send_back(w, -1)),
    "unit:contact": Post(_contact, table(refused(403), **UNITS), frozenset({"unit"}), wrong=lambda w: _contact(w, A.SENT_BACK)),
    "unit:opinion": Post(_assist_opinion, table(refused(403), **UNITS), frozenset({"unit"}),
                         wrong=lambda w: _assist_opinion(w, A.OPINION_SENT)),
    "unit:reply": Post(_reply, table(refused(403), **UNITS), frozenset({"unit"}), wrong=lambda w: _reply(w, A.REPLIED)),
    "unit:followup": Post(_followup, table(refused(403), **UNITS), frozenset({"unit"}), wrong=lambda w: _followup(w, "A")),
    "stations_unit:detail": Post(_unit_opinion_reply, table(refused(403), **UNITS), frozenset({"unit"}),
                                 wrong=lambda w: _unit_opinion_reply(w, VoterOpinion.Status.REPLIED)),
    "supervision_unit:rectification": Post(_rectification_report, table(refused(403), **UNITS), frozenset({"unit"}),
                                           wrong=lambda w: _rectification_report(w, Rectification.Status.ACCEPTED),
                                           wrong_expect=200),
    "supervision_unit_reports:work_report": Post(_work_report_submit, table(refused(403), **UNITS), frozenset({"unit"}),
                                                 wrong=lambda w: _work_report_submit(w, WorkReport.Status.OPINION_SENT),
                                                 wrong_expect=200),
    "supervision_unit_reports:review_opinion": Post(_review_opinion_report, table(refused(403), **UNITS), frozenset({"unit"}),
                                                    wrong=lambda w: _review_opinion_report(w, ReviewOpinion.Status.CLOSED),
                                                    wrong_expect=200),
    # the appraised department's self-inspection report; refused (back with the message) once the meeting is convened
    "supervision_appraisal_unit:detail": Post(_appraisal_self_check, table(refused(403), **UNITS), frozenset({"unit"}),
                                              wrong=lambda w: _appraisal_self_check(w, Appraisal.Status.MEETING)),
    # the members' ballot: only those on the poll's list (another deputy does not find it); refused once closed
    "supervision:poll_vote": Post(_poll_vote, table(refused(403), deputy=302, other_deputy=404), frozenset({"deputy"}),
                                  wrong=lambda w: _poll_vote(w, SatisfactionPoll.Status.CLOSED), wrong_expect=200),
    # the voters' pages: for everyone by design (no account); the state still decides
    "stations:opinion_new": Post(_opinion_new, table(lambda a: 302), EVERYONE, wrong=lambda w: _opinion_new(w, active=False),
                                 wrong_expect=404, note="public: a voter has no account"),
    "stations:opinion_track": Post(_opinion_rate, table(lambda a: 302), EVERYONE,
                                   wrong=lambda w: _opinion_rate(w, VoterOpinion.Status.RECEIVED),
                                   note="public: whoever holds the tracking code rates; refused before the reply"),
    # one's own notifications and account
    "congress:notification_read": Post(_notification_read, table(refused(302)), frozenset({"deputy"}),
                                       note="another user's notification: 302 and untouched (the service reads the actor's own)"),
    "congress:notifications_read_all": Post(_notifications_read_all, table(refused(302)), LOGGED_IN,
                                            note="each marks their own, nobody else's"),
    "accounts:login": Post(_login, table(lambda a: 302), frozenset({"anonymous"}),
                           note="logged in already: sent on, the session stays theirs", sessions=True),
    "accounts:logout": Post(_logout, table(lambda a: LOGIN), EVERYONE, note="then on to the login page", sessions=True),
    "accounts:password_change": Post(_password_change, table(refused(302)), LOGGED_IN, note="one's own password", sessions=True),
    "accounts:second_factor": Post(_second_factor, table(refused(302)), frozenset(ENROLLING),
                                   note="the three administrators are verified already and sent on; others are no staff",
                                   sessions=True),
    "set_language": Post(_set_language, table(lambda a: 302), EVERYONE, note="a cookie, no row", sessions=True),
}



# 国家机关进家站点 in the unit workspace (stations/views_organs.py): each organ keeps its own items and records its own
# visits (another organ's POST acts on its own organ; its item is not found); nobody else reaches the pages
def _organ_items(w):
    from stations.models import OrganServiceItem

    return {org.pk: OrganServiceItem.objects.get_or_create(organ=org, name="不动产登记咨询")[0]
            for org in (w.unit_org, w.other_org)}


def _organ_of(w, actor):
    return w.other_org if actor == "other_unit" else w.unit_org


def _organ_item_add(w):
    from stations.models import OrganServiceItem

    return Case(reverse("stations_organ_unit:items"), lambda a: {"name": f"进站事项{w.next()}", "description": "",
                                                                   "sort_order": 100, "is_active": "on"},
                new_row(OrganServiceItem, organ_id=lambda a: _organ_of(w, a).pk))


def _organ_item_edit(w):
    from stations.models import OrganServiceItem

    item = OrganServiceItem.objects.create(organ=w.unit_org, name=f"房屋鉴定受理{w.next()}")
    return Case(reverse("stations_organ_unit:item", args=[item.pk]), lambda a: {
        "name": f"{item.name}（已改）", "description": "", "sort_order": 5}, now(item, name=f"{item.name}（已改）", is_active=False))


def _organ_visit_new(w, active=True):
    from stations.models import OrganVisit

    items = _organ_items(w)
    station = w.station
    if not active:
        station = Station.objects.create(name=f"已撤销的站{w.next()}", kind=Station.Kind.LIAISON, town=w.town,
                                         address="路", is_active=False)
    return Case(reverse("stations_organ_unit:visit_new"), lambda a: {
        "station": station.pk, "date": days(-1).isoformat(), "staff_names": "李科长", "voters_served": 6,
        "items": [items[_organ_of(w, a).pk].pk], "results": "现场解答群众咨询"},
        new_row(OrganVisit, organ_id=lambda a: _organ_of(w, a).pk, station_id=station.pk, voters_served=6))


ORGANS = frozenset({"unit", "other_unit"})
POSTS.update({
    "stations_organ_unit:items": Post(_organ_item_add, table(refused(403), unit=302, other_unit=302), ORGANS,
                                      note="each organ adds to its own list"),
    "stations_organ_unit:item": Post(_organ_item_edit, table(refused(403), **UNITS), frozenset({"unit"})),
    "stations_organ_unit:visit_new": Post(_organ_visit_new, table(refused(403), unit=302, other_unit=302), ORGANS,
                                          wrong=lambda w: _organ_visit_new(w, active=False), wrong_expect=200,
                                          note="each organ records its own visits; a stopped station is refused"),
})

def run_post(w, name: str) -> tuple[int, list[str]]:
    spec, errors, sent = POSTS[name], [], 0

    def send(actor, case):
        nonlocal sent
        sent += 1
        return w.clients[actor].post(case.url, case.data(actor), **case.meta(actor))

    def refused(actor, case, expect, before, what=""):
        got = outcome(send(actor, case))
        if got != expect:
            errors.append(f"{name} {actor}{what}: expected {expect}, got {got}")
        after = fingerprint()
        if after != before:
            errors.append(f"{name} {actor}{what} changed {changed_tables(before, after)}")
        return after

    case = spec.make(w)
    before = fingerprint()
    for actor in ACTORS:
        if actor not in spec.allowed:
            before = refused(actor, case, spec.expect[actor], before)
    for actor in sorted(spec.allowed, key=ACTORS.index):
        case = spec.make(w)
        before = dump()
        response = send(actor, case)
        got = outcome(response)
        if got != spec.expect[actor]:
            errors.append(f"{name} {actor}: expected {spec.expect[actor]}, got {got}")
        try:
            case.effect(actor, before, dump(), response)
        except AssertionError as exc:
            errors.append(f"{name} {actor}: the POST did not take effect: {exc}")
    if spec.wrong is not None:
        case = spec.wrong(w)
        before = fingerprint()
        for actor in sorted(spec.allowed, key=ACTORS.index):
            before = refused(actor, case, spec.wrong_expect, before, " (wrong state)")
    if spec.sessions:
        w.log_in_all()
    return sent, errors


# 代表约见: a request drafted by the third deputy (no account) and signed by the deputy (and, if asked, the other one)
def meeting_request(w, status=MeetingRequest.Status.DRAFT, *, both=False, rated=False) -> MeetingRequest:
    made = MeetingRequest.objects.create(subject=f"加装电梯推进缓慢（{w.next()}）", content="审批慢、协调难。",
                                         organization=w.unit_org, drafted_by=w.third, status=status,
                                         decided_at=timezone.now() if status != MeetingRequest.Status.DRAFT else None,
                                         met_on=today() if status in MeetingRequest.ORGAN_SEES[1:] else None,
                                         reply_due=days(30), reply="已答复" if status in MeetingRequest.ORGAN_SEES[2:] else "")
    for deputy in [w.third, w.deputy, *([w.other_deputy] if both else [])]:
        MeetingSigner.objects.create(request=made, deputy=deputy)
    if rated:
        MeetingRating.objects.create(request=made, deputy=w.third, choice="satisfied")
    return made


def _meeting_new(w):
    return Case(reverse("supervision:meeting_new"), lambda a: {
        "subject": "加装电梯推进缓慢", "organization": w.unit_org.pk, "head": "", "content": "审批慢、协调难。"},
        all_of(new_row(MeetingRequest, drafted_by_id=lambda a: w.deputy_of(a).pk, status="draft"),
               history("meeting_request", "create")))


def _meeting_rate(w, status=MeetingRequest.Status.REPLIED):
    made = meeting_request(w, status)
    return Case(reverse("supervision:meeting", args=[made.pk]), lambda a: {"action": "rate", "choice": "basic"},
                all_of(new_row(MeetingRating, request_id=made.pk, deputy_id=w.deputy.pk),
                       history("meeting_request", "rate", obj=made)))


def _meeting_reply(w, status=MeetingRequest.Status.MET):
    made = meeting_request(w, status)
    return Case(reverse("supervision_unit_meetings:detail", args=[made.pk]), lambda a: {"text": "已制定三年行动计划"},
                all_of(now(made, status=MeetingRequest.Status.REPLIED), history("meeting_request", "reply", obj=made)))


POSTS.update({
    # any deputy drafts; only a signer finds a request past its draft (another deputy: not found); refused once rated
    "supervision:meeting_new": Post(_meeting_new, table(refused(403), deputy=302, other_deputy=302),
                                    frozenset({"deputy", "other_deputy"})),
    "supervision:meeting": Post(_meeting_rate, table(refused(403), deputy=302, other_deputy=404), frozenset({"deputy"}),
                                wrong=lambda w: _meeting_rate(w, MeetingRequest.Status.RATED)),
    "supervision_unit_meetings:detail": Post(_meeting_reply, table(refused(403), **UNITS), frozenset({"unit"}),
                                             wrong=lambda w: _meeting_reply(w, MeetingRequest.Status.REPLIED),
                                             wrong_expect=200),
})


def planned_posts(name: str) -> int:
    spec = POSTS[name]
    return len(ACTORS) + (len(spec.allowed) if spec.wrong else 0)


def area(name: str) -> str:
    """The endpoints of one area share a test (and its world)."""
    return name.split(":")[0] if ":" in name else "i18n"


@pytest.mark.parametrize("where", sorted({area(n) for n in POSTS}))
def test_every_actor_posts_valid_data_to_each_endpoint_and_only_the_allowed_change_anything(w, where):
    names = [n for n in POSTS if area(n) == where]
    sent, errors = 0, []
    for name in names:
        n, e = run_post(w, name)
        sent, errors = sent + n, errors + e
    assert not errors, "\n".join(errors)
    assert sent == sum(planned_posts(n) for n in names)


# ------------------------------------------------------------------------------------------------ GET-only pages


def _get_only_objects(w) -> dict:
    act = activity(w, confirmed=False, signin_token=uuid.uuid4(), signin_open=True)
    s, a, r = replied(w, published=True)
    assisting = assignment(w, s, A.OPINION_SENT, role=Assignment.Role.ASSISTING, unit=w.third_org)
    return dict(
        activity=act, photo=ActivityPhoto.objects.create(activity=act, image="activities/test.jpg"),
        report=VoterReport.objects.create(deputy=w.deputy, date=days(-1), place="社区", attendance=3, file="reports/t.pdf"),
        suggestion=s, assignment=a, reply=r,
        attachment=SuggestionAttachment.objects.create(suggestion=s, file="suggestions/attachments/t.pdf", name="t.pdf"),
        assist=AssistOpinion.objects.create(assignment=assisting, content="会办意见", attachment="suggestions/opinions/t.pdf",
                                            sent_by=w.users["staff"]),
        evidence=RectificationReport.objects.create(rectification=rectification(w), text="已整改",
                                                    evidence="supervision/rectification/t.pdf", reported_by=w.users["unit"]),
        submission=ReportSubmission.objects.create(work_report=work_report(w), kind="draft", file="supervision/reports/t.pdf",
                                                   submitted_by=w.users["unit"]),
        opinion_letter=_with_letter(review_opinion(w)),
    )


# URL name → the URL of a real object (o: _get_only_objects)
GET_ONLY: dict[str, Callable] = {
    "home": lambda w, o: reverse("home"),
    "healthz": lambda w, o: reverse("healthz"),
    "congress:go": lambda w, o: reverse("congress:go"),
    "congress:notifications": lambda w, o: reverse("congress:notifications"),
    "congress:overdue": lambda w, o: reverse("congress:overdue"),
    "congress:dashboard": lambda w, o: reverse("congress:dashboard"),
    "accounts:password_change_done": lambda w, o: reverse("accounts:password_change_done"),
    "portal:home": lambda w, o: reverse("portal:home"),
    "portal:activity_detail": lambda w, o: reverse("portal:activity_detail", args=[o["activity"].pk]),
    "portal:photo": lambda w, o: reverse("portal:photo", args=[o["photo"].pk]),
    "portal:deputy_photo": lambda w, o: reverse("portal:deputy_photo", args=[w.deputy.pk]),
    "portal:report_file": lambda w, o: reverse("portal:report_file", args=[o["report"].pk]),
    "portal:record": lambda w, o: reverse("portal:record"),
    "portal:record_pdf": lambda w, o: reverse("portal:record_pdf"),
    "congress:letter_file": lambda w, o: reverse("congress:letter_file", args=[999999]),
    "unit_letters:list": lambda w, o: reverse("unit_letters:list"),
    "proposals:session_archive_file": lambda w, o: reverse("proposals:session_archive_file", args=[999999]),
    "portal:points": lambda w, o: reverse("portal:points"),
    "portal:search": lambda w, o: reverse("portal:search") + "?q=电梯",
    "portal:event_qr": lambda w, o: reverse("portal:event_qr", args=[o["activity"].pk]),
    "proposals:portal_list": lambda w, o: reverse("proposals:portal_list"),
    "proposals:portal_invitations": lambda w, o: reverse("proposals:portal_invitations"),
    "proposals:portal_deputy_search": lambda w, o: reverse("proposals:portal_deputy_search"),
    "proposals:portal_detail": lambda w, o: reverse("proposals:portal_detail", args=[o["suggestion"].pk]),
    "proposals:attachment": lambda w, o: reverse("proposals:attachment", args=[o["attachment"].pk]),
    "proposals:opinion_attachment": lambda w, o: reverse("proposals:opinion_attachment", args=[o["assist"].pk]),
    "proposals:public_list": lambda w, o: reverse("proposals:public_list"),
    "proposals:public_detail": lambda w, o: reverse("proposals:public_detail", args=[o["reply"].pk]),
    "proposals:reply_letter": lambda w, o: reverse("proposals:reply_letter", args=[o["reply"].pk]),
    "unit:inbox": lambda w, o: reverse("unit:inbox"),
    "unit:detail": lambda w, o: reverse("unit:detail", args=[o["assignment"].pk]),
    "stations:public_list": lambda w, o: reverse("stations:public_list"),
    "stations:public_detail": lambda w, o: reverse("stations:public_detail", args=[w.station.pk]),
    "stations:qr": lambda w, o: reverse("stations:qr", args=[w.station.pk]),
    "stations:opinion_lookup": lambda w, o: reverse("stations:opinion_lookup"),
    "stations_unit:list": lambda w, o: reverse("stations_unit:list"),
    "supervision:polls": lambda w, o: reverse("supervision:polls"),
    "supervision_unit:rectifications": lambda w, o: reverse("supervision_unit:rectifications"),
    "supervision:rectification_evidence": lambda w, o: reverse("supervision:rectification_evidence", args=[o["evidence"].pk]),
    "supervision_unit_reports:work_reports": lambda w, o: reverse("supervision_unit_reports:work_reports"),
    "supervision:report_submission_file": lambda w, o: reverse("supervision:report_submission_file",
                                                               args=[o["submission"].pk]),
    "supervision:review_opinion_letter": lambda w, o: reverse("supervision:review_opinion_letter",
                                                              args=[o["opinion_letter"].pk]),
    "supervision_appraisal_unit:list": lambda w, o: reverse("supervision_appraisal_unit:list"),
    "portal:sw": lambda w, o: reverse("portal:sw"),
    "supervision:inspections": lambda w, o: reverse("supervision:inspections"),
    "supervision:inspection_report_file": lambda w, o: reverse("supervision:inspection_report_file", args=[999999]),
}
GET_ONLY.update({
    "supervision:meetings": lambda w, o: reverse("supervision:meetings"),
    "supervision_unit_meetings:list": lambda w, o: reverse("supervision_unit_meetings:list"),
})
GET_ONLY["stations_organ_unit:visits"] = lambda w, o: reverse("stations_organ_unit:visits")
# A POST answers 405 to everybody (require_GET comes before the login); Django's own page sends anonymous users to
# the login first.
GET_ONLY_EXPECT = {name: table(lambda a: 405) for name in GET_ONLY}
GET_ONLY_EXPECT["accounts:password_change_done"] = table(refused(405))


def test_a_post_to_a_get_only_page_is_refused_for_everyone(w):
    objects = _get_only_objects(w)
    before, errors, sent = dump(), [], 0
    for name, url_for in GET_ONLY.items():
        url = url_for(w, objects)
        for actor in ACTORS:
            got = outcome(w.clients[actor].post(url, {"title": "x"}))
            sent += 1
            if got != GET_ONLY_EXPECT[name][actor]:
                errors.append(f"{name} {actor}: expected {GET_ONLY_EXPECT[name][actor]}, got {got}")
    assert dump() == before
    assert not errors, "\n".join(errors)
    assert sent == len(GET_ONLY) * len(ACTORS)


# ------------------------------------------------------------------------------------------------ admin workflow pages


def url_callbacks(patterns=None, namespace="") -> dict:
    """URL name → view, for every named pattern (the workflow pages carry `workflow_page`, congress.lib.admin)."""
    from django.urls import URLPattern, URLResolver

    found = {}
    for p in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(p, URLResolver):
            ns = f"{namespace}:{p.namespace}".strip(":") if p.namespace else namespace
            found.update(url_callbacks(p.url_patterns, ns))
        elif isinstance(p, URLPattern) and p.name:
            found[f"{namespace}:{p.name}".strip(":")] = p.callback
    return found


def workflow_pages() -> dict:
    """URL name → (WorkflowPage, its ModelAdmin), found from the resolver."""
    return {name: (view.workflow_page, view.model_admin) for name, view in url_callbacks().items()
            if hasattr(view, "workflow_page")}


@dataclass
class Page:
    right: Callable        # w → (an object whose page's step the allowed actors may take now, the valid data)
    wrong: Callable        # w → (an object in a state that refuses the step, the same data)
    allowed: frozenset
    after: dict = field(default_factory=dict)  # the object's fields after the allowed POST
    scoped: bool = False   # a town's object: the other town's staff do not find it in their list (404)


STAFF, TOWNS = frozenset({"staff"}), frozenset({"staff", "town"})


def _s(status, **fields):
    return lambda w: suggestion(w, status, **fields)


def _merge(status):
    def make(w):
        into = suggestion(w, S.REGISTERED, title="关于加快城区排水管网改造的建议")
        return suggestion(w, status), {"into": into.pk, "reason": "内容相近", "confirmed": into.pk}  # the second submit
    return make


def _with(make, data):
    return lambda w: (make(w), data(w) if callable(data) else data)


def _paper(status):
    def make(w):
        s, a, r = replied(w, suggestion_status=status)
        return s, {"reply": r.pk, "deputy": w.deputy.pk, "rating": "satisfied", "comment": ""}
    return make


def _a(status, **fields):
    return lambda w: assignment(w, suggestion(w, S.ASSIGNED), status, **fields)


def _replied_assignment(w):
    return replied(w)[1]


NOTE, REASON = {"note": ""}, {"reason": "理由写在这里"}
QUESTIONNAIRE = {"respondents": "voters", "sent": 200, "returned": 150, "score": "82.5", "note": ""}
OPINION = {"opinion": "审批服务效率有待提高"}
ASSIGN = lambda w: {"title": f"压缩审批时限（{w.next()}）", "description": "", "due_date": days(90).isoformat()}  # noqa: E731


def _surveyed(made):
    AppraisalSurvey.objects.create(appraisal=made, respondents="deputies", sent=10, returned=9, score=80)
    return made
PRIORITY = lambda w: {"supervising_leader": "李主任", "government_official": "王副区长",  # noqa: E731
                      "supervising_body": w.working_body.pk, "reason": ""}
SUPERVISION = {"date": datetime.date(2024, 5, 10).isoformat(), "description": "现场察看排水管网改造进度"}
RECORD = lambda w: {"visitor_count": 12, "opinion_count": 2, "present": [w.deputy.pk], "summary": "群众反映停车难"}  # noqa: E731
DECISION = {"decided_on": "", "note": ""}

PAGES: dict[str, Page] = {
    "admin:proposals_suggestion_register": Page(_with(_s(S.SUBMITTED), NOTE), _with(_s(S.REGISTERED), NOTE), STAFF,
                                                {"status": S.REGISTERED}),
    "admin:proposals_suggestion_town_review": Page(
        lambda w: (suggestion(w, S.PRESUBMITTED, town=w.town), {"decision": "forward", "comment": "同意提交"}),
        lambda w: (suggestion(w, S.TOWN_RETURNED, town=w.town), {"decision": "forward", "comment": "同意提交"}),
        frozenset({"town"}), {"status": S.SUBMITTED}, scoped=True),
    "admin:proposals_suggestion_return": Page(_with(_s(S.SUBMITTED), REASON), _with(_s(S.ASSIGNED), REASON), STAFF,
                                              {"status": S.RETURNED}),
    "admin:proposals_suggestion_merge": Page(_merge(S.SUBMITTED), _merge(S.ASSIGNED), STAFF, {"status": S.MERGED}),
    "admin:proposals_suggestion_assign": Page(_with(_s(S.REGISTERED), lambda w: {"lead": w.unit_org.pk}),
                                              _with(_s(S.SUBMITTED), lambda w: {"lead": w.unit_org.pk}), STAFF,
                                              {"status": S.ASSIGNED}),
    "admin:proposals_suggestion_priority": Page(_with(_s(S.REGISTERED), PRIORITY), _with(_s(S.SUBMITTED), PRIORITY), STAFF,
                                                {"is_priority": True}),
    "admin:proposals_suggestion_supervise": Page(_with(_s(S.REGISTERED, is_priority=True), SUPERVISION),
                                                 _with(_s(S.SUBMITTED, is_priority=True), SUPERVISION), STAFF),
    "admin:proposals_suggestion_evaluate": Page(_paper(S.REPLIED), _paper(S.CLOSED), STAFF),
    "admin:proposals_suggestion_close": Page(_with(lambda w: replied(w)[0], NOTE), _with(_s(S.ASSIGNED), NOTE), STAFF,
                                             {"status": S.CLOSED}),
    "admin:proposals_assignment_send_back": Page(_with(_a(A.SEND_BACK_REQUESTED), {"decision": "approve", "note": ""}),
                                                 _with(_a(A.ASSIGNED), {"decision": "approve", "note": ""}), STAFF,
                                                 {"status": A.SENT_BACK}),
    "admin:proposals_assignment_extend": Page(_with(_a(A.ASSIGNED), {"months": 1, "reason": "需协调多个部门"}),
                                              _with(_a(A.REPLIED), {"months": 1, "reason": "需协调多个部门"}), STAFF,
                                              {"extended_due_date": SET}),
    "admin:proposals_assignment_release": Page(
        _with(lambda w: assignment(w, suggestion(w, S.ASSIGNED), role=Assignment.Role.ASSISTING), REASON),
        _with(lambda w: assignment(w, suggestion(w, S.ASSIGNED), A.OPINION_SENT, role=Assignment.Role.ASSISTING), REASON),
        STAFF, {"status": A.RELEASED}),
    "admin:proposals_assignment_rehandle": Page(_with(_replied_assignment, REASON), _with(_a(A.ASSIGNED), REASON), STAFF,
                                                {"status": A.REHANDLING}),
    # official letters change no state: the step on the timeline (and the letter) is what the allowed POST leaves
    "admin:proposals_assignment_letter_assign": Page(_with(_a(A.ASSIGNED), NOTE), _with(_a(A.SENT_BACK), NOTE), STAFF),
    "admin:proposals_assignment_letter_supervise": Page(_with(_a(A.HANDLING), NOTE), _with(_replied_assignment, NOTE),
                                                        STAFF),
    "admin:proposals_assignment_letter_remind": Page(_with(_a(A.ASSIGNED, extended_due_date=days(-3)), NOTE),
                                                     _with(_a(A.ASSIGNED), NOTE), STAFF),
    "admin:supervision_satisfactionpoll_open": Page(
        _with(lambda w: _draft_poll(w), {}), _with(lambda w: poll(w), {}), STAFF, {"status": SatisfactionPoll.Status.OPEN}),
    "admin:supervision_satisfactionpoll_paper": Page(
        _poll_paper,
        _with(lambda w: poll(w, SatisfactionPoll.Status.CLOSED), {"satisfied": 1, "basic": 0, "unsatisfied": 0, "invalid": 0}),
        STAFF),
    "admin:supervision_satisfactionpoll_close": Page(
        _with(lambda w: poll(w, voted=True), {}), _with(lambda w: _draft_poll(w), {}), STAFF,
        {"status": SatisfactionPoll.Status.CLOSED}),
    "admin:supervision_satisfactionpoll_publish": Page(
        _with(lambda w: poll(w, SatisfactionPoll.Status.CLOSED), {}), _with(lambda w: poll(w), {}), STAFF,
        {"status": SatisfactionPoll.Status.PUBLISHED}),
    "admin:supervision_rectification_accept": Page(
        _with(lambda w: rectification(w, Rectification.Status.SUBMITTED), NOTE), _with(lambda w: rectification(w), NOTE),
        STAFF, {"status": Rectification.Status.ACCEPTED}),
    "admin:supervision_rectification_return": Page(
        _with(lambda w: rectification(w, Rectification.Status.SUBMITTED), REASON), _with(lambda w: rectification(w), REASON),
        STAFF, {"status": Rectification.Status.OPEN}),
    "admin:supervision_workreport_schedule": Page(
        _with(lambda w: work_report(w), lambda w: {"meeting": meeting(w, 40).pk}),
        _with(lambda w: work_report(w, WorkReport.Status.OPINION_SENT, in_days=0), lambda w: {"meeting": meeting(w, 40).pk}),
        STAFF),
    "admin:supervision_workreport_distribute": Page(
        _with(lambda w: work_report(w, WorkReport.Status.REVISED), {}), _with(lambda w: work_report(w), {}), STAFF,
        {"copies_sent_at": SET}),
    "admin:supervision_workreport_deliberate": Page(
        _with(lambda w: work_report(w, WorkReport.Status.REVISED, in_days=0), {"deliberation": "进度偏慢"}),
        _with(lambda w: work_report(w, in_days=0), {"deliberation": "进度偏慢"}), STAFF,
        {"status": WorkReport.Status.DELIBERATED}),
    "admin:supervision_workreport_opinion": Page(
        _with(lambda w: work_report(w, WorkReport.Status.DELIBERATED, in_days=0), {"text": "一、加快进度。", "sent_on": ""}),
        _with(lambda w: work_report(w, WorkReport.Status.REVISED, in_days=0), {"text": "一、加快进度。", "sent_on": ""}),
        STAFF, {"status": WorkReport.Status.OPINION_SENT}),
    "admin:supervision_workreport_cancel": Page(
        _with(lambda w: work_report(w), REASON), _with(lambda w: work_report(w, WorkReport.Status.DELIBERATED), REASON),
        STAFF, {"status": WorkReport.Status.CANCELLED}),
    "admin:supervision_reviewopinion_poll": Page(
        _with(lambda w: review_opinion(w, ReviewOpinion.Status.REPORTED), lambda w: {"term": w.term.pk, "basis": "all"}),
        _with(lambda w: review_opinion(w), lambda w: {"term": w.term.pk, "basis": "all"}), STAFF,
        {"status": ReviewOpinion.Status.POLLING}),
    "admin:supervision_reviewopinion_close": Page(
        _with(lambda w: review_opinion(w, ReviewOpinion.Status.REPORTED), NOTE), _with(lambda w: review_opinion(w), NOTE),
        STAFF, {"status": ReviewOpinion.Status.CLOSED}),
    "admin:supervision_reviewopinion_rectify": Page(
        _with(lambda w: review_opinion(w), lambda w: {"title": "加装电梯滞后", "description": "", "due_date": days(60).isoformat()}),
        _with(lambda w: review_opinion(w, ReviewOpinion.Status.CLOSED),
              lambda w: {"title": "加装电梯滞后", "description": "", "due_date": days(60).isoformat()}), STAFF),
    "admin:supervision_appraisal_survey": Page(
        _with(lambda w: appraisal(w), NOTE), _with(lambda w: appraisal(w, AP.SURVEYING), NOTE), STAFF,
        {"status": AP.SURVEYING}),
    "admin:supervision_appraisal_questionnaire": Page(
        _with(lambda w: appraisal(w, AP.SURVEYING), QUESTIONNAIRE), _with(lambda w: appraisal(w), QUESTIONNAIRE), STAFF),
    "admin:supervision_appraisal_self_check": Page(
        _with(lambda w: _surveyed(appraisal(w, AP.SURVEYING)), NOTE), _with(lambda w: _surveyed(appraisal(w)), NOTE), STAFF,
        {"status": AP.SELF_CHECK}),
    "admin:supervision_appraisal_convene": Page(
        _with(lambda w: appraisal(w, AP.SELF_CHECK, self_check_at=timezone.now(), self_check_report="自查报告"), CONVENE),
        _with(lambda w: appraisal(w, AP.SURVEYING, self_check_at=timezone.now()), CONVENE), STAFF,
        {"status": AP.MEETING, "poll": SET}),
    "admin:supervision_appraisal_conclude": Page(
        _with(lambda w: appraisal(w, AP.MEETING, poll=poll(w, SatisfactionPoll.Status.CLOSED)), OPINION),
        _with(lambda w: appraisal(w, AP.SELF_CHECK, poll=poll(w, SatisfactionPoll.Status.CLOSED)), OPINION), STAFF,
        {"status": AP.RECTIFYING, "opinion": SET}),
    "admin:supervision_appraisal_assign": Page(
        _with(lambda w: appraisal(w, AP.RECTIFYING), ASSIGN), _with(lambda w: appraisal(w, AP.REVIEWING), ASSIGN), STAFF),
    "admin:supervision_appraisal_review": Page(
        _with(lambda w: appraisal(w, AP.RECTIFYING), NOTE), _with(lambda w: appraisal(w, AP.MEETING), NOTE), STAFF,
        {"status": AP.REVIEWING}),
    "admin:supervision_appraisal_scores": Page(_appraisal_scores(AP.RECTIFYING), _appraisal_scores(AP.SELF_CHECK), STAFF),
    "admin:supervision_appraisal_close": Page(
        _with(lambda w: appraisal(w, AP.REVIEWING, scored=True), NOTE),
        _with(lambda w: appraisal(w, AP.RECTIFYING, scored=True), NOTE), STAFF, {"status": AP.CLOSED}),
    "admin:proposals_proposal_place_on_agenda": Page(_with(proposal, DECISION),
                                                     _with(lambda w: proposal(w, Proposal.Status.CONVERTED), DECISION),
                                                     STAFF, {"status": Proposal.Status.ON_AGENDA}),
    "admin:proposals_proposal_convert": Page(_with(proposal, DECISION),
                                             _with(lambda w: proposal(w, Proposal.Status.ON_AGENDA), DECISION), STAFF,
                                             {"status": Proposal.Status.CONVERTED}),
    "admin:stations_receptionday_record": Page(
        _with(lambda w: reception(w, date=days(-1)), RECORD),
        _with(lambda w: reception(w, ReceptionDay.Status.CANCELLED, date=days(-1)), RECORD), TOWNS,
        {"status": ReceptionDay.Status.HELD}, scoped=True),
    "admin:stations_receptionday_cancel": Page(
        _with(reception, {"reason": "天气原因改期"}), _with(lambda w: reception(w, ReceptionDay.Status.HELD, date=days(-1)),
                                                       {"reason": "天气原因改期"}), TOWNS,
        {"status": ReceptionDay.Status.CANCELLED}, scoped=True),
    "admin:stations_voteropinion_refer": Page(
        _with(opinion, lambda w: {"unit": w.unit_org.pk, "note": ""}),
        _with(lambda w: opinion(w, VoterOpinion.Status.CLOSED), lambda w: {"unit": w.unit_org.pk, "note": ""}), TOWNS,
        {"status": VoterOpinion.Status.REFERRED, "unit_id": SET}, scoped=True),
    "admin:stations_voteropinion_reply": Page(
        _with(opinion, {"reply": "已协调修复"}), _with(lambda w: opinion(w, VoterOpinion.Status.CLOSED), {"reply": "已协调修复"}),
        TOWNS, {"status": VoterOpinion.Status.REPLIED}, scoped=True),
    "admin:stations_voteropinion_decline": Page(
        _with(opinion, {"reason": "涉及诉讼，请通过司法途径解决"}),
        _with(lambda w: opinion(w, VoterOpinion.Status.REPLIED), {"reason": "涉及诉讼，请通过司法途径解决"}), TOWNS,
        {"status": VoterOpinion.Status.DECLINED}, scoped=True),
    "admin:stations_voteropinion_close": Page(
        _with(lambda w: opinion(w, VoterOpinion.Status.REPLIED), {"satisfaction": "satisfied", "note": ""}),
        _with(opinion, {"satisfaction": "satisfied", "note": ""}), TOWNS,
        {"status": VoterOpinion.Status.CLOSED}, scoped=True),
    "admin:deputies_dutyactivity_verify": Page(
        _with(activity, {}), _with(lambda w: activity(w, DutyActivity.Status.VERIFIED), {}), TOWNS,
        {"status": DutyActivity.Status.VERIFIED}, scoped=True),
    "admin:deputies_dutyactivity_return": Page(
        _with(activity, {"reason": "请补充活动照片"}),
        _with(lambda w: activity(w, DutyActivity.Status.RETURNED), {"reason": "请补充活动照片"}), TOWNS,
        {"status": DutyActivity.Status.RETURNED}, scoped=True),
    "admin:deputies_leaverequest_approve": Page(
        _with(leave, {}), _with(lambda w: leave(w, LeaveRequest.Status.APPROVED), {}), TOWNS,
        {"status": LeaveRequest.Status.APPROVED}, scoped=True),
    "admin:deputies_leaverequest_reject": Page(
        _with(leave, {}), _with(lambda w: leave(w, LeaveRequest.Status.REJECTED), {}), TOWNS,
        {"status": LeaveRequest.Status.REJECTED}, scoped=True),
}



# 专题询问 (supervision/admin_inquiries.py): each step of an inquiry at a standing meeting held yesterday
def inquiry(w, status=None, *, officials=True, recorded=True, poll_result=None):
    from congress.models import Meeting
    from supervision.models import Inquiry, InquiryCommitment, InquiryOfficial, InquiryQuestion, InquiryReport

    status = status or Inquiry.Status.PREPARING
    meeting = Meeting.objects.get_or_create(term=w.term, kind=Meeting.Kind.STANDING, number=90,
                                            defaults={"date": days(-1)})[0]
    made = Inquiry.objects.create(meeting=meeting, topic=f"城市更新工作情况（{w.next()}）", status=status)
    made.organizations.set([w.unit_org])
    if officials:
        official = InquiryOfficial.objects.create(inquiry=made, number=1, name="王局长", post="局长", organization=w.unit_org)
        if recorded:
            asked = InquiryQuestion.objects.create(inquiry=made, number=1, asker=w.deputy, respondent=official,
                                                   question="进度为何滞后？", answer="年内完成。")
            InquiryCommitment.objects.create(inquiry=made, number=1, question=asked, organization=w.unit_org,
                                             title="年内完成改造", due_date=days(120))
    if poll_result:
        rated = poll(w, SatisfactionPoll.Status.CLOSED)
        rated.result = poll_result
        rated.save(update_fields=["result"])
        InquiryReport.objects.create(inquiry=made, text="已整改", received_on=days(-1), poll=rated,
                                     recorded_by=w.users["staff"])
    return made


def _inquiry_report_data(w):
    from congress.models import Meeting

    meeting = Meeting.objects.get_or_create(term=w.term, kind=Meeting.Kind.STANDING, number=90,
                                            defaults={"date": days(-1)})[0]
    return {"text": "三个项目均已开工", "received_on": str(days(-1)), "meeting": meeting.pk, "basis": "all"}


def _inquiry_pages():
    from supervision.models import Inquiry

    IS = Inquiry.Status
    return {
        "admin:supervision_inquiry_hold": Page(_with(inquiry, {}), _with(lambda w: inquiry(w, IS.HELD), {}), STAFF,
                                               {"status": IS.HELD}),
        "admin:supervision_inquiry_assign": Page(_with(lambda w: inquiry(w, IS.HELD), {}), _with(inquiry, {}), STAFF,
                                                 {"status": IS.RECTIFYING}),
        "admin:supervision_inquiry_report": Page(_with(lambda w: inquiry(w, IS.RECTIFYING), _inquiry_report_data),
                                                 _with(lambda w: inquiry(w, IS.HELD), _inquiry_report_data), STAFF,
                                                 {"status": IS.POLLING}),
        "admin:supervision_inquiry_close": Page(
            _with(lambda w: inquiry(w, IS.POLLING, poll_result=SatisfactionPoll.Choice.BASIC), NOTE),
            _with(lambda w: inquiry(w, IS.RECTIFYING), NOTE), STAFF, {"status": IS.CLOSED}),
    }


PAGES.update(_inquiry_pages())


def _meeting_pages():
    MS = MeetingRequest.Status
    hold = lambda w: {"met_on": str(today()), "place": "常委会第一会议室", "officials": "王局长（局长）",  # noqa: E731
                      "attendees": [w.deputy.pk], "record": "局长介绍了情况。"}
    return {
        "admin:supervision_meetingrequest_decide": Page(
            _with(lambda w: meeting_request(w, MS.PROPOSED), {"decision": "agree", "reason": "同意约见"}),
            _with(lambda w: meeting_request(w), {"decision": "agree", "reason": "同意约见"}), STAFF, {"status": MS.APPROVED}),
        "admin:supervision_meetingrequest_hold": Page(
            _with(lambda w: meeting_request(w, MS.APPROVED), hold), _with(lambda w: meeting_request(w, MS.PROPOSED), hold),
            STAFF, {"status": MS.MET}),
        "admin:supervision_meetingrequest_close": Page(
            _with(lambda w: meeting_request(w, MS.REPLIED, rated=True), NOTE), _with(lambda w: meeting_request(w, MS.MET), NOTE),
            STAFF, {"status": MS.RATED}),
    }


PAGES.update(_meeting_pages())
# 执法检查 (supervision/admin_inspections.py): each step of an inspection of the fire law, the deputy leading its team
def inspection(w, status=None, *, team=True, visited=True, problems=True):
    from supervision.models import Inspection, InspectionMember, InspectionProblem, InspectionVisit

    made = Inspection.objects.create(year=days(-10).year, law=f"《消防法》（{w.next()}）", working_body=w.working_body,
                                     plan="检查方案", start_date=days(-10), end_date=days(10), report_due=days(40),
                                     status=status or Inspection.Status.PLANNED, meeting=_inspection_meeting(w))
    if team:
        InspectionMember.objects.create(inspection=made, deputy=w.deputy, role=InspectionMember.Role.LEADER)
    if visited:
        visit = InspectionVisit.objects.create(inspection=made, date=days(-2), place="城东商业综合体",
                                               recorded_by=w.users["staff"])
        visit.participants.set([w.deputy])
    if problems:
        InspectionProblem.objects.create(inspection=made, number=1, organization=w.unit_org, title="消防通道被占用",
                                         due_date=days(90))
    return made


def _inspection_meeting(w):
    from congress.models import Meeting

    return Meeting.objects.get_or_create(term=w.term, kind=Meeting.Kind.STANDING, number=90,
                                         defaults={"date": days(-1)})[0]


def _inspection_pages():
    from supervision.models import Inspection

    NS = Inspection.Status
    visit = {"date": str(days(-1)), "place": "临江工业园", "organization": ""}
    return {
        "admin:supervision_inspection_start": Page(_with(inspection, {}), _with(lambda w: inspection(w, NS.INSPECTING), {}),
                                                   STAFF, {"status": NS.INSPECTING}),
        "admin:supervision_inspection_visit": Page(
            _with(lambda w: inspection(w, NS.INSPECTING), lambda w: {**visit, "participants": [w.deputy.pk]}),
            _with(lambda w: inspection(w, NS.REPORTED), lambda w: {**visit, "participants": [w.deputy.pk]}), STAFF),
        "admin:supervision_inspection_report": Page(
            _with(lambda w: inspection(w, NS.INSPECTING), lambda w: {"text": "检查报告", "meeting": _inspection_meeting(w).pk}),
            _with(inspection, lambda w: {"text": "检查报告", "meeting": _inspection_meeting(w).pk}), STAFF,
            {"status": NS.REPORTED}),
        "admin:supervision_inspection_deliberate": Page(
            _with(lambda w: inspection(w, NS.REPORTED), {"meeting": "", "review_opinion": "压实责任"}),
            _with(lambda w: inspection(w, NS.INSPECTING), {"meeting": "", "review_opinion": "压实责任"}), STAFF,
            {"status": NS.DELIBERATED}),
        "admin:supervision_inspection_assign": Page(_with(lambda w: inspection(w, NS.DELIBERATED), {}),
                                                    _with(lambda w: inspection(w, NS.REPORTED), {}), STAFF,
                                                    {"status": NS.RECTIFYING}),
        "admin:supervision_inspection_rectification": Page(
            _with(lambda w: inspection(w, NS.RECTIFYING),
                  lambda w: {"text": "已整改", "meeting": _inspection_meeting(w).pk, "basis": "all"}),
            _with(lambda w: inspection(w, NS.DELIBERATED),
                  lambda w: {"text": "已整改", "meeting": _inspection_meeting(w).pk, "basis": "all"}), STAFF,
            {"status": NS.POLLING}),
        "admin:supervision_inspection_close": Page(_with(lambda w: inspection(w, NS.DELIBERATED, problems=False), NOTE),
                                                   _with(lambda w: inspection(w, NS.INSPECTING), NOTE), STAFF,
                                                   {"status": NS.CLOSED}),
    }


PAGES.update(_inspection_pages())

def page_expect(spec: Page) -> dict:
    def status(actor):
        if actor in spec.allowed:
            return 302
        if actor in NOT_STAFF:
            return LOGIN
        return 404 if actor == "other_town" and spec.scoped else 403
    return table(status)


def run_page(w, name: str) -> tuple[int, list[str]]:
    spec, (page, model_admin) = PAGES[name], workflow_pages()[name]
    flow, expect, errors, sent = model_admin.workflow, page_expect(spec), [], 0
    obj, data = spec.right(w)
    url = reverse(name, args=[obj.pk])
    before = fingerprint()
    for actor in ACTORS:
        if actor in spec.allowed:
            continue
        got = outcome(w.clients[actor].post(url, data))
        sent += 1
        if got != expect[actor]:
            errors.append(f"{name} {actor}: expected {expect[actor]}, got {got}")
        after = fingerprint()
        if after != before:
            errors.append(f"{name} {actor} (refused) changed {changed_tables(before, after)}")
            before = after
    for actor in sorted(spec.allowed):
        obj, data = spec.right(w)
        old = set(StateChange.objects.values_list("pk", flat=True))
        got = outcome(w.clients[actor].post(reverse(name, args=[obj.pk]), data))
        sent += 1
        if got != expect[actor]:
            errors.append(f"{name} {actor}: expected {expect[actor]}, got {got}")
        try:
            now(obj, **spec.after)(actor, None, None, None)
            assert StateChange.objects.exclude(pk__in=old).filter(thread=flow.thread(obj), action__in=page.transitions) \
                .exists(), f"no new history row of {page.transitions}"
        except AssertionError as exc:
            errors.append(f"{name} {actor}: the POST did not take effect: {exc}")
    obj, data = spec.wrong(w)
    before = fingerprint()
    for actor in sorted(spec.allowed):
        response = w.clients[actor].post(reverse(name, args=[obj.pk]), data)
        sent += 1
        refusal = response.context["refusal"] if response.status_code == 200 else ""
        if response.status_code != 200 or not refusal or response.context["form"] is not None:
            errors.append(f"{name} {actor} (wrong state): expected the refusal page, got {response.status_code}")
        after = fingerprint()
        if after != before:
            errors.append(f"{name} {actor} (wrong state) changed {changed_tables(before, after)}")
            before = after
    return sent, errors


def test_every_workflow_page_has_a_row():
    assert set(workflow_pages()) == set(PAGES)


def admin_of(name: str) -> str:
    return workflow_pages()[name][1].opts.label_lower


@pytest.mark.parametrize("model", sorted({admin_of(n) for n in PAGES}))
def test_only_those_the_predicates_allow_take_a_workflow_page_step(w, model):
    names = [n for n in PAGES if admin_of(n) == model]
    sent, errors = 0, []
    for name in names:
        n, e = run_page(w, name)
        sent, errors = sent + n, errors + e
    assert not errors, "\n".join(errors)
    assert sent == sum(len(ACTORS) + len(PAGES[n].allowed) for n in names)


# ------------------------------------------------------------------------------------------------ admin list actions


@dataclass
class Action:
    """A change-list action that changes data, posted with one real object selected (and what its form sends)."""

    make: Callable                         # w → the object to select
    allowed: frozenset
    check: Callable                        # (w, obj) → asserts what the allowed POST did
    data: Callable = lambda w, obj: {"index": "0"}
    given: dict = field(default_factory=dict)  # statuses that differ from action_expect's rule


def _mandate(w):
    from deputies.models import Mandate

    deputy = Deputy.objects.create(full_name="陈代表", gender="F", id_number=sample_id_number(850 + w.next()), town=w.town)
    return Mandate.objects.create(deputy=deputy, level=Mandate.Level.DISTRICT, term=w.term, start_date=days(-900))


def _clerk_with_device(w):
    clerk = create_user_with_role(username=f"clerk{w.next()}", password=PASSWORD, role=roles.TOWN_STAFF)
    TOTPDevice.objects.create(user=clerk, name="手机动态口令", confirmed=True)
    return clerk


def _lettered(kind):
    def check(w, obj):
        assert OfficialLetter.objects.filter(kind=kind, subject_id=obj.pk, addressee=obj.unit).exists(), "no letter"
    return check


def _field(**expected):
    return lambda w, obj: now(obj, **expected)(None, None, None, None)


ACTIONS: dict[tuple[str, str], Action] = {
    ("congress.user", "reset_second_factor"): Action(
        _clerk_with_device, frozenset({"secadmin"}), lambda w, user: not TOTPDevice.objects.filter(user=user).exists()
        or pytest.fail("the device is still there"), given={"sysadmin": 200}),  # the action is the security one's
    ("deputies.mandate", "end_mandates"): Action(_mandate, TOWNS, _field(status="ended")),
    ("deputies.dutyactivity", "verify"): Action(activity, TOWNS, _field(status=DutyActivity.Status.VERIFIED)),
    ("deputies.dutyactivity", "return_for_more"): Action(
        activity, TOWNS, _field(status=DutyActivity.Status.RETURNED),
        lambda w, obj: {"apply": "1", f"reason_{obj.pk}": "请补充活动照片"}),  # the reasons page posts no index
    ("deputies.dutyactivity", "open_signin"): Action(activity, TOWNS, _field(signin_open=True)),
    ("deputies.dutyactivity", "close_signin"): Action(
        lambda w: activity(w, signin_token=uuid.uuid4(), signin_open=True), TOWNS, _field(signin_open=False)),
    ("deputies.leaverequest", "approve"): Action(leave, TOWNS, _field(status=LeaveRequest.Status.APPROVED)),
    ("deputies.leaverequest", "reject"): Action(leave, TOWNS, _field(status=LeaveRequest.Status.REJECTED)),
    ("proposals.suggestion", "register_selected"): Action(_s(S.SUBMITTED), STAFF, _field(status=S.REGISTERED)),
    ("proposals.suggestion", "close_selected"): Action(lambda w: replied(w)[0], STAFF, _field(status=S.CLOSED)),
    ("proposals.reply", "publish_selected"): Action(lambda w: replied(w)[2], STAFF, _field(published_at=SET)),
    ("proposals.proposal", "place_on_agenda"): Action(proposal, STAFF, _field(status=Proposal.Status.ON_AGENDA)),
    ("proposals.proposal", "convert_to_suggestion"): Action(proposal, STAFF, _field(status=Proposal.Status.CONVERTED)),
    # bulk letters (proposals/admin.py AssignmentAdmin): a numbered PDF for the selected batch, or for the overdue one
    ("proposals.assignment", "issue_assignment_letters"): Action(
        lambda w: assignment(w, suggestion(w, S.ASSIGNED)), STAFF, _lettered("assignment")),
    ("proposals.assignment", "issue_reminder_letters"): Action(
        lambda w: assignment(w, suggestion(w, S.ASSIGNED), due_date=days(-3)), STAFF, _lettered("reminder")),
}


PROJECT_APPS = {"congress", "deputies", "stations", "proposals", "supervision"}


def custom_actions() -> set:
    """(model, action) of every change-list action of the project's own (Django's delete and the Excel export aside:
    the model pages' letters cover deleting, and an export changes nothing)."""
    return {(model._meta.label_lower, name) for model, model_admin in admin.site._registry.items()
            if model._meta.app_label in PROJECT_APPS
            for name in (a if isinstance(a, str) else a.__name__ for a in model_admin.actions or ())
            if name != "export_xlsx"}


def action_expect(label: str, spec: Action, actor: str) -> int | str:
    """The allowed act and are sent back to the list (302). Staff who may change or delete rows there but not act
    on this one are sent back too, with nothing done (the action is not theirs, or the object is not in their list);
    staff who only view a list without the Excel export have no action at all and see the list again (200); others
    403, or the login."""
    if actor in spec.given:
        return spec.given[actor]
    if actor in NOT_STAFF:
        return LOGIN
    if actor in spec.allowed:
        return 302
    model = apps.get_model(label)
    letters = set(model_access(model).get("town" if actor == "other_town" else actor, ""))
    exports = export_xlsx in admin.site._registry[model].actions
    return 302 if letters & {"c", "d"} or (letters and exports) else 200 if letters else 403


def test_every_change_list_action_has_a_row():
    assert custom_actions() == set(ACTIONS)


@pytest.mark.parametrize("label", sorted({label for label, _ in ACTIONS}))
def test_only_those_allowed_change_anything_with_a_change_list_action(w, label):
    errors, sent = [], 0
    for (model, name), spec in ACTIONS.items():
        if model != label:
            continue
        url = reverse(f"admin:{label.replace('.', '_')}_changelist")
        obj = spec.make(w)
        before = fingerprint()
        for actor in ACTORS:
            if actor in spec.allowed:
                continue
            data = {"action": name, "_selected_action": [obj.pk], **spec.data(w, obj)}
            got = outcome(w.clients[actor].post(url, data))
            sent += 1
            if got != action_expect(label, spec, actor):
                errors.append(f"{label} {name} {actor}: expected {action_expect(label, spec, actor)}, got {got}")
            after = fingerprint()
            if after != before:
                errors.append(f"{label} {name} {actor} (refused) changed {changed_tables(before, after)}")
                before = after
        for actor in sorted(spec.allowed):
            obj = spec.make(w)
            data = {"action": name, "_selected_action": [obj.pk], **spec.data(w, obj)}
            got = outcome(w.clients[actor].post(url, data))
            sent += 1
            if got != 302:
                errors.append(f"{label} {name} {actor}: expected 302, got {got}")
            try:
                spec.check(w, obj)
            except (AssertionError, pytest.fail.Exception) as exc:
                errors.append(f"{label} {name} {actor}: the action did not take effect: {exc}")
    assert not errors, "\n".join(errors)
    assert sent == len(ACTORS) * sum(1 for model, _ in ACTIONS if model == label)


# ------------------------------------------------------------------------------------------------ admin model pages

MODEL_ACTIONS = {"changelist", "add", "change", "delete", "history", "import", "process_import", "export",
                 "import_template", "import_participants", "enter_schedule", "import_job"}


def admin_model_action(name: str | None):
    """(model, action) for an admin URL name of a registered model's page, else None."""
    if not name or not name.startswith("admin:"):
        return None
    body = name[len("admin:"):]
    for key, model in admin_models().items():
        if body.startswith(key + "_") and body[len(key) + 1:] in MODEL_ACTIONS:
            return model, body[len(key) + 1:]
    return None


def admin_model_url(name: str, route: str, model) -> str:
    if "<path:object_id>" in route:
        return reverse(name, args=[model.objects.order_by("pk").first().pk])
    return reverse(name)


# Records read-only in the admin (has_change_permission(request, obj) is False, congress.lib.admin.RecordReadOnlyMixin):
# their change page only shows them, so a POST there is refused even with the change permission.
RECORD_READ_ONLY = {"proposals.assignment", "proposals.reply", "proposals.evaluation", "stations.receptionday",
                    "stations.voteropinion", "stations.stationappraisal", "supervision.satisfactionpoll",
                    "supervision.rectification"}
RECORD_READ_ONLY |= {"supervision.workreport", "supervision.reviewopinion"}
RECORD_READ_ONLY |= {"supervision.meetingrequest"}  # 代表约见: moved on only by its workflow's pages
RECORD_READ_ONLY |= {"supervision.appraisal"}
# action → the letter a role needs (tests/test_access_matrix.py MODEL_ACCESS): an empty POST then shows the page again
NEEDS = {"changelist": "v", "history": "v", "export": "v", "import_template": "v", "add": "a", "import": "a",
         "process_import": "a", "import_participants": "a", "enter_schedule": "a", "change": "c", "delete": "d",
         "import_job": "a"}


def empty_post_expect(role: str, model, action: str) -> int | str:
    """What an empty POST answers: the login for those who are no staff, 403 without the letter, else the form, the
    list or the confirmation again (200). A view-only change page refuses a POST (Django), as does a read-only record."""
    if role not in ADMIN_ROLES:
        return LOGIN
    letters = set(model_access(model).get(role, ""))
    if NEEDS[action] == "v":
        letters |= {"v"} if "c" in letters else set()
    if action == "add" and model.__name__.startswith("Historical"):
        return 403
    if action == "change" and model._meta.label_lower in RECORD_READ_ONLY:
        return 403
    return 200 if NEEDS[action] in letters else 403


def _staff_or(status_for_staff):
    return lambda role: status_for_staff(role) if role in ADMIN_ROLES else LOGIN


def _first(model):
    return model.objects.order_by("pk").first()


# Admin pages that are not one model's page: role → what an empty POST answers, and their URL (reverse, real pks)
ADMIN_OTHER: dict[str, tuple[Callable, Callable]] = {
    "admin:index": (_staff_or(lambda r: 200), lambda: reverse("admin:index")),
    # the search (a congress page under /admin/, so a row here rather than in GET_ONLY): GET only, for everyone
    "congress:search": (lambda r: 405, lambda: reverse("congress:search")),
    "admin:login": (lambda r: 200, lambda: reverse("admin:login")),  # the form again, with its errors
    "admin:password_change": (_staff_or(lambda r: 200), lambda: reverse("admin:password_change")),
    "admin:password_change_done": (_staff_or(lambda r: 405), lambda: reverse("admin:password_change_done")),
    "admin:jsi18n": (_staff_or(lambda r: 405), lambda: reverse("admin:jsi18n")),
    "admin:autocomplete": (_staff_or(lambda r: 405), lambda: reverse("admin:autocomplete")),
    "admin:view_on_site": (_staff_or(lambda r: 404), lambda: reverse("admin:view_on_site", args=[
        ContentType.objects.get_for_model(Organization).pk, _first(Organization).pk])),
    "admin:app_list": (_staff_or(lambda r: 200 if r in APP_INDEX["congress"] else 404),
                       lambda: reverse("admin:app_list", kwargs={"app_label": "congress"})),
    "admin:auth_user_password_change": (_staff_or(lambda r: 200 if r == "sysadmin" else 403),
                                        lambda: reverse("admin:auth_user_password_change", args=[_first(User).pk])),
    # the meeting room's screen shows a poll's figures: a page to look at, not to post to
    "admin:supervision_satisfactionpoll_screen": (_staff_or(lambda r: 405),
                                                  lambda: reverse("admin:supervision_satisfactionpoll_screen",
                                                                  args=[_first(SatisfactionPoll).pk])),
    # the printables (PDF): the view permission on the station / deputy, answered on any method; town staff see the
    # first (the sample's) station and deputy of their town
    "admin:stations_station_poster": (_staff_or(lambda r: 200 if r in {"staff", "leader", "town"} else 403),
                                      lambda: reverse("admin:stations_station_poster", args=[_first(Station).pk])),
    "admin:deputies_deputy_duty_record": (_staff_or(lambda r: 200 if r in {"staff", "leader", "town"} else 403),
                                          lambda: reverse("admin:deputies_deputy_duty_record", args=[_first(Deputy).pk])),
    "admin:proposals_suggestion_rates": (_staff_or(lambda r: 200 if r in {"staff", "leader"} else 403),
                                         lambda: reverse("admin:proposals_suggestion_rates")),
    "admin:proposals_suggestion_assignment_list": (_staff_or(lambda r: 200 if r in {"staff", "leader"} else 403),
                                                   lambda: reverse("admin:proposals_suggestion_assignment_list")),
    # the reports' pages and PDFs are read, not posted to (a POST is refused before the permission check)
    **{name: (_staff_or(lambda r: 405), lambda name=name, model=model: reverse(name, args=[_first(model).pk]))
       for name, model in (("admin:congress_monthlyreport_report", MonthlyReport),
                           ("admin:congress_monthlyreport_pdf", MonthlyReport),
                           ("admin:congress_annualreportversion_pdf", AnnualReportVersion))},
    # the year's appraisal ranking and its Excel export: pages to look at (and download), not to post to
    "admin:supervision_appraisal_ranking": (_staff_or(lambda r: 405), lambda: reverse("admin:supervision_appraisal_ranking")),
    "admin:supervision_appraisal_ranking_export": (_staff_or(lambda r: 405),
                                                   lambda: reverse("admin:supervision_appraisal_ranking_export")),
    # last: it ends the session of staff (checked); the others are sent to the admin's index
    "admin:logout": (lambda r: LOGIN if r in ADMIN_ROLES else 302, lambda: reverse("admin:logout")),
}
CATCH_ALL = "admin/(?P<url>.*)$"
# read logs (who looked at what): a page may write them on any request; they are not a change of data
READ_LOGS = {"deputies.personaldataview", "stations.votercontactview", "congress.exportrecord", "axes.accesslog",
             "axes.accessattempt", "axes.accessfailurelog"}


def admin_requests():
    """(label, url, expect(role)) for every admin pattern that is not a workflow page, the logout last."""
    pages, found, last = set(workflow_pages()), [], []
    for route, name in walk(get_resolver().url_patterns):
        if not route.startswith("admin/") or name in pages:
            continue
        model_action = admin_model_action(name)
        if model_action is not None:
            model, action = model_action
            if action == "import_job":
                # a background import being checked: its uploader's empty POST (confirm) is refused with a message
                # and sent back to the page; anybody else's is refused outright
                from tests.test_access_matrix import WORLD, import_job_for

                url = reverse(name, args=[import_job_for(model, WORLD["staff"]).pk])
                found.append((name, url, lambda role, m=model: LOGIN if role not in ADMIN_ROLES else
                              302 if role == "staff" and "a" in model_access(m).get(role, "") else 403))
                continue
            url = reverse(name, args=[_first(model).pk]) if "<path:object_id>" in route else reverse(name)
            found.append((name, url, lambda role, m=model, a=action: empty_post_expect(role, m, a)))
        elif name in ADMIN_OTHER:
            expect, url = ADMIN_OTHER[name]
            (last if name == "admin:logout" else found).append((name, url(), expect))
        elif name is None and route == CATCH_ALL:
            found.append((route, "/admin/no-such-page/", _staff_or(lambda r: 404)))
        elif name is None and route.endswith("<path:object_id>/"):
            # the bare object URL redirects staff to its change page
            model = admin_models()["_".join(route.split("/")[1:3])]
            change = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_change", args=[_first(model).pk])
            found.append((route, change.removesuffix("change/"), _staff_or(lambda r: 302)))
        else:
            raise AssertionError(f"admin pattern {route!r} ({name}) has no row")
    return found + last


def admin_tables() -> list:
    """Every admin model's table and the watched ones, but the read logs (and proxies of tables already there)."""
    models = {*admin_models().values(), *WATCHED}
    return sorted((m for m in models if m._meta.label_lower not in READ_LOGS and not m._meta.proxy),
                  key=lambda m: m._meta.label)


def test_an_empty_post_to_an_admin_page_answers_as_the_letters_say_and_changes_nothing(world):  # noqa: F811  (the GET matrix's world)
    requests, tables, errors, sent = admin_requests(), admin_tables(), [], 0
    assert len(requests) == admin_pattern_count() - len(PAGES)  # every admin pattern but the workflow pages
    for role in ROLES:
        client = Client()
        if world[role] is not None:
            login_verified(client, world[role])
        before = fingerprint(tables)
        for label, url, expect in requests:
            got = outcome(client.post(url, {}))
            sent += 1
            if got != expect(role):
                errors.append(f"{role} {label} {url}: expected {expect(role)}, got {got}")
        after = fingerprint(tables)
        if after != before:
            errors.append(f"{role}: an empty POST changed {changed_tables(before, after)}")
        if role in ADMIN_ROLES:
            assert "_auth_user_id" not in client.session, f"{role}: the admin's logout left the session"
    assert not errors, "\n".join(errors)
    assert sent == len(requests) * len(ROLES)


# ------------------------------------------------------------------------------------------------ every pattern


def classify(route: str, name: str | None) -> str | None:
    if name in GET_ONLY:
        return "GET-only"
    if name in POSTS:
        return "POST endpoint"
    if name in PAGES:
        return "admin workflow page"
    if admin_model_action(name) is not None:
        return "admin model page"
    if name in ADMIN_OTHER:
        return "admin page"
    if name is None and route == CATCH_ALL:
        return "admin catch-all"
    if name is None and route.startswith("admin/") and route.endswith("<path:object_id>/"):
        return "admin object redirect"
    return None


def admin_pattern_count() -> int:
    return sum(1 for route, name in walk(get_resolver().url_patterns) if (classify(route, name) or "").startswith("admin"))


def test_every_url_pattern_is_classified():
    patterns = list(walk(get_resolver().url_patterns))
    kinds = {(route, name): classify(route, name) for route, name in patterns}
    missing = [f"{route} ({name})" for (route, name), kind in kinds.items() if kind is None]
    assert not missing, "URL patterns with no row in tests/test_access_writes.py:\n" + "\n".join(missing)
    names = {name for _, name in patterns}
    stale = [n for n in [*GET_ONLY, *POSTS, *PAGES, *ADMIN_OTHER] if n not in names]
    assert not stale, f"rows for URL names that no longer exist: {stale}"
    assert not set(GET_ONLY) & set(POSTS)
    # the matrix's size: URL patterns × actors × methods actually sent by the tests above
    requests = {
        "GET-only (POST)": len(GET_ONLY) * len(ACTORS),
        "project POST endpoints": sum(planned_posts(n) for n in POSTS),
        "admin workflow pages (POST)": sum(len(ACTORS) + len(p.allowed) for p in PAGES.values()),
        "admin change-list actions (POST)": len(ACTIONS) * len(ACTORS),
        "admin pages (empty POST)": (admin_pattern_count() - len(PAGES)) * len(ROLES),
    }
    print(f"\n{len(patterns)} URL patterns; POST requests: {requests}, in all {sum(requests.values())}")
    assert len(patterns) > 250 and sum(requests.values()) > 2500


# 国家机关进家站点 and the stations' figures (stations/admin_organs.py): the figures pages are read, not posted to
ADMIN_OTHER.update({
    "admin:stations_organvisit_figures": (_staff_or(lambda r: 405), lambda: reverse("admin:stations_organvisit_figures")),
    "admin:stations_station_town_figures": (_staff_or(lambda r: 405),
                                            lambda: reverse("admin:stations_station_town_figures")),
})
RECORD_READ_ONLY |= {"stations.organvisit"}
# 民生实事项目票决制 (supervision/admin_livelihood.py, supervision/views/livelihood.py): a round in each state, three
# proposals of the unit's organ (numbered once shortlisted), the deputy on the list of voters while voting
from deputies.models import Mandate  # noqa: E402
from supervision.models import (  # noqa: E402
    LivelihoodBallot,
    LivelihoodProject,
    LivelihoodReport,
    LivelihoodRound,
    LivelihoodVoter,
)

LR = LivelihoodRound.Status
WATCHED += [LivelihoodRound, LivelihoodProject, LivelihoodVoter, LivelihoodBallot, LivelihoodReport]


def livelihood(w, status=LR.COLLECTING, *, chosen=0, tie=False, polls=False) -> LivelihoodRound:
    session = CongressSession.objects.create(term=w.term, number=100 + w.next(), start_date=days(-30), end_date=days(-28))
    made = LivelihoodRound.objects.create(session=session, year=today().year, title=f"民生实事项目票决（{session.number}）",
                                          places=2, status=status, tie_pending=tie,
                                          figures={"tie": [2, 3], "tie_places": 1} if tie else {})
    numbered = status != LR.COLLECTING
    for n in (1, 2, 3):
        LivelihoodProject.objects.create(round=made, title=f"民生项目{n}", source="opinion", source_note="联络站",
                                         organization=w.unit_org, number=n if numbered else None, votes=3 - n,
                                         chosen=n <= chosen)
    if status == LR.VOTING:
        LivelihoodVoter.objects.create(round=made, deputy=w.deputy)
        LivelihoodVoter.objects.create(round=made, deputy=w.third)
    if polls:
        for project in made.projects.filter(chosen=True):
            project.poll = poll(w, SatisfactionPoll.Status.CLOSED)
            project.save(update_fields=["poll"])
    return made


def _livelihood_vote(w, status=LR.VOTING):
    made = livelihood(w, status)
    first = made.projects.get(number=1)
    return Case(reverse("supervision:livelihood_round", args=[made.pk]), lambda a: {"projects": [first.pk]},
                all_of(new_row(LivelihoodBallot, round_id=made.pk, valid=True), history("livelihood", "vote", obj=made)))


def _livelihood_propose(w, name, status=LR.COLLECTING, source="deputy"):
    made = livelihood(w, status)
    return Case(reverse(name, args=[made.pk]), lambda a: {"title": f"社区食堂（{a}）", "description": ""},
                all_of(new_row(LivelihoodProject, round_id=made.pk, source=source),
                       history("livelihood", "propose", obj=made)))


def _livelihood_report(w, status=LR.IMPLEMENTING):
    made = livelihood(w, status, chosen=2)
    project = made.projects.get(number=1)
    now_ = timezone.localdate()
    report = LivelihoodReport.objects.create(project=project, year=now_.year, quarter=(now_.month - 1) // 3 + 1,
                                             due_date=days(40))
    return Case(reverse("supervision_livelihood_unit:project", args=[project.pk]),
                lambda a: {"progress": 30, "text": "已完成选址和设计，正在招标"},
                all_of(now(report, submitted_at=SET), history("livelihood", "report", obj=made)))


GET_ONLY.update({
    "supervision:livelihood_rounds": lambda w, o: reverse("supervision:livelihood_rounds"),
    "supervision_livelihood_unit:list": lambda w, o: reverse("supervision_livelihood_unit:list"),
})
GET_ONLY_EXPECT.update({name: table(lambda a: 405) for name in
                        ("supervision:livelihood_rounds", "supervision_livelihood_unit:list")})
POSTS.update({
    # the ballot: a deputy not on the list is sent back with the refusal; so is everyone once the vote is counted
    "supervision:livelihood_round": Post(_livelihood_vote, table(refused(403), deputy=302, other_deputy=302),
                                         frozenset({"deputy"}), wrong=lambda w: _livelihood_vote(w, LR.COUNTED)),
    "supervision:livelihood_propose": Post(lambda w: _livelihood_propose(w, "supervision:livelihood_propose"),
                                           table(refused(403), deputy=302, other_deputy=302),
                                           frozenset({"deputy", "other_deputy"}),
                                           wrong=lambda w: _livelihood_propose(w, "supervision:livelihood_propose",
                                                                               LR.SHORTLISTED)),
    "supervision_livelihood_unit:propose": Post(
        lambda w: _livelihood_propose(w, "supervision_livelihood_unit:propose", source="unit"),
        table(refused(403), unit=302, other_unit=302), frozenset({"unit", "other_unit"}),
        wrong=lambda w: _livelihood_propose(w, "supervision_livelihood_unit:propose", LR.SHORTLISTED, source="unit")),
    "supervision_livelihood_unit:project": Post(_livelihood_report, table(refused(403), **UNITS), frozenset({"unit"}),
                                                wrong=lambda w: _livelihood_report(w, LR.EVALUATED)),
})


def _shortlist(status):
    def make(w):
        made = livelihood(w, status)
        data = {"places": 2}
        for project in made.projects.all():
            data[f"pick_{project.pk}"] = "on"
            data[f"owner_{project.pk}"] = w.unit_org.pk
        return made, data
    return make


def _tie(tie):
    def make(w):
        made = livelihood(w, LR.COUNTED, chosen=1, tie=tie)
        return made, {"projects": [made.projects.get(number=2).pk], "reason": "对同票项目重新投票"}
    return make


def _paper_ballots(status):
    def make(w):
        made = livelihood(w, status)
        voter = made.voters.filter(deputy=w.third).first()
        return made, {"voters": [voter.pk] if voter else [], "ballots": "1 2"}
    return make


def _open(w):
    Mandate.objects.get_or_create(deputy=w.deputy, term=w.term, level=Mandate.Level.DISTRICT,
                                  defaults={"start_date": days(-400)})
    return livelihood(w, LR.SHORTLISTED), {}


def _counted_ballot(w):
    made = livelihood(w, LR.VOTING)
    LivelihoodBallot.objects.create(round=made, valid=True).marks.set([made.projects.get(number=1)])
    return made, {}


def _evaluation_session(w):
    made = livelihood(w, LR.IMPLEMENTING, chosen=2)
    later = CongressSession.objects.create(term=w.term, number=100 + w.next(), start_date=days(300), end_date=days(303))
    return made, {"session": later.pk}


PAGES.update({
    "admin:supervision_livelihoodround_propose": Page(
        _with(lambda w: livelihood(w), {"title": "背街小巷路灯", "description": "", "source_note": "联络站", "organization": ""}),
        _with(lambda w: livelihood(w, LR.SHORTLISTED),
              {"title": "背街小巷路灯", "description": "", "source_note": "联络站", "organization": ""}), STAFF),
    "admin:supervision_livelihoodround_shortlist": Page(_shortlist(LR.COLLECTING), _shortlist(LR.VOTING), STAFF,
                                                         {"status": LR.SHORTLISTED}),
    "admin:supervision_livelihoodround_open": Page(_open, _with(lambda w: livelihood(w, LR.COLLECTING), {}), STAFF,
                                                   {"status": LR.VOTING}),
    "admin:supervision_livelihoodround_paper": Page(_paper_ballots(LR.VOTING), _paper_ballots(LR.COUNTED), STAFF),
    "admin:supervision_livelihoodround_count": Page(_counted_ballot, _with(lambda w: livelihood(w, LR.SHORTLISTED), {}),
                                                    STAFF, {"status": LR.COUNTED}),
    "admin:supervision_livelihoodround_tie": Page(_tie(True), _tie(False), STAFF, {"tie_pending": False}),
    "admin:supervision_livelihoodround_implement": Page(
        _with(lambda w: livelihood(w, LR.COUNTED, chosen=2), {}), _with(lambda w: livelihood(w, LR.VOTING), {}), STAFF,
        {"status": LR.IMPLEMENTING}),
    "admin:supervision_livelihoodround_poll": Page(_evaluation_session,
                                                   _with(lambda w: livelihood(w, LR.VOTING), {"session": ""}), STAFF,
                                                   {"evaluation_session_id": SET}),
    "admin:supervision_livelihoodround_conclude": Page(
        _with(lambda w: livelihood(w, LR.IMPLEMENTING, chosen=2, polls=True), {}),
        _with(lambda w: livelihood(w, LR.VOTING), {}), STAFF, {"status": LR.EVALUATED}),
})
RECORD_READ_ONLY |= {"supervision.livelihoodround", "supervision.livelihoodproject"}
# 任后监督 (supervision/admin_ratings.py, supervision/views/ratings.py): a round of the unit's official in each phase
def rating(w, status=None, official_status=None, *, poll_closed=False, graded=False):
    from congress.models import Appointment
    from supervision.models import RatedOfficial, RatingRound
    from supervision.selectors import poll_figures

    n = w.next()
    made = RatingRound.objects.create(term=w.term, year=2100 - n, title=f"任命干部履职评议（{n}）",
                                      status=status or RatingRound.Status.PREPARING, report_due=days(10))
    appointment = Appointment.objects.create(term=w.term, person_name=f"张明{n}", kind=Appointment.Kind.APPOINT,
                                             position="局长", organization=w.unit_org, decided_on=days(-400))
    official = RatedOfficial.objects.create(round=made, appointment=appointment, person_name=appointment.person_name,
                                            position="局长", organization=w.unit_org,
                                            status=official_status or RatedOfficial.Status.AWAITING)
    if poll_closed:
        official.poll = poll(w, SatisfactionPoll.Status.CLOSED, voted=True)
        official.poll.figures = poll_figures(official.poll)
        official.poll.save(update_fields=["figures"])
        official.save(update_fields=["poll"])
    if graded:
        RatedOfficial.objects.filter(pk=official.pk).update(satisfied=6, basic=3, unsatisfied=1, satisfied_share=60,
                                                            approval_share=90, grade=RatedOfficial.Grade.COMPETENT)
    return made, official


def _rating_report(w, round_status=None):
    from supervision.models import RatedOfficial, RatingRound

    _, official = rating(w, round_status or RatingRound.Status.REPORTING)
    return Case(reverse("supervision_rating_unit:detail", args=[official.pk]),
                lambda a: {"report": "本人任职以来认真履行职责，依法行政，执行常委会决议决定，廉洁自律。"},
                all_of(now(official, status=RatedOfficial.Status.REPORTED, report_submitted_at=SET),
                       history("rated_official", "submit_report", obj=official)))


def _rating_pages():
    from supervision.models import RatedOfficial, RatingRound

    RR, RO = RatingRound.Status, RatedOfficial.Status

    def adjust(status):
        return lambda w: (lambda made: (made[0], {"remove": [made[1].pk], "note": ""}))(rating(w, status))

    return {
        "admin:supervision_ratinground_adjust": Page(adjust(RR.PREPARING), adjust(RR.REPORTING), STAFF),
        "admin:supervision_ratinground_reporting": Page(
            _with(lambda w: rating(w)[0], {"due": days(20).isoformat()}),
            _with(lambda w: rating(w, RR.REPORTING)[0], {"due": days(20).isoformat()}), STAFF, {"status": RR.REPORTING}),
        "admin:supervision_ratinground_polling": Page(
            _with(lambda w: rating(w, RR.REPORTING, RO.REPORTED)[0], {"meeting": "", "basis": "all"}),
            _with(lambda w: rating(w, RR.PREPARING, RO.REPORTED)[0], {"meeting": "", "basis": "all"}), STAFF,
            {"status": RR.POLLING}),
        "admin:supervision_ratinground_confirm": Page(
            _with(lambda w: rating(w, RR.POLLING, RO.REPORTED, poll_closed=True)[0], {}),
            _with(lambda w: rating(w, RR.REPORTING, RO.REPORTED, poll_closed=True)[0], {}), STAFF,
            {"status": RR.CONFIRMED}),
        "admin:supervision_ratinground_letters": Page(
            _with(lambda w: rating(w, RR.CONFIRMED, RO.RATED, graded=True)[0], lambda w: {"addressee": w.unit_org.pk}),
            _with(lambda w: rating(w, RR.POLLING, RO.RATED, graded=True)[0], lambda w: {"addressee": w.unit_org.pk}),
            STAFF, {"status": RR.LETTERS_SENT, "summary_letter_id": SET}),
    }


def _rating_watched():
    from supervision.models import RatedOfficial, RatingRound

    return [RatingRound, RatedOfficial, OfficialLetter]


WATCHED += [m for m in _rating_watched() if m not in WATCHED]
POSTS["supervision_rating_unit:detail"] = Post(
    _rating_report, table(refused(403), **UNITS), frozenset({"unit"}),
    wrong=lambda w: _rating_report(w, "polling"),
    note="the official's organ; another organ does not find the official; refused (back with the message) off 述职")
GET_ONLY["supervision_rating_unit:list"] = lambda w, o: reverse("supervision_rating_unit:list")
GET_ONLY_EXPECT["supervision_rating_unit:list"] = table(lambda a: 405)
PAGES.update(_rating_pages())
RECORD_READ_ONLY |= {"supervision.ratinground", "supervision.ratedofficial"}
# -- stations: the 八有 standards and the star ratings -----------------------------------------------------------
from stations.models import (  # noqa: E402
    RatingCriterion,
    RatingScheme,
    StandardItem,
    StationAppraisal,
    StationAppraisalScore,
    StationStandard,
)

WATCHED += [StationAppraisal, StationAppraisalScore, StationStandard, StandardItem, RatingScheme, RatingCriterion]
SR = StationAppraisal.Status


def star_rating(w, status=SR.DRAFT, *, scored=True):
    """An appraisal of the world's station in a year of its own, with that year's two criteria (60 + 40 points), each
    scored 30 unless `scored` is False; returns it with the score page's data."""
    year = 2000 + w.next()
    scheme = RatingScheme.objects.create(year=year)
    criteria = [RatingCriterion.objects.create(scheme=scheme, name=name, max_points=points, order=n)
                for n, (name, points) in enumerate((("阵地建设", 60), ("活动开展", 40)))]
    made = StationAppraisal.objects.create(station=w.station, year=year, status=status, score=60 if scored else None)
    if scored:
        StationAppraisalScore.objects.bulk_create([StationAppraisalScore(appraisal=made, criterion=c, points=30)
                                                   for c in criteria])
    return made, {**{f"criterion_{c.pk}": "35" for c in criteria}, "basis": "阵地规范"}


def _rating(status, data=None, **kwargs):
    def make(w):
        made, score_data = star_rating(w, status, **kwargs)
        return made, (score_data if data is None else data)
    return make


PAGES.update({
    "admin:stations_stationappraisal_score": Page(_rating(SR.DRAFT, scored=False), _rating(SR.SUBMITTED), TOWNS,
                                                  {"status": SR.DRAFT, "score": 70}, scoped=True),
    "admin:stations_stationappraisal_submit": Page(_rating(SR.RETURNED, {}), _rating(SR.CONFIRMED, {}), TOWNS,
                                                   {"status": SR.SUBMITTED}, scoped=True),
    "admin:stations_stationappraisal_confirm": Page(_rating(SR.SUBMITTED, {"note": ""}), _rating(SR.DRAFT, {"note": ""}),
                                                    STAFF, {"status": SR.CONFIRMED, "stars": 2}, scoped=True),
    "admin:stations_stationappraisal_return": Page(_rating(SR.SUBMITTED, {"reason": "依据不足"}),
                                                   _rating(SR.RETURNED, {"reason": "依据不足"}), STAFF,
                                                   {"status": SR.RETURNED, "return_reason": "依据不足"}, scoped=True),
})
ADMIN_OTHER.update({
    # the 八有 gaps list and a state's photo: pages to look at, not to post to (refused before the permission check)
    "admin:stations_stationstandard_missing": (_staff_or(lambda r: 405), lambda: reverse("admin:stations_stationstandard_missing")),
    "admin:stations_stationstandard_photo": (_staff_or(lambda r: 405), lambda: reverse(
        "admin:stations_stationstandard_photo", args=[_first(StationStandard).pk])),
})
RECORD_READ_ONLY |= {"stations.stationstandard"}  # recorded again on the 填报 page, never edited in place
