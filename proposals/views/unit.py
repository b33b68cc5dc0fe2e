"""The handling units' workspace (/unit/): the inbox with deadlines, one assignment with its forms."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from congress.lib.access import unit_required
from congress.lib.paging import paginate
from proposals import selectors, services
from proposals.conf import proposals_setting
from proposals.models import Assignment, AssistOpinion
from proposals.views.common import show_error
from proposals.views.forms import ContactForm, FollowUpForm, OpinionForm, ReasonForm, ReplyForm
from proposals.workflows import ASSIGNMENT, assist_wait_note

A = Assignment.Status
FILTERS = [("open", "待办理"), ("overdue", "已逾期"), *[(v, label) for v, label in A.choices]]


def _d_enabled() -> bool:
    return settings.CONGRESS_RULES["RESULT_CATEGORY_D_ENABLED"]


@require_GET
@unit_required
def inbox(request):
    today = timezone.localdate()
    wanted = request.GET.get("status", "open")
    filters = {"open": True} if wanted in ("open", "overdue") else {"status": wanted} if wanted in A.values else {}
    items = selectors.assignment_list_for_unit(unit=request.user.organization_id, filters=filters)
    if wanted == "overdue":
        items = items.filter(current_due__lt=today)
    # the page reads a row's values; the count counts the assignments alone (unit_inbox_values)
    page, _ = paginate(request, selectors.unit_inbox_values(items), proposals_setting("LIST_PAGE_SIZE"),
                       count=items.count())
    amber = proposals_setting("UNIT_AMBER_DAYS")
    rows = selectors.unit_inbox_rows(page, today, amber)
    return render(request, "proposals/unit/inbox.html", {
        "page": page, "rows": rows, "filters": FILTERS, "wanted": wanted, "amber": amber,
        "unit": request.user.organization})


@require_GET
@unit_required
def assignment_detail(request, pk):
    assignment = selectors.get_assignment_for_unit(request.user, pk)
    suggestion = assignment.suggestion
    today = timezone.localdate()
    opinions = []
    if assignment.role == Assignment.Role.LEAD:
        opinions = AssistOpinion.objects.filter(assignment__suggestion=suggestion).select_related("assignment__unit")
    return render(request, "proposals/unit/detail.html", {
        "a": assignment, "s": suggestion, "today": today,
        "light": selectors.deadline_light(assignment, today, proposals_setting("UNIT_AMBER_DAYS")),
        "timeline": selectors.timeline_for(suggestion),
        "attachments": suggestion.attachments.order_by("id"),
        "contacts": assignment.contacts.select_related("recorded_by"),
        "replies": assignment.replies.prefetch_related("evaluations__deputy").order_by("id"),
        "followups": assignment.followups.order_by("year"),
        "opinions": opinions,
        "offers": ASSIGNMENT.offered(request.user, assignment, "unit"),
        "waiting_note": assist_wait_note(assignment) if ASSIGNMENT.permits(request.user, assignment, "reply") else None,
        "send_back_form": ReasonForm(), "contact_form": ContactForm(initial={"date": today}),
        "opinion_form": OpinionForm(), "reply_form": ReplyForm(d_enabled=_d_enabled()),
        "followup_form": FollowUpForm(initial={"year": today.year}),
    })


def _act(request, pk, form_class, call, done: str, files=False, **form_kwargs):
    assignment = selectors.get_assignment_for_unit(request.user, pk)
    form = form_class(request.POST, request.FILES if files else None, **form_kwargs)
    if not form.is_valid():
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            messages.error(request, f"{label}：{'；'.join(errors)}" if label else "；".join(errors))
    else:
        try:
            call(assignment, form.cleaned_data)
        except ValidationError as exc:  # CongressError, or the letter's PDF check
            show_error(request, exc)
        else:
            messages.success(request, done)
    return redirect("unit:detail", pk=assignment.pk)


@require_POST
@unit_required
def send_back(request, pk):
    return _act(request, pk, ReasonForm, lambda a, d: services.assignment_request_send_back(
        actor=request.user, assignment=a, reason=d["reason"]), "已申请退回，等待常委会工作机构处理")


@require_POST
@unit_required
def contact(request, pk):
    return _act(request, pk, ContactForm, lambda a, d: services.assignment_record_contact(
        actor=request.user, assignment=a, stage=d["stage"], method=d["method"], date=d["date"], summary=d["summary"]),
        "沟通记录已保存")


@require_POST
@unit_required
def opinion(request, pk):
    return _act(request, pk, OpinionForm, lambda a, d: services.assignment_send_assist_opinion(
        actor=request.user, assignment=a, content=d["content"], attachment=d["attachment"]),
        "会办意见已送主办单位", files=True)


@require_POST
@unit_required
def reply(request, pk):
    return _act(request, pk, ReplyForm, lambda a, d: services.assignment_reply(
        actor=request.user, assignment=a, letter=d["letter"], result=d["result"], publishable=d["publishable"],
        summary=d["summary"]), "答复已提交，代表将收到评价通知", files=True, d_enabled=_d_enabled())


@require_POST
@unit_required
def followup(request, pk):
    return _act(request, pk, FollowUpForm, lambda a, d: services.followup_report(
        actor=request.user, assignment=a, year=d["year"], progress=d["progress"], solved=d["solved"]),
        "续办情况已报告")
