"""Contact stations (家站点) where deputies meet voters."""
from django.conf import settings
from django.db import models
from django.db.models import F
from simple_history.models import HistoricalRecords

from congress.lib.workflow import WorkflowModel
from congress.models import Organization
from deputies.models import TOWN_LIMIT, Deputy


class Station(models.Model):
    class Kind(models.TextChoices):
        HOME = "home", "代表之家"
        LIAISON = "liaison", "代表联络站"
        CONTACT = "contact", "代表联系点"
        STUDIO = "studio", "专业代表工作室"

    name = models.CharField("名称", max_length=100, unique=True)
    kind = models.CharField("类型", max_length=10, choices=Kind.choices, db_index=True)
    town = models.ForeignKey(Organization, verbose_name="所属镇街", on_delete=models.PROTECT,
                             limit_choices_to=TOWN_LIMIT, related_name="stations")
    address = models.CharField("地址", max_length=200)
    opening_hours = models.CharField("开放时间", max_length=100, blank=True)
    contact_name = models.CharField("联系人", max_length=30, blank=True)
    contact_phone = models.CharField("联系电话", max_length=30, blank=True)
    established_on = models.DateField("建成日期", null=True, blank=True)
    is_active = models.BooleanField("正常运行", default=True)
    deputies = models.ManyToManyField(Deputy, verbose_name="进站代表", through="StationDeputy", related_name="stations")
    history = HistoricalRecords()

    class Meta:
        verbose_name = "家站点"
        verbose_name_plural = "家站点"
        ordering = ["town__sort_order", "name"]
        # the public list's pages within a town (stations.selectors.TownOrderedStations)
        indexes = [models.Index(fields=["town", "name", "id"], condition=models.Q(is_active=True),
                                name="station_public_order")]

    def __str__(self):
        return self.name


