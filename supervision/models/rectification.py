"""整改事项: a problem an organ must fix by a date, from any supervision work (a review opinion, an inquiry's
commitment, an appraisal, an inspection), reported on by the organ in the unit workspace and accepted by staff."""
from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from congress.lib import uploads
from congress.lib.workflow import WorkflowModel
from congress.models import Organization


class RectificationQuerySet(models.QuerySet):
    def open(self):
        """Still the organ's to do: not yet accepted (a returned one is open again)."""
        return self.filter(status__in=Rectification.OPEN)

    def overdue(self, today):
        return self.open().filter(due_date__lt=today)


class Rectification(WorkflowModel, models.Model):
    class Status(models.TextChoices):
        OPEN = "open", "整改中"
        SUBMITTED = "submitted", "已报告完成，待验收"
        ACCEPTED = "accepted", "已验收"

    OPEN = (Status.OPEN, Status.SUBMITTED)

    organization = models.ForeignKey(Organization, verbose_name="责任单位", on_delete=models.PROTECT,
                                     related_name="rectifications", limit_choices_to={"is_handling_unit": True})
    title = models.CharField("整改事项", max_length=200)
    description = models.TextField("问题和要求", blank=True)
    due_date = models.DateField("整改期限")
    # where it comes from: the workflow and object that made it (a review opinion, an inquiry's commitment …)
    source_workflow = models.CharField("来源流程", max_length=30, blank=True, editable=False)
    source_id = models.BigIntegerField("来源编号", null=True, blank=True, editable=False)
    source_label = models.CharField("来源", max_length=200, blank=True)
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.OPEN)
    accepted_at = models.DateTimeField("验收时间", null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="交办人", null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("交办时间", auto_now_add=True)
    history = HistoricalRecords()

    objects = RectificationQuerySet.as_manager()

    class Meta:
        verbose_name = "整改事项"
        verbose_name_plural = "整改事项"
        ordering = ["due_date", "id"]
        indexes = [
            # the organ's workspace: its open items by date; the reminder scan and the overdue list
            models.Index(fields=["organization", "status", "due_date"], name="rectification_unit_due_idx"),
            models.Index(fields=["status", "due_date"], name="rectification_due_idx"),
            # a workflow finds the items it made
            models.Index(fields=["source_workflow", "source_id"], name="rectification_source_idx"),
        ]

    def __str__(self):
        return self.title


class RectificationReport(models.Model):
    """The organ's progress report, or its final report with the closing evidence (`final`)."""

    rectification = models.ForeignKey(Rectification, verbose_name="整改事项", on_delete=models.CASCADE,
                                      related_name="reports")
    text = models.TextField("整改情况")
    final = models.BooleanField("整改完成报告", default=False)
    evidence = uploads.PrivateFileField("佐证材料", kind="attachment", folder="supervision/rectification", blank=True,
                                        view="supervision:rectification_evidence")
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="报告人", on_delete=models.PROTECT,
                                    related_name="+")
    reported_at = models.DateTimeField("报告时间", auto_now_add=True)

    class Meta:
        verbose_name = "整改情况报告"
        verbose_name_plural = "整改情况报告"
        ordering = ["rectification", "reported_at", "id"]

    def __str__(self):
        return f"{self.rectification} {'完成报告' if self.final else '进展报告'}"
