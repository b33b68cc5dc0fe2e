"""议案 and 建议、批评和意见 with their whole handling lifecycle (docs/architecture.md "The suggestion lifecycle").

Numbering (交办编号): a suggestion is numbered within its batch when staff register it. A batch is either one
congress session (`区十七届人大二次会议第0123号`) or one calendar year of the term's recess
(`区十七届人大常委会2026年闭会期间第0012号`: the year is in the number so numbers of different recess years
never read the same). `batch_key` holds "s<session id>" or "r<term id>-<year>" and (batch_key, serial) is unique.

Every state is changed by one function in proposals/services/, through the workflows declared in
proposals/workflows.py; nothing here holds a rule."""
from django.conf import settings
from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords

from congress.lib import uploads
from congress.lib.cn import chinese_number
from congress.lib.workflow import WorkflowModel
from congress.models import CongressSession, Organization, Term


def validate_pdf(file) -> None:
    """Kept for the migrations that name it: a reply letter is checked as congress.lib.uploads' "letter" kind."""
    uploads.check(file, "letter")


class SuggestionCategory(models.Model):
    """建议分类, a table staff maintain (城乡建设, 教育, 医疗卫生 …)."""

    name = models.CharField("名称", max_length=30, unique=True)
    sort_order = models.PositiveSmallIntegerField("排序", default=100)
    is_active = models.BooleanField("启用", default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "建议分类"
        verbose_name_plural = "建议分类"
        ordering = ["sort_order", "name"]

    def __str__(self):
        return self.name


class Proposal(WorkflowModel, models.Model):
    """议案: from a delegation or at least PROPOSAL_MIN_DEPUTIES deputies; the presidium places it on the agenda
    or has it handled as a suggestion. An accepted proposal is supervised one year and followed two more."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", "待主席团决定"
        ON_AGENDA = "on_agenda", "已列入会议议程"
        CONVERTED = "converted", "已转为建议"


    session = models.ForeignKey(CongressSession, verbose_name="人代会会议", on_delete=models.PROTECT,
                                related_name="proposals")
    serial = models.PositiveIntegerField("议案号")
    title = models.CharField("案由", max_length=200)
    content = models.TextField("案据和方案")
    delegation = models.ForeignKey("deputies.Delegation", verbose_name="提出代表团", null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="proposals")
    signers = models.ManyToManyField("deputies.Deputy", verbose_name="联名代表", blank=True, related_name="proposals")
    lead_deputy = models.ForeignKey("deputies.Deputy", verbose_name="领衔代表", null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="led_proposals")
    status = models.CharField("状态", max_length=12, choices=Status.choices, default=Status.SUBMITTED, db_index=True)
    decided_on = models.DateField("主席团决定日期", null=True, blank=True)
    decision_note = models.TextField("决定说明", blank=True)
    supervision_until = models.DateField("督办截止", null=True, blank=True)
    follow_until = models.DateField("跟踪截止", null=True, blank=True)
    created_at = models.DateTimeField("登记时间", auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "议案"
        verbose_name_plural = "议案"
        ordering = ["-session__start_date", "serial"]
        constraints = [models.UniqueConstraint(fields=["session", "serial"], name="proposal_serial_in_session")]

    def __str__(self):
        return f"第{self.serial}号议案：{self.title}"


class Suggestion(WorkflowModel, models.Model):
    """建议、批评和意见 of a lead deputy (领衔代表) and co-signers (附议代表)."""

    class Status(models.TextChoices):
        DRAFT = "draft", "草稿"
        PRESUBMITTED = "presubmitted", "预提交（待镇街审核）"
        TOWN_RETURNED = "town_returned", "镇街退回修改"
        SUBMITTED = "submitted", "已提交"
        REGISTERED = "registered", "已登记"
        RETURNED = "returned", "已退回"
        MERGED = "merged", "已并案"
        ASSIGNED = "assigned", "已交办"
        HANDLING = "handling", "办理中"
        REPLIED = "replied", "已答复"
        REHANDLING = "rehandling", "重新办理"
        CLOSED = "closed", "已办结"

    # states in which the item is with the handling units (for lists and rates)
    IN_HANDLING = (Status.ASSIGNED, Status.HANDLING, Status.REPLIED, Status.REHANDLING, Status.CLOSED)

    term = models.ForeignKey(Term, verbose_name="届", on_delete=models.PROTECT, related_name="suggestions")
    session = models.ForeignKey(CongressSession, verbose_name="人代会会议", null=True, blank=True,
                                on_delete=models.PROTECT, related_name="suggestions",
                                help_text="大会期间提出的填写；闭会期间提出的留空并填写闭会年度")
    recess_year = models.PositiveSmallIntegerField("闭会期间年度", null=True, blank=True)
    batch_key = models.CharField("编号批次", max_length=20, editable=False, db_index=True)
    serial = models.PositiveIntegerField("序号", null=True, blank=True)
    number = models.CharField("建议编号", max_length=60, blank=True, db_index=True)
    title = models.CharField("标题", max_length=200)
    content = models.TextField("内容")
    category = models.ForeignKey(SuggestionCategory, verbose_name="分类", null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="suggestions")
    lead_deputy = models.ForeignKey("deputies.Deputy", verbose_name="领衔代表", on_delete=models.PROTECT,
                                    related_name="led_suggestions")
    town = models.ForeignKey(Organization, verbose_name="预提交审核镇街", null=True, blank=True,
                             on_delete=models.PROTECT, related_name="presubmitted_suggestions",
                             limit_choices_to={"kind__in": Organization.TOWN_KINDS})
    town_comment = models.TextField("镇街审核意见", blank=True)
    status = models.CharField("状态", max_length=14, choices=Status.choices, default=Status.DRAFT)
    is_hard = models.BooleanField("涉及面广、处理难度大（6个月答复）", default=False)
    return_reason = models.TextField("退回理由", blank=True)
    merged_into = models.ForeignKey("self", verbose_name="并入建议", null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="merged_suggestions")
    from_proposal = models.OneToOneField(Proposal, verbose_name="由议案转来", null=True, blank=True,
                                         on_delete=models.PROTECT, related_name="suggestion")
    # 重点督办
    is_priority = models.BooleanField("重点督办", default=False)
    supervising_leader = models.CharField("督办领导", max_length=60, blank=True)
    government_official = models.CharField("政府牵头领导", max_length=60, blank=True)
    supervising_body = models.ForeignKey(Organization, verbose_name="督办工作机构", null=True, blank=True,
                                         on_delete=models.PROTECT, related_name="supervised_suggestions",
                                         limit_choices_to={"kind": Organization.Kind.WORKING_BODY})
    priority_assessment = models.TextField("督办绩效评估", blank=True)
    submitted_at = models.DateTimeField("提交时间", null=True, blank=True)
    registered_at = models.DateTimeField("登记时间", null=True, blank=True)
    assigned_on = models.DateField("交办日期", null=True, blank=True)
    closed_at = models.DateTimeField("办结时间", null=True, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "代表建议"
        verbose_name_plural = "代表建议"
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(fields=["batch_key", "serial"], condition=Q(serial__isnull=False),
                                    name="suggestion_serial_in_batch"),
            models.CheckConstraint(condition=Q(session__isnull=False) | Q(recess_year__isnull=False),
                                   name="suggestion_has_batch"),
        ]
        indexes = [
            # the staff change list: one batch's suggestions by state
            models.Index(fields=["batch_key", "status"], name="suggestion_batch_status_idx"),
            # a deputy's own suggestions, newest first
            models.Index(fields=["lead_deputy", "-created_at"], name="suggestion_by_deputy_idx"),
            # town staff: their towns' pre-submissions
            models.Index(fields=["town", "status"], name="suggestion_town_review_idx"),
        ]

    def __str__(self):
        return f"{self.number or '（未编号）'} {self.title}"

    def save(self, *args, **kwargs):
        self.batch_key = self.compute_batch_key()
        if self.batch_key and "update_fields" in kwargs and kwargs["update_fields"] is not None:
            kwargs["update_fields"] = list({*kwargs["update_fields"], "batch_key"})
        super().save(*args, **kwargs)

    def compute_batch_key(self) -> str:
        if self.session_id:
            return f"s{self.session_id}"
        return f"r{self.term_id}-{self.recess_year}"

    @staticmethod
    def parse_batch_key(key: str) -> tuple | None:
        """compute_batch_key read back: ("session", session id), ("recess", term id, year or None), or None."""
        if key.startswith("s") and key[1:].isdigit():
            return ("session", int(key[1:]))
        if key.startswith("r") and "-" in key:
            term, _, year = key[1:].partition("-")
            if term.isdigit():
                return ("recess", int(term), int(year) if year.isdigit() else None)
        return None

    def batch_label(self) -> str:
        if self.session_id:
            return str(self.session)
        return f"区{chinese_number(self.term.number)}届人大常委会{self.recess_year}年闭会期间"

    def format_number(self, serial: int) -> str:
        return f"{self.batch_label()}第{serial:04d}号"

    @property
    def replying_roles(self):
        return (Assignment.Role.LEAD, Assignment.Role.SEPARATE)


class Cosignature(WorkflowModel, models.Model):
    """附议: a deputy invited by the lead deputy, who confirms online."""

    class Status(models.TextChoices):
        INVITED = "invited", "待确认"
        CONFIRMED = "confirmed", "已确认"
        DECLINED = "declined", "已谢绝"

    suggestion = models.ForeignKey(Suggestion, verbose_name="建议", on_delete=models.CASCADE, related_name="cosignatures")
    deputy = models.ForeignKey("deputies.Deputy", verbose_name="附议代表", on_delete=models.PROTECT,
                               related_name="cosignatures")
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.INVITED)
    invited_at = models.DateTimeField("邀请时间", auto_now_add=True)
    responded_at = models.DateTimeField("确认时间", null=True, blank=True)

    class Meta:
        verbose_name = "附议代表"
        verbose_name_plural = "附议代表"
        constraints = [models.UniqueConstraint(fields=["suggestion", "deputy"], name="one_cosignature_per_deputy")]
        indexes = [
            # a deputy's co-signed suggestions (their list in the portal)
            models.Index(fields=["deputy", "status"], name="cosignature_by_deputy_idx"),
        ]

    def __str__(self):
        return f"{self.deputy}（{self.get_status_display()}）"


class SuggestionAttachment(models.Model):
    suggestion = models.ForeignKey(Suggestion, verbose_name="建议", on_delete=models.CASCADE, related_name="attachments")
    file = uploads.PrivateFileField("附件", kind="attachment", folder="suggestions/attachments", view="proposals:attachment")
    name = models.CharField("文件名", max_length=200, blank=True)
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)

    class Meta:
        verbose_name = "建议附件"
        verbose_name_plural = "建议附件"

    def __str__(self):
        return self.name or self.file.name


class AssignmentQuerySet(models.QuerySet):
    """The one definition of an open assignment and of its current deadline, for every list, filter, scan and rate."""

    def open(self):
        """Still owed by its unit: not yet replied (or, assisting, no opinion sent), nor sent back. A pending send-back
        request keeps it open: the deadline runs until staff release the unit."""
        return self.filter(status__in=Assignment.OPEN)

    def with_current_due(self):
        return self.annotate(current_due=current_due_expression())

    def overdue(self, today):
        return self.open().with_current_due().filter(current_due__lt=today)


def current_due_expression(prefix: str = ""):
    """SQL for Assignment.current_due_date (`prefix` = "assignments__" from a suggestion): the second deadline while
    re-handling after 不满意, else the extended one, else the first."""
    from django.db.models import Case, F, When
    from django.db.models.functions import Coalesce

    # the lookups in the order a migration writes them: assignment_open_due_idx is this expression, and Django compares
    # a When's lookups in their given order (the SQL is the same either way)
    return Case(When(**{f"{prefix}second_due_date__isnull": False, f"{prefix}status": "rehandling"},
                     then=F(f"{prefix}second_due_date")),
                default=Coalesce(f"{prefix}extended_due_date", f"{prefix}due_date"))


class Assignment(WorkflowModel, models.Model):
    """交办: one suggestion to one unit in one role, with its stored deadlines."""

    class Role(models.TextChoices):
        LEAD = "lead", "主办"
        ASSISTING = "assisting", "协办（会办）"
        SEPARATE = "separate", "分办"

    class Status(models.TextChoices):
        ASSIGNED = "assigned", "已交办"
        SEND_BACK_REQUESTED = "send_back_requested", "申请退回"
        SENT_BACK = "sent_back", "已退回"
        HANDLING = "handling", "办理中"
        OPINION_SENT = "opinion_sent", "已提出会办意见"
        RELEASED = "released", "免于会办"
        REPLIED = "replied", "已答复"
        REHANDLING = "rehandling", "重新办理"

    ACTIVE = (Status.ASSIGNED, Status.SEND_BACK_REQUESTED, Status.HANDLING, Status.OPINION_SENT, Status.RELEASED,
              Status.REPLIED, Status.REHANDLING)
    # owed by the unit (AssignmentQuerySet.open)
    OPEN = (Status.ASSIGNED, Status.SEND_BACK_REQUESTED, Status.HANDLING, Status.REHANDLING)

    class Result(models.TextChoices):
        A = "A", "A类 已经解决或者基本解决"
        B = "B", "B类 正在解决或者列入规划逐步解决"
        C = "C", "C类 因目前条件限制或者其他原因需待以后解决"
        D = "D", "D类 留作参考"

    suggestion = models.ForeignKey(Suggestion, verbose_name="建议", on_delete=models.CASCADE, related_name="assignments")
    unit = models.ForeignKey(Organization, verbose_name="承办单位", on_delete=models.PROTECT, related_name="assignments",
                             limit_choices_to={"is_handling_unit": True})
    role = models.CharField("承办方式", max_length=10, choices=Role.choices)
    status = models.CharField("状态", max_length=20, choices=Status.choices, default=Status.ASSIGNED)
    assigned_on = models.DateField("交办日期")
    due_date = models.DateField("答复期限")
    due_explanation = models.CharField("期限计算说明", max_length=300, blank=True)
    send_back_until = models.DateField("申请退回截止")
    send_back_reason = models.TextField("申请退回理由", blank=True)
    send_back_requested_at = models.DateTimeField("申请退回时间", null=True, blank=True)
    send_back_decision_note = models.TextField("退回申请处理意见", blank=True)
    extended_due_date = models.DateField("延期后答复期限", null=True, blank=True)
    second_due_date = models.DateField("再次答复期限", null=True, blank=True)
    first_replied_on = models.DateField("首次答复日期", null=True, blank=True)
    result = models.CharField("办理结果", max_length=1, choices=Result.choices, blank=True)
    followup_solved = models.BooleanField("续办已落实", default=False)
    history = HistoricalRecords()

    objects = AssignmentQuerySet.as_manager()

    class Meta:
        verbose_name = "交办"
        verbose_name_plural = "交办"
        ordering = ["suggestion", "role", "id"]
        constraints = [
            models.UniqueConstraint(fields=["suggestion", "unit"], condition=~Q(status="sent_back"),
                                    name="one_active_assignment_per_unit"),
            models.UniqueConstraint(fields=["suggestion"], condition=Q(role="lead") & ~Q(status="sent_back"),
                                    name="one_lead_unit"),
        ]
        indexes = [
            # the unit inbox filtered by a status (已答复, 已提出会办意见 …): a unit's items of one status by their current
            # deadline (current_due_expression), so the first page is read in order and joined for its 30 rows, not
            # every item of that status joined and sorted (916 replied items of one unit: 19 -> 0.8 ms). It took the
            # place of (unit, status, due_date), whose due_date no query ordered or filtered by
            models.Index(F("unit"), F("status"), current_due_expression(), F("id"), name="assignment_unit_status_due_idx"),
            # the open items by their current deadline (current_due_expression), covering what both read: the unit
            # inbox's first page (ordered by unit, deadline, id: the LIMIT stops after 30 rows instead of joining and
            # sorting every open item) and the leaders' overdue list, whose per-organ counts and merged page read it
            # index-only instead of scanning every assignment (5.7 → 0.7 ms each at province scale). The statuses are
            # Assignment.OPEN (a test keeps them equal: the planner uses the index only when the query's filter is it)
            models.Index(F("unit"), current_due_expression(), F("id"), name="assignment_open_due_idx",
                         include=["status", "second_due_date", "extended_due_date", "due_date"],
                         condition=Q(status__in=["assigned", "send_back_requested", "handling", "rehandling"])),
        ]

    def __str__(self):
        return f"{self.suggestion.number or self.suggestion.title} → {self.unit}（{self.get_role_display()}）"

    @property
    def current_due_date(self):
        """The deadline that applies now (current_due_expression is the same rule in SQL; a test keeps them equal)."""
        if self.status == self.Status.REHANDLING and self.second_due_date:
            return self.second_due_date
        return self.extended_due_date or self.due_date

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN

    @property
    def is_replying(self) -> bool:
        return self.role in (self.Role.LEAD, self.Role.SEPARATE)


class ContactRecord(models.Model):
    """Contact between the unit and the deputy: before, during and after handling ("三见面")."""

    class Stage(models.TextChoices):
        BEFORE = "before", "办前"
        DURING = "during", "办中"
        AFTER = "after", "办后"

    class Method(models.TextChoices):
        MEETING = "meeting", "当面沟通"
        SITE = "site", "现场察看"
        PHONE = "phone", "电话"
        OTHER = "other", "其他"

    assignment = models.ForeignKey(Assignment, verbose_name="交办", on_delete=models.CASCADE, related_name="contacts")
    stage = models.CharField("阶段", max_length=10, choices=Stage.choices)
    method = models.CharField("方式", max_length=10, choices=Method.choices, default=Method.MEETING)
    date = models.DateField("日期")
    summary = models.TextField("沟通情况")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="登记人", on_delete=models.PROTECT,
                                    related_name="+")
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "沟通联系记录"
        verbose_name_plural = "沟通联系记录"
        ordering = ["assignment", "date", "id"]

    def __str__(self):
        return f"{self.get_stage_display()} {self.date:%Y-%m-%d}"


class AssistOpinion(models.Model):
    """会办意见: an assisting unit's opinion, sent to the lead unit before it replies."""

    assignment = models.OneToOneField(Assignment, verbose_name="协办交办", on_delete=models.CASCADE,
                                      related_name="assist_opinion")
    content = models.TextField("会办意见")
    attachment = uploads.PrivateFileField("附件", kind="attachment", folder="suggestions/opinions",
                                          view="proposals:opinion_attachment", blank=True)
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="发送人", on_delete=models.PROTECT, related_name="+")
    sent_at = models.DateTimeField("发送时间", auto_now_add=True)

    class Meta:
        verbose_name = "会办意见"
        verbose_name_plural = "会办意见"

    def __str__(self):
        return f"{self.assignment.unit} 会办意见"


