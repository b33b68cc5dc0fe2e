"""满意度测评: the secret ballot every kind of supervision ends in.

Secrecy is in the tables' shape: who voted (`PollVoter`: a voter, the channel, nothing about the choice) and what was
voted (`PollBallot`: a group and a mark, a random key, no voter, no time) are two tables that share nothing but the poll
and the group; neither keeps a history, and the ballots are written anew in random order when the poll closes, so not
even their order tells who cast which. The figures are computed from the ballots and frozen on the poll when it closes.
"""
import uuid

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from congress.lib.workflow import WorkflowModel
from congress.models import Meeting, Organization, Term


class SatisfactionPoll(WorkflowModel, models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "准备中"
        OPEN = "open", "投票中"
        CLOSED = "closed", "已结束"
        PUBLISHED = "published", "已公布"

    class Basis(models.TextChoices):
        ALL = "all", "应参评人数（全体组成人员）"
        PRESENT = "present", "实到人数"

    class Choice(models.TextChoices):
        SATISFIED = "satisfied", "满意"
        BASIC = "basic", "基本满意"
        UNSATISFIED = "unsatisfied", "不满意"

    term = models.ForeignKey(Term, verbose_name="届", on_delete=models.PROTECT, related_name="polls")
    title = models.CharField("测评名称", max_length=200)
    organization = models.ForeignKey(Organization, verbose_name="被测评单位", null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="polls")
    meeting = models.ForeignKey(Meeting, verbose_name="会议", null=True, blank=True, on_delete=models.PROTECT,
                                related_name="polls")
    basis = models.CharField("计算基数", max_length=10, choices=Basis.choices, default=Basis.ALL,
                             help_text="监督法：以全体组成人员（应参评人数）为基数；本地做法也可以实到人数为基数")
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.DRAFT)
    # what the poll rates (a review opinion's handling, an appraisal …): the workflow and object that made it
    source_workflow = models.CharField("测评对象流程", max_length=30, blank=True, editable=False)
    source_id = models.BigIntegerField("测评对象编号", null=True, blank=True, editable=False)
    result = models.CharField("测评结果", max_length=12, choices=Choice.choices, blank=True)
    figures = models.JSONField("测评数据", default=dict, blank=True, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="创建人", null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    opened_at = models.DateTimeField("开始投票时间", null=True, blank=True)
    closed_at = models.DateTimeField("结束投票时间", null=True, blank=True)
    published_at = models.DateTimeField("公布时间", null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "满意度测评"
        verbose_name_plural = "满意度测评"
        ordering = ["-created_at", "-id"]
        indexes = [
            # a workflow finds the polls of its object (a review opinion's, an appraisal's)
            models.Index(fields=["source_workflow", "source_id"], name="poll_source_idx"),
        ]

    def __str__(self):
        return self.title


class PollGroup(models.Model):
    """One group of voters with its weight (e.g. deputies 70%, members 15%, the public 15%); a poll of the members
    alone has one group of weight 100. `eligible` is frozen when the poll opens (the public group's is entered)."""

    class Kind(models.TextChoices):
        MEMBERS = "members", "常委会组成人员"
        DEPUTIES = "deputies", "人大代表"
        PUBLIC = "public", "群众代表（纸质票）"

    poll = models.ForeignKey(SatisfactionPoll, verbose_name="测评", on_delete=models.CASCADE, related_name="groups")
    kind = models.CharField("参评人员", max_length=10, choices=Kind.choices, default=Kind.MEMBERS)
    weight = models.PositiveSmallIntegerField("权重（%）", default=100)
    eligible = models.PositiveIntegerField("应参评人数", default=0,
                                           help_text="组成人员、代表在开始投票时按名单确定；群众代表须填写")
    present = models.PositiveIntegerField("实到人数", null=True, blank=True,
                                          help_text="以实到人数为基数时填写；不填则按实际投票人数计")

    class Meta:
        verbose_name = "参评人员组"
        verbose_name_plural = "参评人员组"
        ordering = ["poll", "id"]
        constraints = [models.UniqueConstraint(fields=["poll", "kind"], name="one_group_of_a_kind_per_poll")]

    def __str__(self):
        return f"{self.get_kind_display()}（{self.weight}%）"


class PollVoter(models.Model):
    """Who may vote and whether they have, on which channel: the participation table that stops a second vote. It says
    nothing of the choice, keeps no time and no history."""

    class Channel(models.TextChoices):
        NONE = "", "未投票"
        ONLINE = "online", "网上投票"
        PAPER = "paper", "纸质票"

    poll = models.ForeignKey(SatisfactionPoll, verbose_name="测评", on_delete=models.CASCADE, related_name="voters")
    group = models.ForeignKey(PollGroup, verbose_name="参评人员组", on_delete=models.CASCADE, related_name="voters")
    deputy = models.ForeignKey("deputies.Deputy", verbose_name="参评人", on_delete=models.PROTECT, related_name="+")
    channel = models.CharField("投票方式", max_length=10, choices=Channel.choices, blank=True, default=Channel.NONE)

    class Meta:
        verbose_name = "参评人"
        verbose_name_plural = "参评人"
        constraints = [models.UniqueConstraint(fields=["poll", "deputy"], name="one_vote_per_voter_and_poll")]
        indexes = [
            # a deputy's open polls in the portal
            models.Index(fields=["deputy", "poll"], name="pollvoter_deputy_idx"),
        ]

    def __str__(self):
        return f"{self.deputy}（{self.get_channel_display()}）"


class PollBallot(models.Model):
    """One ballot: the group it counts in and its mark ("" for an invalid paper ballot, with no mark or several). A random
    key, no voter, no time, no history: nothing joins it to PollVoter."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    poll = models.ForeignKey(SatisfactionPoll, verbose_name="测评", on_delete=models.CASCADE, related_name="ballots")
    group = models.ForeignKey(PollGroup, verbose_name="参评人员组", on_delete=models.CASCADE, related_name="ballots")
    choice = models.CharField("测评意见", max_length=12, choices=SatisfactionPoll.Choice.choices, blank=True)

    class Meta:
        verbose_name = "选票"
        verbose_name_plural = "选票"
        indexes = [
            # counting: one poll's ballots by group and mark
            models.Index(fields=["poll", "group", "choice"], name="pollballot_count_idx"),
        ]

    def __str__(self):
        return "选票"
