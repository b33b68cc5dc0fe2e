"""民生实事项目票决制: each year the congress session chooses the district government's livelihood projects by vote.

A round (LivelihoodRound) belongs to one session of the congress. Candidates are proposed by deputies (portal), by
organs (unit workspace) or by staff from voters' opinions (admin), each keeping its source; staff shortlist more
candidates than there are places; the deputies vote at the session, on the phone or on paper; the count ranks the
candidates, and the top `places` (with the majority the rules ask for) become the year's projects, each owned by an
organ that reports its progress every quarter; at the next session the deputies rate each project in a satisfaction
poll (supervision's own polls, the project as their source).

The vote is secret the way the polls are: who voted (LivelihoodVoter: a deputy, the channel) and what was voted
(LivelihoodBallot: valid or not, and the candidates marked 赞成; a random key, no voter, no time, no history) share
nothing but the round, and the ballots are written anew in random order when they are counted.
"""
import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from congress.lib.workflow import WorkflowModel
from congress.models import CongressSession, Organization


class LivelihoodRound(WorkflowModel, models.Model):
    class Status(models.TextChoices):
        COLLECTING = "collecting", "征集"
        SHORTLISTED = "shortlisted", "确定候选"
        VOTING = "voting", "投票中"
        COUNTED = "counted", "已计票"
        IMPLEMENTING = "implementing", "实施中"
        EVALUATED = "evaluated", "已评价"

    session = models.OneToOneField(CongressSession, verbose_name="票决会议", on_delete=models.PROTECT,
                                   related_name="livelihood_round")
    year = models.PositiveSmallIntegerField("实施年度", validators=[MinValueValidator(2000), MaxValueValidator(2100)])
    title = models.CharField("名称", max_length=200)
    places = models.PositiveSmallIntegerField("票决项目数（名额）", validators=[MinValueValidator(1), MaxValueValidator(100)],
                                              help_text="候选项目数须多于名额，如12个候选项目票决产生10个")
    status = models.CharField("状态", max_length=15, choices=Status.choices, default=Status.COLLECTING)
    # frozen by the count: eligible, voted, cast, valid, invalid, the threshold, each candidate's votes, the tie if any
    figures = models.JSONField("计票结果", default=dict, blank=True, editable=False)
    tie_pending = models.BooleanField("末位同票待决定", default=False, editable=False)
    tie_decision = models.TextField("末位同票的处理", blank=True, editable=False)
    evaluation_session = models.ForeignKey(CongressSession, verbose_name="满意度测评会议", null=True, blank=True,
                                           on_delete=models.PROTECT, related_name="+")
    opened_at = models.DateTimeField("开始投票时间", null=True, blank=True)
    counted_at = models.DateTimeField("计票时间", null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="创建人", null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    # the count's figures are written once, by the count, whose history row says them in Chinese
    history = HistoricalRecords(excluded_fields=["figures"])

    class Meta:
        verbose_name = "民生实事项目票决"
        verbose_name_plural = "民生实事项目票决"
        ordering = ["-year", "-id"]

    def __str__(self):
        return self.title


class LivelihoodProject(models.Model):
    """A candidate project; the chosen ones are the year's livelihood projects (民生实事项目)."""

    class Source(models.TextChoices):
        DEPUTY = "deputy", "代表提出"
        UNIT = "unit", "单位提出"
        OPINION = "opinion", "选民意见（工作人员整理）"

    round = models.ForeignKey(LivelihoodRound, verbose_name="票决", on_delete=models.PROTECT, related_name="projects")
    title = models.CharField("项目名称", max_length=200)
    description = models.TextField("项目内容", max_length=5000, blank=True)
    source = models.CharField("来源", max_length=10, choices=Source.choices)
    proposed_by_deputy = models.ForeignKey("deputies.Deputy", verbose_name="提出代表", null=True, blank=True,
                                           on_delete=models.PROTECT, related_name="+")
    proposed_by_organization = models.ForeignKey(Organization, verbose_name="提出单位", null=True, blank=True,
                                                 on_delete=models.PROTECT, related_name="+")
    source_note = models.CharField("来源说明", max_length=300, blank=True,
                                   help_text="选民意见的来源，如联络站、意见编号")
    organization = models.ForeignKey(Organization, verbose_name="牵头实施单位", null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="livelihood_projects")
    number = models.PositiveSmallIntegerField("候选序号", null=True, blank=True, editable=False)
    votes = models.PositiveIntegerField("赞成票", null=True, blank=True, editable=False)
    rank = models.PositiveSmallIntegerField("名次", null=True, blank=True, editable=False)
    chosen = models.BooleanField("票决确定", default=False, editable=False)
    poll = models.ForeignKey("supervision.SatisfactionPoll", verbose_name="满意度测评", null=True, blank=True,
                             on_delete=models.PROTECT, related_name="+", editable=False)
    result = models.CharField("测评结果", max_length=12, blank=True, editable=False,
                              choices=[("satisfied", "满意"), ("basic", "基本满意"), ("unsatisfied", "不满意")])
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="提出人", null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("提出时间", auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "民生实事项目"
        verbose_name_plural = "民生实事项目"
        ordering = ["round", "number", "id"]
        constraints = [
            models.UniqueConstraint(fields=["round", "number"], condition=Q(number__isnull=False),
                                    name="one_candidate_number_per_round"),
        ]
        indexes = [
            # an organ's projects in its workspace
            models.Index(fields=["organization", "chosen"], name="livelihood_owner_idx"),
        ]

    def __str__(self):
        return f"{self.number}. {self.title}" if self.number else self.title

    @property
    def shortlisted(self) -> bool:
        return self.number is not None


class LivelihoodVoter(models.Model):
    """Who may vote in a round and whether they have, on which channel: nothing of the choice, no time, no history."""

    class Channel(models.TextChoices):
        NONE = "", "未投票"
        ONLINE = "online", "网上投票"
        PAPER = "paper", "纸质票"

    round = models.ForeignKey(LivelihoodRound, verbose_name="票决", on_delete=models.CASCADE, related_name="voters")
    deputy = models.ForeignKey("deputies.Deputy", verbose_name="代表", on_delete=models.PROTECT, related_name="+")
    channel = models.CharField("投票方式", max_length=10, choices=Channel.choices, blank=True, default=Channel.NONE)

    class Meta:
        verbose_name = "票决代表"
        verbose_name_plural = "票决代表"
        constraints = [models.UniqueConstraint(fields=["round", "deputy"], name="one_livelihood_vote_per_deputy")]
        indexes = [
            # a deputy's rounds in the portal
            models.Index(fields=["deputy", "round"], name="livelihoodvoter_deputy_idx"),
        ]

    def __str__(self):
        return f"{self.deputy}（{self.get_channel_display()}）"


class LivelihoodBallot(models.Model):
    """One ballot: valid or not, and the candidates it marks 赞成 (an invalid ballot keeps no marks). A random key, no
    voter, no time, no history."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    round = models.ForeignKey(LivelihoodRound, verbose_name="票决", on_delete=models.CASCADE, related_name="ballots")
    valid = models.BooleanField("有效", default=True)
    marks = models.ManyToManyField(LivelihoodProject, verbose_name="赞成", blank=True, related_name="+")

    class Meta:
        verbose_name = "票决选票"
        verbose_name_plural = "票决选票"
        indexes = [
            # counting: one round's valid ballots
            models.Index(fields=["round", "valid"], name="livelihoodballot_count_idx"),
        ]

    def __str__(self):
        return "选票"


class LivelihoodReport(models.Model):
    """One quarter's progress report a chosen project owes (made for each quarter when implementation begins), due some
    days after the quarter ends; submitted by the owner organ in its workspace."""

    project = models.ForeignKey(LivelihoodProject, verbose_name="民生实事项目", on_delete=models.PROTECT,
                                related_name="reports")
    year = models.PositiveSmallIntegerField("年度")
    quarter = models.PositiveSmallIntegerField("季度", validators=[MinValueValidator(1), MaxValueValidator(4)])
    due_date = models.DateField("报送期限")
    progress = models.PositiveSmallIntegerField("完成进度（%）", null=True, blank=True,
                                                validators=[MaxValueValidator(100)])
    text = models.TextField("进展情况", blank=True)
    submitted_at = models.DateTimeField("报送时间", null=True, blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="报送人", null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+")
    history = HistoricalRecords()

    class Meta:
        verbose_name = "季度进展报告"
        verbose_name_plural = "季度进展报告"
        ordering = ["project", "year", "quarter"]
        constraints = [models.UniqueConstraint(fields=["project", "year", "quarter"], name="one_report_per_quarter")]
        indexes = [
            # the leaders' overdue list: reports not submitted by their date
            models.Index(fields=["due_date"], condition=Q(submitted_at__isnull=True), name="livelihood_report_due_idx"),
        ]

    def __str__(self):
        return f"{self.year}年第{self.quarter}季度进展报告"