class StationDeputy(models.Model):
    """A deputy assigned to a station (进家站)."""

    station = models.ForeignKey(Station, verbose_name="家站点", on_delete=models.CASCADE, related_name="assignments")
    deputy = models.ForeignKey(Deputy, verbose_name="代表", on_delete=models.CASCADE, related_name="station_assignments")
    since = models.DateField("进站日期", null=True, blank=True)
    is_resident = models.BooleanField("驻站代表", default=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "进站代表"
        verbose_name_plural = "进站代表"
        constraints = [models.UniqueConstraint(fields=["station", "deputy"], name="one_assignment_per_station")]
        # the public page names the first few: resident ones, then as they joined (stations.selectors.public_station)
        indexes = [models.Index(F("station"), F("is_resident").desc(), F("id"), name="station_member_order")]

    def __str__(self):
        return f"{self.deputy} @ {self.station}"


class ReceptionDay(WorkflowModel, models.Model):
    """A reception day (接待选民日): deputies on duty receive voters at a station at a set time. The notice is public
    on the station's page from the moment it is scheduled, at least RECEPTION_NOTICE_DAYS before (docs/rules.md)."""

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", "已安排"
        HELD = "held", "已接待"
        CANCELLED = "cancelled", "已取消"

    station = models.ForeignKey(Station, verbose_name="家站点", on_delete=models.PROTECT, related_name="receptions")
    date = models.DateField("接待日期", db_index=True)
    starts_at = models.TimeField("开始时间")
    ends_at = models.TimeField("结束时间")
    topic = models.CharField("接待主题", max_length=100, blank=True,
                             help_text="如：老旧小区改造、民生实事项目征集；不填为综合接待")
    deputies = models.ManyToManyField(Deputy, verbose_name="接待代表", through="ReceptionDuty",
                                      related_name="reception_days")
    visiting_units = models.ManyToManyField(Organization, verbose_name="进站国家机关", blank=True, related_name="+",
                                            limit_choices_to={"kind__in": ["state_organ", "department"]},
                                            help_text="随同接待、现场答复的政府部门等（国家机关进家站点）")
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.SCHEDULED, db_index=True)
    visitor_count = models.PositiveIntegerField("接待群众人次", null=True, blank=True)
    opinion_count = models.PositiveIntegerField("收集意见建议条数", null=True, blank=True)
    summary = models.TextField("接待情况", blank=True)
    cancel_reason = models.CharField("取消原因", max_length=200, blank=True)
    activity = models.OneToOneField("deputies.DutyActivity", verbose_name="履职活动记录", null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="reception")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="安排人", null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField("安排时间", auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "接待选民日"
        verbose_name_plural = "接待选民日"
        ordering = ["-date", "-starts_at"]
        indexes = [models.Index(fields=["station", "date"], name="reception_station_date")]
        constraints = [models.CheckConstraint(condition=models.Q(ends_at__gt=models.F("starts_at")),
                                              name="reception_ends_after_start")]

    def __str__(self):
        return f"{self.date:%Y-%m-%d} {self.station.name}接待选民"


class ReceptionDuty(models.Model):
    """A deputy on duty at a reception day."""

    reception = models.ForeignKey(ReceptionDay, verbose_name="接待选民日", on_delete=models.CASCADE,
                                  related_name="duties")
    deputy = models.ForeignKey(Deputy, verbose_name="代表", on_delete=models.PROTECT, related_name="reception_duties")
    history = HistoricalRecords()

    class Meta:
        verbose_name = "接待代表"
        verbose_name_plural = "接待代表"
        constraints = [models.UniqueConstraint(fields=["reception", "deputy"], name="one_duty_per_reception")]

    def __str__(self):
        return f"{self.deputy} · {self.reception}"


class VoterOpinion(WorkflowModel, models.Model):
    """社情民意: an opinion a voter leaves at a station (by scanning its QR code), handled by the station's town staff
    or referred to a department, answered, and closed when the voter rates the answer (or staff close it after a
    follow-up call). The voter follows it on a public page by its tracking code; nothing personal is shown there."""

    class Status(models.TextChoices):
        RECEIVED = "received", "待处理"
        REFERRED = "referred", "已转办"
        REPLIED = "replied", "已答复"
        CLOSED = "closed", "已办结"
        DECLINED = "declined", "不予受理"


    class Category(models.TextChoices):
        URBAN = "urban", "城乡建设"
        TRAFFIC = "traffic", "交通出行"
        ENVIRONMENT = "environment", "生态环境"
        EDUCATION = "education", "教育"
        HEALTH = "health", "医疗卫生"
        WELFARE = "welfare", "社会保障"
        ECONOMY = "economy", "经济发展"
        GOVERNANCE = "governance", "基层治理"
        OTHER = "other", "其他"

    class Satisfaction(models.TextChoices):
        SATISFIED = "satisfied", "满意"
        BASIC = "basic", "基本满意"
        DISSATISFIED = "dissatisfied", "不满意"

    tracking_code = models.CharField("查询码", max_length=12, unique=True, editable=False)
    station = models.ForeignKey(Station, verbose_name="家站点", on_delete=models.PROTECT, related_name="opinions")
    category = models.CharField("类别", max_length=12, choices=Category.choices, default=Category.OTHER)
    content = models.TextField("意见内容")
    name = models.CharField("姓名", max_length=30, blank=True)
    phone = models.CharField("联系电话", max_length=20, blank=True)
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.RECEIVED, db_index=True)
    unit = models.ForeignKey(Organization, verbose_name="转办单位", null=True, blank=True, on_delete=models.PROTECT,
                             related_name="+", limit_choices_to={"is_handling_unit": True})
    reply = models.TextField("答复", blank=True)
    replied_at = models.DateTimeField("答复时间", null=True, blank=True)
    decline_reason = models.CharField("不予受理理由", max_length=200, blank=True)
    satisfaction = models.CharField("群众评价", max_length=12, choices=Satisfaction.choices, blank=True)
    first_satisfaction = models.CharField("首次答复的群众评价", max_length=12, choices=Satisfaction.choices, blank=True,
                                          help_text="首次答复被评为不满意、重新办理过的，记下首次评价（两次评价都计入满意率）")
    created_at = models.DateTimeField("提交时间", auto_now_add=True, db_index=True)
    closed_at = models.DateTimeField("办结时间", null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "社情民意"
        verbose_name_plural = "社情民意"
        ordering = ["-created_at"]
        permissions = [("view_voter_contact", "查看群众完整联系电话")]

    def __str__(self):
        return f"{self.tracking_code} {self.content[:20]}"

    @property
    def phone_masked(self) -> str:
        from congress.lib.idcard import mask_phone

        return mask_phone(self.phone)


class VoterContactView(models.Model):
    """docs/rules.md: every view of a full phone number is logged; this is the log for voters' numbers."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="查看人", on_delete=models.PROTECT, related_name="+")
    opinion = models.ForeignKey(VoterOpinion, verbose_name="社情民意", on_delete=models.CASCADE, related_name="+")
    viewed_at = models.DateTimeField("查看时间", auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = "群众联系电话查看记录"
        verbose_name_plural = "群众联系电话查看记录"
        ordering = ["-viewed_at"]

    def __str__(self):
        return f"{self.user} {self.viewed_at:%Y-%m-%d %H:%M}"


class StationAppraisal(WorkflowModel, models.Model):
    """星级评定: a station's yearly appraisal, scored item by item against its year's criteria by the town's staff
    (stations.models_standards.RatingScheme) and confirmed by the committee's staff; the stars follow from the total by
    the thresholds of STATIONS["STAR_THRESHOLDS"] and are fixed at confirmation. Rows entered before the criteria
    existed are legacy entries (`is_legacy`): confirmed, with the stars the committee gave and no item scores. The
    public station page shows the latest confirmed one (stations.workflows.STAR_RATING)."""

    class Status(models.TextChoices):
        DRAFT = "draft", "草稿"
        SUBMITTED = "submitted", "已提交"
        CONFIRMED = "confirmed", "已确认"
        RETURNED = "returned", "退回"

    station = models.ForeignKey(Station, verbose_name="家站点", on_delete=models.CASCADE, related_name="appraisals")
    year = models.PositiveSmallIntegerField("评定年度")
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.DRAFT, db_index=True)
    stars = models.PositiveSmallIntegerField("星级", choices=[(n, "★" * n) for n in range(1, 6)], null=True, blank=True)
    score = models.DecimalField("考核得分", max_digits=4, decimal_places=1, null=True, blank=True)
    basis = models.TextField("评定依据", blank=True, help_text="阵地建设、制度机制、活动开展、联系群众、作用发挥等方面的情况")
    is_legacy = models.BooleanField("按旧办法评定", default=False, editable=False,
                                    help_text="逐项评分办法启用前录入的评定：保留原星级，没有逐项得分")
    return_reason = models.CharField("退回原因", max_length=300, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="评分人", null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    appraised_on = models.DateField("确认日期", null=True, blank=True)
    appraised_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="确认人", null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+")
    history = HistoricalRecords()

    class Meta:
        verbose_name = "星级评定"
        verbose_name_plural = "星级评定"
        ordering = ["-year", "station__name"]
        constraints = [models.UniqueConstraint(fields=["station", "year"], name="one_appraisal_per_station_year")]

    def __str__(self):
        return f"{self.station.name} {self.year}年星级评定"


from stations.models_organs import OrganServiceItem, OrganVisit  # noqa: E402,F401  (国家机关进家站点)
from stations.models_standards import (  # noqa: E402, F401  (the 八有 standards and the star-rating criteria)
    RatingCriterion,
    RatingScheme,
    StandardItem,
    StationAppraisalScore,
    StationStandard,
)
