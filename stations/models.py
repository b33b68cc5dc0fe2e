"""Contact stations (家站点) where deputies meet voters."""
from django.db import models
from simple_history.models import HistoricalRecords

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

    def __str__(self):
        return f"{self.deputy} @ {self.station}"
