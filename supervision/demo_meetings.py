"""The demo seed's 代表约见: the demo deputy's three requests — one met and replied to by the housing bureau (the
deputy rates it in the portal), one put forward and waiting for the 主任会议, one draft still collecting names (too few
to put forward). The other signers have no accounts in the demo, so their names are added as rows; every step after
goes through the services."""
import datetime

from django.utils import timezone

from congress.models import Organization, User
from deputies.models import Deputy, Mandate
from supervision import services
from supervision.models import MeetingRequest, MeetingSigner

REQUESTS = [
    ("老旧小区加装电梯审批慢、协调难", "区住房和城乡建设局", "局长",
     "多个社区反映加装电梯审批环节多、邻里协调难，已签约项目推进缓慢。请住建局负责人介绍情况并研究加快推进的措施。"),
    ("城区学校周边交通拥堵", "区教育局", "",
     "上下学时段学校周边道路拥堵严重，存在安全隐患。约见教育局负责人，了解错峰放学和接送车位建设安排。"),
    ("农村饮水安全巩固提升", "区水务局", "",
     "部分山区村供水水压不足、夏季断水，约见水务局负责人了解改造计划。"),
]


def seed(seeder, rng, staff) -> None:
    drafter = Deputy.objects.filter(user__username="deputy").first() or Deputy.objects.filter(user__isnull=False).first()
    if drafter is None:
        return
    others = list(Deputy.objects.filter(pk__in=Mandate.objects.filter(term=seeder.term, level=Mandate.Level.DISTRICT)
                                         .values("deputy_id")).exclude(pk=drafter.pk).order_by("pk")[:40])
    units = [o for o in seeder.departments if o.is_handling_unit]
    if len(others) < 6 or not units:
        return
    unit_user = User.objects.filter(username="unit").first()
    for n, (subject, organ_name, head, content) in enumerate(REQUESTS):
        organ = Organization.objects.filter(name=organ_name, is_handling_unit=True).first() or units[n % len(units)]
        if n == 0 and unit_user is not None and unit_user.organization_id:
            organ = unit_user.organization
        request = services.meeting_request_create(actor=drafter.user, subject=subject, content=content,
                                                  organization=organ, head=head)
        for deputy in rng.sample(others, [6, 5, 2][n]):
            MeetingSigner.objects.create(request=request, deputy=deputy)
        if n == 2:
            continue  # a draft: three names, too few to put forward
        request = services.meeting_request_propose(actor=drafter.user, request=request)
        if n == 1:
            continue  # waiting for the 主任会议
        request = services.meeting_request_decide(actor=staff, request=request, agree=True,
                                                  reason="同意约见。由城建环保工作委员会联系安排，请有关代表做好准备。")
        met_on = seeder.today - datetime.timedelta(days=12)
        MeetingRequest.objects.filter(pk=request.pk).update(decided_at=timezone.now() - datetime.timedelta(days=20))
        attendees = [drafter, *request.signers.exclude(deputy=drafter).order_by("pk").values_list("deputy", flat=True)[:3]]
        request = services.meeting_request_hold(
            actor=staff, request=request, met_on=met_on, place="区人大常委会第二会议室", officials="局长、分管副局长",
            attendees=Deputy.objects.filter(pk__in=[d if isinstance(d, int) else d.pk for d in attendees]),
            record="局长介绍了加装电梯工作进展和存在问题；代表们提出简化审批、设立协调专班等意见；局长表示一个月内书面答复。")
        if unit_user is not None and unit_user.organization_id == organ.pk:
            services.meeting_request_reply(actor=unit_user, request=request,
                                           text="一、推行加装电梯联合审批，时限压缩至15个工作日；二、各街道设立协调专班；"
                                                "三、对已签约项目逐一建立台账，年底前全部开工。")
