"""The demo seed's livelihood projects by vote (called from supervision.demo.seed_supervision): last year's round
evaluated at this year's session, this year's round of 12 candidates for 10 places voted (a few deputies on the phone,
the rest on paper, some ballots invalid), counted and under way with its quarterly reports (some overdue), and the next
session's round calling for candidates from deputies, organs and voters' opinions. Everything through the services,
except what an organ without an account handed in on paper (written as staff would type it in)."""
import datetime

from django.utils import timezone

from congress import roles
from congress.models import CongressSession, User
from deputies.models import Deputy
from supervision import services
from supervision.models import LivelihoodReport, LivelihoodRound
from supervision.services.livelihood import quarter_end
from supervision.workflows import LIVELIHOOD

S = LivelihoodRound.Status
TITLES = ["老旧小区加装电梯", "城区道路积水点改造", "社区嵌入式养老服务中心", "中小学校园周边交通安全设施", "农贸市场提升改造",
          "公共厕所新建改建", "背街小巷路灯补缺", "社区卫生服务站升级", "城乡公交线路优化", "河道水环境治理",
          "婴幼儿托育服务点", "全民健身场地建设"]
NEXT_PROPOSALS = [("deputy", "农村饮用水提质工程"), ("deputy", "城区停车泊位扩容"), ("unit", "智慧社区服务平台建设"),
                  ("opinion", "老旧小区雨污分流改造"), ("opinion", "社区食堂与老年助餐点")]


def seed(seeder, rng, staff) -> None:
    today = seeder.today
    sessions = list(CongressSession.objects.filter(term=seeder.term, start_date__lte=today).order_by("-start_date")[:2])
    if len(sessions) < 2:
        return
    this, last = sessions
    owners = seeder.departments
    old = _voted_round(seeder, rng, staff, last, owners, year=last.start_date.year)
    _reports(old, staff, rng, until=today, overdue=False)
    _evaluated(old, staff, rng, this)
    current = _voted_round(seeder, rng, staff, this, owners, year=this.start_date.year)
    _reports(current, staff, rng, until=today, overdue=True)
    _collecting(seeder, rng, staff, owners)


def _voted_round(seeder, rng, staff, session, owners, *, year) -> LivelihoodRound:
    round_ = services.livelihood_round_create(actor=staff, session=session, year=year, places=10)
    unit_org = next((o for o in owners if o.name == "区住房和城乡建设局"), owners[0])
    projects = []
    for n, title in enumerate(TITLES):
        owner = unit_org if n in (0, 3) else owners[(n * 5) % len(owners)]
        projects.append(services.livelihood_propose(actor=staff, round_=round_, title=f"{title}（{year}年）",
                                                    description=f"{title}，惠及群众约{rng.randint(2, 30)}千人。",
                                                    organization=owner, source_note="各代表联络站汇总的选民意见"))
    round_ = services.livelihood_shortlist(actor=staff, round_=round_, projects=projects, places=10)
    round_ = services.livelihood_open(actor=staff, round_=round_)
    numbers = {p.number: p for p in round_.projects.all()}
    liking = {n: 0.95 - 0.05 * n for n in numbers}  # the candidates' appeal: 1 the most popular
    voters = list(round_.voters.select_related("deputy__user"))
    online = [v for v in voters if v.deputy.user_id and v.deputy.user.username != "deputy"][:3]
    for voter in online:
        marks = [numbers[n].pk for n in numbers if rng.random() < liking[n]][:10]
        services.livelihood_vote(actor=voter.deputy.user, round_=round_, projects=marks)
    paper = [v.deputy for v in voters if v not in online and (v.deputy.user is None or v.deputy.user.username != "deputy")]
    paper = rng.sample(paper, max(1, int(len(paper) * 0.92)))
    ballots = []
    for _ in paper:
        draw = rng.random()
        if draw < 0.02:
            ballots.append([])                                # no mark: valid, every candidate not approved
        elif draw < 0.05:
            ballots.append(list(numbers)[:11])                # eleven marks for ten places: invalid
        else:
            ballots.append([n for n in numbers if rng.random() < liking[n]][:10])
    services.livelihood_enter_paper(actor=staff, round_=round_, voters=paper, ballots=ballots)
    round_ = services.livelihood_count(actor=staff, round_=round_)
    if round_.tie_pending:
        tied = list(round_.projects.filter(number__in=round_.figures["tie"]).order_by("number"))
        round_ = services.livelihood_resolve_tie(actor=staff, round_=round_, projects=tied[:round_.figures["tie_places"]],
                                                 reason="对得票相同的候选项目重新投票，按重新投票的得票确定")
    return services.livelihood_implement(actor=staff, round_=round_)


def _reports(round_, staff, rng, *, until: datetime.date, overdue: bool) -> None:
    """Each quarter's report that has come due, submitted by the organ (the last one of two projects left overdue)."""
    late = set(round_.projects.filter(chosen=True).order_by("number").values_list("pk", flat=True)[:2]) if overdue else set()
    for report in LivelihoodReport.objects.filter(project__round=round_).select_related("project").order_by("quarter"):
        if quarter_end(report.year, report.quarter) >= until:
            continue
        if report.project_id in late and report.due_date < until and not LivelihoodReport.objects.filter(
                project=report.project, quarter__gt=report.quarter, due_date__lt=until).exists():
            continue  # the latest one due: not in yet
        text = f"第{report.quarter}季度完成投资约{rng.randint(100, 900)}万元，按计划推进，群众反映良好。"
        progress = min(100, report.quarter * 25 + rng.randint(-5, 5))
        user = User.objects.filter(organization_id=report.project.organization_id, groups__name=roles.HANDLING_UNIT,
                                   is_active=True).first()
        if user is not None:
            services.livelihood_report(actor=user, report=report, progress=progress, text=text)
        else:  # handed in on paper: typed in as staff would have it
            report.progress, report.text, report.submitted_at = progress, text, timezone.now()
            report.save(update_fields=["progress", "text", "submitted_at"])
            LIVELIHOOD.apply_unchecked(round_, "report", actor=staff, reason=f"{report.project.title}：{report}（纸质报送）")


def _evaluated(round_, staff, rng, session) -> None:
    from supervision.demo import _paper_ballots

    for poll in services.livelihood_poll(actor=staff, round_=round_, session=session):
        poll = services.poll_open(actor=staff, poll=poll)
        _paper_ballots(poll, staff, rng, leaning=0.8)
        services.poll_close(actor=staff, poll=poll)
    services.livelihood_conclude(actor=staff, round_=round_)


def _collecting(seeder, rng, staff, owners) -> None:
    session = seeder.next_session
    round_ = services.livelihood_round_create(actor=staff, session=session, year=session.start_date.year, places=10)
    deputies = list(Deputy.objects.filter(user__isnull=False).exclude(user__username="deputy").order_by("pk")[:2])
    unit_user = User.objects.filter(username="unit").first()
    for n, (source, title) in enumerate(NEXT_PROPOSALS):
        if source == "deputy" and len(deputies) > n:
            services.livelihood_propose(actor=deputies[n].user, round_=round_, title=title)
        elif source == "unit" and unit_user is not None:
            services.livelihood_propose(actor=unit_user, round_=round_, title=title)
        else:
            services.livelihood_propose(actor=staff, round_=round_, title=title, organization=owners[n % len(owners)],
                                        source_note="城东街道代表联络站")
