"""工作评议: the standing committee appraises a government department's work — all of it (综合评议) or one piece of it
(专项评议) — in phases: mobilization, surveys of deputies and voters, the department's self-check, the appraisal meeting
with its satisfaction poll, rectification, and a look back. The aspects a year's appraisals are scored on, with their
weights, are a table staff keep per year; the year's ranking across departments is read from the scores and the polls.
"""
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from congress.lib.workflow import WorkflowModel
from congress.models import Meeting, Organization, Term
from supervision.models.polls import SatisfactionPoll

YEAR_RANGE = [MinValueValidator(2000), MaxValueValidator(2100)]


class AppraisalScheme(models.Model):
    """One year's aspects and weights (e.g. 问卷调查 30%, 满意度测评 50%, 整改落实 20%; they sum to 100). Each year has
    its own, so changing next year's weights never rewrites a past year's ranking; a year's table is locked once the
    first score of that year is recorded (every department of a year is measured with the same weights)."""

    year = models.PositiveSmallIntegerField("年度", unique=True, validators=YEAR_RANGE)
    note = models.CharField("说明", max_length=200, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "工作评议测评项目（年度）"
        verbose_name_plural = "工作评议测评项目（年度）"
        ordering = ["-year"]

    def __str__(self):
        return f"{self.year}年度工作评议测评项目"


class AppraisalAspect(models.Model):
    scheme = models.ForeignKey(AppraisalScheme, verbose_name="年度", on_delete=models.CASCADE, related_name="aspects")
    name = models.CharField("测评项目", max_length=50)
    weight = models.PositiveSmallIntegerField("权重（%）", validators=[MinValueValidator(1), MaxValueValidator(100)])
    order = models.PositiveSmallIntegerField("排序", default=1, validators=[MaxValueValidator(1000)])
    history = HistoricalRecords()

    class Meta:
        verbose_name = "测评项目"
        verbose_name_plural = "测评项目"
        ordering = ["scheme", "order", "id"]
        constraints = [models.UniqueConstraint(fields=["scheme", "name"], name="one_aspect_name_per_year")]

    def __str__(self):
        return f"{self.name}（{self.weight}%）"


class AppraisalQuerySet(models.QuerySet):
    def regular(self):
        """The year's own appraisals (a re-appraisal after 不满意 is a follow-up of one of them)."""
        return self.filter(follow_up_of__isnull=True)

    def concluded(self):
        """Appraisals whose meeting has given its result: counted as appraised (届内全覆盖) and ranked."""
        return self.exclude(result="")


class Appraisal(WorkflowModel, models.Model):
    class Kind(models.TextChoices):
        COMPREHENSIVE = "comprehensive", "综合评议"
        SPECIAL = "special", "专项评议"

    class Status(models.TextChoices):
        MOBILIZING = "mobilizing", "动员部署"
        SURVEYING = "surveying", "调查研究"
        SELF_CHECK = "self_check", "自查自纠"
        MEETING = "meeting", "评议会议"
        RECTIFYING = "rectifying", "整改落实"
        REVIEWING = "reviewing", "回头看"
        CLOSED = "closed", "评议结束"

    term = models.ForeignKey(Term, verbose_name="届", on_delete=models.PROTECT, related_name="appraisals")
    year = models.PositiveSmallIntegerField("年度", validators=YEAR_RANGE)
    organization = models.ForeignKey(Organization, verbose_name="被评议部门", on_delete=models.PROTECT,
                                     related_name="appraisals", limit_choices_to={"kind": Organization.Kind.DEPARTMENT})
    kind = models.CharField("评议方式", max_length=15, choices=Kind.choices, default=Kind.COMPREHENSIVE)
    subject = models.CharField("评议内容", max_length=200, blank=True, help_text="专项评议须写明所评议的工作")
    status = models.CharField("所处阶段", max_length=12, choices=Status.choices, default=Status.MOBILIZING)
    meeting = models.ForeignKey(Meeting, verbose_name="评议会议", null=True, blank=True, on_delete=models.PROTECT,
                                related_name="appraisals")
    poll = models.ForeignKey(SatisfactionPoll, verbose_name="满意度测评", null=True, blank=True, on_delete=models.PROTECT,
                             related_name="+")
    result = models.CharField("测评结果", max_length=12, choices=SatisfactionPoll.Choice.choices, blank=True)
    # 自查自纠: the department's self-inspection report, submitted in the unit workspace
    self_check_report = models.TextField("自查报告", blank=True)
    self_check_at = models.DateTimeField("自查报告提交时间", null=True, blank=True)
    opinion = models.TextField("评议意见", blank=True)
    # 不满意 → the committee appraises the department again by a date (supervision/services/appraisals.py)
    follow_up_of = models.ForeignKey("self", verbose_name="再次评议的原评议", null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="follow_ups")
    due_date = models.DateField("再次评议期限", null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="创建人", null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    history = HistoricalRecords()

    objects = AppraisalQuerySet.as_manager()

    class Meta:
        verbose_name = "工作评议"
        verbose_name_plural = "工作评议"
        ordering = ["-year", "organization__sort_order", "id"]
        constraints = [
            # the ranking has one row per department and year
            models.UniqueConstraint(fields=["year", "organization"], condition=Q(follow_up_of__isnull=True),
                                    name="one_appraisal_per_department_and_year"),
        ]
        indexes = [
            # the year's ranking; the term's coverage
            models.Index(fields=["year", "organization"], name="appraisal_year_idx"),
            models.Index(fields=["term", "organization"], name="appraisal_term_idx"),
        ]

    def __str__(self):
        what = f"{self.subject}专项评议" if self.kind == self.Kind.SPECIAL and self.subject else self.get_kind_display()
        again = "再次评议：" if self.follow_up_of_id else ""
        return f"{again}{self.year}年度对{self.organization.name}的{what}"


class AppraisalSurvey(models.Model):
    """The deputies' or the voters' questionnaire of an appraisal, recorded simply as staff count the paper forms: how
    many were sent out and returned, and the score (0–100) the returned forms give the department. No respondent is
    stored."""

    class Respondents(models.TextChoices):
        DEPUTIES = "deputies", "人大代表问卷"
        VOTERS = "voters", "选民问卷"

    appraisal = models.ForeignKey(Appraisal, verbose_name="工作评议", on_delete=models.CASCADE, related_name="surveys")
    respondents = models.CharField("问卷对象", max_length=10, choices=Respondents.choices)
    sent = models.PositiveIntegerField("发出份数", validators=[MaxValueValidator(1_000_000)])
    returned = models.PositiveIntegerField("收回份数", validators=[MaxValueValidator(1_000_000)])
    score = models.DecimalField("问卷得分", max_digits=5, decimal_places=2,
                                validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))])
    note = models.CharField("主要意见", max_length=500, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "问卷调查"
        verbose_name_plural = "问卷调查"
        ordering = ["appraisal", "respondents"]
        constraints = [models.UniqueConstraint(fields=["appraisal", "respondents"], name="one_survey_per_respondents")]

    def __str__(self):
        return f"{self.get_respondents_display()}：发出{self.sent}份，收回{self.returned}份，得分{self.score}"


class AppraisalScore(models.Model):
    """The score (0–100) an appraisal got on one aspect of its year; the weighted total is Σ score × weight / 100."""

    appraisal = models.ForeignKey(Appraisal, verbose_name="工作评议", on_delete=models.CASCADE, related_name="scores")
    aspect = models.ForeignKey(AppraisalAspect, verbose_name="测评项目", on_delete=models.PROTECT, related_name="scores")
    score = models.DecimalField("得分", max_digits=5, decimal_places=2,
                                validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))])
    history = HistoricalRecords()

    class Meta:
        verbose_name = "测评得分"
        verbose_name_plural = "测评得分"
        ordering = ["appraisal", "aspect__order", "aspect_id"]
        constraints = [models.UniqueConstraint(fields=["appraisal", "aspect"], name="one_score_per_aspect")]

    def __str__(self):
        return f"{self.aspect.name} {self.score}"
