"""The demo's special work reports and review opinions (called from supervision.demo.seed_supervision): a year's plan
items heard at the standing committee's meetings — one closed after a 满意 poll, one re-reported after a 不满意 poll,
one whose handling report is still owed (with a rectification item), one before the coming meeting with its draft in,
one not yet scheduled. Through the services; only a past meeting is set on a plan item directly (the services refuse a
meeting already held, as staff would)."""
import datetime

from django.core.files.base import ContentFile

from congress.models import Meeting, Organization, User
from supervision import services

PDF = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Count 0/Kids[]>>endobj\n"
       b"trailer<</Root 1 0 R>>\n%%EOF\n")
TOPICS = [
    ("城市更新和老旧小区改造工作情况", "一、加快老旧小区改造进度，优先解决加装电梯、停车难问题。\n二、完善居民参与机制。"),
    ("义务教育优质均衡发展工作情况", "一、加快新建学校建设，缓解城东片区学位紧张。\n二、加强教师队伍建设。"),
    ("生态环境保护和河道综合治理工作情况", "一、落实河长制，消除黑臭水体。\n二、加快污水管网建设。"),
    ("优化营商环境工作情况", ""),
    ("基层医疗卫生服务体系建设情况", ""),
]


def _pdf(name: str) -> ContentFile:
    return ContentFile(PDF, name=name)


def seed(seeder, rng, staff) -> None:
    today = seeder.today
    units = [u for u in User.objects.filter(username__in=["unit", "unit2"]).select_related("organization")
             .order_by("username") if u.organization_id]
    body = (Organization.objects.filter(kind=Organization.Kind.WORKING_BODY).exclude(name="常委会办公室")
            .order_by("sort_order", "id").first())
    held = list(Meeting.objects.filter(term=seeder.term, kind=Meeting.Kind.STANDING,
                                       date__lte=today - datetime.timedelta(days=14),
                                       date__gt=today - datetime.timedelta(days=365)).order_by("date"))
    coming = Meeting.objects.filter(term=seeder.term, kind=Meeting.Kind.STANDING, date__gt=today).order_by("date").first()
    if not units or body is None or len(held) < 3:
        return
    year = today.year

    def planned(n, unit, meeting=None):
        topic = TOPICS[n][0]
        report = services.work_report_create(actor=staff, year=meeting.date.year if meeting else year, topic=topic,
                                             organization=unit.organization, working_body=body)
        if meeting is not None and meeting.date <= today:
            report.meeting = meeting  # a past item of the plan (see the docstring)
            report._history_user = staff
            report.save(update_fields=["meeting"])
        elif meeting is not None:
            report = services.work_report_schedule(actor=staff, report=report, meeting=meeting)
        return report

    def heard(n, unit, meeting):
        report = planned(n, unit, meeting)
        services.work_report_submit(actor=unit, report=report, file=_pdf("报告初稿.pdf"), note="请审阅")
        services.work_report_submit(actor=unit, report=report, file=_pdf("报告修改稿.pdf"), note="已按意见修改")
        services.work_report_distribute(actor=staff, report=report)
        services.work_report_deliberate(actor=staff, report=report,
                                        deliberation="组成人员充分肯定工作成效，同时指出推进不平衡等问题。")
        return services.review_opinion_send(actor=staff, report=report, text=TOPICS[n][1],
                                            sent_on=min(today, meeting.date + datetime.timedelta(days=10)))

    def polled(opinion, leaning):
        from supervision.demo import _paper_ballots

        poll = services.review_opinion_poll(actor=staff, opinion=opinion, term=seeder.term)
        poll = services.poll_open(actor=staff, poll=poll)
        _paper_ballots(poll, staff, rng, leaning=leaning)
        poll = services.poll_close(actor=staff, poll=poll)
        services.poll_publish(actor=staff, poll=poll)
        opinion.refresh_from_db()
        return opinion

    first, second = units[0], units[-1]
    # heard early in the year, handled, polled 满意, closed
    opinion = heard(0, first, held[0])
    services.review_opinion_report(actor=first, opinion=opinion, file=_pdf("研究处理情况报告.pdf"), note="已逐条落实")
    opinion = polled(opinion, leaning=0.8)
    if opinion.status == opinion.Status.POLLING:
        services.review_opinion_close(actor=staff, opinion=opinion, note="测评满意，办结")
    # polled 不满意: the organ has reported again, waiting for the second poll
    opinion = heard(1, second, held[1])
    services.review_opinion_report(actor=second, opinion=opinion, file=_pdf("研究处理情况报告.pdf"))
    opinion = polled(opinion, leaning=0.05)
    if opinion.status == opinion.Status.REREPORT_DUE:
        services.review_opinion_report(actor=second, opinion=opinion, file=_pdf("再次研究处理情况报告.pdf"),
                                       note="针对测评意见，补充了学位建设计划")
    # the handling report still owed, and a problem assigned as a rectification item
    opinion = heard(2, first, held[-1])
    services.review_opinion_rectify(actor=staff, opinion=opinion, title="城东片区两处黑臭水体尚未消除",
                                    due_date=today + datetime.timedelta(days=75), description="按审议意见限期整治")
    # before the coming meeting: the draft is in
    if coming is not None:
        report = planned(3, first, coming)
        services.work_report_submit(actor=first, report=report, file=_pdf("报告初稿.pdf"))
    # not yet scheduled
    planned(4, second)
