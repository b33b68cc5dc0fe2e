"""专题询问 (监督法 Art. 47–50): at a standing committee meeting the members (and invited deputies) question the heads of
the organs on one topic. The record: the organs and the officials who answer, each question in the order it was asked
with its asker, respondent and answer — follow-ups (追问) and on-the-spot questions (临时提问) linked to the question they
follow — and the commitments made in the answers, each assigned to its organ as a rectification item. The organs report
on the rectification (InquiryReport); a satisfaction poll rates it; 不满意 asks the organs for a further report."""
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from congress.lib.workflow import WorkflowModel
from congress.models import Meeting, Organization


class Inquiry(WorkflowModel, models.Model):
    class Status(models.TextChoices):
        PREPARING = "preparing", "筹备中"
        HELD = "held", "已询问"
        RECTIFYING = "rectifying", "整改中"
        POLLING = "polling", "测评中"
        REREPORT = "rereport", "再次整改"
        CLOSED = "closed", "已办结"

    # the record of the meeting (officials, questions, commitments) is kept until the commitments are assigned
    RECORD_EDITABLE = (Status.PREPARING, Status.HELD)

    meeting = models.ForeignKey(Meeting, verbose_name="会议", on_delete=models.PROTECT, related_name="inquiries",
                                limit_choices_to={"kind": Meeting.Kind.STANDING})
    topic = models.CharField("询问主题", max_length=200)
    description = models.TextField("询问安排", blank=True, help_text="例如：结合审议某项工作报告进行；询问的重点问题")
    organizations = models.ManyToManyField(Organization, verbose_name="应询单位", related_name="inquiries",
                                           limit_choices_to={"is_handling_unit": True})
    status = models.CharField("状态", max_length=12, choices=Status.choices, default=Status.PREPARING)
    further_report_due = models.DateField("再次报告期限", null=True, blank=True,
                                          help_text="满意度测评结果为不满意时，应询单位再次报告整改情况的期限")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="创建人", null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "专题询问"
        verbose_name_plural = "专题询问"
        ordering = ["-created_at", "-id"]
        indexes = [
            # the admin's list by state
            models.Index(fields=["status", "created_at"], name="inquiry_status_idx"),
        ]

    def __str__(self):
        return f"专题询问：{self.topic}"


