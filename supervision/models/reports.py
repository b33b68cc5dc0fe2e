"""专项工作报告和审议意见 (监督法 Arts. 9–14 and 15): a topic of the year's supervision plan that an organ reports on
to a meeting of the standing committee, the timeline before the meeting, the meeting's review opinion, the organ's
report on how it handled the opinion, the poll on that report and, when the poll says 不满意, the re-report.

Two objects, because two things happen one after the other and each has its own people and dates: the work report
(plan → meeting, the organ and the working body in charge) and the review opinion (sent after the meeting, handled
by the organ within months, polled, closed). The organ's files (draft, revised report, handling reports) are rows of
`ReportSubmission`, so a page can list them and a file view can check who may read each.

Why these states (supervision/workflows.py draws them):
- work report: one state per document Art. 15 asks of the organ (draft to the working body, revised report to the
  committee), because each has its own date before the meeting and its own reminder; the copies to the members are the
  office's act and change no state (a timestamp and a history row), as does moving the meeting; "deliberated" waits for
  the meeting to be held, and the opinion is a separate object whose sending ends the report's own course. A plan is
  adjusted during the year, so an item not yet heard can leave it ("cancelled", with the reason).
- review opinion: "sent" until the organ reports; the poll is optional (Art. 14: the committee *may* poll), so staff
  close a reported opinion with or without one; while polling the opinion waits for the result, and a 不满意 result
  asks for a re-report with its own date (RESULT_HOOKS, supervision/services/reports.py). Only one re-report: a second
  不满意 ends in "escalated", the point where the 主任会议 decides on inquiry, questioning or other measures of the law,
  which are other workflows."""
import datetime

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from congress.lib import uploads
from congress.lib.workflow import WorkflowModel
from congress.models import Meeting, Organization


