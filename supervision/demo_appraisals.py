"""The demo seed's work appraisals (called from supervision.demo.seed_supervision): last year's appraisals of six
departments, every phase done through the services — questionnaires, self-inspection reports from the departments'
workspace, the meeting's poll from paper ballots, rectification items reported and accepted, 回头看, the scores — so the
admin's ranking (with a tie) and its Excel export have a whole year; this year, one department in each early phase,
the demo unit's at 自查自纠 waiting for its report."""
import datetime
from decimal import Decimal

from congress import roles
from congress.models import Meeting, User
from supervision import services
from supervision.models import AppraisalAspect, AppraisalScheme, AppraisalSurvey

ASPECTS = [("问卷调查", 30, "代表问卷、选民问卷得分"), ("满意度测评", 50, "评议会议满意度测评折算得分"),
           ("整改落实", 20, "回头看评定的整改得分")]
LAST_YEAR = [  # department, kind, subject, (问卷调查, 满意度测评, 整改落实)
    ("区交通运输局", "comprehensive", "", ("91.5", "93", "90")),
    ("区教育局", "special", "“双减”政策落实", ("88", "90", "86")),
    ("区市场监督管理局", "comprehensive", "", ("85", "88", "92")),
    ("区卫生健康委员会", "special", "基层医疗服务能力建设", ("90", "86", "88")),  # 87.60: the same total as the next
    ("区城市管理局", "comprehensive", "", ("86", "88", "89")),                   # 87.60
    ("区信访局", "comprehensive", "", ("78", "72.5", "80")),
]
THIS_YEAR = [("区住房和城乡建设局", "self_check"), ("区水务局", "surveying"), ("区医疗保障局", "mobilizing")]
OPINION = "评议认为，该部门围绕中心工作履职尽责，取得明显成效；但在服务效能、信息公开和群众诉求回应等方面仍有不足，请认真研究整改。"
PROBLEMS = [("群众诉求回应不及时", "建立诉求办理台账，明确答复时限"), ("政务信息公开不够全面", "按目录及时公开办事指南和收费标准")]


def seed(seeder, rng, staff) -> None:
    today = seeder.today
    for year in (today.year - 1, today.year):
        scheme = AppraisalScheme.objects.create(year=year, note="经主任会议确定")
        for order, (name, weight, _) in enumerate(ASPECTS, start=1):
            AppraisalAspect.objects.create(scheme=scheme, name=name, weight=weight, order=order)
    by_name = {o.name: o for o in seeder.departments}
    standing = Meeting.objects.filter(term=seeder.term, kind=Meeting.Kind.STANDING, date__lt=today).order_by("-date")
    meetings = list(standing.filter(date__year=today.year - 1)[:len(LAST_YEAR)]) or list(standing[:len(LAST_YEAR)])
    for n, (name, kind, subject, scores) in enumerate(LAST_YEAR):
        unit = by_name[name]
        reporter = _unit_user(unit, n)
        a = services.appraisal_create(actor=staff, term=seeder.term, year=today.year - 1, organization=unit, kind=kind,
                                      subject=subject)
        a = _to_self_check(a, staff, rng)
        if reporter is not None:
            a = services.appraisal_submit_self_check(actor=reporter, appraisal=a, report=_report(unit.name))
        else:
            a = _paper_self_check(a, staff, _report(unit.name))
        a = services.appraisal_convene(actor=staff, appraisal=a, meeting=meetings[n % len(meetings)])
        poll = services.poll_open(actor=staff, poll=a.poll)
        from supervision.demo import _paper_ballots

        _paper_ballots(poll, staff, rng, leaning=0.8 if n < 5 else 0.45)
        services.poll_close(actor=staff, poll=poll)
        a = services.appraisal_conclude(actor=staff, appraisal=a, opinion=OPINION)
        for title, description in PROBLEMS[: 1 + n % 2]:
            item = services.appraisal_assign(actor=staff, appraisal=a, title=title, description=description,
                                             due_date=today + datetime.timedelta(days=30))
            if reporter is not None:
                services.rectification_report(actor=reporter, rectification=item, text="已按要求整改到位", final=True)
            else:
                _paper_rectification(item, staff)
            services.rectification_accept(actor=staff, rectification=item, note="回头看核实")
        a = services.appraisal_start_review(actor=staff, appraisal=a, note="组织部分委员和代表实地察看整改情况")
        aspects = AppraisalAspect.objects.filter(scheme__year=today.year - 1).order_by("order")
        services.appraisal_record_scores(actor=staff, appraisal=a, scores={
            aspect: Decimal(value) for aspect, value in zip(aspects, scores, strict=True)})
        services.appraisal_close(actor=staff, appraisal=a, note="回头看完成")
    for name, phase in THIS_YEAR:
        unit = by_name[name]
        a = services.appraisal_create(actor=staff, term=seeder.term, year=today.year, organization=unit)
        if phase in ("surveying", "self_check"):
            a = services.appraisal_start_survey(actor=staff, appraisal=a, note="召开工作评议动员会")
        if phase == "self_check":
            _to_self_check(a, staff, rng, started=True)


def _to_self_check(a, staff, rng, started=False):
    if not started:
        a = services.appraisal_start_survey(actor=staff, appraisal=a, note="召开工作评议动员会")
    for respondents, sent in ((AppraisalSurvey.Respondents.DEPUTIES, 60), (AppraisalSurvey.Respondents.VOTERS, 300)):
        returned = sent - rng.randint(0, sent // 6)
        services.appraisal_record_survey(actor=staff, appraisal=a, respondents=respondents, sent=sent, returned=returned,
                                         score=Decimal(rng.randint(7600, 9400)) / 100, note="")
    return services.appraisal_start_self_check(actor=staff, appraisal=a, note="印发自查提纲")


def _unit_user(unit, n) -> User | None:
    """The department's account in the unit workspace (the demo has two); None for a department without one."""
    return User.objects.filter(organization=unit, groups__name=roles.HANDLING_UNIT).first()


def _paper_self_check(a, staff, report: str):
    """A department without an account handed its report in on paper: the demo enters it as staff would have it
    typed in (written directly; the workspace's service takes only the department's own account)."""
    from django.utils import timezone

    from supervision.workflows import APPRAISAL

    a.self_check_report, a.self_check_at = report, timezone.now()
    # past the "who" check on purpose: only the department's own account passes it
    APPRAISAL.apply_unchecked(a, "report_self_check", actor=staff, reason="纸质自查报告，由机关工作人员录入",
                              fields=["self_check_report", "self_check_at"])
    return a


def _paper_rectification(item, staff):
    """The same for a rectification report handed in on paper."""
    from supervision.models import Rectification, RectificationReport
    from supervision.workflows import RECTIFICATION

    item = Rectification.objects.get(pk=item.pk)
    RectificationReport.objects.create(rectification=item, text="已按要求整改到位（纸质报告录入）", final=True,
                                       reported_by=staff)
    RECTIFICATION.apply_unchecked(item, "submit", actor=staff, reason="纸质整改报告，由机关工作人员录入")
    return item


def _report(name: str) -> str:
    return (f"{name}对照评议内容开展了自查自纠。一是梳理了近三年群众来信来访反映的问题；二是对照法定职责逐项检查了"
            "履职情况；三是查找出服务效能、信息公开等方面的不足，并制定了整改措施和时间表。")