class Reply(models.Model):
    """答复: the unit's signed letter (PDF) with a result category."""

    assignment = models.ForeignKey(Assignment, verbose_name="交办", on_delete=models.CASCADE, related_name="replies")
    letter = uploads.PrivateFileField("答复函（PDF）", kind="letter", folder="suggestions/replies", view="proposals:reply_letter")
    summary = models.TextField("答复摘要", blank=True)
    result = models.CharField("办理结果", max_length=1, choices=Assignment.Result.choices)
    publishable = models.BooleanField("可公开", default=False)
    is_second_reply = models.BooleanField("再次答复", default=False)
    replied_on = models.DateField("答复日期")
    replied_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="答复人", on_delete=models.PROTECT,
                                   related_name="+")
    published_at = models.DateTimeField("公开时间", null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "答复"
        verbose_name_plural = "答复"
        ordering = ["assignment", "replied_on", "id"]
        constraints = [models.UniqueConstraint(fields=["assignment", "is_second_reply"], name="one_reply_per_round")]
        indexes = [
            # the public page (/replies/): published replies, newest first — the first page is read from this index
            # instead of sorting every published reply (province scale: 82 ms → 0.5 ms)
            models.Index(fields=["-replied_on", "-id"], name="reply_published_newest_idx",
                         condition=Q(published_at__isnull=False)),
        ]

    def __str__(self):
        return f"{self.assignment.unit} {'再次' if self.is_second_reply else ''}答复（{self.result}类）"


class Evaluation(models.Model):
    """满意度评价 of one reply by one deputy (the lead deputy or a confirmed co-signer)."""

    class Rating(models.TextChoices):
        SATISFIED = "satisfied", "满意"
        BASICALLY = "basically", "基本满意"
        UNSATISFIED = "unsatisfied", "不满意"

    class Source(models.TextChoices):
        ONLINE = "online", "网上评价"
        PAPER = "paper", "纸质征询意见表"

    reply = models.ForeignKey(Reply, verbose_name="答复", on_delete=models.CASCADE, related_name="evaluations")
    deputy = models.ForeignKey("deputies.Deputy", verbose_name="评价代表", on_delete=models.PROTECT,
                               related_name="evaluations")
    rating = models.CharField("评价", max_length=12, choices=Rating.choices)
    comment = models.TextField("意见", blank=True)
    source = models.CharField("来源", max_length=10, choices=Source.choices, default=Source.ONLINE)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="录入人", on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField("评价时间", auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "办理评价"
        verbose_name_plural = "办理评价"
        ordering = ["reply", "id"]
        constraints = [models.UniqueConstraint(fields=["reply", "deputy"], name="one_evaluation_per_deputy")]

    def __str__(self):
        return f"{self.deputy}：{self.get_rating_display()}"


class Extension(models.Model):
    """延期: an approved extension of an assignment's reply deadline (at most MAX_EXTENSION_MONTHS)."""

    assignment = models.ForeignKey(Assignment, verbose_name="交办", on_delete=models.CASCADE, related_name="extensions")
    months = models.PositiveSmallIntegerField("延期月数")
    old_due_date = models.DateField("原答复期限")
    new_due_date = models.DateField("新答复期限")
    explanation = models.CharField("期限计算说明", max_length=300, blank=True)
    reason = models.TextField("延期理由")
    granted_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="批准人", on_delete=models.PROTECT,
                                   related_name="+")
    granted_at = models.DateTimeField("批准时间", auto_now_add=True)

    class Meta:
        verbose_name = "延期"
        verbose_name_plural = "延期"
        ordering = ["-granted_at"]

    def __str__(self):
        return f"{self.assignment} 延期{self.months}个月"


class SupervisionEvent(models.Model):
    """重点督办 on-site supervision (现场督办)."""

    suggestion = models.ForeignKey(Suggestion, verbose_name="建议", on_delete=models.CASCADE,
                                   related_name="supervision_events")
    date = models.DateField("日期")
    place = models.CharField("地点", max_length=120, blank=True)
    participants = models.CharField("参加人员", max_length=300, blank=True)
    description = models.TextField("督办情况")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="登记人", on_delete=models.PROTECT,
                                    related_name="+")

    class Meta:
        verbose_name = "现场督办"
        verbose_name_plural = "现场督办"
        ordering = ["-date", "-id"]

    def __str__(self):
        return f"{self.date:%Y-%m-%d} {self.place}"


