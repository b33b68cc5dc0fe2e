"""The demo's 八有 states and this year's star ratings (called from congress.demo.seed's 星级评定 phase).

Every running station gets its states against the checklist: most items met, each with the demo's one evidence photo
(stored once through the service, then shared by the bulk rows), some recorded as not met and some never recorded,
so the 缺项家站点 page has rows. This year's criteria (100 points) are set, and the demo town's stations are scored
through the services by the town account and confirmed by the committee's: one confirmed, one waiting for
confirmation, one returned, one still a draft. Last year's appraisals (congress.demo.seed) are legacy entries."""
import io

from django.core.files.uploadedfile import SimpleUploadedFile

from congress.models import User
from stations import standards
from stations.models import RatingCriterion, RatingScheme, StandardItem, Station, StationAppraisal, StationStandard

CRITERIA = [("阵地建设", 20, "场所固定、标识统一、设施齐全"), ("制度机制", 20, "“八有”制度上墙，运行规范"),
            ("活动开展", 25, "每月至少一次接待选民日，活动记录完整"), ("联系群众", 20, "社情民意登记、转办、反馈闭环"),
            ("作用发挥", 15, "推动解决群众急难愁盼问题的成效")]


def _photo() -> SimpleUploadedFile:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 40, 40)).save(out, "JPEG")
    return SimpleUploadedFile("公示栏.jpg", out.getvalue(), content_type="image/jpeg")


def seed_standards(seeder, rng) -> None:
    staff = User.objects.get(username="staff")
    town_user = User.objects.filter(username="town").first() or staff
    stations = list(Station.objects.filter(is_active=True).select_related("town").order_by("pk"))
    items = list(StandardItem.objects.filter(is_active=True))
    if not stations or not items:
        return
    first = standards.standard_record(actor=staff, station_id=stations[0].pk, item_id=items[0].pk, met=True,
                                      photo=_photo(), note="组织架构图已上墙")
    rows = []
    for station in stations:
        for item in items:
            if station.pk == first.station_id and item.pk == first.item_id:
                continue
            roll = rng.random()
            if roll < 0.85:
                rows.append(StationStandard(station=station, item=item, met=True, photo=first.photo.name, updated_by=staff))
            elif roll < 0.93:
                rows.append(StationStandard(station=station, item=item, met=False, note="正在完善", updated_by=staff))
    StationStandard.objects.bulk_create(rows, batch_size=1000)

    year = seeder.today.year
    scheme = RatingScheme.objects.create(year=year, note="按区人大常委会星级家站点创建办法")
    criteria = [RatingCriterion.objects.create(scheme=scheme, name=name, max_points=points, description=text, order=n)
                for n, (name, points, text) in enumerate(CRITERIA, start=1)]
    town_id = getattr(town_user, "organization_id", None)
    ours = [s for s in stations if s.town_id == town_id and not StationAppraisal.objects.filter(
        station=s, year=year).exists()][:4] or stations[:4]
    for n, station in enumerate(ours):
        actor = town_user if town_id == station.town_id else staff
        appraisal = standards.appraisal_open(actor=actor, station_id=station.pk, year=year)
        share = [0.95, 0.82, 0.7, 0.6][n]
        points = {c.pk: round(c.max_points * min(1.0, share + rng.uniform(-0.05, 0.05)), 1) for c in criteria}
        if n == 3:
            points.pop(criteria[-1].pk)  # a draft still being scored
        standards.appraisal_score(actor=actor, appraisal_id=appraisal.pk, points=points,
                                  basis="阵地规范，活动记录完整。" if share > 0.8 else "活动开展不够经常，需加强。")
        if n == 3:
            continue
        standards.appraisal_submit(actor=actor, appraisal_id=appraisal.pk)
        if n == 0:
            standards.appraisal_confirm(actor=staff, appraisal_id=appraisal.pk, note="同意")
        elif n == 2:
            standards.appraisal_return(actor=staff, appraisal_id=appraisal.pk, reason="“活动开展”得分请附接待记录")
