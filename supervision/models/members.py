"""常委会组成人员: the committee's composition per term."""
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from congress.models import Term


class CommitteeMemberQuerySet(models.QuerySet):
    def serving_on(self, day):
        """Members on `day`: started by then and not yet left."""
        return self.filter(start_date__lte=day).filter(Q(end_date__isnull=True) | Q(end_date__gte=day))


class CommitteeMember(models.Model):
    """A member of the standing committee (主任, 副主任, 秘书长, 委员) in one term, with the dates of their seat: who votes
    in the committee's polls, and the "all members" a poll's result is counted against (监督法)."""

    class Role(models.TextChoices):
        CHAIR = "chair", "主任"
        VICE_CHAIR = "vice_chair", "副主任"
        SECRETARY_GENERAL = "secretary", "秘书长"
        MEMBER = "member", "委员"

    term = models.ForeignKey(Term, verbose_name="届", on_delete=models.PROTECT, related_name="committee_members")
    deputy = models.ForeignKey("deputies.Deputy", verbose_name="代表", on_delete=models.PROTECT,
                               related_name="committee_seats")
    role = models.CharField("职务", max_length=10, choices=Role.choices, default=Role.MEMBER)
    start_date = models.DateField("任职日期")
    end_date = models.DateField("离任日期", null=True, blank=True)
    history = HistoricalRecords()

    objects = CommitteeMemberQuerySet.as_manager()

    class Meta:
        verbose_name = "常委会组成人员"
        verbose_name_plural = "常委会组成人员"
        ordering = ["term", "role", "deputy__full_name"]
        constraints = [
            models.UniqueConstraint(fields=["term", "deputy", "start_date"], name="one_seat_per_member_start"),
            models.CheckConstraint(condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                                   name="member_leaves_after_starting"),
        ]
        indexes = [
            # a poll freezes the members serving on its day
            models.Index(fields=["term", "start_date", "end_date"], name="member_serving_idx"),
        ]

    def __str__(self):
        return f"{self.deputy.full_name}（{self.get_role_display()}）"