class FollowUpReport(models.Model):
    """续办: a unit's yearly progress on a B/C item, until it reports the item solved."""

    assignment = models.ForeignKey(Assignment, verbose_name="交办", on_delete=models.CASCADE, related_name="followups")
    year = models.PositiveSmallIntegerField("年度")
    progress = models.TextField("落实进展")
    solved = models.BooleanField("已解决", default=False)
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="报告人", on_delete=models.PROTECT,
                                    related_name="+")
    reported_at = models.DateTimeField("报告时间", auto_now_add=True)

    class Meta:
        verbose_name = "续办报告"
        verbose_name_plural = "续办报告"
        ordering = ["assignment", "year"]
        constraints = [models.UniqueConstraint(fields=["assignment", "year"], name="one_followup_per_year")]

    def __str__(self):
        return f"{self.assignment} {self.year}年续办"


class SuggestionVector(models.Model):
    """A suggestion's character bigrams (title weighted 3×, content 1×), kept so finding similar suggestions does not
    re-read and re-split every text of the term each time (proposals.services.similar)."""

    suggestion = models.OneToOneField(Suggestion, verbose_name="建议", primary_key=True, on_delete=models.CASCADE,
                                      related_name="vector")
    term = models.ForeignKey(Term, verbose_name="届", on_delete=models.CASCADE, related_name="+")
    grams = models.JSONField("二元字组", default=dict)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "建议文本特征"
        verbose_name_plural = "建议文本特征"


