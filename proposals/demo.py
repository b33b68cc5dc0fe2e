"""The demo seed's suggestions phase (called from congress.demo.seed): a few hundred suggestions of the current
term's sessions and recess years across every state, with assignments, replies, evaluations and transitions,
scaled by the seeder's factor. Deterministic: one random.Random seeded from the seed's SEED.

The bulk is written with bulk_create (no history rows: nobody did it); a handful of items go through the real
services as the demo accounts, so the timeline, the notifications and the audit lists have something to show."""
import datetime

from django.core.files.base import ContentFile
from django.utils import timezone

from congress.models import CalendarDay, Organization, StateChange, User
from proposals import services
from proposals.models import (
    Assignment,
    Cosignature,
    Evaluation,
    FollowUpReport,
    Proposal,
    Reply,
    Suggestion,
    SuggestionCategory,
)

CATEGORIES = ["城乡建设", "交通出行", "教育", "医疗卫生", "养老服务", "生态环境", "农业农村", "社会治理", "经济发展",
              "文化体育"]
TOPICS = [
    ("城乡建设", "加快{place}老旧小区改造", "{place}一带小区建成年代久，管网老化、屋面渗漏，居民反映强烈。"),
    ("城乡建设", "推进{place}既有住宅加装电梯", "老年居民上下楼困难，加装电梯协调难、补贴低。"),
    ("交通出行", "缓解{place}学校周边交通拥堵", "上下学时段接送车辆占道，交通拥堵，存在安全隐患。"),
    ("交通出行", "优化{town}公交线路和班次", "部分村居公交班次少、间隔长，群众出行不便。"),
    ("交通出行", "增设{place}公共停车位", "车位缺口大，车辆乱停乱放，堵塞消防通道。"),
    ("教育", "扩充{town}优质学位供给", "新建小区入住人口增加，学位紧张，学生就近入学难。"),
    ("医疗卫生", "提升{town}基层医疗服务能力", "社区卫生服务中心专科医生少，群众看病需往返城区。"),
    ("养老服务", "建设{place}社区老年助餐点", "独居和高龄老人吃饭难，助餐点覆盖不足。"),
    ("生态环境", "整治{place}河道黑臭水体", "河道存在生活污水直排，夏季异味明显。"),
    ("生态环境", "推进{town}生活垃圾分类", "分类设施不足，混收混运现象仍然存在。"),
    ("农业农村", "改善{town}农村人居环境", "部分村庄道路破损、路灯缺失，环境卫生有待提升。"),
    ("社会治理", "加强{place}物业管理", "物业服务质量不高，业主投诉多，监管机制不健全。"),
    ("经济发展", "优化{town}营商环境", "企业反映审批环节多、办事周期长。"),
    ("文化体育", "增加{town}全民健身场地", "居民健身场地少，现有设施老化。"),
]
STATES_OLD = [("closed", 80), ("replied", 12), ("rehandling", 3), ("handling", 5)]
RESULTS = [("A", 55), ("B", 30), ("C", 12), ("D", 3)]
RATINGS = [("satisfied", 82), ("basically", 15), ("unsatisfied", 3)]
MINIMAL_PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Count 0/Kids[]>>endobj\n" \
              b"trailer<</Root 1 0 R>>\n%%EOF\n"


def _pick(rng, pairs):
    return rng.choices([v for v, _ in pairs], weights=[w for _, w in pairs])[0]


def _add_months(day: datetime.date, months: int, rest: set) -> datetime.date:
    """workdays.add_months without a query per item (the seed writes thousands at province scale)."""
    import calendar

    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    due = datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))
    while due in rest or (due.weekday() >= 5 and due not in rest.workdays):
        due += datetime.timedelta(days=1)
    return due


class _Rest(set):
    workdays: set = set()


def _ensure_calendar() -> None:
    """The demo's deadlines need the holiday calendar; a database flushed by a transactional test has lost the rows
    the migration loaded, so load the same file again."""
    if CalendarDay.objects.exists():
        return
    import csv
    from pathlib import Path

    import congress

    path = Path(congress.__file__).resolve().parent / "data" / "cn-holidays-2025-2026.csv"
    with path.open(encoding="utf-8") as f:
        CalendarDay.objects.bulk_create([CalendarDay(date=datetime.date.fromisoformat(r["date"]), kind=r["kind"],
                                                     name=r["name"]) for r in csv.DictReader(f)], ignore_conflicts=True)


