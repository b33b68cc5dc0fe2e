"""The demo seed's supervision phase (called from congress.demo.seed): the committee's members (the demo deputy among
them, so the portal shows a poll to vote in), a year of satisfaction polls on the departments' work at the standing
committee's meetings — closed with their figures, a few published, one open — and rectification items in every state.
Everything goes through the services, so the history, the notifications and the figures are the real ones."""
import datetime

from congress.models import Meeting, Organization, User
from deputies.models import Deputy, Mandate
from supervision import services
from supervision.models import CommitteeMember, PollGroup, SatisfactionPoll

C = SatisfactionPoll.Choice
ROLES = [CommitteeMember.Role.CHAIR] + [CommitteeMember.Role.VICE_CHAIR] * 4 + [CommitteeMember.Role.SECRETARY_GENERAL]
RECTIFICATIONS = [
    ("老旧小区加装电梯审批流程长", "简化加装电梯联合审批，明确办理时限"),
    ("学校周边交通秩序混乱", "增设护栏和交通信号，上下学时段安排警力"),
    ("农村生活污水处理设施运行不正常", "排查已建设施运行情况，建立运维台账"),
    ("基层医疗机构药品配备不足", "按常见病用药目录补齐社区卫生服务站药品"),
    ("审计发现的专项资金滞留问题", "清理滞留资金，建立资金拨付台账"),
    ("河道保洁不到位", "落实河长制，增加保洁频次"),
]


def seed_supervision(seeder, rng) -> None:
    today = seeder.today
    term = seeder.term
    staff = User.objects.get(username="staff")
    demo = Deputy.objects.filter(user__username="deputy").first()
    pool = list(Mandate.objects.filter(term=term, level=Mandate.Level.DISTRICT, status=Mandate.Status.SERVING)
                .exclude(deputy=demo).values_list("deputy_id", flat=True).order_by("deputy_id").distinct())
    chosen = rng.sample(pool, min(len(pool), 34)) + ([demo.pk] if demo else [])
    members = []
    for i, deputy_id in enumerate(chosen):
        role = ROLES[i] if i < len(ROLES) else CommitteeMember.Role.MEMBER
        member = CommitteeMember(term=term, deputy_id=deputy_id, role=role, start_date=term.start_date)
        member._history_user = staff
        member.save()  # a few dozen: with history, so the audit list has rows
        members.append(member)
    departments = [o for o in seeder.departments if o.is_handling_unit]
    meetings = list(Meeting.objects.filter(term=term, kind=Meeting.Kind.STANDING, date__lte=today,
                                           date__gt=today - datetime.timedelta(days=365)).order_by("date"))
    for n, meeting in enumerate(meetings[-6:]):
        unit = departments[n % len(departments)]
        poll = services.poll_create(actor=staff, term=term, title=f"对{unit.name}审议意见办理情况的满意度测评",
                                    organization=unit, meeting=meeting)
        poll = services.poll_open(actor=staff, poll=poll)
        _paper_ballots(poll, staff, rng, leaning=[0.75, 0.55, 0.3][n % 3])
        poll = services.poll_close(actor=staff, poll=poll)
        if n % 2 == 0:
            services.poll_publish(actor=staff, poll=poll)
    # one open now, on the coming meeting: the demo deputy (a member) votes in the portal
    coming = Meeting.objects.filter(term=term, kind=Meeting.Kind.STANDING, date__gt=today).order_by("date").first()
    unit = departments[len(meetings) % len(departments)]
    poll = services.poll_create(actor=staff, term=term, title=f"对{unit.name}专项工作报告的满意度测评", organization=unit,
                                meeting=coming, groups=[(PollGroup.Kind.MEMBERS, 100)])
    services.poll_open(actor=staff, poll=poll)
    _rectifications(seeder, staff, rng, departments)
    from supervision.demo_reports import seed as seed_reports

    seed_reports(seeder, rng, staff)
    from supervision import demo_appraisals

    demo_appraisals.seed(seeder, rng, staff)
    from supervision.demo_inquiries import seed as seed_inquiries  # 专题询问

    seed_inquiries(seeder, rng, staff)
    from supervision.demo_meetings import seed as seed_meetings  # 代表约见

    seed_meetings(seeder, rng, staff)
    from supervision.demo_inspections import seed as seed_inspections  # 执法检查

    seed_inspections(seeder, rng, staff)
    from supervision import demo_livelihood  # 民生实事项目票决制

    demo_livelihood.seed(seeder, rng, staff)
    from supervision.demo_ratings import seed as seed_ratings  # 任后监督

    seed_ratings(seeder, rng, staff)


def _paper_ballots(poll, staff, rng, leaning: float) -> None:
    """Most members vote on paper at the meeting, a few are absent: the group's ballots in one count from the box."""
    group = poll.groups.get()
    voters = list(poll.voters.select_related("deputy").order_by("deputy_id"))
    present = [v for v in voters if v.deputy.user_id is None or v.deputy.user.username != "deputy"]
    present = rng.sample(present, max(1, int(len(present) * 0.9)))
    marks = {C.SATISFIED: 0, C.BASIC: 0, C.UNSATISFIED: 0, "": 0}
    for _ in present:
        draw = rng.random()
        marks[C.SATISFIED if draw < leaning else C.BASIC if draw < leaning + 0.25 else
              "" if draw > 0.985 else C.UNSATISFIED] += 1
    services.poll_enter_paper(actor=staff, poll=poll, group=group, voters=[v.deputy for v in present],
                              satisfied=marks[C.SATISFIED], basic=marks[C.BASIC], unsatisfied=marks[C.UNSATISFIED],
                              invalid=marks[""])


def _rectifications(seeder, staff, rng, departments) -> None:
    unit = Organization.objects.filter(name="区住房和城乡建设局").first() or departments[0]
    reporter = User.objects.filter(username="unit").first()
    for n, (title, description) in enumerate(RECTIFICATIONS):
        owner = unit if n < 3 else departments[(n * 3) % len(departments)]
        item = services.rectification_create(actor=staff, organization=owner, title=title, description=description,
                                             due_date=seeder.today + datetime.timedelta(days=[20, 45, 90, 10, 60, 30][n]),
                                             source_label="常委会审议意见" if n % 2 else "专题询问应询承诺")
        author = reporter if owner == unit and reporter else None
        if author is not None and n == 1:
            services.rectification_report(actor=author, rectification=item, text="已完成设计，正在施工")
        if author is not None and n == 2:
            services.rectification_report(actor=author, rectification=item, text="已全部整改到位，附现场照片", final=True)
