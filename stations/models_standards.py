"""The stations' standards (八有) and the star rating's criteria (星级评定标准), with the scores of an appraisal.

- `StandardItem` is the checklist staff keep (有组织架构、有工作制度 …, seeded by a data migration and editable);
  `StationStandard` is one station's state against one item: met or not, with a photo as evidence. A station with no
  row for an item has not met it (the list of stations missing an item reads it that way).
- `RatingScheme` is one year's criteria (`RatingCriterion`, points per item); it stays editable until the first
  appraisal of that year is confirmed, so every station of a year is measured by the same table.
- `StationAppraisalScore` is an appraisal's points on one criterion (stations.models.StationAppraisal is the appraisal).
"""
from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from simple_history.models import HistoricalRecords

from congress.lib import uploads

YEAR_RANGE = [MinValueValidator(2000), MaxValueValidator(2100)]


class StandardItem(models.Model):
    """One item of the 八有 checklist a station is measured against."""

    name = models.CharField("标准项", max_length=50, unique=True)
    description = models.CharField("说明", max_length=200, blank=True)
    order = models.PositiveSmallIntegerField("排序", default=1, validators=[MaxValueValidator(1000)])
    is_active = models.BooleanField("启用", default=True, help_text="停用的标准项不再计入缺项清单，已有记录保留")
    history = HistoricalRecords()

    class Meta:
        verbose_name = "“八有”标准项"
        verbose_name_plural = "“八有”标准项"
        ordering = ["order", "id"]

    def __str__(self):
        return self.name


class StationStandard(models.Model):
    """A station's state against one standard item; `met` needs a photo as evidence (stations.standards)."""

    station = models.ForeignKey("stations.Station", verbose_name="家站点", on_delete=models.CASCADE,
                                related_name="standards")
    item = models.ForeignKey(StandardItem, verbose_name="标准项", on_delete=models.PROTECT, related_name="states")
    met = models.BooleanField("已达标", default=False)
    photo = uploads.PrivateFileField("佐证照片", kind="photo", folder="stations/standards",
                                     view="admin:stations_stationstandard_photo", blank=True)
    note = models.CharField("说明", max_length=200, blank=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="填报人", null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField("填报时间", auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "家站点“八有”达标情况"
        verbose_name_plural = "家站点“八有”达标情况"
        ordering = ["station__town__sort_order", "station__name", "item__order"]
        constraints = [models.UniqueConstraint(fields=["station", "item"], name="one_state_per_station_item")]

    def __str__(self):
        return f"{self.station.name} · {self.item.name}"


class RatingScheme(models.Model):
    """One year's star-rating criteria; locked once an appraisal of that year is confirmed."""

    year = models.PositiveSmallIntegerField("年度", unique=True, validators=YEAR_RANGE)
    note = models.CharField("说明", max_length=200, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "星级评定标准（年度）"
        verbose_name_plural = "星级评定标准（年度）"
        ordering = ["-year"]

    def __str__(self):
        return f"{self.year}年度星级评定标准"


class RatingCriterion(models.Model):
    scheme = models.ForeignKey(RatingScheme, verbose_name="年度", on_delete=models.CASCADE, related_name="criteria")
    name = models.CharField("评分项目", max_length=60)
    max_points = models.PositiveSmallIntegerField("分值", validators=[MinValueValidator(1), MaxValueValidator(100)])
    description = models.CharField("评分标准", max_length=300, blank=True)
    order = models.PositiveSmallIntegerField("排序", default=1, validators=[MaxValueValidator(1000)])
    history = HistoricalRecords()

    class Meta:
        verbose_name = "星级评定评分项目"
        verbose_name_plural = "星级评定评分项目"
        ordering = ["scheme", "order", "id"]
        constraints = [models.UniqueConstraint(fields=["scheme", "name"], name="one_criterion_name_per_year")]

    def __str__(self):
        return f"{self.name}（{self.max_points}分）"


class StationAppraisalScore(models.Model):
    """An appraisal's points on one criterion of its year (0 to the criterion's points)."""

    appraisal = models.ForeignKey("stations.StationAppraisal", verbose_name="星级评定", on_delete=models.CASCADE,
                                  related_name="scores")
    criterion = models.ForeignKey(RatingCriterion, verbose_name="评分项目", on_delete=models.PROTECT, related_name="scores")
    points = models.DecimalField("得分", max_digits=4, decimal_places=1, validators=[MinValueValidator(0)])
    history = HistoricalRecords()

    class Meta:
        verbose_name = "星级评定得分"
        verbose_name_plural = "星级评定得分"
        ordering = ["appraisal", "criterion__order", "criterion_id"]
        constraints = [models.UniqueConstraint(fields=["appraisal", "criterion"], name="one_score_per_criterion")]

    def __str__(self):
        return f"{self.criterion.name} {self.points}"
