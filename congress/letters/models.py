"""The official letter and its per-(kind, year) counter. Imported by congress/models.py, so they belong to congress."""
from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.db import models
from django.utils import timezone

from congress.lib import uploads


class LetterKind(models.TextChoices):
    ASSIGNMENT = "assignment", "交办函"
    SUPERVISION = "supervision", "督办函"
    REMINDER = "reminder", "提醒函"
    # 任后监督 (supervision.services.ratings): the 提醒函 to an appointed official rated below the threshold, and the
    # round's report to the district committee
    RATING_REMINDER = "rating_reminder", "履职评议提醒函"
    RATING_SUMMARY = "rating_summary", "履职评议情况报告"


class LetterCounter(models.Model):
    """The last number given to one kind of letter in one year. `letter_issue` locks this row (select_for_update)
    while it takes the next number, so two letters issued at once never share a number; a new year starts at 1."""

    kind = models.CharField("文种", max_length=20, choices=LetterKind.choices)
    year = models.PositiveSmallIntegerField("年度")
    last_sequence = models.PositiveIntegerField("已用到的序号", default=0)

    class Meta:
        verbose_name = "公文编号"
        verbose_name_plural = "公文编号"
        constraints = [models.UniqueConstraint(fields=["kind", "year"], name="one_letter_counter_per_kind_year")]

    def __str__(self):
        return f"{self.year}年{self.get_kind_display()}已编至{self.last_sequence}号"


class OfficialLetter(models.Model):
    """One issued letter: its number, addressee, what it is about and its PDF, generated once and never rewritten."""

    Kind = LetterKind

    kind = models.CharField("文种", max_length=20, choices=LetterKind.choices)
    year = models.PositiveSmallIntegerField("年度")
    sequence = models.PositiveIntegerField("序号")
    number = models.CharField("发文字号", max_length=60, help_text="如 江海人大办交〔2026〕3号；生成时按当时的设置写定")
    addressee = models.ForeignKey("congress.Organization", verbose_name="主送机关", on_delete=models.PROTECT,
                                  related_name="official_letters")
    title = models.CharField("标题", max_length=200)
    # what the letter is about: one record (an assignment) or, for a letter about several, a text reference
    subject_type = models.ForeignKey("contenttypes.ContentType", verbose_name="事项类型", null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+")
    subject_id = models.PositiveBigIntegerField("事项编号", null=True, blank=True)
    subject = GenericForeignKey("subject_type", "subject_id")
    subject_text = models.CharField("事项", max_length=200, blank=True, help_text="如 2026-03-10交办的建议")
    issued_on = models.DateField("成文日期")
    file = uploads.PrivateFileField("公文（PDF）", kind="letter", folder="letters", view="congress:letter_file")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="生成人", on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField("生成时间", default=timezone.now)

    class Meta:
        verbose_name = "公文"
        verbose_name_plural = "公文"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "year", "sequence"], name="one_letter_per_number"),
        ]
        indexes = [
            # a unit's letters, newest first (/unit/letters/)
            models.Index(fields=["addressee", "-created_at"], name="letter_by_addressee_idx"),
            # the letters about one record (an assignment's page)
            models.Index(fields=["subject_type", "subject_id"], name="letter_by_subject_idx"),
        ]

    def __str__(self):
        return f"{self.number} {self.title}"

    @property
    def filename(self) -> str:
        return f"{self.get_kind_display()}-{self.number}.pdf"
