"""任后监督: staff open a year's rating round with the appointed officials still in office and adjust the list; the
reporting phase asks each official's organ for the duty report by a date (reminded before and after it); the polling
phase makes one satisfaction poll per official (opened, voted and closed on the polls' own pages); confirming the
results freezes each official's counts and grade; the letters — a 提醒函 to each official below the threshold and the
round's report to the district committee — are numbered and rendered by congress.letters."""
import datetime
from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from congress.letters.models import LetterKind
from congress.letters.services import LetterContent, LetterTable, letter_issue
from congress.models import Appointment, Meeting, Organization, Term, User
from congress.services import CongressError, notification_send
from supervision.models import PollGroup, RatedOfficial, RatingRound, SatisfactionPoll
from supervision.predicates import is_committee_staff
from supervision.selectors_ratings import appointments_in_office, rating_grade, rating_needs_reminder, rating_shares
from supervision.services.polls import poll_create
from supervision.services.rectification import _staff_users, _unit_users
from supervision.workflows import RATED_OFFICIAL, RATING_ROUND

C = SatisfactionPoll.Choice


def _lock(rnd: RatingRound) -> RatingRound:
    return RatingRound.objects.select_for_update(of=("self",)).select_related("term").get(pk=rnd.pk)


def _add(rnd: RatingRound, appointment: Appointment, actor: User) -> RatedOfficial:
    official = RatedOfficial(round=rnd, appointment=appointment, person_name=appointment.person_name,
                             position=appointment.position, organization_id=appointment.organization_id)
    official._history_user = actor
    official.save()
    RATED_OFFICIAL.record_created(official, actor=actor, reason=f"{official.person_name}（{official.position}）")
    return official


@transaction.atomic
def rating_round_create(*, actor: User, term: Term, year: int, title: str = "",
                        on: datetime.date | None = None) -> RatingRound:
    """A year's round, its list made of the committee's appointments still in office (on `on`, default today)."""
    if not is_committee_staff(actor):
        raise CongressError("只有常委会机关工作人员可以开展履职评议")
    if not 2000 <= int(year) <= 2100:
        raise CongressError("年度须在2000至2100之间")
    if RatingRound.objects.filter(year=year).exists():
        raise CongressError(f"{year}年度已有任命干部履职评议")
    rnd = RatingRound(term=term, year=year, title=(title or "").strip() or f"{year}年度任命干部履职评议", created_by=actor)
    rnd._history_user = actor
    rnd.save()
    chosen = appointments_in_office(on)
    RATING_ROUND.record_created(rnd, actor=actor, reason=f"在任的任命干部{len(chosen)}名列入评议名单")
    for appointment in chosen:
        _add(rnd, appointment, actor)
    return rnd


@transaction.atomic
def rating_round_adjust(*, actor: User, rnd: RatingRound, add: Iterable[Appointment] = (),
                        remove: Iterable[RatedOfficial] = (), note: str = "") -> RatingRound:
    """Staff adjust the list while the round is being prepared: officials added (from the appointments, once each) or
    taken out (a mistaken or departed one)."""
    rnd = _lock(rnd)
    RATING_ROUND.check(actor, rnd, "adjust")
    add, remove = list(add), list(remove)
    if not add and not remove:
        raise CongressError("请选择要增加或移出的干部")
    if any(o.round_id != rnd.pk for o in remove):
        raise CongressError("所选干部不在本次评议名单中")
    taken = set(rnd.officials.values_list("appointment_id", flat=True))
    twice = [a.person_name for a in add if a.pk in taken]
    if twice:
        raise CongressError(f"以下干部已在评议名单中：{'、'.join(twice)}")
    from supervision.selectors_ratings import TAKING_OFFICE

    if any(a.kind not in TAKING_OFFICE for a in add):
        raise CongressError("只能增加任命、选举或批准任命的干部")
    names = [o.person_name for o in remove]
    RatedOfficial.objects.filter(pk__in=[o.pk for o in remove], round=rnd).delete()
    for appointment in add:
        _add(rnd, appointment, actor)
    parts = ([f"增加：{'、'.join(a.person_name for a in add)}"] if add else []) + \
            ([f"移出：{'、'.join(names)}"] if names else []) + ([note.strip()] if note.strip() else [])
    RATING_ROUND.apply(rnd, "adjust", actor=actor, reason="；".join(parts))
    return rnd


