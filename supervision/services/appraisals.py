"""工作评议: staff set up the appraisal of a department and move it through its phases; the department submits its
self-inspection report in the unit workspace; the meeting's satisfaction poll is made here (its source the appraisal),
and a 不满意 result opens a re-appraisal due within the months of APPRAISAL_REAPPRAISAL_MONTHS; the problems the opinion
names become rectification items of the department; the scores on the year's aspects give the ranking
(supervision.selectors.appraisal_ranking)."""
import datetime
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from congress.lib.workdays import add_months
from congress.models import Meeting, Organization, Term, User
from congress.services import CongressError, notification_send
from supervision.models import Appraisal, AppraisalAspect, AppraisalScore, AppraisalSurvey, PollGroup, Rectification
from supervision.predicates import is_committee_staff
from supervision.services.polls import RESULT_HOOKS, poll_create
from supervision.services.rectification import _staff_users, _unit_users, rectification_create
from supervision.workflows import APPRAISAL

HUNDRED = Decimal(100)


def _lock(appraisal: Appraisal) -> Appraisal:
    return Appraisal.objects.select_for_update(of=("self",)).select_related("organization", "poll").get(pk=appraisal.pk)


def _months(name: str) -> int:
    return settings.CONGRESS_RULES[name]


def rectification_due(today: datetime.date | None = None) -> datetime.date:
    """The rectification period offered for an appraisal's items (APPRAISAL_RECTIFICATION_MONTHS from today)."""
    return add_months(today or timezone.localdate(), _months("APPRAISAL_RECTIFICATION_MONTHS")).date


@transaction.atomic
def appraisal_create(*, actor: User, term: Term, year: int, organization: Organization,
                     kind: str = Appraisal.Kind.COMPREHENSIVE, subject: str = "", follow_up_of: Appraisal | None = None,
                     due_date: datetime.date | None = None) -> Appraisal:
    """A department chosen for appraisal this year (one regular appraisal per department and year)."""
    if not is_committee_staff(actor):
        raise CongressError("只有常委会机关工作人员可以确定评议对象")
    if organization.kind != Organization.Kind.DEPARTMENT or not organization.is_active:
        raise CongressError(f"{organization.name}不是现有的政府部门，不能作为工作评议对象")
    if kind not in Appraisal.Kind.values:
        raise CongressError("评议方式无效")
    if not 2000 <= int(year) <= 2100:
        raise CongressError("年度须在2000至2100之间")
    subject = (subject or "").strip()
    if kind == Appraisal.Kind.SPECIAL and not subject:
        raise CongressError("专项评议须写明所评议的工作")
    if follow_up_of is None and Appraisal.objects.regular().filter(year=year, organization=organization).exists():
        raise CongressError(f"{organization.name}{year}年度已有工作评议")
    appraisal = Appraisal(term=term, year=year, organization=organization, kind=kind, subject=subject,
                          follow_up_of=follow_up_of, due_date=due_date, created_by=actor)
    appraisal._history_user = actor
    appraisal.save()
    APPRAISAL.record_created(appraisal, actor=actor, reason=(f"再次评议，期限{due_date:%Y-%m-%d}" if follow_up_of and due_date
                                                             else appraisal.get_kind_display()))
    return appraisal


def _step(actor: User, appraisal: Appraisal, name: str, note: str = "") -> Appraisal:
    appraisal = _lock(appraisal)
    APPRAISAL.apply(appraisal, name, actor=actor, reason=note)
    return appraisal


@transaction.atomic
def appraisal_start_survey(*, actor: User, appraisal: Appraisal, note: str = "") -> Appraisal:
    """动员部署 done: the surveys of deputies and voters begin."""
    return _step(actor, appraisal, "survey", note)


