"""代表约见国家机关负责人: deputies jointly ask to meet the head of a state organ about a subject. A deputy drafts the
request in the portal (the subject, the organ), other deputies co-sign it there, and the drafter puts it forward once
enough deputies have signed (CONGRESS_RULES["MEETING_MIN_DEPUTIES"]). The 主任会议 agrees or declines (with its
reasons; the deputies are told); the meeting is held and recorded (date, place, the organ's heads who attended, the
deputies who did — a duty-record item for each); the organ replies in writing in its unit workspace within
MEETING_REPLY_MONTHS of the meeting; each requesting deputy rates the reply once (满意/基本满意/不满意)."""
from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from congress.lib.workflow import WorkflowModel
from congress.models import Organization


class MeetingRequest(WorkflowModel, models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "草稿"
        PROPOSED = "proposed", "已提出"
        APPROVED = "approved", "已同意"
        REJECTED = "rejected", "未同意"
        MET = "met", "已约见"
        REPLIED = "replied", "已答复"
        RATED = "rated", "已评价"

    # the organ sees the request once the meeting with its head is agreed
    ORGAN_SEES = (Status.APPROVED, Status.MET, Status.REPLIED, Status.RATED)

    subject = models.CharField("约见事项", max_length=200)
    content = models.TextField("约见的理由和具体问题", max_length=5000)
    organization = models.ForeignKey(Organization, verbose_name="约见的国家机关", on_delete=models.PROTECT,
                                     related_name="meeting_requests", limit_choices_to={"is_handling_unit": True})
    head = models.CharField("约见的负责人", max_length=100, blank=True, help_text="例如：局长；不填则为该机关主要负责人")
    drafted_by = models.ForeignKey("deputies.Deputy", verbose_name="领衔代表", on_delete=models.PROTECT,
                                   related_name="+")
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.DRAFT)
    proposed_at = models.DateTimeField("提出时间", null=True, blank=True)
    decision_reason = models.TextField("主任会议意见", blank=True)
    decided_at = models.DateTimeField("决定时间", null=True, blank=True)
    met_on = models.DateField("约见日期", null=True, blank=True)
    place = models.CharField("约见地点", max_length=200, blank=True)
    officials = models.CharField("到会的机关负责人", max_length=300, blank=True, help_text="姓名和职务，多人用顿号分隔")
    attendees = models.ManyToManyField("deputies.Deputy", verbose_name="参加约见的代表", blank=True,
                                       related_name="meeting_requests_attended")
    record = models.TextField("约见记录", blank=True)
    reply_due = models.DateField("书面答复期限", null=True, blank=True)
    reply_due_explanation = models.CharField("期限计算", max_length=300, blank=True)
    reply = models.TextField("书面答复", blank=True)
    replied_at = models.DateTimeField("答复时间", null=True, blank=True)
    replied_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="答复人", null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "代表约见"
        verbose_name_plural = "代表约见"
        ordering = ["-created_at", "-id"]
        indexes = [
            # the admin's list by state, and the reminder scan / overdue list (status=met, reply_due)
            models.Index(fields=["status", "reply_due"], name="meeting_request_status_idx"),
        ]

    def __str__(self):
        return f"代表约见：{self.subject}"


class MeetingSigner(models.Model):
    """A deputy who signed the request (the drafter signs it first)."""

    request = models.ForeignKey(MeetingRequest, verbose_name="代表约见", on_delete=models.CASCADE, related_name="signers")
    deputy = models.ForeignKey("deputies.Deputy", verbose_name="代表", on_delete=models.PROTECT,
                               related_name="meeting_signatures")
    signed_at = models.DateTimeField("联名时间", auto_now_add=True)

    class Meta:
        verbose_name = "约见联名代表"
        verbose_name_plural = "约见联名代表"
        ordering = ["request", "signed_at", "id"]
        constraints = [models.UniqueConstraint(fields=["request", "deputy"], name="meeting_signer_once")]

    def __str__(self):
        return str(self.deputy)


class MeetingRating(models.Model):
    """A requesting deputy's rating of the organ's written reply: once each."""

    class Choice(models.TextChoices):
        SATISFIED = "satisfied", "满意"
        BASIC = "basic", "基本满意"
        UNSATISFIED = "unsatisfied", "不满意"

    request = models.ForeignKey(MeetingRequest, verbose_name="代表约见", on_delete=models.CASCADE, related_name="ratings")
    deputy = models.ForeignKey("deputies.Deputy", verbose_name="代表", on_delete=models.PROTECT, related_name="+")
    choice = models.CharField("评价", max_length=12, choices=Choice.choices)
    comment = models.TextField("意见", blank=True, max_length=2000)
    rated_at = models.DateTimeField("评价时间", auto_now_add=True)

    class Meta:
        verbose_name = "约见答复评价"
        verbose_name_plural = "约见答复评价"
        ordering = ["request", "rated_at", "id"]
        constraints = [models.UniqueConstraint(fields=["request", "deputy"], name="meeting_rating_once")]

    def __str__(self):
        return f"{self.deputy}：{self.get_choice_display()}"
