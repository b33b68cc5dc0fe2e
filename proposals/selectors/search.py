"""The proposals app's search sources (congress.lib.search): suggestions and the units' replies, scoped by
suggestion_list_for, one query each."""
from django.db.models import Q
from django.urls import reverse

from congress.lib.search import Hit, excerpt, ranked
from proposals.models import Reply, Suggestion
from proposals.selectors.lists import suggestion_list_for


def _suggestion_hits(rows, query: str, url) -> list[Hit]:
    return [Hit(title=f"{s.number} {s.title}".strip(), url=url(s), body=excerpt(s.content, query),
                meta=f"{s.get_status_display()} · 领衔代表 {s.lead_deputy.full_name} · {s.created_at:%Y-%m-%d}",
                title_match=bool(s.title_match)) for s in rows]


def suggestion_hits(user, query: str, limit: int) -> list[Hit]:
    """Suggestions this user may see (suggestion_list_for) whose title, number or content contains `query`."""
    qs = suggestion_list_for(user=user)
    rows = ranked(qs, query, "title", ("number", "content"), ("-created_at", "-id"), limit)
    return _suggestion_hits(rows, query, lambda s: reverse("admin:proposals_suggestion_change", args=[s.pk]))


def portal_suggestion_hits(user, query: str, limit: int) -> list[Hit]:
    """The deputy's own suggestions and those they co-sign — never another deputy's draft, even one they were invited
    to co-sign (the invitation page shows that one)."""
    deputy = getattr(user, "deputy", None)
    if deputy is None:
        return []
    qs = suggestion_list_for(user=user).exclude(Q(status=Suggestion.Status.DRAFT) & ~Q(lead_deputy=deputy))
    rows = ranked(qs, query, "title", ("number", "content"), ("-created_at", "-id"), limit)
    return _suggestion_hits(rows, query, lambda s: reverse("proposals:portal_detail", args=[s.pk]))


def reply_hits(user, query: str, limit: int) -> list[Hit]:
    """Replies (their summaries) to suggestions this user may see, newest first."""
    visible = suggestion_list_for(user=user).order_by().values("pk")
    rows = (Reply.objects.filter(assignment__suggestion__in=visible, summary__icontains=query)
            .select_related("assignment__suggestion", "assignment__unit")
            .order_by("-replied_on", "-id")[:limit])
    return [Hit(title=f"{r.assignment.unit.name}答复：{r.assignment.suggestion.title}",
                url=reverse("admin:proposals_suggestion_change", args=[r.assignment.suggestion_id]),
                body=excerpt(r.summary, query), meta=f"{r.get_result_display()} · {r.replied_on:%Y-%m-%d}",
                title_match=False) for r in rows]
