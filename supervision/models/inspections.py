"""执法检查 (监督法 Arts. 32–37): the standing committee checks how a law is enforced in the district — a year's
inspection of one law (《消防法》执法检查) with its plan (text and dates), its team (members of the committee and
deputies, one of them leading it), the site visits (each a dated duty activity of the deputies who went), the problems
found (each assigned to its organ as a rectification item), the team's report to the committee (text and/or a PDF read
only through a permission check), the committee's review opinion on it, and the satisfaction poll on the organs'
rectification.

Why these states (supervision/workflows.py draws them): the plan is edited until the team sets out (计划中); site visits
are arranged and problems recorded while checking (检查中); the report goes to a standing committee meeting (报告待审议)
and is deliberated once the meeting is held (报告已审议, the review opinion recorded); the problems then become
rectification items (整改中); the organs' rectification report is rated by a poll (测评中) and a 不满意 result sends the
organs back to rectifying; a satisfied poll closes it (已办结). An inspection that found nothing to rectify closes right
after the deliberation. The review opinion is text on the inspection: supervision's ReviewOpinion belongs to a work
report (one-to-one) and is not reused here; the rectification items and the poll are supervision's own (source=this)."""
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from congress.lib import uploads
from congress.lib.workflow import WorkflowModel
from congress.models import Meeting, Organization


class Inspection(WorkflowModel, models.Model):
    class Status(models.TextChoices):
        PLANNED = "planned", "计划中"
        INSPECTING = "inspecting", "检查中"
        REPORTED = "reported", "报告待审议"
        DELIBERATED = "deliberated", "报告已审议"
        RECTIFYING = "rectifying", "整改中"
        POLLING = "polling", "测评中"
        CLOSED = "closed", "已办结"

    # the plan and the team are edited until the report is submitted
    PLAN_EDITABLE = (Status.PLANNED, Status.INSPECTING)
    # the problems are recorded from the checking on until they are assigned
    PROBLEMS_EDITABLE = (Status.INSPECTING, Status.REPORTED, Status.DELIBERATED)
    # the team still owes its report (the overdue list)
    REPORT_OWED = (Status.PLANNED, Status.INSPECTING)

    year = models.PositiveSmallIntegerField("年度")
    law = models.CharField("检查的法律法规", max_length=100, help_text="例如：《中华人民共和国消防法》")
    working_body = models.ForeignKey(Organization, verbose_name="承办工作机构", on_delete=models.PROTECT,
                                     related_name="+", limit_choices_to={"kind": Organization.Kind.WORKING_BODY})
    plan = models.TextField("检查方案", help_text="检查的重点内容、方式、步骤和要求")
    start_date = models.DateField("检查开始日期")
    end_date = models.DateField("检查结束日期")
    report_due = models.DateField("检查报告形成期限")
    activity_type = models.ForeignKey("deputies.DutyActivityType", verbose_name="计入履职活动类型", null=True, blank=True,
                                      on_delete=models.PROTECT, related_name="+",
                                      help_text="参加现场检查的代表按此类型的积分规则计分；不填则只记入履职档案、不计分")
    status = models.CharField("状态", max_length=12, choices=Status.choices, default=Status.PLANNED)
    meeting = models.ForeignKey(Meeting, verbose_name="提请审议的会议", null=True, blank=True, on_delete=models.PROTECT,
                                related_name="inspections", limit_choices_to={"kind": Meeting.Kind.STANDING})
    report_text = models.TextField("执法检查报告", blank=True)
    report_file = uploads.PrivateFileField("执法检查报告文件", kind="pdf", folder="supervision/inspections", blank=True,
                                           view="supervision:inspection_report_file")
    report_submitted_on = models.DateField("报告提交日期", null=True, blank=True)
    review_opinion = models.TextField("常委会审议意见", blank=True)
    rectification_report = models.TextField("整改情况报告", blank=True)
    closed_at = models.DateTimeField("办结时间", null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="创建人", null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "执法检查"
        verbose_name_plural = "执法检查"
        ordering = ["-year", "-start_date", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(end_date__gte=models.F("start_date")), name="inspection_ends_after_start"),
        ]
        indexes = [
            # the admin's list by state; the overdue list (reports still owed by their date)
            models.Index(fields=["status", "report_due"], name="inspection_status_due_idx"),
        ]

    def __str__(self):
        return f"{self.year}年{self.law}执法检查"

    def clean(self):
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": "检查结束日期不能早于开始日期"})