class WorkReport(WorkflowModel, models.Model):
    """One item of the year's supervision plan: the standing committee hears an organ's special work report on a topic
    at a meeting. The dates before the meeting (监督法 Art. 15) are computed from the meeting's date, never stored."""

    class Status(models.TextChoices):
        PLANNED = "planned", "已列入计划"
        DRAFT = "draft", "已报送初稿"
        REVISED = "revised", "已报送修改稿"
        DELIBERATED = "deliberated", "已审议"
        OPINION_SENT = "opinion_sent", "已送交审议意见"
        CANCELLED = "cancelled", "已调整出计划"

    # still before the meeting: the organ owes a report, the meeting may still be moved
    BEFORE_MEETING = (Status.PLANNED, Status.DRAFT, Status.REVISED)

    year = models.PositiveSmallIntegerField("计划年度")
    topic = models.CharField("议题", max_length=200)
    organization = models.ForeignKey(Organization, verbose_name="报告机关", on_delete=models.PROTECT,
                                     related_name="work_reports", limit_choices_to={"is_handling_unit": True})
    working_body = models.ForeignKey(Organization, verbose_name="承办工作机构", on_delete=models.PROTECT,
                                     related_name="+", limit_choices_to={"kind": Organization.Kind.WORKING_BODY})
    meeting = models.ForeignKey(Meeting, verbose_name="提请审议的会议", null=True, blank=True, on_delete=models.PROTECT,
                                related_name="work_reports", limit_choices_to={"kind": Meeting.Kind.STANDING})
    status = models.CharField("状态", max_length=15, choices=Status.choices, default=Status.PLANNED)
    copies_sent_at = models.DateTimeField("印发组成人员时间", null=True, blank=True)
    deliberation = models.TextField("审议情况", blank=True, help_text="组成人员审议中提出的主要意见")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="列入计划人", null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("列入计划时间", auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "专项工作报告"
        verbose_name_plural = "专项工作报告"
        ordering = ["-year", "meeting__date", "id"]
        indexes = [
            # the organ's workspace: its reports by year
            models.Index(fields=["organization", "year"], name="workreport_unit_year_idx"),
            # the reminder scan: the reports still before their meeting
            models.Index(fields=["status", "meeting"], name="workreport_status_meeting_idx"),
        ]

    def __str__(self):
        return f"{self.year}年 {self.topic}"

    def timeline_dates(self) -> dict[str, datetime.date] | None:
        """监督法 Art. 15, counted back from the meeting: {draft, revised, copies} (None before a meeting is set)."""
        if self.meeting_id is None:
            return None
        rules = settings.CONGRESS_RULES
        day = self.meeting.date
        return {"draft": day - datetime.timedelta(days=rules["WORK_REPORT_DRAFT_DAYS"]),
                "revised": day - datetime.timedelta(days=rules["WORK_REPORT_REVISED_DAYS"]),
                "copies": day - datetime.timedelta(days=rules["WORK_REPORT_COPIES_DAYS"])}


class ReviewOpinion(WorkflowModel, models.Model):
    """审议意见: what the members said of a work report, sent to the organ after the meeting; the organ reports how it
    handled it by `due_date`, the committee may poll that report, and a 不满意 poll asks for a re-report."""

    class Status(models.TextChoices):
        SENT = "sent", "待报告研究处理情况"
        REPORTED = "reported", "已报告研究处理情况"
        POLLING = "polling", "满意度测评"
        REREPORT_DUE = "rereport_due", "测评不满意，待再次报告"
        REREPORTED = "rereported", "已再次报告"
        CLOSED = "closed", "已办结"
        ESCALATED = "escalated", "再次测评仍不满意"

    # the organ owes a report (the reminder scan, the workspace's list)
    AWAITING = (Status.SENT, Status.REREPORT_DUE)

    work_report = models.OneToOneField(WorkReport, verbose_name="专项工作报告", on_delete=models.PROTECT,
                                       related_name="review_opinion")
    # the work report's organ, kept here so the organ's pages and the reminder scan filter without a join
    organization = models.ForeignKey(Organization, verbose_name="研究处理机关", on_delete=models.PROTECT,
                                     related_name="review_opinions")
    text = models.TextField("审议意见")
    letter = uploads.PrivateFileField("审议意见文件", kind="pdf", folder="supervision/opinions", blank=True,
                                      view="supervision:review_opinion_letter")
    status = models.CharField("状态", max_length=15, choices=Status.choices, default=Status.SENT)
    sent_on = models.DateField("送交日期")
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="送交人", on_delete=models.PROTECT,
                                related_name="+")
    due_date = models.DateField("研究处理情况报告期限")
    due_explanation = models.CharField("期限说明", max_length=300, blank=True)
    rereport_requested_on = models.DateField("要求再次报告日期", null=True, blank=True)
    rereport_due_date = models.DateField("再次报告期限", null=True, blank=True)
    rereport_explanation = models.CharField("再次报告期限说明", max_length=300, blank=True)
    closed_at = models.DateTimeField("办结时间", null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "审议意见"
        verbose_name_plural = "审议意见"
        ordering = ["-sent_on", "-id"]
        indexes = [
            # the reminder scan and the organ's list: the opinions still owed a report
            models.Index(fields=["status", "organization"], name="reviewopinion_status_unit_idx"),
        ]

    def __str__(self):
        return f"关于“{self.work_report.topic}”的审议意见"

    @property
    def current_due_date(self) -> datetime.date | None:
        """The report the organ owes now: the re-report's date once one is asked for, else the first report's."""
        return self.rereport_due_date if self.status == self.Status.REREPORT_DUE else self.due_date


class ReportSubmission(models.Model):
    """A report the organ submitted: the draft and the revised work report before the meeting, the report on how it
    handled the review opinion and the re-report after a 不满意 poll. A PDF, read only through a permission check."""

    class Kind(models.TextChoices):
        DRAFT = "draft", "报告初稿"
        REVISED = "revised", "报告修改稿"
        HANDLING = "handling", "研究处理情况报告"
        REREPORT = "rereport", "再次研究处理情况报告"

    work_report = models.ForeignKey(WorkReport, verbose_name="专项工作报告", on_delete=models.PROTECT,
                                    related_name="submissions")
    kind = models.CharField("材料", max_length=10, choices=Kind.choices)
    file = uploads.PrivateFileField("报告文件", kind="pdf", folder="supervision/reports",
                                    view="supervision:report_submission_file")
    note = models.TextField("说明", blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="报送人", on_delete=models.PROTECT,
                                     related_name="+")
    submitted_at = models.DateTimeField("报送时间", auto_now_add=True)

    class Meta:
        verbose_name = "报送材料"
        verbose_name_plural = "报送材料"
        ordering = ["work_report", "submitted_at", "id"]

    def __str__(self):
        return f"{self.work_report.topic} {self.get_kind_display()}"