@transaction.atomic
def appraisal_record_survey(*, actor: User, appraisal: Appraisal, respondents: str, sent: int, returned: int,
                            score, note: str = "") -> AppraisalSurvey:
    """The deputies' or the voters' questionnaire as counted: sent, returned, the score they give (entered again, it
    replaces the earlier count)."""
    appraisal = _lock(appraisal)
    APPRAISAL.check(actor, appraisal, "record_survey")
    if respondents not in AppraisalSurvey.Respondents.values:
        raise CongressError("问卷对象须为人大代表或选民")
    if sent is None or returned is None or sent <= 0 or returned < 0:
        raise CongressError("发出份数须为正整数，收回份数须为不小于0的整数")
    if returned > sent:
        raise CongressError(f"收回份数（{returned}）不能多于发出份数（{sent}）")
    score = _score(score, "问卷得分")
    survey, _ = AppraisalSurvey.objects.update_or_create(
        appraisal=appraisal, respondents=respondents,
        defaults={"sent": sent, "returned": returned, "score": score, "note": (note or "").strip()[:500]})
    APPRAISAL.apply(appraisal, "record_survey", actor=actor,
                    reason=f"{survey.get_respondents_display()}发出{sent}份，收回{returned}份，得分{score}")
    return survey


@transaction.atomic
def appraisal_start_self_check(*, actor: User, appraisal: Appraisal, note: str = "") -> Appraisal:
    """The department is asked for its self-inspection report."""
    appraisal = _step(actor, appraisal, "self_check", note)
    notification_send(recipients=_unit_users(appraisal.organization_id), kind="appraisal_self_check",
                      title=f"请开展自查自纠并提交自查报告：{appraisal}", link=("supervision_appraisal_unit:detail", appraisal.pk))
    return appraisal


@transaction.atomic
def appraisal_submit_self_check(*, actor: User, appraisal: Appraisal, report: str) -> Appraisal:
    """The department submits (or, until the meeting is convened, replaces) its self-inspection report."""
    appraisal = _lock(appraisal)
    APPRAISAL.check(actor, appraisal, "report_self_check")
    report = (report or "").strip()
    least = settings.CONGRESS_RULES["APPRAISAL_SELF_CHECK_MIN_CHARS"]
    if len(report) < least:
        raise CongressError(f"自查报告过短（至少{least}个字），请写明自查发现的问题和整改措施")
    appraisal.self_check_report, appraisal.self_check_at = report, timezone.now()
    APPRAISAL.apply(appraisal, "report_self_check", actor=actor, fields=["self_check_report", "self_check_at"],
                    reason=report[:200])
    notification_send(recipients=_staff_users(), kind="appraisal_self_check_submitted",
                      title=f"{appraisal.organization.name}已提交自查报告", link=("admin:supervision_appraisal_change", appraisal.pk))
    return appraisal


@transaction.atomic
def appraisal_convene(*, actor: User, appraisal: Appraisal, meeting: Meeting,
                      groups: Iterable[tuple[str, int]] = ((PollGroup.Kind.MEMBERS, 100),),
                      basis: str = "all", public_eligible: int = 0) -> Appraisal:
    """The appraisal meeting: its satisfaction poll is prepared (opened, voted and closed on the poll's own pages)."""
    appraisal = _lock(appraisal)
    APPRAISAL.check(actor, appraisal, "convene")
    if meeting is None:
        raise CongressError("请选择评议会议")
    poll = poll_create(actor=actor, term=appraisal.term, title=f"对{appraisal.organization.name}工作评议的满意度测评",
                       organization=appraisal.organization, meeting=meeting, basis=basis, groups=groups,
                       public_eligible=public_eligible, source=appraisal)
    appraisal.meeting, appraisal.poll = meeting, poll
    APPRAISAL.apply(appraisal, "convene", actor=actor, fields=["meeting", "poll"], reason=str(meeting))
    return appraisal


@transaction.atomic
def appraisal_conclude(*, actor: User, appraisal: Appraisal, opinion: str) -> Appraisal:
    """The meeting's opinion, with the poll's result: rectification begins."""
    appraisal = _lock(appraisal)
    APPRAISAL.check(actor, appraisal, "conclude")
    opinion = (opinion or "").strip()
    if not opinion:
        raise CongressError("请填写评议意见")
    appraisal.opinion, appraisal.result = opinion, appraisal.poll.result
    APPRAISAL.apply(appraisal, "conclude", actor=actor, fields=["opinion", "result"],
                    reason=f"测评结果：{appraisal.get_result_display() or '无法计算'}")
    return appraisal