def seed_suggestions(seeder, rng) -> None:
    _ensure_calendar()
    today = seeder.today
    term = seeder.term
    staff = User.objects.get(username="staff")
    categories = []
    for i, name in enumerate(CATEGORIES, 1):
        category = SuggestionCategory(name=name, sort_order=i)
        category.save()  # a handful: with history, so the audit list has rows
        categories.append(category)
    by_category = {c.name: c for c in categories}
    units = [o for o in seeder.departments if o.is_handling_unit] + list(
        Organization.objects.filter(kind=Organization.Kind.STATE_ORGAN, is_handling_unit=True))
    rest = _Rest(CalendarDay.objects.filter(kind=CalendarDay.Kind.HOLIDAY).values_list("date", flat=True))
    rest.workdays = set(CalendarDay.objects.filter(kind=CalendarDay.Kind.WORKDAY).values_list("date", flat=True))
    towns = seeder.towns
    deputies_by_town = {t.pk: seeder.pool_district[t.pk] for t in towns if seeder.pool_district[t.pk]}
    town_ids = list(deputies_by_town)
    town_names = {t.pk: t.name for t in towns}
    sessions = list(term.sessions.filter(start_date__lte=today).select_related("term").order_by("number"))
    batches = [(s, None, s.start_date) for s in sessions]
    first_year = sessions[0].start_date.year if sessions else term.start_date.year
    batches += [(None, year, datetime.date(year, 3, 1)) for year in range(first_year, today.year + 1)]

    suggestions, plans = [], []
    for session, year, start in batches:
        count = seeder.n(45 if session else 12)
        key = f"s{session.pk}" if session else f"r{term.pk}-{year}"
        for serial in range(1, count + 1):
            town = rng.choice(town_ids)
            lead = rng.choice(deputies_by_town[town])
            category_name, title, content = rng.choice(TOPICS)
            place = f"{town_names[town]}{rng.choice('东西南北中新')}片区"
            fill = {"town": town_names[town], "place": place}
            if session:
                submitted = session.start_date + datetime.timedelta(days=rng.randint(0, 2))
            else:
                submitted = start + datetime.timedelta(days=rng.randint(0, 280))
            if submitted > today:
                continue
            assigned = submitted + datetime.timedelta(days=rng.randint(7, 25))
            age = (today - assigned).days
            if assigned > today:
                status = rng.choice(["submitted", "registered"])
            elif age < 40:
                status = rng.choice(["assigned", "handling", "handling"])
            elif age < 100:
                status = rng.choice(["handling", "replied", "replied", "closed"])
            else:
                status = _pick(rng, STATES_OLD)
            if rng.random() < 0.02 and status in ("submitted", "registered"):
                status = "returned"
            s = Suggestion(term=term, session=session, recess_year=year, batch_key=key, title="关于" + title.format(**fill)
                           + "的建议", content=content.format(**fill) + "建议有关部门统筹研究，加快推进。",
                           category=by_category[category_name], lead_deputy_id=lead, status=status,
                           is_hard=rng.random() < 0.06, submitted_at=_at(submitted))
            if status != "submitted" and status != "returned":
                s.serial = serial
                s.number = s.format_number(serial)
            if status == "returned":
                s.return_reason = "属于个人诉求，不宜作为代表建议，建议通过信访渠道反映"
            if status in Suggestion.IN_HANDLING:
                s.assigned_on = assigned
            s.is_priority = status in Suggestion.IN_HANDLING and rng.random() < 0.03
            if s.is_priority:
                s.supervising_leader = "常委会副主任"
                s.government_official = "副区长"
                s.supervising_body = rng.choice(seeder.working_bodies)
            suggestions.append(s)
            plans.append((submitted, assigned))
    Suggestion.objects.bulk_create(suggestions, batch_size=1000)
    # numbers need the session's term in str(): format_number used the cached objects, so they are right

    assignments, replies_plan, transitions = [], [], []
    cosigns = []
    for s, (submitted, assigned) in zip(suggestions, plans, strict=True):
        transitions.append(StateChange(workflow="suggestion", object_id=s.pk, thread=f"suggestion:{s.pk}", action="enter",
                                       from_state="draft", to_state="submitted", actor=staff, reason="演示数据",
                                       at=_at(submitted)))
        pool = deputies_by_town[rng.choice(town_ids)]
        for pk in rng.sample(pool, k=min(len(pool), rng.randint(0, 2))):
            if pk != s.lead_deputy_id:
                cosigns.append(Cosignature(suggestion=s, deputy_id=pk, status="confirmed"))
        if s.status not in Suggestion.IN_HANDLING:
            continue
        picked = rng.sample(units, min(3, len(units)))
        months = 6 if s.is_hard else 3
        if rng.random() < 0.08:
            roles = [(picked[0], "separate"), (picked[1], "separate")]
        else:
            roles = [(picked[0], "lead")] + ([(picked[1], "assisting")] if rng.random() < 0.25 else [])
        for unit, role in roles:
            due = _add_months(assigned, 1 if role == "assisting" else months, rest)
            a = Assignment(suggestion=s, unit=unit, role=role, assigned_on=assigned, due_date=due,
                           due_explanation=f"交办日 {assigned:%Y-%m-%d}，{1 if role == 'assisting' else months}个月，"
                                           f"届满 {due:%Y-%m-%d}",
                           send_back_until=assigned + datetime.timedelta(days=9), status="assigned")
            replied_states = ("replied", "rehandling", "closed")
            if role == "assisting":
                a.status = "opinion_sent" if s.status != "assigned" else "assigned"
            elif s.status in replied_states:
                a.status = "rehandling" if s.status == "rehandling" else "replied"
                late = rng.random() < 0.1
                a.first_replied_on = min(today, due + datetime.timedelta(days=rng.randint(1, 20)) if late else
                                         assigned + datetime.timedelta(days=rng.randint(20, max(21, (due - assigned).days))))
                a.result = _pick(rng, RESULTS)
                if s.status == "rehandling":
                    a.second_due_date = _add_months(a.first_replied_on + datetime.timedelta(days=15), 1, rest)
                replies_plan.append(a)
            elif s.status == "handling":
                a.status = "handling"
            assignments.append(a)
        transitions.append(StateChange(workflow="suggestion", object_id=s.pk, thread=f"suggestion:{s.pk}", action="assign",
                                       from_state="registered", to_state="assigned", actor=staff,
                                       reason="；".join(f"{dict(Assignment.Role.choices)[r]}：{u.name}" for u, r in roles),
                                       at=_at(assigned)))
    Cosignature.objects.bulk_create(cosigns, batch_size=1000, ignore_conflicts=True)
    Assignment.objects.bulk_create(assignments, batch_size=1000)

    replies, evaluations, followups = [], [], []
    for a in replies_plan:
        r = Reply(assignment=a, letter="suggestions/replies/demo.pdf", result=a.result, replied_on=a.first_replied_on,
                  replied_by=staff, publishable=rng.random() < 0.7, summary=f"经研究，{a.get_result_display()[3:]}。")
        replies.append(r)
    for r in replies:
        a = r.assignment
        if rng.random() < 0.9:
            rating = "unsatisfied" if a.status == "rehandling" else _pick(rng, RATINGS[:2])
            evaluations.append(Evaluation(reply=r, deputy_id=a.suggestion.lead_deputy_id, rating=rating,
                                          source="online" if rng.random() < 0.8 else "paper", entered_by=staff))
        if a.result in ("B", "C") and a.suggestion.status == "closed" and a.first_replied_on.year < today.year:
            solved = rng.random() < 0.4
            followups.append(FollowUpReport(assignment=a, year=a.first_replied_on.year + 1, solved=solved,
                                            progress="已完成" if solved else "已列入年度计划，正在推进", reported_by=staff))
            if solved:
                a.followup_solved = True
        transitions.append(StateChange(workflow="assignment", object_id=a.pk, thread=f"suggestion:{a.suggestion_id}",
                                       action="reply", from_state="handling", to_state="replied", actor=staff,
                                       reason=f"{a.result}类", at=_at(a.first_replied_on)))
    transitions += _publish(replies, rng, today, staff)
    Reply.objects.bulk_create(replies, batch_size=1000)
    Evaluation.objects.bulk_create(evaluations, batch_size=1000)
    FollowUpReport.objects.bulk_create(followups, batch_size=1000)
    Assignment.objects.bulk_update([f.assignment for f in followups if f.solved], ["followup_solved"], batch_size=1000)
    StateChange.objects.bulk_create(transitions, batch_size=1000)

    _through_the_services(seeder, staff, by_category, sessions)

    from proposals.services.similar import similar_refresh_term

    similar_refresh_term(term_id=term.pk)  # what the nightly task keeps: the admin reads the stored matches


