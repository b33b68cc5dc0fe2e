"""国家机关进家站点: state organs (the 一府一委两院 and the government's departments) come to the contact stations on set
days and handle voters' business there. Each organ keeps the list of business items it can handle at a station (the
seed articles' district lists 32), and each visit is recorded: who came, which of those items were handled, how many
voters were served and with what result. Imported at the end of stations/models.py."""
from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from congress.models import Organization

ORGAN_KINDS = (Organization.Kind.STATE_ORGAN, Organization.Kind.DEPARTMENT)
ORGAN_LIMIT = {"kind__in": ORGAN_KINDS}


class OrganServiceItem(models.Model):
    """One business item an organ can handle at a station (e.g. 社保参保查询、不动产登记咨询)."""

    organ = models.ForeignKey(Organization, verbose_name="国家机关", on_delete=models.PROTECT,
                              limit_choices_to=ORGAN_LIMIT, related_name="station_items")
    name = models.CharField("事项名称", max_length=100)
    description = models.TextField("办理说明", blank=True, help_text="办理条件、所需材料等，在家站点公开页面显示")
    sort_order = models.PositiveIntegerField("排序", default=100)
    is_active = models.BooleanField("可办理", default=True, help_text="停办的事项不再显示，也不能再登记为已办理")
    history = HistoricalRecords()

    class Meta:
        verbose_name = "国家机关进站事项"
        verbose_name_plural = "国家机关进站事项"
        ordering = ["organ__sort_order", "organ__name", "sort_order", "name"]
        constraints = [models.UniqueConstraint(fields=["organ", "name"], name="one_item_name_per_organ")]

    def __str__(self):
        return self.name


class OrganVisit(models.Model):
    """One visit of an organ to a station (进站活动), entered by the organ itself or by the station's town staff."""

    organ = models.ForeignKey(Organization, verbose_name="国家机关", on_delete=models.PROTECT,
                              limit_choices_to=ORGAN_LIMIT, related_name="station_visits")
    station = models.ForeignKey("stations.Station", verbose_name="家站点", on_delete=models.PROTECT,
                                related_name="organ_visits")
    date = models.DateField("进站日期")
    staff_names = models.CharField("进站工作人员", max_length=200)
    items = models.ManyToManyField(OrganServiceItem, verbose_name="办理事项", related_name="visits")
    voters_served = models.PositiveIntegerField("服务群众人次")
    results = models.TextField("办理结果")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="登记人", null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField("登记时间", auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "国家机关进站活动"
        verbose_name_plural = "国家机关进站活动"
        ordering = ["-date", "-pk"]
        indexes = [
            # a station's public page: its recent visits
            models.Index(fields=["station", "-date"], name="organ_visit_station_date"),
            # an organ's own list in the unit workspace
            models.Index(fields=["organ", "-date"], name="organ_visit_organ_date"),
        ]

    def __str__(self):
        return f"{self.date:%Y-%m-%d} {self.organ}进{self.station}"
