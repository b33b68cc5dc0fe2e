"""The demo seed's law enforcement inspection (执法检查): this year's inspection of the fire law (《消防法》), its team
(two members of the committee, one leading, and three deputies — the demo deputy among them, so the portal shows it),
three site visits, the problems found, the report deliberated at a standing committee meeting and the problems assigned
to their organs as rectification items. The team and the problems are the admin's inline rows; every step goes
through the services."""
import datetime

from congress.models import Meeting, Organization
from deputies.models import Deputy, DutyActivityType, Mandate
from supervision import services
from supervision.models import CommitteeMember, InspectionMember, InspectionProblem

LAW = "《中华人民共和国消防法》"
VISITS = [(0, "城东商业综合体", "区应急管理局", "查看消防设施维护保养和疏散通道情况"),
          (6, "临江镇工业园区", "区应急管理局", "抽查企业消防安全责任制落实和员工培训记录"),
          (13, "城北老旧小区", "区住房和城乡建设局", "察看电动自行车集中充电设施和消防车通道")]
PROBLEMS = [(0, "区应急管理局", "部分商业综合体消防设施维护保养不到位", "建立维保台账，三个月内完成全面检测", 90),
            (1, "区应急管理局", "小微企业消防安全培训覆盖面不足", "年内完成园区企业员工全员培训", 150),
            (2, "区住房和城乡建设局", "老旧小区消防车通道被占用、电动自行车充电设施不足", "清理通道，新建集中充电点", 120)]


def seed(seeder, rng, staff) -> None:
    today = seeder.today
    start = today - datetime.timedelta(days=70)
    end = start + datetime.timedelta(days=20)
    body = (Organization.objects.filter(kind=Organization.Kind.WORKING_BODY).exclude(name="常委会办公室")
            .order_by("sort_order", "id").first())
    if body is None:
        return
    inspection = services.inspection_create(
        actor=staff, year=start.year, law=LAW, working_body=body, start_date=start, end_date=end,
        activity_type=DutyActivityType.objects.filter(name="执法检查").first(),
        plan="一、检查重点：消防安全责任制落实、公共消防设施建设和维护、重点单位消防安全管理、基层消防力量建设。\n"
             "二、检查方式：听取区政府及有关部门汇报，深入镇街、企业、社区实地检查，召开座谈会，委托镇街人大开展检查。\n"
             "三、时间安排：集中检查二十天，报告提请常委会会议审议。")
    demo = Deputy.objects.filter(user__username="deputy").first()
    members = list(CommitteeMember.objects.filter(term=seeder.term).exclude(deputy=demo).select_related("deputy")
                   .order_by("deputy_id")[:2])
    taken = {m.deputy_id for m in members} | ({demo.pk} if demo else set())
    pool = list(Mandate.objects.filter(term=seeder.term, level=Mandate.Level.DISTRICT, status=Mandate.Status.SERVING)
                .exclude(deputy_id__in=taken).values_list("deputy_id", flat=True).order_by("deputy_id").distinct())
    deputies = ([demo] if demo else []) + list(Deputy.objects.filter(pk__in=rng.sample(pool, min(len(pool), 2))))
    team = []
    for n, member in enumerate(members):
        row = InspectionMember(inspection=inspection, deputy=member.deputy, capacity=InspectionMember.Capacity.COMMITTEE,
                               role=InspectionMember.Role.LEADER if n == 0 else InspectionMember.Role.DEPUTY_LEADER)
        team.append(row)
    team += [InspectionMember(inspection=inspection, deputy=d, capacity=InspectionMember.Capacity.DEPUTY) for d in deputies]
    for row in team:
        row._history_user = staff
        row.save()  # with history, so the audit list has rows
    if not team:
        return
    inspection = services.inspection_start(actor=staff, inspection=inspection)
    units = {o.name: o for o in Organization.objects.filter(name__in={u for _, _, u, _ in VISITS})}
    visits = []
    for offset, place, unit_name, note in VISITS:
        went = [row.deputy for row in team if row.role != InspectionMember.Role.MEMBER or rng.random() < 0.8]
        visits.append(services.inspection_visit(actor=staff, inspection=inspection, date=start + datetime.timedelta(days=offset),
                                                place=place, organization=units.get(unit_name), participants=went,
                                                note=note))
    organs = [o for o in seeder.departments if o.is_handling_unit]
    for n, (visit, unit_name, title, detail, days) in enumerate(PROBLEMS):
        problem = InspectionProblem(inspection=inspection, number=n + 1, visit=visits[visit], title=title, detail=detail,
                                    organization=units.get(unit_name) or organs[n % len(organs)],
                                    due_date=today + datetime.timedelta(days=days))
        problem._history_user = staff
        problem.save()
    meeting = (Meeting.objects.filter(term=seeder.term, kind=Meeting.Kind.STANDING, date__gt=end, date__lte=today)
               .order_by("date").first())
    inspection = services.inspection_submit_report(
        actor=staff, inspection=inspection, meeting=meeting,
        text=f"检查组对{LAW}在本区的实施情况进行了检查。总体看，消防安全责任制逐步落实，公共消防设施不断完善；"
             "但也存在部分单位消防设施维保不到位、小微企业培训不足、老旧小区消防车通道被占用等问题。建议压实责任、"
             "加大投入、强化基层消防力量。")
    if meeting is None:
        return
    inspection = services.inspection_deliberate(actor=staff, inspection=inspection,
                                                review_opinion="一、进一步压实消防安全责任；二、加快老旧小区消防设施改造；"
                                                               "三、加强消防安全宣传培训。")
    services.inspection_assign(actor=staff, inspection=inspection)
