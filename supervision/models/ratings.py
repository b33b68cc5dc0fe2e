"""任后监督: the yearly rating of the officials the standing committee appointed (履职评议). Staff open a round for a
year, which picks from the committee's appointments those still in office (staff adjust the list); each official's
organ submits the official's written duty report (述职报告) in the unit workspace by a date; every official is rated
in a satisfaction poll of their own (supervision's polls, the official as its source); the round's results give each
official a grade from their poll's figures; a 提醒函 goes to each official graded below the threshold, and the summary
of the round to the district committee (区委): the seed's "一书两函"."""
from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from simple_history.models import HistoricalRecords

from congress.lib.workflow import WorkflowModel
from congress.models import Appointment, Meeting, Organization, Term
from supervision.models.polls import SatisfactionPoll


class RatingRound(WorkflowModel, models.Model):
    class Status(models.TextChoices):
        PREPARING = "preparing", "筹备"
        REPORTING = "reporting", "述职"
        POLLING = "polling", "测评"
        CONFIRMED = "confirmed", "结果已确认"
        LETTERS_SENT = "letters_sent", "函件已发"

    term = models.ForeignKey(Term, verbose_name="届", on_delete=models.PROTECT, related_name="rating_rounds")
    year = models.PositiveSmallIntegerField("年度", unique=True,
                                            validators=[MinValueValidator(2000), MaxValueValidator(2100)])
    title = models.CharField("评议名称", max_length=200)
    status = models.CharField("所处阶段", max_length=15, choices=Status.choices, default=Status.PREPARING)
    report_due = models.DateField("述职报告提交期限", null=True, blank=True)
    meeting = models.ForeignKey(Meeting, verbose_name="测评会议", null=True, blank=True, on_delete=models.PROTECT,
                                related_name="rating_rounds")
    summary_addressee = models.ForeignKey(Organization, verbose_name="评议情况报告主送机关", null=True, blank=True,
                                          on_delete=models.PROTECT, related_name="+")
    summary_letter = models.ForeignKey("congress.OfficialLetter", verbose_name="评议情况报告", null=True, blank=True,
                                       on_delete=models.PROTECT, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="创建人", null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "任命干部履职评议"
        verbose_name_plural = "任命干部履职评议"
        ordering = ["-year"]

    def __str__(self):
        return self.title


class RatedOfficial(WorkflowModel, models.Model):
    """One official in a round: who they are (copied from the appointment when chosen, so a later change of post does
    not rewrite the round), the organ that reports for them, their duty report, their poll and their result."""

    class Status(models.TextChoices):
        AWAITING = "awaiting", "待提交述职报告"
        REPORTED = "reported", "已提交述职报告"
        RATED = "rated", "已评定"

    class Grade(models.TextChoices):
        EXCELLENT = "excellent", "优秀"
        COMPETENT = "competent", "称职"
        BASIC = "basic", "基本称职"
        INCOMPETENT = "incompetent", "不称职"

    round = models.ForeignKey(RatingRound, verbose_name="履职评议", on_delete=models.PROTECT, related_name="officials")
    appointment = models.ForeignKey(Appointment, verbose_name="任命", on_delete=models.PROTECT, related_name="ratings")
    person_name = models.CharField("姓名", max_length=30)
    position = models.CharField("职务", max_length=100)
    organization = models.ForeignKey(Organization, verbose_name="所在单位", on_delete=models.PROTECT,
                                     related_name="rated_officials")
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.AWAITING)
    report = models.TextField("述职报告", blank=True)
    report_submitted_at = models.DateTimeField("述职报告提交时间", null=True, blank=True)
    poll = models.ForeignKey(SatisfactionPoll, verbose_name="满意度测评", null=True, blank=True, on_delete=models.PROTECT,
                             related_name="+")
    satisfied = models.PositiveIntegerField("满意票", null=True, blank=True)
    basic = models.PositiveIntegerField("基本满意票", null=True, blank=True)
    unsatisfied = models.PositiveIntegerField("不满意票", null=True, blank=True)
    satisfied_share = models.DecimalField("满意率（%）", max_digits=5, decimal_places=1, null=True, blank=True)
    approval_share = models.DecimalField("满意和基本满意合计（%）", max_digits=5, decimal_places=1, null=True, blank=True)
    grade = models.CharField("评议等次", max_length=12, choices=Grade.choices, blank=True)
    reminder_letter = models.ForeignKey("congress.OfficialLetter", verbose_name="提醒函", null=True, blank=True,
                                        on_delete=models.PROTECT, related_name="+")
    history = HistoricalRecords()

    class Meta:
        verbose_name = "被评议干部"
        verbose_name_plural = "被评议干部"
        ordering = ["round", "organization__sort_order", "id"]
        constraints = [models.UniqueConstraint(fields=["round", "appointment"], name="one_rating_per_appointment_and_round")]
        indexes = [
            # the organ's officials in its workspace, newest round first
            models.Index(fields=["organization", "round"], name="ratedofficial_org_idx"),
            # the overdue duty reports of a round
            models.Index(fields=["round", "status"], name="ratedofficial_status_idx"),
        ]

    def __str__(self):
        return f"{self.person_name}（{self.organization.name}{self.position}）"
