"""Reads about deputies. Town staff's scope comes from congress.selectors.towns_for."""
from django.db.models import Count, Exists, OuterRef, Prefetch, QuerySet

from congress.selectors import towns_for
from deputies.models import Deputy, DutyActivity, DutyActivityParticipant, Mandate


def deputy_list_for(*, user) -> QuerySet[Deputy]:
    qs = Deputy.objects.select_related("town")
    towns = towns_for(user)
    if towns is not None:
        qs = qs.filter(town__in=towns)
    return deputy_admin_queryset(qs)


def deputy_admin_queryset(qs: QuerySet[Deputy]) -> QuerySet[Deputy]:
    """The roster's shape: each deputy's mandates in one extra query, whatever the page size."""
    return qs.prefetch_related(Prefetch("mandates", queryset=Mandate.objects.order_by("level")))


def activity_admin_queryset(qs: QuerySet[DutyActivity], *, user) -> QuerySet[DutyActivity]:
    qs = qs.annotate(participant_count=Count("participations", distinct=True))
    towns = towns_for(user)
    if towns is not None:
        # an activity belongs to a town's view when one of its participants is that town's deputy
        qs = qs.filter(Exists(DutyActivityParticipant.objects.filter(activity=OuterRef("pk"), deputy__town__in=towns)))
    return qs
