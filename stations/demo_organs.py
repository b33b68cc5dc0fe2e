"""The demo seed's 国家机关进家站点 (called from congress.demo.seed): the 32 items a district lists as handled at its
stations, shared among seven organs (the demo unit, 区住房和城乡建设局, among them), and their visits to about a third
of the stations over the last six months."""
import datetime

from congress.models import Organization
from stations.models import Station
from stations.models_organs import OrganServiceItem, OrganVisit

ITEMS = {
    "区人力资源和社会保障局": ["社会保险参保登记", "社保缴费记录查询", "养老保险待遇资格认证", "失业登记", "就业创业政策咨询",
                     "职业技能培训报名", "劳动用工政策咨询", "劳动争议调解申请"],
    "区住房和城乡建设局": ["老旧小区改造政策咨询", "加装电梯政策咨询", "房屋安全鉴定受理", "物业服务投诉受理",
                   "公租房申请咨询", "房屋维修资金使用咨询"],
    "区民政局": ["最低生活保障申请", "特困人员供养申请", "临时救助申请", "高龄津贴申领", "残疾人两项补贴申请",
             "婚姻登记预约咨询"],
    "区医疗保障局": ["城乡居民医保参保登记", "医保关系转移接续", "异地就医备案", "门诊慢特病待遇申请"],
    "区司法局": ["法律咨询", "法律援助申请", "人民调解申请", "公证事项咨询"],
    "区人民法院": ["诉讼服务咨询", "诉前调解申请"],
    "区人民检察院": ["控告申诉受理", "司法救助申请"],
}
RESULTS = ["现场解答群众咨询，当场办结{n}件，其余登记后限期答复。", "受理申请{n}件，已告知办理进度查询方式。",
           "为群众现场办理{n}件，对政策不清楚的逐一解释。"]
STAFF = ["科长", "副科长", "科员", "窗口工作人员"]


def seed(seeder, rng, today: datetime.date) -> None:
    orgs = {o.name: o for o in Organization.objects.filter(name__in=ITEMS)}
    items = [OrganServiceItem(organ=orgs[organ], name=name, sort_order=i, description="请携带本人身份证件")
             for organ, names in ITEMS.items() if organ in orgs for i, name in enumerate(names, 1)]
    OrganServiceItem.objects.bulk_create(items)
    by_organ: dict[int, list[OrganServiceItem]] = {}
    for item in items:
        by_organ.setdefault(item.organ_id, []).append(item)
    organ_ids = sorted(by_organ)
    if not organ_ids:
        return
    visits, chosen = [], []
    demo_unit = orgs.get("区住房和城乡建设局")
    for station in Station.objects.filter(is_active=True).order_by("pk"):
        if rng.random() > 0.35:
            continue
        for _ in range(rng.randint(1, 3)):
            organ_id = rng.choice(organ_ids)
            picked = rng.sample(by_organ[organ_id], rng.randint(1, min(3, len(by_organ[organ_id]))))
            visits.append(OrganVisit(organ_id=organ_id, station=station,
                                     date=today - datetime.timedelta(days=rng.randint(1, 180)),
                                     staff_names="、".join(f"{rng.choice('王李张刘陈杨赵黄')}{rng.choice(STAFF)}"
                                                          for _ in range(rng.randint(1, 3))),
                                     voters_served=rng.randint(5, 40),
                                     results=rng.choice(RESULTS).format(n=rng.randint(1, 8))))
            chosen.append(picked)
    if demo_unit is not None and not any(v.organ_id == demo_unit.pk for v in visits):
        station = Station.objects.filter(is_active=True).order_by("pk").first()
        visits.append(OrganVisit(organ=demo_unit, station=station, date=today - datetime.timedelta(days=7),
                                 staff_names="王科长、李科员", voters_served=18, results=RESULTS[0].format(n=5)))
        chosen.append(by_organ[demo_unit.pk][:2])
    OrganVisit.objects.bulk_create(visits)
    Through = OrganVisit.items.through
    Through.objects.bulk_create([Through(organvisit_id=v.pk, organserviceitem_id=i.pk)
                                 for v, picked in zip(visits, chosen, strict=True) for i in picked])