def default_report_due(today: datetime.date | None = None) -> datetime.date:
    return (today or timezone.localdate()) + datetime.timedelta(days=settings.CONGRESS_RULES["RATING_REPORT_DAYS"])


@transaction.atomic
def rating_round_start_reporting(*, actor: User, rnd: RatingRound, due: datetime.date | None = None) -> RatingRound:
    """The organs are asked for their officials' duty reports by `due` (default RATING_REPORT_DAYS from today)."""
    rnd = _lock(rnd)
    RATING_ROUND.check(actor, rnd, "start_reporting")
    due = due or default_report_due()
    if due < timezone.localdate():
        raise CongressError("述职报告提交期限不能早于今天")
    rnd.report_due = due
    RATING_ROUND.apply(rnd, "start_reporting", actor=actor, fields=["report_due"], reason=f"提交期限{due:%Y-%m-%d}")
    for org_id in set(rnd.officials.values_list("organization_id", flat=True)):
        notification_send(recipients=_unit_users(org_id), kind="rating_report_due",
                          title=f"请于{due:%Y年%m月%d日}前提交被评议干部的述职报告：{rnd.title}",
                          link=("supervision_rating_unit:list",))
    return rnd


@transaction.atomic
def rated_official_submit_report(*, actor: User, official: RatedOfficial, report: str) -> RatedOfficial:
    """The organ submits (or, until the polls, replaces) its official's duty report."""
    official = (RatedOfficial.objects.select_for_update(of=("self",)).select_related("round", "organization")
                .get(pk=official.pk))
    RATED_OFFICIAL.check(actor, official, "submit_report")
    report = (report or "").strip()
    least = settings.CONGRESS_RULES["RATING_REPORT_MIN_CHARS"]
    if len(report) < least:
        raise CongressError(f"述职报告过短（至少{least}个字），请写明履行职责、依法行政、廉洁自律等方面的情况")
    again = official.report_submitted_at is not None
    official.report, official.report_submitted_at = report, timezone.now()
    RATED_OFFICIAL.apply(official, "submit_report", actor=actor, fields=["report", "report_submitted_at"],
                         reason=("修改述职报告" if again else "") or report[:100])
    if not again:
        notification_send(recipients=_staff_users(), kind="rating_report_submitted",
                          title=f"{official.organization.name}已提交{official.person_name}的述职报告",
                          link=("admin:supervision_ratinground_change", official.round_id))
    return official


def poll_groups() -> list[tuple[str, int]]:
    """The groups of an official's poll and their weights (RATING_WEIGHT_*; a group of weight 0 takes no part)."""
    rules = settings.CONGRESS_RULES
    return [(kind, weight) for kind, weight in ((PollGroup.Kind.MEMBERS, rules["RATING_WEIGHT_MEMBERS"]),
                                                 (PollGroup.Kind.DEPUTIES, rules["RATING_WEIGHT_DEPUTIES"])) if weight]


@transaction.atomic
def rating_round_start_polling(*, actor: User, rnd: RatingRound, meeting: Meeting | None = None,
                               basis: str = SatisfactionPoll.Basis.ALL) -> RatingRound:
    """Every report is in: one satisfaction poll per official (its source the official), at the meeting."""
    rnd = _lock(rnd)
    RATING_ROUND.check(actor, rnd, "start_polling")
    officials = list(rnd.officials.select_related("organization").order_by("id"))
    for official in officials:
        official.poll = poll_create(actor=actor, term=rnd.term, title=f"对{official.person_name}同志履职情况的满意度测评",
                                    organization=official.organization, meeting=meeting, basis=basis,
                                    groups=poll_groups(), source=official)
    RatedOfficial.objects.bulk_update(officials, ["poll"])
    rnd.meeting = meeting
    RATING_ROUND.apply(rnd, "start_polling", actor=actor, fields=["meeting"],
                       reason=f"{len(officials)}名干部各一次满意度测评" + (f"（{meeting}）" if meeting else ""))
    return rnd