def _at(day: datetime.date) -> datetime.datetime:
    """A step of the bulk history on its day, in office hours."""
    return datetime.datetime.combine(day, datetime.time(10), tzinfo=timezone.get_current_timezone())


def _publish(replies, rng, today: datetime.date, staff) -> list[StateChange]:
    """Publish replies as a district does: most replies of past years that the unit agreed to publish are on the
    public page (/replies/), put there a few weeks after the reply; this year's only once the suggestion is closed,
    and not all of them yet. Each publication has its history row, as reply_publish writes it."""
    rows = []
    for r in replies:
        a = r.assignment
        past = r.replied_on.year < today.year
        if not r.publishable or not (past or a.suggestion.status == "closed") or rng.random() >= (0.9 if past else 0.5):
            continue
        day = min(r.replied_on + datetime.timedelta(days=rng.randint(15, 60)), today - datetime.timedelta(days=1))
        r.published_at = _at(max(day, r.replied_on))
        rows.append(StateChange(workflow="assignment", object_id=a.pk, thread=f"suggestion:{a.suggestion_id}",
                                action="publish_reply", from_state=a.status, to_state=a.status, actor=staff,
                                reason=str(r), at=r.published_at))
    return rows


def _through_the_services(seeder, staff, by_category, sessions) -> None:
    """A few items handled by the demo accounts themselves, so that each login finds something in every state it can
    act on: the deputy a draft to submit or pre-submit, an invitation to co-sign and a reply to rate (the activity to
    confirm is the seed's portal phase); the town staff a pre-submission to review; each unit an inbox with items to
    contact, reply to or send an opinion on. The other deputy logins have suggestions of their own."""
    from deputies.models import Deputy

    users = {u.username: u for u in User.objects.filter(username__in=["deputy", "deputy2", "deputy3", "unit", "unit2"])}
    if len(users) < 5 or not sessions:
        return
    deputy_user, unit_user, unit2_user = users["deputy"], users["unit"], users["unit2"]
    unit, unit2 = unit_user.organization, unit2_user.organization
    session = sessions[-1]
    lead = Deputy.objects.get(user=deputy_user)
    others = {name: Deputy.objects.get(user=users[name]) for name in ("deputy2", "deputy3")}

    def letter():
        return ContentFile(MINIMAL_PDF, name="答复函.pdf")

    def handed_to(actor, suggestion, **units):
        services.suggestion_submit(actor=actor, suggestion=suggestion)
        services.suggestion_register(actor=staff, suggestion=suggestion)
        return services.suggestion_assign(actor=staff, suggestion=suggestion, **units)

    # the demo deputy (城东街道): a draft to submit, or to pre-submit before the coming session
    services.suggestion_create(actor=deputy_user, title="关于在城东街道增设社区助餐点的建议",
                               content="辖区高龄独居老人较多，建议增设社区助餐点。", category=by_category["养老服务"])
    early = services.suggestion_create(actor=deputy_user, title="关于加强城东街道学校周边交通安全的建议",
                                       content="上下学时段车辆占道停放，学生过街不安全，建议设置护学通道。",
                                       category=by_category["交通出行"])
    services.suggestion_submit(actor=deputy_user, suggestion=early, presubmit=True)  # for the town staff to review
    replied = services.suggestion_create(actor=deputy_user, title="关于改造城东街道排水管网的建议",
                                         content="雨季道路积水严重，建议改造排水管网。", category=by_category["城乡建设"],
                                         session=session)
    [a] = handed_to(deputy_user, replied, lead=unit)
    services.assignment_record_contact(actor=unit_user, assignment=a, stage="before", summary="电话联系代表，了解积水点位")
    reply = services.assignment_reply(actor=unit_user, assignment=a, letter=letter(), result="B", publishable=True,
                                      summary="已列入明年排水管网改造计划。")
    services.evaluation_submit(actor=deputy_user, reply=reply, rating="basically", comment="希望尽快实施")
    services.reply_publish(actor=staff, reply=reply)
    waiting = services.suggestion_create(actor=deputy_user, title="关于优化城东街道公交线路的建议",
                                         content="部分社区距公交站点较远，建议优化线路。", category=by_category["交通出行"],
                                         session=session)
    handed_to(deputy_user, waiting, lead=unit2)
    # a reply for the deputy (and the co-signer from 城西街道) to rate
    to_rate = services.suggestion_create(actor=deputy_user, title="关于推进城东街道既有住宅加装电梯的建议",
                                         content="老旧小区老年居民多，加装电梯意愿强，但协调难、补贴低。",
                                         category=by_category["城乡建设"], session=session)
    [invited] = services.suggestion_invite_cosigners(actor=deputy_user, suggestion=to_rate, deputies=[others["deputy2"]])
    services.cosignature_confirm(actor=users["deputy2"], cosignature=invited)
    [a] = handed_to(deputy_user, to_rate, lead=unit)
    services.assignment_record_contact(actor=unit_user, assignment=a, stage="before", summary="上门走访，听取代表意见")
    services.assignment_reply(actor=unit_user, assignment=a, letter=letter(), result="A", publishable=True,
                              summary="已将该片区纳入明年既有住宅加装电梯计划，并提高补贴标准。")

    # deputy2 (城西街道): a draft that invites the demo deputy and deputy3 to co-sign; one in the transport bureau's hands
    draft = services.suggestion_create(actor=users["deputy2"], title="关于增设城西街道公共停车位的建议",
                                       content="老旧小区车位缺口大，车辆乱停乱放，堵塞消防通道。", category=by_category["交通出行"])
    services.suggestion_invite_cosigners(actor=users["deputy2"], suggestion=draft, deputies=[lead, others["deputy3"]])
    handling = services.suggestion_create(actor=users["deputy2"], title="关于缓解城西街道学校周边交通拥堵的建议",
                                          content="上下学时段接送车辆占道，交通拥堵，存在安全隐患。",
                                          category=by_category["交通出行"], session=session)
    [a] = handed_to(users["deputy2"], handling, lead=unit2)
    services.assignment_record_contact(actor=unit2_user, assignment=a, stage="before", summary="电话联系代表，约定现场查看")

    # deputy3 (临江镇): one the housing bureau leads with the transport bureau assisting, one the housing bureau is
    # handling, one waiting for registration
    joint = services.suggestion_create(actor=users["deputy3"], title="关于推进临江镇农村道路提档和危房改造的建议",
                                       content="部分村组道路窄、破损多，仍有农村危房未改造。", category=by_category["农业农村"],
                                       session=session)
    handed_to(users["deputy3"], joint, lead=unit, assisting=[unit2])
    renewal = services.suggestion_create(actor=users["deputy3"], title="关于加快临江镇集镇区老旧小区改造的建议",
                                         content="集镇区小区建成年代久，管网老化、屋面渗漏。", category=by_category["城乡建设"],
                                         session=session)
    [a] = handed_to(users["deputy3"], renewal, lead=unit)
    services.assignment_record_contact(actor=unit_user, assignment=a, stage="before", summary="到集镇区现场查看，与代表交换意见")
    fresh = services.suggestion_create(actor=users["deputy3"], title="关于提升临江镇基层医疗服务能力的建议",
                                       content="镇卫生院专科医生少，群众看病需往返城区。", category=by_category["医疗卫生"])
    services.suggestion_submit(actor=users["deputy3"], suggestion=fresh)
    # official letters (rendered now): the housing bureau finds a 交办函 and a 督办函 in /unit/letters/
    services.assignment_letter_issue(actor=staff, assignment=a)
    services.assignment_supervision_letter_issue(actor=staff, assignment=a, note="请于本月底前报送办理进展。")

    signers = [lead] + list(Deputy.objects.exclude(pk=lead.pk).order_by("pk")[:9])
    proposal = services.proposal_register(actor=staff, session=session, title="关于制定城东片区更新改造决定的议案",
                                          content="建议区人大常委会作出决定。", signers=signers, lead_deputy=lead)
    services.proposal_place_on_agenda(actor=staff, proposal=proposal, decided_on=session.end_date)
    other = services.proposal_register(actor=staff, session=session, title="关于加强农村道路养护的议案",
                                       content="农村道路养护资金不足。", signers=signers, lead_deputy=lead)
    services.proposal_convert_to_suggestion(actor=staff, proposal=other, note="作为代表建议交有关部门办理")
    assert Proposal.objects.exists()
    # the session's archive, built here as the worker would (proposals/services/archive.py)
    from proposals.models import SessionArchive

    services.session_archive_build(SessionArchive.objects.create(session=session, requested_by=staff).pk)
