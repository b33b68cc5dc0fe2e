"""Deputies (a person) and their mandates (a seat at one level in one term), groups and duty activities."""
from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from congress.lib import uploads
from congress.lib.idcard import mask_id_number, mask_phone, validate_id_number
from congress.lib.workflow import WorkflowModel
from congress.models import Organization, Term

TOWN_LIMIT = {"kind__in": Organization.TOWN_KINDS}


class Constituency(models.Model):
    """选区: where a deputy was elected, always inside one town or street."""

    term = models.ForeignKey(Term, verbose_name="届", on_delete=models.PROTECT, related_name="constituencies")
    level = models.CharField("层级", max_length=10, choices=[("district", "区级"), ("town", "镇级")], default="district")
    number = models.PositiveSmallIntegerField("选区号")
    name = models.CharField("选区名称", max_length=100)
    town = models.ForeignKey(Organization, verbose_name="所在镇街", on_delete=models.PROTECT,
                             limit_choices_to=TOWN_LIMIT, related_name="constituencies")
    seats = models.PositiveSmallIntegerField("应选代表名额", default=1)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "选区"
        verbose_name_plural = "选区"
        ordering = ["term", "level", "number"]
        constraints = [models.UniqueConstraint(fields=["term", "level", "number"], name="constituency_number")]
        indexes = [models.Index(fields=["term", "name"], name="constituency_term_name")]  # the roster import's lookup

    def __str__(self):
        return f"{self.name}（第{self.number}选区）"


class Delegation(models.Model):
    """代表团: deputies grouped for a congress session, usually by town."""

    term = models.ForeignKey(Term, verbose_name="届", on_delete=models.PROTECT, related_name="delegations")
    name = models.CharField("代表团名称", max_length=50)
    town = models.ForeignKey(Organization, verbose_name="镇街", null=True, blank=True, on_delete=models.PROTECT,
                             limit_choices_to=TOWN_LIMIT, related_name="delegations")
    history = HistoricalRecords()

    class Meta:
        verbose_name = "代表团"
        verbose_name_plural = "代表团"
        ordering = ["term", "name"]
        constraints = [models.UniqueConstraint(fields=["term", "name"], name="delegation_name_in_term")]

    def __str__(self):
        return self.name


class Deputy(models.Model):
    """人大代表: the person. Seats are Mandates; one person may hold seats at several levels."""

    class Gender(models.TextChoices):
        MALE = "M", "男"
        FEMALE = "F", "女"

    class Party(models.TextChoices):
        CPC = "cpc", "中共党员"
        CPC_PROBATION = "cpc_probation", "中共预备党员"
        RCCK = "rcck", "民革党员"
        CDL = "cdl", "民盟盟员"
        CNDCA = "cndca", "民建会员"
        CAPD = "capd", "民进会员"
        CPWDP = "cpwdp", "农工党党员"
        CZGP = "czgp", "致公党党员"
        JS = "js", "九三学社社员"
        TDSL = "tdsl", "台盟盟员"
        NONPARTISAN = "nonpartisan", "无党派人士"
        MASSES = "masses", "群众"

    class Education(models.TextChoices):
        POSTGRADUATE = "postgraduate", "研究生"
        UNIVERSITY = "university", "大学本科"
        COLLEGE = "college", "大学专科"
        SECONDARY = "secondary", "中专"
        HIGH_SCHOOL = "high_school", "高中及以下"

    class Occupation(models.TextChoices):
        OFFICIAL = "official", "党政机关负责人"
        ENTERPRISE = "enterprise", "企业负责人"
        PROFESSIONAL = "professional", "专业技术人员"
        WORKER = "worker", "一线工人"
        FARMER = "farmer", "农民"
        GRASSROOTS = "grassroots", "基层干部"
        MILITARY = "military", "解放军和武警"
        OTHER = "other", "其他"

    full_name = models.CharField("姓名", max_length=30, db_index=True)
    gender = models.CharField("性别", max_length=1, choices=Gender.choices)
    ethnicity = models.CharField("民族", max_length=20, default="汉族")
    birth_date = models.DateField("出生日期", null=True, blank=True)
    party = models.CharField("政治面貌", max_length=20, choices=Party.choices, default=Party.MASSES)
    education = models.CharField("学历", max_length=20, choices=Education.choices, blank=True)
    workplace = models.CharField("工作单位", max_length=100, blank=True)
    job_title = models.CharField("职务职称", max_length=100, blank=True)
    occupation = models.CharField("代表构成", max_length=20, choices=Occupation.choices, default=Occupation.OTHER)
    phone = models.CharField("手机号码", max_length=20, blank=True)
    id_number = models.CharField("身份证号码", max_length=18, unique=True, validators=[validate_id_number])
    photo = uploads.PrivateFileField("照片", kind="photo", folder="deputies/photos", view="portal:deputy_photo", blank=True)
    town = models.ForeignKey(Organization, verbose_name="所属镇街", on_delete=models.PROTECT,
                             limit_choices_to=TOWN_LIMIT, related_name="deputies",
                             help_text="镇街人大工作人员只能查看、编辑本镇街的代表")
    user = models.OneToOneField(settings.AUTH_USER_MODEL, verbose_name="登录账号", null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="deputy")
    history = HistoricalRecords()

    class Meta:
        verbose_name = "人大代表"
        verbose_name_plural = "人大代表"
        ordering = ["full_name", "id"]
        permissions = [("view_personal_data", "查看代表身份证号码和手机号码全文")]

    def __str__(self):
        return self.full_name

    @property
    def id_number_masked(self) -> str:
        return mask_id_number(self.id_number)

    @property
    def phone_masked(self) -> str:
        return mask_phone(self.phone)


