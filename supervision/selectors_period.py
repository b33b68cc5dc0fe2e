"""Reads of a period's supervision work for the reports (congress.reports): the work reports heard, the review opinions
and their handling, the special inquiries held, the work appraisals. Each takes the period's first and last day (both
included) and runs a fixed number of grouped queries whatever the number of rows."""
import datetime

from django.db.models import Count, Exists, F, OuterRef, Q

from congress.models import Organization, Term
from supervision.models import (
    Appraisal,
    Inquiry,
    InquiryQuestion,
    ReportSubmission,
    ReviewOpinion,
    SatisfactionPoll,
    WorkReport,
)
from supervision.selectors import appraisal_ranking

HEARD = (WorkReport.Status.DELIBERATED, WorkReport.Status.OPINION_SENT)
POLL_DONE = (SatisfactionPoll.Status.CLOSED, SatisfactionPoll.Status.PUBLISHED)


def work_reports_heard(start: datetime.date, end: datetime.date) -> dict:
    """听取审议专项工作报告: the reports deliberated at a meeting held in the period, by organ (most first) and as a list
    of topics by meeting date. Two queries."""
    heard = WorkReport.objects.filter(meeting__date__range=(start, end), status__in=HEARD)
    by_organ = (heard.values("organization__name").annotate(n=Count("pk"))
                .order_by("-n", "organization__sort_order", "organization__name"))
    topics = heard.select_related("organization", "meeting").order_by("meeting__date", "id")
    rows = [(r.meeting.date, r.organization.name, r.topic) for r in topics]
    return {"count": len(rows), "by_organ": [(row["organization__name"], row["n"]) for row in by_organ], "topics": rows}


def review_opinion_handling(start: datetime.date, end: datetime.date) -> dict:
    """审议意见 and their handling: opinions sent in the period; the organs' handling reports received in it, on time
    (by the opinion's due date; a re-report by its own date) or late; opinions still owed a first report at the
    period's end and past due; the polls on the handling closed in it by result; the re-reports asked for in it. Four
    queries."""
    K = ReportSubmission.Kind
    sent = ReviewOpinion.objects.filter(sent_on__range=(start, end)).count()
    due = F("work_report__review_opinion__due_date")
    rereport_due = F("work_report__review_opinion__rereport_due_date")
    received = ReportSubmission.objects.filter(submitted_at__date__range=(start, end), kind__in=(K.HANDLING, K.REREPORT),
                                               work_report__review_opinion__isnull=False).aggregate(
        reports=Count("pk", filter=Q(kind=K.HANDLING)),
        on_time=Count("pk", filter=Q(kind=K.HANDLING, submitted_at__date__lte=due)),
        rereports=Count("pk", filter=Q(kind=K.REREPORT)),
        rereports_on_time=Count("pk", filter=Q(kind=K.REREPORT, submitted_at__date__lte=rereport_due)))
    reported_by_end = ReportSubmission.objects.filter(work_report=OuterRef("work_report"), kind=K.HANDLING,
                                                      submitted_at__date__lte=end)
    opinions = ReviewOpinion.objects.filter(sent_on__lte=end).aggregate(
        overdue=Count("pk", filter=Q(due_date__lt=end) & ~Q(Exists(reported_by_end))),
        rereports_asked=Count("pk", filter=Q(rereport_requested_on__range=(start, end))))
    results = dict(SatisfactionPoll.objects.filter(source_workflow="review_opinion", status__in=POLL_DONE,
                                                   closed_at__date__range=(start, end))
                   .values_list("result").annotate(n=Count("pk")).order_by())
    polls = {choice: results.get(choice, 0) for choice, _ in SatisfactionPoll.Choice.choices}
    return {"sent": sent, "reports": received["reports"], "on_time": received["on_time"],
            "late": received["reports"] - received["on_time"], "overdue": opinions["overdue"],
            "polls": sum(polls.values()), "poll_results": polls, "rereports_asked": opinions["rereports_asked"],
            "rereports": received["rereports"], "rereports_late": received["rereports"] - received["rereports_on_time"]}


def review_opinion_rows(start: datetime.date, end: datetime.date) -> list[list]:
    """The opinions under way in the period (sent by its end, not closed before its start) with the latest poll on
    their handling closed by the period's end: [topic, organ, sent, due, state now, poll result]. Two queries."""
    opinions = list(ReviewOpinion.objects.filter(sent_on__lte=end).filter(Q(closed_at__isnull=True) |
                                                                          Q(closed_at__date__gte=start))
                    .select_related("work_report", "organization").order_by("sent_on", "id"))
    latest = {}
    for poll in (SatisfactionPoll.objects.filter(source_workflow="review_opinion", source_id__in=[o.pk for o in opinions],
                                                 status__in=POLL_DONE, closed_at__date__lte=end)
                 .only("source_id", "result", "closed_at").order_by("closed_at", "id")):
        latest[poll.source_id] = poll.get_result_display() or "—"
    return [[o.work_report.topic, o.organization.name, o.sent_on.isoformat(), o.due_date.isoformat(),
             o.get_status_display(), latest.get(o.pk, "—")] for o in opinions]


