"""The institution itself: terms, sessions, meetings, the organizations it works with, its users."""
import functools

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Q
from django.utils import timezone
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase
from simple_history.models import HistoricalRecords

from congress.lib import uploads
from congress.lib.cn import chinese_number
from congress.reports.registry import chapter_choices


class Organization(models.Model):
    """One typed tree of every organization the committee deals with."""

    class Kind(models.TextChoices):
        STATE_ORGAN = "state_organ", "国家机关（一府一委两院）"
        DEPARTMENT = "department", "政府部门及直属单位"
        TOWN = "town", "镇"
        STREET = "street", "街道"
        WORKING_BODY = "working_body", "常委会工作机构"
        OTHER = "other", "其他单位"

    TOWN_KINDS = (Kind.TOWN, Kind.STREET)

    name = models.CharField("名称", max_length=100, unique=True)
    short_name = models.CharField("简称", max_length=40, blank=True)
    kind = models.CharField("类型", max_length=20, choices=Kind.choices, db_index=True)
    parent = models.ForeignKey("self", verbose_name="上级单位", null=True, blank=True,
                               on_delete=models.PROTECT, related_name="children")
    code = models.CharField("单位编码", max_length=30, unique=True, null=True, blank=True)
    is_handling_unit = models.BooleanField("可作为承办单位", default=False)
    contact_person = models.CharField("联系人", max_length=30, blank=True)
    phone = models.CharField("联系电话", max_length=30, blank=True)
    address = models.CharField("地址", max_length=200, blank=True)
    sort_order = models.PositiveIntegerField("排序", default=100)
    is_active = models.BooleanField("启用", default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "单位"
        verbose_name_plural = "单位"
        ordering = ["kind", "sort_order", "name"]
        permissions = [("manage_town_records", "管理本镇街的代表和家站点")]

    def __str__(self):
        return self.name

    @property
    def is_town(self) -> bool:
        return self.kind in self.TOWN_KINDS


class OrganizationUserObjectPermission(UserObjectPermissionBase):
    # A direct foreign key instead of guardian's generic text object_pk, so the grant joins on an index.
    content_object = models.ForeignKey(Organization, on_delete=models.CASCADE)


class OrganizationGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(Organization, on_delete=models.CASCADE)


class User(AbstractUser):
    """Staff, deputies, handling units and administrators log in as users; the role is a group."""

    full_name = models.CharField("姓名", max_length=30, blank=True)
    phone = models.CharField("手机号码", max_length=20, blank=True)
    organization = models.ForeignKey(
        Organization, verbose_name="所属单位", null=True, blank=True, on_delete=models.PROTECT,
        related_name="users", help_text="承办单位、常委会工作机构或镇街（按角色需要填写）",
    )
    password_changed_at = models.DateTimeField("密码修改时间", null=True, blank=True)
    history = HistoricalRecords(excluded_fields=["password", "last_login"])

    class Meta:
        verbose_name = "用户"
        verbose_name_plural = "用户"

    def __str__(self):
        return f"{self.full_name}（{self.username}）" if self.full_name else self.username

    def set_password(self, raw_password):
        super().set_password(raw_password)
        self.password_changed_at = timezone.now()

    # PermissionsMixin's two checks, asking the login backends loaded once per process: Django's own import and
    # instantiate every backend on every call (auth.get_backends), and the admin index asks some 350 times a page.
    def has_perm(self, perm, obj=None):
        if self.is_active and self.is_superuser:
            return True
        return _backends_say(self, "has_perm", perm, obj)

    def has_module_perms(self, app_label):
        if self.is_active and self.is_superuser:
            return True
        return _backends_say(self, "has_module_perms", app_label)


@functools.cache
def _backends_with(paths: tuple, method: str) -> tuple:
    from django.contrib.auth import load_backend

    return tuple(backend for backend in map(load_backend, paths) if hasattr(backend, method))


def _backends_say(user, method: str, *args) -> bool:
    """What django.contrib.auth.models._user_has_perm / _user_has_module_perms say: yes if a backend says yes, no as
    soon as one raises PermissionDenied."""
    for backend in _backends_with(tuple(settings.AUTHENTICATION_BACKENDS), method):
        try:
            if getattr(backend, method)(user, *args):
                return True
        except PermissionDenied:
            return False
    return False


class Term(models.Model):
    """届: a five-year term of the district congress and its standing committee."""

    number = models.PositiveSmallIntegerField("届次", unique=True)
    start_date = models.DateField("开始日期")
    end_date = models.DateField("结束日期", null=True, blank=True)
    is_current = models.BooleanField("本届", default=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "届"
        verbose_name_plural = "届"
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["is_current"], condition=Q(is_current=True), name="one_current_term"),
        ]

    def __str__(self):
        return f"第{chinese_number(self.number)}届"