def _percent(share) -> Decimal:
    return (Decimal(share.numerator) * 100 / Decimal(share.denominator)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


@transaction.atomic
def rating_round_confirm(*, actor: User, rnd: RatingRound) -> RatingRound:
    """Every poll closed: each official's counts, shares and grade are frozen from the poll's figures."""
    rnd = _lock(rnd)
    RATING_ROUND.check(actor, rnd, "confirm")
    officials = list(rnd.officials.select_for_update(of=("self",)).select_related("poll").order_by("id"))
    for official in officials:
        figures = official.poll.figures
        counts = {c: sum(g["counts"][c] for g in figures["groups"]) for c in (C.SATISFIED, C.BASIC, C.UNSATISFIED)}
        shares = rating_shares(figures)
        official.satisfied, official.basic, official.unsatisfied = counts[C.SATISFIED], counts[C.BASIC], counts[C.UNSATISFIED]
        official.satisfied_share, official.approval_share = _percent(shares["satisfied"]), _percent(shares["approval"])
        official.grade = rating_grade(shares["satisfied"], shares["approval"])
        official._history_user = actor
        RATED_OFFICIAL.apply(official, "rate", actor=actor,
                             fields=["satisfied", "basic", "unsatisfied", "satisfied_share", "approval_share", "grade"],
                             reason=f"满意{official.satisfied}票，基本满意{official.basic}票，不满意{official.unsatisfied}票；"
                                    f"评定为{official.get_grade_display()}")
    grades = {label: sum(1 for o in officials if o.get_grade_display() == label) for label in RatedOfficial.Grade.labels}
    RATING_ROUND.apply(rnd, "confirm", actor=actor,
                       reason="，".join(f"{label}{n}名" for label, n in grades.items() if n) or "无")
    return rnd


def reminder_content(official: RatedOfficial, rnd: RatingRound) -> LetterContent:
    return LetterContent(
        title=f"关于{official.person_name}同志{rnd.year}年度履职评议的提醒函",
        paragraphs=[
            f"根据{rnd.title}安排，本会组织常委会组成人员对{official.organization.name}{official.position}"
            f"{official.person_name}同志的履职情况进行了满意度测评。测评结果：满意{official.satisfied}票，基本满意"
            f"{official.basic}票，不满意{official.unsatisfied}票，满意率{official.satisfied_share}%，评议等次为"
            f"“{official.get_grade_display()}”。",
            f"请{official.person_name}同志认真对照评议中反映的意见和建议，查找差距，制定改进措施，继续改进工作，"
            "并将改进情况书面报告区人大常委会。"])


def summary_content(rnd: RatingRound, officials: list[RatedOfficial]) -> LetterContent:
    by_grade = {label: sum(1 for o in officials if o.get_grade_display() == label) for label in RatedOfficial.Grade.labels}
    reminded = [o for o in officials if o.reminder_letter_id]
    paragraphs = [
        f"根据年度监督工作计划，区人大常委会开展了{rnd.title}，对{len(officials)}名常委会任命的干部进行了述职评议和"
        "满意度测评。现将有关情况报告如下。",
        "评议结果：" + "，".join(f"{label}{n}名" for label, n in by_grade.items() if n) + "。",
    ]
    if reminded:
        paragraphs.append(f"对评议等次未达到“{settings.CONGRESS_RULES['RATING_REMINDER_BELOW_GRADE']}”的"
                          f"{len(reminded)}名同志，已分别发出提醒函，要求其按提醒函继续改进工作。")
    paragraphs.append("特此报告。")
    table = LetterTable(title=f"{rnd.title}结果", headers=["姓名", "单位及职务", "满意", "基本满意", "不满意", "满意率（%）", "等次"],
                        rows=[[o.person_name, f"{o.organization.name}{o.position}", str(o.satisfied), str(o.basic),
                               str(o.unsatisfied), str(o.satisfied_share), o.get_grade_display()] for o in officials])
    return LetterContent(title=f"关于{rnd.title}情况的报告", paragraphs=paragraphs, table=table)


@transaction.atomic
def rating_round_send_letters(*, actor: User, rnd: RatingRound, addressee: Organization | None) -> RatingRound:
    """一书两函: a 提醒函 to the organ of each official graded below RATING_REMINDER_BELOW_GRADE, then the round's report
    (with the table of results) to the district committee. Each numbered, rendered once and kept."""
    rnd = _lock(rnd)
    RATING_ROUND.check(actor, rnd, "send_letters")
    if addressee is None:
        raise CongressError("请选择评议情况报告的主送机关")
    officials = list(rnd.officials.select_for_update(of=("self",)).select_related("organization")
                     .order_by("organization__sort_order", "organization__name", "person_name", "id"))
    for official in officials:
        if not rating_needs_reminder(official.grade):
            continue
        letter = letter_issue(actor=actor, kind=LetterKind.RATING_REMINDER, addressee=official.organization,
                              content=reminder_content(official, rnd), subject=official)
        official.reminder_letter = letter
        official._history_user = actor
        RATED_OFFICIAL.apply(official, "remind", actor=actor, fields=["reminder_letter"], reason=letter.number)
        notification_send(recipients=_unit_users(official.organization_id), kind="rating_reminder_letter",
                          title=f"收到提醒函：{letter.title}", link=("unit_letters:list",))
    summary = letter_issue(actor=actor, kind=LetterKind.RATING_SUMMARY, addressee=addressee,
                           content=summary_content(rnd, officials), subject=rnd)
    rnd.summary_addressee, rnd.summary_letter = addressee, summary
    reminded = sum(1 for o in officials if o.reminder_letter_id)
    RATING_ROUND.apply(rnd, "send_letters", actor=actor, fields=["summary_addressee", "summary_letter"],
                       reason=f"评议情况报告{summary.number}报送{addressee.name}；提醒函{reminded}份")
    return rnd


# ---------------------------------------------------------------- reminders of the duty reports' due date
def rating_reminders_send(*, today: datetime.date) -> list:
    """Remind each organ of its officials' duty reports (on REMINDER_DAYS_BEFORE, then every
    RATING_OVERDUE_REMINDER_EVERY_DAYS once overdue), each reminder once (claimed under
    ``rating_report:<id>:<due>:<threshold>``); returns those sent by this call. An organ with no account waits."""
    from supervision.services.reminders import organ_reminder_due, organ_reminders_send

    def due_of(official):
        due = official.round.report_due
        return organ_reminder_due(official, organization_id=official.organization_id, prefix="rating_report", due=due,
                                  today=today,
                                  text=lambda found: f"{official.person_name}的述职报告{found.text}（提交期限 {due:%Y-%m-%d}）",
                                  overdue_every_days=settings.CONGRESS_RULES["RATING_OVERDUE_REMINDER_EVERY_DAYS"])

    with transaction.atomic():
        officials = (RatedOfficial.objects.filter(status=RatedOfficial.Status.AWAITING,
                                                  round__status=RatingRound.Status.REPORTING, round__report_due__isnull=False)
                     .select_related("round").order_by("id"))
        due_today = [r for r in map(due_of, officials) if r is not None]
        return organ_reminders_send(due_today, kind="rating_report_reminder",
                                    link=lambda official: ("supervision_rating_unit:detail", official.pk))