class InspectionMember(models.Model):
    """A member of the inspection team: a member of the standing committee or a deputy invited to take part."""

    class Role(models.TextChoices):
        LEADER = "leader", "组长"
        DEPUTY_LEADER = "deputy_leader", "副组长"
        MEMBER = "member", "成员"

    class Capacity(models.TextChoices):
        COMMITTEE = "committee", "常委会组成人员"
        DEPUTY = "deputy", "人大代表"

    inspection = models.ForeignKey(Inspection, verbose_name="执法检查", on_delete=models.CASCADE, related_name="team")
    deputy = models.ForeignKey("deputies.Deputy", verbose_name="人员", on_delete=models.PROTECT,
                               related_name="inspection_teams")
    capacity = models.CharField("身份", max_length=10, choices=Capacity.choices, default=Capacity.DEPUTY)
    role = models.CharField("检查组职务", max_length=15, choices=Role.choices, default=Role.MEMBER)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "检查组成员"
        verbose_name_plural = "检查组成员"
        ordering = ["inspection", "role", "id"]
        constraints = [models.UniqueConstraint(fields=["inspection", "deputy"], name="inspection_member_once")]

    def __str__(self):
        return f"{self.deputy.full_name}（{self.get_role_display()}）"


class InspectionVisit(models.Model):
    """A site visit (现场检查): where and when the team went, the organ checked, and who of the team went (each of
    them has it in their duty record)."""

    inspection = models.ForeignKey(Inspection, verbose_name="执法检查", on_delete=models.CASCADE, related_name="visits")
    date = models.DateField("检查日期")
    place = models.CharField("检查地点", max_length=120)
    organization = models.ForeignKey(Organization, verbose_name="被检查单位", null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+")
    note = models.TextField("检查情况", blank=True)
    participants = models.ManyToManyField("deputies.Deputy", verbose_name="参加人员", related_name="inspection_visits")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="登记人", on_delete=models.PROTECT,
                                    related_name="+")
    history = HistoricalRecords()

    class Meta:
        verbose_name = "现场检查"
        verbose_name_plural = "现场检查"
        ordering = ["inspection", "date", "id"]
        indexes = [models.Index(fields=["date"], name="inspection_visit_date_idx")]

    def __str__(self):
        return f"{self.date:%Y-%m-%d} {self.place}"


class InspectionProblem(models.Model):
    """A problem the team found, with the organ responsible: assigned to it as a rectification item after the
    deliberation (`rectification`)."""

    inspection = models.ForeignKey(Inspection, verbose_name="执法检查", on_delete=models.CASCADE, related_name="problems")
    number = models.PositiveSmallIntegerField("序号")
    visit = models.ForeignKey(InspectionVisit, verbose_name="发现于", null=True, blank=True, on_delete=models.PROTECT,
                              related_name="problems")
    organization = models.ForeignKey(Organization, verbose_name="责任单位", on_delete=models.PROTECT, related_name="+",
                                     limit_choices_to={"is_handling_unit": True})
    title = models.CharField("问题", max_length=200)
    detail = models.TextField("具体情况和整改要求", blank=True)
    due_date = models.DateField("整改期限")
    rectification = models.OneToOneField("supervision.Rectification", verbose_name="整改事项", null=True, blank=True,
                                         on_delete=models.PROTECT, related_name="inspection_problem")
    history = HistoricalRecords()

    class Meta:
        verbose_name = "发现的问题"
        verbose_name_plural = "发现的问题"
        ordering = ["inspection", "number"]
        constraints = [models.UniqueConstraint(fields=["inspection", "number"], name="inspection_problem_number")]

    def __str__(self):
        return self.title

    def clean(self):
        if self.visit_id and self.inspection_id and self.visit.inspection_id != self.inspection_id:
            raise ValidationError({"visit": "须是本次执法检查的现场检查"})
