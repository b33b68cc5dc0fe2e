"""The supervision app's search sources (congress.lib.search), registered from SupervisionConfig.ready(): the kinds of
supervision work staff look for by their words — work reports and their review opinions, inquiries, appraisals,
rectification items, law enforcement inspections and the problems they found, meeting requests and livelihood
projects. Each asks the view permission its admin change list asks (no supervision admin narrows its rows further),
is ranked by congress.lib.search.ranked (title matches first, then the newest) and costs one query.

Satisfaction polls (a title only: 对…的满意度测评), committee members and rated officials (people, not texts) are left
out: nothing in them is searched for by its words that the kinds here don't already carry."""
from django.urls import reverse

from congress.lib.search import Hit, passage, ranked, substring_lookup
from supervision.models import (
    Appraisal,
    Inquiry,
    Inspection,
    InspectionProblem,
    LivelihoodProject,
    MeetingRequest,
    Rectification,
    ReviewOpinion,
    WorkReport,
)

# (model, title column, body columns): the columns the sources search, each with the GIN trigram and bigram indexes
# of supervision's migration 0009 on PostgreSQL
SEARCHED = {
    WorkReport: ("topic", ("deliberation",)),
    ReviewOpinion: (None, ("text",)),
    Inquiry: ("topic", ("description",)),
    Appraisal: ("subject", ("opinion", "self_check_report")),
    Rectification: ("title", ("description",)),
    Inspection: ("law", ("plan", "report_text")),
    InspectionProblem: ("title", ("detail",)),
    MeetingRequest: ("subject", ("content",)),
    LivelihoodProject: ("title", ("description",)),
}


def _rows(model, user, qs, query: str, limit: int, newest: tuple[str, ...]):
    """`qs` ranked for `query` over the model's searched columns, or nothing without the admin's view permission."""
    if not user.has_perm(f"supervision.view_{model._meta.model_name}"):
        return []
    title, body = SEARCHED[model]
    return ranked(qs, query, title, body, newest, limit)


def _url(obj, model_name: str | None = None) -> str:
    return reverse(f"admin:supervision_{model_name or obj._meta.model_name}_change", args=[obj.pk])


def work_report_hits(user, query: str, limit: int) -> list[Hit]:
    """专项工作报告 by topic or the members' deliberation."""
    qs = WorkReport.objects.select_related("organization")
    rows = _rows(WorkReport, user, qs, query, limit, ("-year", "-created_at", "-id"))
    return [Hit(title=r.topic, url=_url(r), body=passage(query, r.deliberation),
                meta=f"{r.organization.name} · {r.year}年度 · {r.get_status_display()}",
                title_match=bool(r.title_match)) for r in rows]


def review_opinion_hits(user, query: str, limit: int) -> list[Hit]:
    """审议意见 by their text (they have no title of their own: the work report's topic names them), newest first."""
    if not user.has_perm("supervision.view_reviewopinion"):
        return []
    rows = (ReviewOpinion.objects.filter(**{f"text__{substring_lookup(query)}": query})
            .select_related("work_report", "organization").order_by("-sent_on", "-id")[:limit])
    return [Hit(title=f"关于“{o.work_report.topic}”的审议意见", url=_url(o), body=passage(query, o.text),
                meta=f"{o.organization.name} · {o.get_status_display()} · {o.sent_on:%Y-%m-%d}", title_match=False)
            for o in rows]


def inquiry_hits(user, query: str, limit: int) -> list[Hit]:
    """专题询问 by topic or the arrangements."""
    qs = Inquiry.objects.select_related("meeting")
    rows = _rows(Inquiry, user, qs, query, limit, ("-created_at", "-id"))
    return [Hit(title=i.topic, url=_url(i), body=passage(query, i.description),
                meta=f"{i.get_status_display()} · {i.meeting.date:%Y-%m-%d}", title_match=bool(i.title_match))
            for i in rows]