def inquiries_held(start: datetime.date, end: datetime.date) -> dict:
    """专题询问 held at a meeting in the period: each with its organs, its questions (提问, 追问, 临时提问), its
    commitments and how many of those became rectification items and were accepted; and the totals. Two queries."""
    Kd = InquiryQuestion.Kind
    inquiries = (Inquiry.objects.filter(meeting__date__range=(start, end)).exclude(status=Inquiry.Status.PREPARING)
                 .select_related("meeting").prefetch_related("organizations")
                 .annotate(asked=Count("questions", filter=Q(questions__kind=Kd.QUESTION), distinct=True),
                           follow_ups=Count("questions", filter=Q(questions__kind=Kd.FOLLOW_UP), distinct=True),
                           on_the_spot=Count("questions", filter=Q(questions__kind=Kd.ON_THE_SPOT), distinct=True),
                           commitments_n=Count("commitments", distinct=True),
                           assigned=Count("commitments", filter=Q(commitments__rectification__isnull=False),
                                          distinct=True),
                           accepted=Count("commitments", distinct=True,
                                          filter=Q(commitments__rectification__accepted_at__date__lte=end)))
                 .order_by("meeting__date", "id"))
    rows = [{"topic": i.topic, "date": i.meeting.date,
             "organizations": "、".join(o.name for o in sorted(i.organizations.all(), key=lambda o: (o.sort_order, o.name))),
             "questions": i.asked, "follow_ups": i.follow_ups, "on_the_spot": i.on_the_spot,
             "commitments": i.commitments_n, "rectifications": i.assigned, "accepted": i.accepted} for i in inquiries]
    totals = {key: sum(row[key] for row in rows) for key in ("questions", "follow_ups", "on_the_spot", "commitments",
                                                             "rectifications", "accepted")}
    return {"count": len(rows), "rows": rows, **totals}


def _term_at(day: datetime.date) -> Term | None:
    return (Term.objects.filter(start_date__lte=day).filter(Q(end_date__isnull=True) | Q(end_date__gte=day))
            .order_by("-start_date").first())


def appraisals_in(start: datetime.date, end: datetime.date) -> dict:
    """工作评议: the departments whose appraisal meeting, held in the period, gave its result (a re-appraisal counts
    apart), by kind; and 届内全覆盖 at the period's end: the departments appraised in the term then running (concluded
    at a meeting by the end) against the active departments. Four queries."""
    A = Appraisal.Kind
    concluded = Appraisal.objects.concluded().filter(meeting__date__range=(start, end))
    counts = concluded.aggregate(
        departments=Count("organization", filter=Q(follow_up_of__isnull=True), distinct=True),
        comprehensive=Count("pk", filter=Q(follow_up_of__isnull=True, kind=A.COMPREHENSIVE)),
        special=Count("pk", filter=Q(follow_up_of__isnull=True, kind=A.SPECIAL)),
        again=Count("pk", filter=Q(follow_up_of__isnull=False)))
    term = _term_at(end)
    coverage = {"term": term.number if term else None, "appraised": 0, "departments": 0}
    if term is not None:
        departments = Organization.objects.filter(kind=Organization.Kind.DEPARTMENT, is_active=True)
        coverage["departments"] = departments.count()
        coverage["appraised"] = (Appraisal.objects.concluded().filter(term=term, organization__in=departments,
                                                                      meeting__date__lte=end)
                                 .values("organization").distinct().count())
    return {**counts, "coverage": coverage}


def appraisal_ranking_rows(year: int) -> dict:
    """The year's ranking (supervision.selectors.appraisal_ranking, three queries) as report rows: {"headers",
    "rows": [rank, department, score per aspect…, total, grade], "unscored": count}. Scores print as text (JSON)."""
    ranking = appraisal_ranking(year)
    headers = ["名次", "被评议部门", *[f"{a.name}（{a.weight}%）" for a in ranking["aspects"]], "总分", "等次"]
    rows = [[row["rank"], row["organization"].name, *[str(s) for s in row["scores"]], str(row["total"]), row["grade"]]
            for row in ranking["rows"]]
    return {"headers": headers, "rows": rows, "unscored": len(ranking["unscored"])}