class InquiryOfficial(models.Model):
    """An official who answers (应询人员): the heads of the organs attend (监督法)."""

    inquiry = models.ForeignKey(Inquiry, verbose_name="专题询问", on_delete=models.CASCADE, related_name="officials")
    number = models.PositiveSmallIntegerField("序号")
    name = models.CharField("姓名", max_length=30)
    post = models.CharField("职务", max_length=100)
    organization = models.ForeignKey(Organization, verbose_name="所在单位", on_delete=models.PROTECT, related_name="+",
                                     limit_choices_to={"is_handling_unit": True})
    is_head = models.BooleanField("单位主要负责人", default=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "应询人员"
        verbose_name_plural = "应询人员"
        ordering = ["inquiry", "number", "id"]
        constraints = [models.UniqueConstraint(fields=["inquiry", "number"], name="inquiry_official_number")]

    def __str__(self):
        return f"{self.name}（{self.post}）"


class InquiryQuestion(models.Model):
    """One question in the order it was asked (`number`), and the answer. A follow-up (追问) follows the question it
    presses; an on-the-spot question (临时提问) may follow one too."""

    class Kind(models.TextChoices):
        QUESTION = "question", "提问"
        FOLLOW_UP = "follow_up", "追问"
        ON_THE_SPOT = "on_the_spot", "临时提问"

    inquiry = models.ForeignKey(Inquiry, verbose_name="专题询问", on_delete=models.CASCADE, related_name="questions")
    number = models.PositiveSmallIntegerField("序号", help_text="提问的先后次序")
    kind = models.CharField("类型", max_length=12, choices=Kind.choices, default=Kind.QUESTION)
    follows = models.ForeignKey("self", verbose_name="针对的问题", null=True, blank=True, on_delete=models.PROTECT,
                                related_name="follow_ups")
    asker = models.ForeignKey("deputies.Deputy", verbose_name="提问人", on_delete=models.PROTECT, related_name="+",
                              help_text="常委会组成人员或列席的人大代表")
    respondent = models.ForeignKey(InquiryOfficial, verbose_name="应询人", on_delete=models.PROTECT,
                                   related_name="questions")
    question = models.TextField("问题")
    answer = models.TextField("回答", blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "询问问题"
        verbose_name_plural = "询问问题"
        ordering = ["inquiry", "number"]
        constraints = [
            models.UniqueConstraint(fields=["inquiry", "number"], name="inquiry_question_number"),
            models.CheckConstraint(condition=~Q(kind="question") | Q(follows__isnull=True),
                                   name="inquiry_question_follows_nothing"),
            models.CheckConstraint(condition=~Q(kind="follow_up") | Q(follows__isnull=False),
                                   name="inquiry_follow_up_follows"),
        ]

    def __str__(self):
        return f"第{self.number}问（{self.get_kind_display()}）"

    def clean(self):
        errors = {}
        if self.kind == self.Kind.QUESTION and self.follows_id:
            errors["follows"] = "提问不针对其他问题；追问、临时提问才填写针对的问题"
        if self.kind == self.Kind.FOLLOW_UP and not self.follows_id:
            errors["follows"] = "追问须选择针对的问题"
        if self.follows_id and self.inquiry_id:
            follows = self.follows
            if follows.inquiry_id != self.inquiry_id:
                errors["follows"] = "针对的问题须属于同一次专题询问"
            elif self.number is not None and follows.number >= self.number:
                errors["follows"] = f"针对的问题（第{follows.number}问）须在本问之前"
        if self.respondent_id and self.inquiry_id and self.respondent.inquiry_id != self.inquiry_id:
            errors["respondent"] = "应询人须是本次专题询问的应询人员"
        if errors:
            raise ValidationError(errors)


class InquiryCommitment(models.Model):
    """A commitment made in an answer (应询承诺): assigned to its organ as a rectification item (`rectification`)."""

    inquiry = models.ForeignKey(Inquiry, verbose_name="专题询问", on_delete=models.CASCADE, related_name="commitments")
    number = models.PositiveSmallIntegerField("序号")
    question = models.ForeignKey(InquiryQuestion, verbose_name="所在问答", null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="commitments")
    organization = models.ForeignKey(Organization, verbose_name="责任单位", on_delete=models.PROTECT, related_name="+",
                                     limit_choices_to={"is_handling_unit": True})
    title = models.CharField("承诺事项", max_length=200)
    detail = models.TextField("具体内容", blank=True)
    due_date = models.DateField("完成期限")
    rectification = models.OneToOneField("supervision.Rectification", verbose_name="整改事项", null=True, blank=True,
                                         on_delete=models.PROTECT, related_name="inquiry_commitment")
    history = HistoricalRecords()

    class Meta:
        verbose_name = "应询承诺"
        verbose_name_plural = "应询承诺"
        ordering = ["inquiry", "number"]
        constraints = [models.UniqueConstraint(fields=["inquiry", "number"], name="inquiry_commitment_number")]

    def __str__(self):
        return self.title

    def clean(self):
        if self.question_id and self.inquiry_id and self.question.inquiry_id != self.inquiry_id:
            raise ValidationError({"question": "所在问答须属于同一次专题询问"})


class InquiryReport(models.Model):
    """The organs' report on the rectification (整改情况报告), heard by the committee and rated by a poll; after a
    不满意 result, the further report (`round` 2, 3 …) with its own poll."""

    inquiry = models.ForeignKey(Inquiry, verbose_name="专题询问", on_delete=models.CASCADE, related_name="reports")
    round = models.PositiveSmallIntegerField("次数", default=1)
    text = models.TextField("整改情况")
    received_on = models.DateField("收到报告日期")
    poll = models.OneToOneField("supervision.SatisfactionPoll", verbose_name="满意度测评", null=True, blank=True,
                                on_delete=models.PROTECT, related_name="inquiry_report")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="登记人", on_delete=models.PROTECT,
                                    related_name="+")
    recorded_at = models.DateTimeField("登记时间", auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "专题询问整改情况报告"
        verbose_name_plural = "专题询问整改情况报告"
        ordering = ["inquiry", "round"]
        constraints = [models.UniqueConstraint(fields=["inquiry", "round"], name="inquiry_report_round")]

    def __str__(self):
        return f"第{self.round}次整改情况报告"
