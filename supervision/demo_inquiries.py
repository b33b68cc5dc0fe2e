"""The demo seed's special inquiries (专题询问): two inquiries at the standing committee's meetings, each with its
officials, questions in order with a follow-up (追问) and an on-the-spot question (临时提问), and commitments assigned
as rectification items; the earlier one's rectification report rated by a closed poll and the inquiry closed, the later
one's organs still rectifying. Everything but the record of the meeting goes through the services."""
import datetime

from congress.models import Meeting
from supervision import services
from supervision.models import CommitteeMember, InquiryCommitment, InquiryOfficial, InquiryQuestion, SatisfactionPoll

C = SatisfactionPoll.Choice
INQUIRIES = [
    ("优化营商环境工作情况", "区市场监督管理局", [
        ("企业开办时间还能不能再压缩？", "目前已压缩到1个工作日，年内实现半日办结。"),
        ("“一件事一次办”覆盖了哪些事项？", "已覆盖32项，年底前扩大到50项。"),
    ], ("追问：半日办结靠什么保障？", "推行电子营业执照和电子印章同步发放。"),
     ("临时提问：个体工商户的融资难问题怎么解决？", "联合金融机构推出专项信贷产品。"),
     [("年内实现企业开办半日办结", 150), ("“一件事一次办”扩大到50项", 200)]),
    ("农村生活污水治理工作情况", "区农业农村局", [
        ("已建处理设施为何有三成不正常运行？", "主要是运维经费不足，今年起纳入财政预算。"),
        ("运维由谁负责，怎么考核？", "镇街为责任主体，委托第三方运维，按月考核。"),
    ], ("追问：运维经费每年需要多少，预算够不够？", "每年约1200万元，已列入明年预算。"),
     ("临时提问：村民反映的臭味问题何时解决？", "三个月内完成排查整改。"),
     [("建立处理设施运维台账并按月考核", 90), ("完成已建设施运行情况排查整改", 120)]),
]


def seed(seeder, rng, staff) -> None:
    today = seeder.today
    meetings = list(Meeting.objects.filter(term=seeder.term, kind=Meeting.Kind.STANDING, date__lte=today)
                    .order_by("-date")[:6])
    if len(meetings) < 2:
        return
    askers = [m.deputy for m in CommitteeMember.objects.filter(term=seeder.term).select_related("deputy")
              .order_by("deputy__full_name")]
    units = [o for o in seeder.departments if o.is_handling_unit]
    for n, (topic, unit_name, questions, follow_up, on_the_spot, promises) in enumerate(INQUIRIES):
        unit = next((o for o in units if o.name == unit_name), units[n % len(units)])
        meeting = meetings[-1] if n == 0 else meetings[0]  # the earlier one closed, the later one rectifying
        inquiry = services.inquiry_create(actor=staff, meeting=meeting, topic=topic, organizations=[unit],
                                          description="结合审议专项工作报告进行")
        head = InquiryOfficial.objects.create(inquiry=inquiry, number=1, name=["张建国", "刘志强"][n],
                                              post=f"{unit.name}局长", organization=unit, is_head=True)
        deputy_head = InquiryOfficial.objects.create(inquiry=inquiry, number=2, name=["陈晓燕", "王海涛"][n],
                                                     post=f"{unit.name}副局长", organization=unit)
        inquiry = services.inquiry_hold(actor=staff, inquiry=inquiry)
        picked = rng.sample(askers, 4) if len(askers) >= 4 else askers * 4
        asked = [InquiryQuestion.objects.create(inquiry=inquiry, number=i + 1, asker=picked[i], respondent=head,
                                                question=q, answer=a) for i, (q, a) in enumerate(questions)]
        InquiryQuestion.objects.create(inquiry=inquiry, number=3, kind=InquiryQuestion.Kind.FOLLOW_UP, follows=asked[0],
                                       asker=picked[0], respondent=head, question=follow_up[0], answer=follow_up[1])
        InquiryQuestion.objects.create(inquiry=inquiry, number=4, kind=InquiryQuestion.Kind.ON_THE_SPOT,
                                       asker=picked[3], respondent=deputy_head, question=on_the_spot[0],
                                       answer=on_the_spot[1])
        for i, (title, days) in enumerate(promises):
            InquiryCommitment.objects.create(inquiry=inquiry, number=i + 1, question=asked[i], organization=unit,
                                             title=title, detail=questions[i][1],
                                             due_date=today + datetime.timedelta(days=days))
        inquiry = services.inquiry_assign(actor=staff, inquiry=inquiry)
        if n == 0:
            report = services.inquiry_report(actor=staff, inquiry=inquiry, received_on=today, meeting=meetings[0],
                                             text="各项承诺事项已按计划推进，企业开办已实现1个工作日办结。")
            poll = services.poll_open(actor=staff, poll=report.poll)
            _ballots(poll, staff, rng)
            services.poll_close(actor=staff, poll=poll)
            if SatisfactionPoll.objects.get(pk=poll.pk).result != C.UNSATISFIED:
                services.inquiry_close(actor=staff, inquiry=inquiry, note="整改情况经测评满意，专题询问办结")


def _ballots(poll, staff, rng) -> None:
    """The members vote on paper at the meeting; most of them are satisfied."""
    group = poll.groups.get()
    voters = list(poll.voters.filter(channel="").select_related("deputy").order_by("deputy_id"))
    present = rng.sample(voters, max(1, int(len(voters) * 0.9)))
    satisfied = max(1, int(len(present) * 0.7))
    basic = len(present) - satisfied
    services.poll_enter_paper(actor=staff, poll=poll, group=group, voters=[v.deputy for v in present],
                              satisfied=satisfied, basic=basic, unsatisfied=0, invalid=0)