class CongressSession(models.Model):
    """人民代表大会第N次会议."""

    term = models.ForeignKey(Term, verbose_name="届", on_delete=models.PROTECT, related_name="sessions")
    number = models.PositiveSmallIntegerField("会议次数")
    start_date = models.DateField("开幕日期")
    end_date = models.DateField("闭幕日期")
    place = models.CharField("地点", max_length=100, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "人代会会议"
        verbose_name_plural = "人代会会议"
        ordering = ["-term__number", "-number"]
        constraints = [models.UniqueConstraint(fields=["term", "number"], name="session_number_in_term")]

    def __str__(self):
        return f"区{chinese_number(self.term.number)}届人大{chinese_number(self.number)}次会议"


class Meeting(models.Model):
    """常委会会议 / 主任会议, numbered within the term."""

    class Kind(models.TextChoices):
        STANDING = "standing", "常委会会议"
        COUNCIL = "council", "主任会议"

    term = models.ForeignKey(Term, verbose_name="届", on_delete=models.PROTECT, related_name="meetings")
    kind = models.CharField("会议类型", max_length=10, choices=Kind.choices)
    number = models.PositiveSmallIntegerField("次数")
    date = models.DateField("日期")
    place = models.CharField("地点", max_length=100, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "常委会/主任会议"
        verbose_name_plural = "常委会/主任会议"
        ordering = ["-date"]
        constraints = [models.UniqueConstraint(fields=["term", "kind", "number"], name="meeting_number_in_term")]

    def __str__(self):
        name = "人大常委会" if self.kind == self.Kind.STANDING else "主任会议"
        return f"区{chinese_number(self.term.number)}届{name}第{chinese_number(self.number)}次会议"


class AgendaItem(models.Model):
    class Kind(models.TextChoices):
        REPORT = "report", "听取审议工作报告"
        LAW = "law", "审议决议决定"
        APPOINTMENT = "appointment", "人事任免"
        INQUIRY = "inquiry", "专题询问"
        OTHER = "other", "其他"

    meeting = models.ForeignKey(Meeting, verbose_name="会议", on_delete=models.CASCADE, related_name="agenda_items")
    order = models.PositiveSmallIntegerField("序号")
    title = models.CharField("议题", max_length=200)
    kind = models.CharField("议题类型", max_length=20, choices=Kind.choices, default=Kind.REPORT)
    reporting_organization = models.ForeignKey(Organization, verbose_name="报告单位", null=True, blank=True,
                                               on_delete=models.PROTECT, related_name="+")
    history = HistoricalRecords()

    class Meta:
        verbose_name = "会议议题"
        verbose_name_plural = "会议议题"
        ordering = ["meeting", "order"]
        constraints = [models.UniqueConstraint(fields=["meeting", "order"], name="agenda_order_in_meeting")]

    def __str__(self):
        return f"{self.order}. {self.title}"


class Appointment(models.Model):
    """人事任免 by the standing committee, with the steps the law and local practice add."""

    class Kind(models.TextChoices):
        APPOINT = "appoint", "任命"
        ELECT = "elect", "选举"
        REMOVE = "remove", "免职"
        APPROVE = "approve", "批准任命"
        RESIGN = "resign", "接受辞职"

    term = models.ForeignKey(Term, verbose_name="届", on_delete=models.PROTECT, related_name="appointments")
    meeting = models.ForeignKey(Meeting, verbose_name="决定会议", null=True, blank=True, on_delete=models.PROTECT,
                                related_name="appointments")
    person_name = models.CharField("姓名", max_length=30)
    kind = models.CharField("任免类型", max_length=10, choices=Kind.choices)
    position = models.CharField("职务", max_length=100)
    organization = models.ForeignKey(Organization, verbose_name="单位", on_delete=models.PROTECT,
                                     related_name="appointments")
    decided_on = models.DateField("决定日期")
    law_exam_score = models.PositiveSmallIntegerField("任前法律考试成绩", null=True, blank=True)
    law_exam_passed = models.BooleanField("任前法律考试合格", default=False)
    statement_made = models.BooleanField("已作表态发言", default=False)
    oath_taken_on = models.DateField("宪法宣誓日期", null=True, blank=True)
    certificate_number = models.CharField("任命书编号", max_length=40, blank=True)
    certificate_issued_on = models.DateField("颁发任命书日期", null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "人事任免"
        verbose_name_plural = "人事任免"
        ordering = ["-decided_on", "person_name"]

    def __str__(self):
        return f"{self.get_kind_display()}：{self.person_name}（{self.organization}{self.position}）"


class ExportRecord(models.Model):
    """Every export from the admin (docs/rules.md: every export of personal data is logged); append-only."""

    AUDIT_TIME_FIELD = "created_at"  # purged with the rest of the audit trail (congress.services.audit_purge_expired)

    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="导出人", on_delete=models.PROTECT, related_name="+")
    model_label = models.CharField("导出数据", max_length=100, help_text="如 deputies.deputy")
    row_count = models.PositiveIntegerField("行数")
    file_format = models.CharField("文件格式", max_length=10)
    personal_data = models.BooleanField("含身份证号码、手机号码全文", default=False)
    created_at = models.DateTimeField("导出时间", auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = "数据导出记录"
        verbose_name_plural = "数据导出记录"
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.user} 导出 {self.data_name} {self.row_count} 行"

    @property
    def data_name(self) -> str:
        """What was exported, as the admin names it (人大代表), not the model label (deputies.deputy)."""
        from django.apps import apps

        try:
            return str(apps.get_model(self.model_label)._meta.verbose_name_plural)
        except (LookupError, ValueError):
            return self.model_label


class Notification(models.Model):
    """An in-app message to one user (the bell), and the outbox of its e-mail and SMS copies. Services create them in
    the same transaction as the change they report; the copies are sent after commit by congress.lib.delivery, which
    claims each channel by setting its `*_sent_at` with a conditional update, so a retried or duplicated task never
    sends a copy twice. A send that raises clears the claim again and counts an attempt; a periodic sweep retries."""

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="接收人", on_delete=models.CASCADE,
                                  related_name="notifications")
    kind = models.CharField("类别", max_length=40, db_index=True)
    title = models.CharField("标题", max_length=200)
    body = models.TextField("内容", blank=True)
    url = models.CharField("链接", max_length=300, blank=True)
    created_at = models.DateTimeField("时间", auto_now_add=True)
    read_at = models.DateTimeField("已读时间", null=True, blank=True)
    email_sent_at = models.DateTimeField("邮件发送时间", null=True, blank=True)
    sms_sent_at = models.DateTimeField("短信发送时间", null=True, blank=True)
    delivery_attempts = models.PositiveSmallIntegerField("发送失败次数", default=0)
    delivery_error = models.CharField("最近一次发送错误", max_length=300, blank=True)

    class Meta:
        verbose_name = "站内通知"
        verbose_name_plural = "站内通知"
        ordering = ["-created_at", "-id"]
        indexes = [
            # the bell: a user's unread notifications, newest first
            models.Index(fields=["recipient", "read_at", "-created_at"], name="notification_inbox_idx"),
            # the outbox sweep (congress.lib.delivery.pending_ids): rows with a copy not yet sent, by age
            models.Index(fields=["created_at"], name="notification_outbox_idx",
                         condition=Q(email_sent_at__isnull=True) | Q(sms_sent_at__isnull=True)),
        ]

    def __str__(self):
        return self.title


class CalendarDay(models.Model):
    """A day that breaks the Monday–Friday rule: a public holiday, or a weekend made a working day (调休上班).
    Staff add next year's days each December from the State Council's notice (docs/rules.md)."""

    class Kind(models.TextChoices):
        HOLIDAY = "holiday", "法定节假日（休息）"
        WORKDAY = "workday", "调休上班"

    date = models.DateField("日期", unique=True)
    kind = models.CharField("类型", max_length=10, choices=Kind.choices)
    name = models.CharField("名称", max_length=30)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "节假日与调休"
        verbose_name_plural = "节假日与调休"
        ordering = ["date"]

    def __str__(self):
        return f"{self.date:%Y-%m-%d} {self.name}（{self.get_kind_display()}）"


class HolidaySchedule(models.Model):
    """A year whose official holiday schedule (the State Council's notice) is in the calendar. Deadlines that fall in a
    year without one are provisional (待定) and say so wherever they show; entering the schedule recomputes them
    (congress.services.holiday_schedule_enter)."""

    year = models.PositiveSmallIntegerField("年度", unique=True)
    source = models.TextField("录入内容", blank=True, help_text="粘贴的国务院办公厅通知正文或日期行")
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="录入人", null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    entered_at = models.DateTimeField("录入时间", default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "年度节假日安排"
        verbose_name_plural = "年度节假日安排"
        ordering = ["-year"]

    def __str__(self):
        return f"{self.year}年节假日安排"


class ReminderClaim(models.Model):
    """One row per reminder ever sent: (what, which threshold). A periodic scan claims a reminder by inserting
    its key; the unique constraint makes a second, concurrent scan fail to claim it, so nobody is reminded
    twice (two workers running the same beat task)."""

    key = models.CharField("提醒标识", max_length=120, unique=True, help_text="如 assignment:42:due-15")
    sent_at = models.DateTimeField("发送时间", auto_now_add=True)

    class Meta:
        verbose_name = "已发送提醒"
        verbose_name_plural = "已发送提醒"

    def __str__(self):
        return self.key


class StateChange(models.Model):
    """One step of a workflow (congress.lib.workflow): who moved which object from which state to which, when and why.
    The one kind of history every workflow writes, in the same transaction as the change; the timelines read it
    (by `thread`), and it is append-only. `actor` is empty for a voter's own steps (no account)."""

    workflow = models.CharField("流程", max_length=30)
    object_id = models.BigIntegerField("对象编号")
    thread = models.CharField("所属事项", max_length=60)
    action = models.CharField("环节", max_length=40)
    from_state = models.CharField("原状态", max_length=30, blank=True)
    to_state = models.CharField("新状态", max_length=30, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="操作人", null=True, blank=True,
                              on_delete=models.PROTECT, related_name="+")
    reason = models.TextField("说明", blank=True)
    at = models.DateTimeField("时间", default=timezone.now)

    class Meta:
        verbose_name = "办理记录"
        verbose_name_plural = "办理记录"
        ordering = ["id"]
        indexes = [
            # one object's history (the admin's inline, "did this happen already")
            models.Index(fields=["workflow", "object_id", "id"], name="statechange_object_idx"),
            # a timeline: a suggestion with its assignments' and co-signers' steps, oldest first
            models.Index(fields=["thread", "id"], name="statechange_thread_idx"),
            # a scan of one kind of step since a point in time (reports, notifications)
            models.Index(fields=["action", "at"], name="statechange_action_at_idx"),
        ]

    def __str__(self):
        return f"{timezone.localtime(self.at):%Y-%m-%d %H:%M} {self.action_label}"

    @property
    def _flow(self):
        from congress.lib.workflow import workflow_for

        return workflow_for(self.workflow)

    @property
    def workflow_label(self) -> str:
        flow = self._flow
        return flow.label if flow else self.workflow

    @property
    def action_label(self) -> str:
        flow = self._flow
        if flow and self.action in flow.transitions:
            return flow[self.action].label
        return self.action

    @property
    def from_label(self) -> str:
        flow = self._flow
        return flow.state_label(self.from_state) if flow else self.from_state

    @property
    def to_label(self) -> str:
        flow = self._flow
        return flow.state_label(self.to_state) if flow else self.to_state


class MonthlyReport(models.Model):
    """工作月报: the statistics of one month, built on the 1st of the next month (congress.tasks.monthly_report_build).
    Once published it is never recomputed: the page is drawn from the stored JSON, and the PDF, rendered once when the
    report is published, is kept as a private file (a later change of the template does not change a sent report)."""

    class State(models.TextChoices):
        BUILDING = "building", "生成中"
        PUBLISHED = "published", "已发布"
        FAILED = "failed", "生成失败"

    month = models.DateField("月份", unique=True, help_text="该月第一天")
    state = models.CharField("状态", max_length=10, choices=State.choices, default=State.BUILDING)
    snapshot = models.JSONField("统计数据", default=dict, blank=True, editable=False)
    data_taken_at = models.DateTimeField("数据截取时间", null=True, blank=True)
    pdf = uploads.PrivateFileField("月报文件（PDF）", kind="report", folder="reports/monthly", blank=True,
                                   view="admin:congress_monthlyreport_pdf")
    pdf_size = models.PositiveIntegerField("文件大小（字节）", null=True, blank=True)
    attempts = models.PositiveSmallIntegerField("生成次数", default=0)
    error = models.TextField("最近一次错误", blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    published_at = models.DateTimeField("发布时间", null=True, blank=True)

    class Meta:
        verbose_name = "工作月报"
        verbose_name_plural = "工作月报"
        ordering = ["-month"]

    def __str__(self):
        return f"{self.month.year}年{self.month.month}月工作月报"


class AnnualReportText(models.Model):
    """The staff's own narrative for one chapter of one year's annual work report, written before generating it."""

    year = models.PositiveSmallIntegerField("年度")
    # the chapters each app registers (congress.reports.registry), not a fixed list: a callable, so no migration
    chapter = models.CharField("章节", max_length=40, choices=chapter_choices, help_text="报告的章节（各模块登记的章节）")
    text = models.TextField("文字说明", help_text="本章开头的文字说明，空行分段")
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="编辑人", null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField("编辑时间", auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "年度报告文字说明"
        verbose_name_plural = "年度报告文字说明"
        ordering = ["-year", "chapter"]
        constraints = [models.UniqueConstraint(fields=["year", "chapter"], name="one_text_per_year_chapter")]

    def __str__(self):
        return f"{self.year}年 {dict(chapter_choices()).get(self.chapter, '章节已撤销')}"


class AnnualReportVersion(models.Model):
    """One generated version of a year's annual work report (年度工作报告): generated in the background with its progress
    stored here, kept with who asked for it and when; the PDF is a private file behind a permission check."""

    class State(models.TextChoices):
        QUEUED = "queued", "排队中"
        RUNNING = "running", "生成中"
        DONE = "done", "已生成"
        FAILED = "failed", "生成失败"

    FINISHED = (State.DONE, State.FAILED)

    year = models.PositiveSmallIntegerField("年度")
    state = models.CharField("状态", max_length=10, choices=State.choices, default=State.QUEUED)
    percent = models.PositiveSmallIntegerField("进度（%）", default=0)
    stage = models.CharField("当前步骤", max_length=60, blank=True)
    error = models.TextField("错误", blank=True)
    pdf = uploads.PrivateFileField("报告文件（PDF）", kind="report", folder="reports/annual", blank=True,
                                   view="admin:congress_annualreportversion_pdf")
    size = models.PositiveIntegerField("文件大小（字节）", null=True, blank=True)
    pages = models.PositiveSmallIntegerField("页数", null=True, blank=True)
    render_seconds = models.FloatField("生成用时（秒）", null=True, blank=True)
    data_taken_at = models.DateTimeField("数据截取时间", null=True, blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="生成人", null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField("申请时间", auto_now_add=True)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)

    class Meta:
        verbose_name = "年度工作报告"
        verbose_name_plural = "年度工作报告"
        ordering = ["-requested_at", "-id"]
        indexes = [
            # the admin's list of versions, newest first, per year
            models.Index(fields=["year", "-requested_at"], name="annual_report_by_year_idx"),
        ]

    def __str__(self):
        return f"{self.year}年度工作报告（第{self.pk}版）"
class ImportJob(models.Model):
    """A large spreadsheet import run by the worker (congress.lib.importexport): checked first (nothing written), then,
    once the person who uploaded it confirms, imported in one transaction — all rows or none. Its progress is in the
    cache while it runs; the row errors and counts stay here."""

    class State(models.TextChoices):
        CHECKING = "checking", "正在校验"
        CHECKED = "checked", "校验通过，待确认"
        INVALID = "invalid", "校验未通过"
        IMPORTING = "importing", "正在导入"
        DONE = "done", "导入完成"
        FAILED = "failed", "导入失败"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="导入人", on_delete=models.PROTECT, related_name="+")
    model_label = models.CharField("导入数据", max_length=100)
    file_name = models.CharField("文件名", max_length=255)
    stored_name = models.CharField("暂存文件", max_length=255)
    format_index = models.PositiveSmallIntegerField("格式")
    rows = models.PositiveIntegerField("数据行数", default=0)
    state = models.CharField("状态", max_length=10, choices=State.choices, default=State.CHECKING)
    totals = models.JSONField("统计", default=dict, blank=True)
    problems = models.JSONField("问题", default=list, blank=True)
    created_at = models.DateTimeField("上传时间", auto_now_add=True)
    confirmed_at = models.DateTimeField("确认时间", null=True, blank=True)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)

    class Meta:
        verbose_name = "后台导入任务"
        verbose_name_plural = "后台导入任务"
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.file_name}（{self.get_state_display()}）"

    @property
    def running(self) -> bool:
        return self.state in (self.State.CHECKING, self.State.IMPORTING)


# Official letters live in their own module (congress/letters/); importing them here makes them congress models.
from congress.letters.models import LetterCounter, LetterKind, OfficialLetter  # noqa: E402,F401