@transaction.atomic
def appraisal_assign(*, actor: User, appraisal: Appraisal, title: str, due_date: datetime.date,
                     description: str = "") -> Rectification:
    """A problem of the opinion assigned to the department as a rectification item."""
    appraisal = _lock(appraisal)
    APPRAISAL.check(actor, appraisal, "assign")
    item = rectification_create(actor=actor, organization=appraisal.organization, title=title, due_date=due_date,
                                description=description, source=appraisal, source_label=f"工作评议：{appraisal}")
    APPRAISAL.apply(appraisal, "assign", actor=actor, reason=f"{item.title}（期限{due_date:%Y-%m-%d}）")
    return item


@transaction.atomic
def appraisal_start_review(*, actor: User, appraisal: Appraisal, note: str = "") -> Appraisal:
    """回头看: staff look again at what the department fixed."""
    return _step(actor, appraisal, "review", note)


def _score(value, label: str) -> Decimal:
    try:
        score = Decimal(str(value)).quantize(Decimal("0.01"))
    except (InvalidOperation, TypeError, ValueError):
        raise CongressError(f"{label}须为0至100之间的数")
    if not Decimal(0) <= score <= HUNDRED:
        raise CongressError(f"{label}须为0至100之间的数")
    return score


@transaction.atomic
def appraisal_record_scores(*, actor: User, appraisal: Appraisal, scores: dict) -> Decimal:
    """The scores (0–100) on every aspect of the appraisal's year, keyed by aspect (or its id); returns the weighted
    total. Entered again, they replace the earlier scores."""
    from supervision.selectors import appraisal_total

    appraisal = _lock(appraisal)
    APPRAISAL.check(actor, appraisal, "record_scores")
    aspects = list(AppraisalAspect.objects.filter(scheme__year=appraisal.year))
    given = {getattr(k, "pk", k): v for k, v in scores.items()}
    missing = [a.name for a in aspects if given.get(a.pk) in (None, "")]
    if missing:
        raise CongressError(f"请填写以下测评项目的得分：{'、'.join(missing)}")
    if set(given) - {a.pk for a in aspects}:
        raise CongressError(f"所填测评项目不属于{appraisal.year}年度")
    values = {a.pk: _score(given[a.pk], f"“{a.name}”的得分") for a in aspects}
    for aspect in aspects:
        AppraisalScore.objects.update_or_create(appraisal=appraisal, aspect=aspect, defaults={"score": values[aspect.pk]})
    total = appraisal_total([(values[a.pk], a.weight) for a in aspects])
    APPRAISAL.apply(appraisal, "record_scores", actor=actor,
                    reason="；".join(f"{a.name}{values[a.pk]}" for a in aspects) + f"；总分{total}")
    return total


@transaction.atomic
def appraisal_close(*, actor: User, appraisal: Appraisal, note: str = "") -> Appraisal:
    """回头看 done, every item accepted, every score in: the appraisal ends."""
    return _step(actor, appraisal, "close", note)


def _reappraise(poll, actor) -> None:
    """A 不满意 poll: the department is appraised again within APPRAISAL_REAPPRAISAL_MONTHS of the poll."""
    original = Appraisal.objects.filter(pk=poll.source_id).select_related("organization", "term").first()
    if original is None or original.follow_ups.exists():
        return
    due = add_months(timezone.localdate(), _months("APPRAISAL_REAPPRAISAL_MONTHS"), event="测评日").date
    appraisal_create(actor=actor, term=original.term, year=original.year, organization=original.organization,
                     kind=original.kind, subject=original.subject, follow_up_of=original, due_date=due)


RESULT_HOOKS["appraisal"] = _reappraise