def appraisal_hits(user, query: str, limit: int) -> list[Hit]:
    """工作评议 by what is appraised (专项评议), the appraisal opinion or the organ's self-check report."""
    qs = Appraisal.objects.select_related("organization")
    rows = _rows(Appraisal, user, qs, query, limit, ("-year", "-id"))
    return [Hit(title=f"{a.organization.name}{a.year}年度{a.get_kind_display()}" + (f"：{a.subject}" if a.subject else ""),
                url=_url(a), body=passage(query, a.opinion, a.self_check_report),
                meta=a.get_status_display(), title_match=bool(a.title_match)) for a in rows]


def rectification_hits(user, query: str, limit: int) -> list[Hit]:
    """整改事项 by title or the problem and what is required."""
    qs = Rectification.objects.select_related("organization")
    rows = _rows(Rectification, user, qs, query, limit, ("-created_at", "-id"))
    return [Hit(title=r.title, url=_url(r), body=passage(query, r.description),
                meta=f"{r.organization.name} · {r.get_status_display()} · 期限 {r.due_date:%Y-%m-%d}",
                title_match=bool(r.title_match)) for r in rows]


def inspection_hits(user, query: str, limit: int) -> list[Hit]:
    """执法检查 by the law inspected, the plan or the team's report."""
    qs = Inspection.objects.all()
    rows = _rows(Inspection, user, qs, query, limit, ("-year", "-id"))
    return [Hit(title=f"{i.year}年{i.law}执法检查", url=_url(i), body=passage(query, i.plan, i.report_text),
                meta=i.get_status_display(), title_match=bool(i.title_match)) for i in rows]


def inspection_problem_hits(user, query: str, limit: int) -> list[Hit]:
    """The problems inspections found, by title or detail; they are listed on their inspection's page, which the link
    opens (and whose view permission they also need)."""
    if not user.has_perm("supervision.view_inspection"):
        return []
    qs = InspectionProblem.objects.select_related("inspection", "organization")
    rows = _rows(InspectionProblem, user, qs, query, limit, ("-inspection__year", "-id"))
    return [Hit(title=p.title, url=_url(p.inspection), body=passage(query, p.detail),
                meta=f"{p.inspection.year}年{p.inspection.law}执法检查 · 责任单位 {p.organization.name}",
                title_match=bool(p.title_match)) for p in rows]


def meeting_request_hits(user, query: str, limit: int) -> list[Hit]:
    """代表约见 by subject or reasons, once proposed: a draft is the deputies' own until they propose it, as staff never
    find a deputy's draft suggestion either."""
    qs = (MeetingRequest.objects.exclude(status=MeetingRequest.Status.DRAFT)
          .select_related("organization", "drafted_by"))
    rows = _rows(MeetingRequest, user, qs, query, limit, ("-created_at", "-id"))
    return [Hit(title=m.subject, url=_url(m), body=passage(query, m.content),
                meta=f"{m.organization.name} · 领衔代表 {m.drafted_by.full_name} · {m.get_status_display()}",
                title_match=bool(m.title_match)) for m in rows]


def livelihood_project_hits(user, query: str, limit: int) -> list[Hit]:
    """民生实事项目 (candidates and the chosen ones) by name or content."""
    qs = LivelihoodProject.objects.select_related("round", "organization")
    rows = _rows(LivelihoodProject, user, qs, query, limit, ("-round__year", "-id"))
    return [Hit(title=p.title, url=_url(p), body=passage(query, p.description),
                meta=" · ".join(filter(None, [p.round.title, "票决确定" if p.chosen else "候选项目",
                                              p.organization.name if p.organization else ""])),
                title_match=bool(p.title_match)) for p in rows]


# (Chinese heading, finder, order): after the other apps' sources (10–50)
SOURCES = [
    ("专项工作报告", work_report_hits, 60),
    ("审议意见", review_opinion_hits, 62),
    ("专题询问", inquiry_hits, 64),
    ("工作评议", appraisal_hits, 66),
    ("执法检查", inspection_hits, 68),
    ("执法检查发现的问题", inspection_problem_hits, 70),
    ("整改事项", rectification_hits, 72),
    ("代表约见", meeting_request_hits, 74),
    ("民生实事项目", livelihood_project_hits, 76),
]