class SimilarMatch(models.Model):
    """One of a suggestion's most similar suggestions of its term, with its score, computed in the background when the
    suggestion is submitted and refreshed nightly; the admin page and the merge form read these rows."""

    suggestion = models.ForeignKey(Suggestion, verbose_name="建议", on_delete=models.CASCADE, related_name="similar_matches")
    other = models.ForeignKey(Suggestion, verbose_name="相似建议", on_delete=models.CASCADE, related_name="+")
    score = models.FloatField("相似度")
    computed_at = models.DateTimeField("计算时间", auto_now=True)

    class Meta:
        verbose_name = "相似建议"
        verbose_name_plural = "相似建议"
        ordering = ["suggestion", "-score", "other"]
        constraints = [models.UniqueConstraint(fields=["suggestion", "other"], name="one_match_per_pair")]


class SessionArchive(models.Model):
    """The archive of one congress session as one PDF with bookmarks: every suggestion of the session with its units,
    replies and ratings (proposals/services/archive.py). Built in a Celery worker; every build is kept with who asked
    for it and when, and a failed build keeps its error."""

    class Status(models.TextChoices):
        PENDING = "pending", "排队中"
        RUNNING = "running", "生成中"
        DONE = "done", "已生成"
        FAILED = "failed", "生成失败"

    session = models.ForeignKey(CongressSession, verbose_name="人代会会议", on_delete=models.PROTECT,
                                related_name="archives")
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.PENDING)
    file = uploads.PrivateFileField("档案（PDF）", kind="letter", folder="archives", view="proposals:session_archive_file",
                                    blank=True)
    suggestion_count = models.PositiveIntegerField("建议件数", null=True, blank=True)
    error = models.CharField("错误", max_length=300, blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="生成人", on_delete=models.PROTECT,
                                     related_name="+")
    requested_at = models.DateTimeField("申请时间", auto_now_add=True)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)

    class Meta:
        verbose_name = "会议建议档案"
        verbose_name_plural = "会议建议档案"
        ordering = ["-requested_at", "-id"]

    def __str__(self):
        return f"{self.session}建议档案（{self.get_status_display()}）"