class Mandate(models.Model):
    """One seat: a deputy at one of the five levels in one term."""

    class Level(models.TextChoices):
        NATIONAL = "national", "全国人大代表"
        PROVINCIAL = "provincial", "省人大代表"
        CITY = "city", "市人大代表"
        DISTRICT = "district", "区人大代表"
        TOWN = "town", "镇人大代表"

    class Status(models.TextChoices):
        SERVING = "serving", "在任"
        SUSPENDED = "suspended", "暂停执行代表职务"
        ENDED = "ended", "代表资格终止"

    deputy = models.ForeignKey(Deputy, verbose_name="代表", on_delete=models.CASCADE, related_name="mandates")
    level = models.CharField("代表层级", max_length=12, choices=Level.choices, db_index=True)
    term = models.ForeignKey(Term, verbose_name="届", null=True, blank=True, on_delete=models.PROTECT,
                             related_name="mandates", help_text="区级、镇级代表填写；上级代表可留空并填写届别说明")
    term_label = models.CharField("届别说明", max_length=30, blank=True, help_text="如：第十四届")
    constituency = models.ForeignKey(Constituency, verbose_name="选区", null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="mandates")
    delegation = models.ForeignKey(Delegation, verbose_name="代表团", null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="mandates")
    status = models.CharField("状态", max_length=12, choices=Status.choices, default=Status.SERVING, db_index=True)
    start_date = models.DateField("开始日期")
    end_date = models.DateField("终止日期", null=True, blank=True)
    end_reason = models.CharField("终止原因", max_length=200, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "代表资格"
        verbose_name_plural = "代表资格"
        ordering = ["deputy", "level"]
        constraints = [
            models.UniqueConstraint(fields=["deputy", "level", "term"], name="one_mandate_per_level_term"),
        ]
        indexes = [
            # the roster: serving deputies of one level in the current term
            models.Index(fields=["term", "level", "status"], name="mandate_roster_idx"),
        ]

    def __str__(self):
        return f"{self.deputy} · {self.get_level_display()}"


class DeputyGroup(models.Model):
    """代表小组 (by place) or 专业代表小组 (by profession)."""

    class Kind(models.TextChoices):
        REGIONAL = "regional", "代表小组"
        PROFESSIONAL = "professional", "专业代表小组"

    term = models.ForeignKey(Term, verbose_name="届", on_delete=models.PROTECT, related_name="deputy_groups")
    name = models.CharField("名称", max_length=60)
    kind = models.CharField("类型", max_length=15, choices=Kind.choices, default=Kind.REGIONAL)
    town = models.ForeignKey(Organization, verbose_name="镇街", null=True, blank=True, on_delete=models.PROTECT,
                             limit_choices_to=TOWN_LIMIT, related_name="deputy_groups")
    working_body = models.ForeignKey(Organization, verbose_name="对口工作机构", null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="professional_groups",
                                     limit_choices_to={"kind": Organization.Kind.WORKING_BODY})
    members = models.ManyToManyField(Deputy, verbose_name="成员", through="DeputyGroupMembership",
                                     related_name="deputy_groups")
    history = HistoricalRecords()

    class Meta:
        verbose_name = "代表小组"
        verbose_name_plural = "代表小组"
        ordering = ["term", "kind", "name"]
        constraints = [models.UniqueConstraint(fields=["term", "name"], name="deputy_group_name_in_term")]

    def __str__(self):
        return self.name


class DeputyGroupMembership(models.Model):
    class Role(models.TextChoices):
        LEADER = "leader", "组长"
        DEPUTY_LEADER = "deputy_leader", "副组长"
        MEMBER = "member", "成员"

    group = models.ForeignKey(DeputyGroup, verbose_name="代表小组", on_delete=models.CASCADE, related_name="memberships")
    deputy = models.ForeignKey(Deputy, verbose_name="代表", on_delete=models.CASCADE, related_name="group_memberships")
    role = models.CharField("职务", max_length=15, choices=Role.choices, default=Role.MEMBER)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "小组成员"
        verbose_name_plural = "小组成员"
        constraints = [models.UniqueConstraint(fields=["group", "deputy"], name="one_membership_per_group")]

    def __str__(self):
        return f"{self.group} · {self.deputy}（{self.get_role_display()}）"


class DutyActivityType(models.Model):
    """履职活动类型, a table staff maintain (会议, 视察, 调研, 执法检查 …)."""

    class ChecklistItem(models.TextChoices):
        # docs/rules.md "五个一": which yearly item an activity of this type fulfils (a good suggestion comes from the
        # proposals app through deputies.seams, a report to voters also from VoterReport)
        SUPERVISION = "supervision", "一次监督活动"
        SUGGESTION = "suggestion", "一件好建议"
        VISIT = "visit", "一次走访选民"
        REPORT = "report", "一次向选民述职"
        PUBLICITY = "publicity", "一篇宣传稿件"

    name = models.CharField("名称", max_length=30, unique=True)
    sort_order = models.PositiveSmallIntegerField("排序", default=100)
    is_active = models.BooleanField("启用", default=True)
    checklist_item = models.CharField("计入“五个一”", max_length=12, choices=ChecklistItem.choices, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "履职活动类型"
        verbose_name_plural = "履职活动类型"
        ordering = ["sort_order", "name"]

    def __str__(self):
        return self.name


class DutyActivity(WorkflowModel, models.Model):
    """履职活动: anything a deputy does in office, with its participants and its verification."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", "待审核"
        VERIFIED = "verified", "已核实"
        RETURNED = "returned", "已退回"

    title = models.CharField("活动名称", max_length=120)
    activity_type = models.ForeignKey(DutyActivityType, verbose_name="活动类型", on_delete=models.PROTECT,
                                      related_name="activities")
    date = models.DateField("活动日期", db_index=True)
    place = models.CharField("地点", max_length=120, blank=True)
    description = models.TextField("活动内容", blank=True)
    organizer = models.ForeignKey(Organization, verbose_name="组织单位", null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="organized_activities")
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.SUBMITTED, db_index=True)
    participants = models.ManyToManyField(Deputy, verbose_name="参加代表", through="DutyActivityParticipant",
                                          related_name="duty_activities")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="登记人", null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField("登记时间", auto_now_add=True)
    reported_by = models.ForeignKey(Deputy, verbose_name="登记代表", null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="reported_activities", help_text="代表本人在手机上登记的活动")
    congress_session = models.ForeignKey("congress.CongressSession", verbose_name="人代会会议", null=True, blank=True,
                                         on_delete=models.PROTECT, related_name="+",
                                         help_text="出席人代会的记录：未经批准缺席两次将提示（代表法第六十二条）")
    verified_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="审核人", null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    verified_at = models.DateTimeField("审核时间", null=True, blank=True)
    return_reason = models.CharField("退回原因", max_length=200, blank=True)
    signin_token = models.UUIDField("扫码签到码", null=True, blank=True, unique=True, editable=False)
    signin_open = models.BooleanField("开放扫码签到", default=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "履职活动"
        verbose_name_plural = "履职活动"
        ordering = ["-date", "-id"]

    def __str__(self):
        return f"{self.date:%Y-%m-%d} {self.title}"


class DutyActivityParticipant(models.Model):
    class Attendance(models.TextChoices):
        PRESENT = "present", "出席"
        EXCUSED = "excused", "请假"
        ABSENT = "absent", "缺席"

    activity = models.ForeignKey(DutyActivity, verbose_name="履职活动", on_delete=models.CASCADE,
                                 related_name="participations")
    deputy = models.ForeignKey(Deputy, verbose_name="代表", on_delete=models.CASCADE, related_name="participations")
    attendance = models.CharField("出勤", max_length=10, choices=Attendance.choices, default=Attendance.PRESENT)
    confirmed_at = models.DateTimeField("代表确认时间", null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "活动参加代表"
        verbose_name_plural = "活动参加代表"
        constraints = [models.UniqueConstraint(fields=["activity", "deputy"], name="one_participation_per_activity")]
        indexes = [
            # the duty record: one deputy's activities by date
            models.Index(fields=["deputy", "activity"], name="participation_by_deputy_idx"),
        ]

    def __str__(self):
        return f"{self.deputy} @ {self.activity}"


class ActivityPhoto(models.Model):
    """活动照片: checked, shrunk and re-encoded as JPEG before it is stored (congress.lib.uploads.reencode_image)."""

    activity = models.ForeignKey(DutyActivity, verbose_name="履职活动", on_delete=models.CASCADE, related_name="photos")
    image = uploads.PrivateFileField("照片", kind="photo", folder="deputies/activities", view="portal:photo")
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)

    class Meta:
        verbose_name = "活动照片"
        verbose_name_plural = "活动照片"
        ordering = ["activity", "id"]

    def __str__(self):
        return f"{self.activity} 照片{self.pk}"


class PointRule(models.Model):
    """积分规则: the points an activity type earns (present) or costs (unexcused absence) from a date on.
    The rule in force on an activity's date applies, so a new rule never rewrites past years."""

    activity_type = models.ForeignKey(DutyActivityType, verbose_name="活动类型", on_delete=models.CASCADE,
                                      related_name="point_rules")
    points_present = models.DecimalField("参加加分", max_digits=5, decimal_places=1, default=0)
    points_absent = models.DecimalField("无故缺席扣分", max_digits=5, decimal_places=1, default=0,
                                        help_text="填负数，如 -1")
    effective_from = models.DateField("生效日期")
    history = HistoricalRecords()

    class Meta:
        verbose_name = "积分规则"
        verbose_name_plural = "积分规则"
        ordering = ["activity_type__sort_order", "-effective_from"]
        constraints = [models.UniqueConstraint(fields=["activity_type", "effective_from"], name="one_rule_per_type_date")]

    def __str__(self):
        return f"{self.activity_type} {self.points_present:+} / {self.points_absent:+}（{self.effective_from:%Y-%m-%d}起）"


class ScoreSnapshot(models.Model):
    """A published quarterly ranking, frozen: later edits of activities or rules never change it. Staff ask for it in
    the admin; a Celery task computes it (deputies.services.score_snapshot_build) with its progress stored here, and
    only a PUBLISHED snapshot is shown to deputies."""

    class State(models.TextChoices):
        QUEUED = "queued", "排队中"
        RUNNING = "running", "计算中"
        PUBLISHED = "published", "已发布"
        FAILED = "failed", "计算失败"

    FINISHED = (State.PUBLISHED, State.FAILED)

    year = models.PositiveSmallIntegerField("年度")
    quarter = models.PositiveSmallIntegerField("季度")
    state = models.CharField("状态", max_length=10, choices=State.choices, default=State.PUBLISHED)
    percent = models.PositiveSmallIntegerField("进度（%）", default=100)
    stage = models.CharField("当前步骤", max_length=60, blank=True)
    error = models.TextField("错误", blank=True)
    published_at = models.DateTimeField("发布时间", auto_now_add=True)  # set again when the computation is done
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="发布人", null=True,
                                     on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = "积分排名（已发布）"
        verbose_name_plural = "积分排名（已发布）"
        ordering = ["-year", "-quarter"]
        constraints = [models.UniqueConstraint(fields=["year", "quarter"], name="one_snapshot_per_quarter")]

    def __str__(self):
        return f"{self.year}年第{self.quarter}季度积分排名"


class ScoreSnapshotRow(models.Model):
    snapshot = models.ForeignKey(ScoreSnapshot, verbose_name="排名", on_delete=models.CASCADE, related_name="rows")
    deputy = models.ForeignKey(Deputy, verbose_name="代表", on_delete=models.CASCADE, related_name="score_rows")
    deputy_name = models.CharField("姓名", max_length=30)
    delegation_name = models.CharField("代表团", max_length=50, blank=True)
    town_name = models.CharField("镇街", max_length=50)
    score = models.DecimalField("积分", max_digits=7, decimal_places=1)
    rank_in_delegation = models.PositiveIntegerField("代表团内排名", null=True)
    rank_in_town = models.PositiveIntegerField("镇街内排名")

    class Meta:
        verbose_name = "积分排名行"
        verbose_name_plural = "积分排名行"
        ordering = ["snapshot", "town_name", "rank_in_town"]
        constraints = [models.UniqueConstraint(fields=["snapshot", "deputy"], name="one_row_per_deputy")]

    def __str__(self):
        return f"{self.deputy_name} {self.score}"


class LeaveRequest(WorkflowModel, models.Model):
    """请假: for a congress session or a standing-committee meeting. An approved leave makes an absence excused."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", "待批准"
        APPROVED = "approved", "已批准"
        REJECTED = "rejected", "未批准"

    deputy = models.ForeignKey(Deputy, verbose_name="代表", on_delete=models.CASCADE, related_name="leave_requests")
    congress_session = models.ForeignKey("congress.CongressSession", verbose_name="人代会会议", null=True, blank=True,
                                         on_delete=models.PROTECT, related_name="+")
    meeting = models.ForeignKey("congress.Meeting", verbose_name="常委会会议", null=True, blank=True,
                                on_delete=models.PROTECT, related_name="+")
    reason = models.CharField("请假事由", max_length=200)
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.SUBMITTED, db_index=True)
    created_at = models.DateTimeField("申请时间", auto_now_add=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="批准人", null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    decided_at = models.DateTimeField("批准时间", null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "请假"
        verbose_name_plural = "请假"
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.deputy} 请假：{self.congress_session or self.meeting}"


class VoterReport(models.Model):
    """代表向选民述职: date, place, how many voters came, and the text or a file."""

    deputy = models.ForeignKey(Deputy, verbose_name="代表", on_delete=models.CASCADE, related_name="voter_reports")
    date = models.DateField("述职日期")
    place = models.CharField("述职地点", max_length=120)
    attendance = models.PositiveIntegerField("参加选民人数", default=0)
    text = models.TextField("述职报告", blank=True)
    file = uploads.PrivateFileField("述职报告文件", kind="report", folder="deputies/reports", view="portal:report_file",
                                    blank=True)
    created_at = models.DateTimeField("登记时间", auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "向选民述职"
        verbose_name_plural = "向选民述职"
        ordering = ["-date"]

    def __str__(self):
        return f"{self.deputy} {self.date:%Y-%m-%d} 述职"


class InactiveDeputy(Deputy):
    """Staff view: deputies with no activity this quarter (a proxy, for its own admin list and export)."""

    class Meta:
        proxy = True
        verbose_name = "本季度无履职活动的代表"
        verbose_name_plural = "本季度无履职活动的代表"


class TownManager(models.Manager):
    def get_queryset(self):
        return super().get_queryset().filter(**TOWN_LIMIT)


class ChecklistTown(Organization):
    """Staff view: “五个一” completion by town (a proxy of the town)."""

    objects = TownManager()

    class Meta:
        proxy = True
        verbose_name = "“五个一”完成情况（按镇街）"
        verbose_name_plural = "“五个一”完成情况（按镇街）"


class PersonalDataView(models.Model):
    """Who saw a deputy's full ID and phone number, and when (append-only; the audit administrator reads it)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="查看人", on_delete=models.PROTECT, related_name="+")
    deputy = models.ForeignKey(Deputy, verbose_name="代表", on_delete=models.CASCADE, related_name="+")
    viewed_at = models.DateTimeField("查看时间", auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = "个人信息查看记录"
        verbose_name_plural = "个人信息查看记录"
        ordering = ["-viewed_at"]

    def __str__(self):
        return f"{self.user} 查看 {self.deputy}"
