"""Portal views: thin. Who may see what is in deputies.selectors; what may change is in deputies.services."""
import io

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from congress.lib import offline, statcache, uploads
from congress.lib.access import deputy_required
from congress.lib.pdf import pdf_response
from congress.services import CongressError
from deputies import forms, predicates, seams, selectors, services
from deputies.models import DutyActivity


def _error(request, exc: CongressError):
    for message in exc.messages:
        messages.error(request, message)


def _year(request) -> int:
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        year = timezone.localdate().year
    return year if 2000 <= year <= 2100 else timezone.localdate().year


@require_GET
@deputy_required
def home(request):
    deputy, year = request.deputy, timezone.localdate().year
    summary, summary_taken_at = selectors.kept_year_summary(deputy, year)
    panels = [p for p in (panel(request, deputy) for panel in seams.home_panels) if p]
    return render(request, "portal/home.html", {
        "deputy": deputy, "year": year,
        "to_confirm": selectors.home_activities_to_confirm(deputy, limit=selectors.portal_setting("HOME_CONFIRM_LIMIT")),
        "checklist": summary.checklist, "checklist_done": summary.checklist_done, "summary_taken_at": summary_taken_at,
        "summary_kept": statcache.keeping(),
        "score": summary.score, "absences": summary.absences,
        "absence_flag": selectors.portal_setting("UNEXCUSED_ABSENCE_FLAG"),
        "panels": panels,
    })


@deputy_required
def activity_new(request):
    co = selectors.co_deputy_choices(request.deputy)
    if request.method == "POST" and (done := offline.already_accepted(request)):
        return done
    form = forms.ActivityForm(request.POST or None, request.FILES or None, co_deputies=co)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            activity = services.activity_report(
                actor=request.user, activity_type=data["activity_type"], date=data["date"], title=data["title"],
                place=data["place"], description=data["description"], photos=data["photos"],
                co_deputies=list(data["co_deputies"]))
        except CongressError as exc:
            _error(request, exc)
        else:
            messages.success(request, "已登记，等待工作人员审核")
            return offline.accepted(request, redirect("portal:activity_detail", pk=activity.pk))
    return render(request, "portal/activity_form.html", {"form": form})


@require_GET
@deputy_required
def activity_detail(request, pk):
    from deputies.predicates import can_confirm_participation

    participation = selectors.get_participation_for_user(request.user, pk)
    return render(request, "portal/activity_detail.html", {
        "p": participation, "activity": participation.activity, "photos": selectors.activity_photos(pk),
        "can_confirm": can_confirm_participation(request.user, participation.activity)})


@require_POST
@deputy_required
def activity_confirm(request, pk):
    selectors.get_participation_for_user(request.user, pk)
    try:
        services.participation_confirm(actor=request.user, activity_id=pk)
    except CongressError as exc:
        if request.headers.get("HX-Request"):
            return HttpResponse(f'<li class="item">{exc.messages[0]}</li>')
        _error(request, exc)
        return redirect("portal:home")
    if request.headers.get("HX-Request"):
        return HttpResponse('<li class="item"><span class="status green">已确认</span></li>')
    messages.success(request, "已确认参加")
    return redirect("portal:home")


@require_GET
@login_required
def photo(request, pk):
    """Activity photos are not public: the activity's deputies and staff who may view the activity see them (town
    staff: activities with a participant from their towns). Re-encoded JPEGs, so shown inline."""
    photo = selectors.get_activity_photo_for_user(request.user, pk)
    return uploads.serve(request, photo.image, inline_image=True)


@require_GET
@login_required
def deputy_photo(request, pk):
    """A deputy's photo: the deputy, and staff who may view that deputy's record."""
    deputy = selectors.get_deputy_photo_for_user(request.user, pk)
    return uploads.serve(request, deputy.photo, filename=f"{deputy.full_name}照片", inline_image=True)


@require_GET
@login_required
def report_file(request, pk):
    """The file of a 向选民述职: the deputy, and staff who may view that deputy's reports."""
    report = selectors.get_voter_report_for_user(request.user, pk)
    return uploads.serve(request, report.file, filename=f"述职报告{report.date:%Y%m%d}")


@require_GET
@deputy_required
def record(request):
    year = _year(request)
    items = selectors.duty_record(request.deputy, year)
    this_year = timezone.localdate().year
    return render(request, "portal/record.html", {
        "year": year, "items": items, "months": selectors.calendar_months(items, year),
        "years": range(this_year, this_year - 5, -1),
    })


@require_GET
@deputy_required
def record_pdf(request):
    """The year's duty record as a PDF (the same items as the record page)."""
    from deputies.printables import duty_record_filename, duty_record_pdf

    year = _year(request)
    return pdf_response(duty_record_pdf(request.deputy, year), duty_record_filename(request.deputy, year))


@require_GET
@deputy_required
def points(request):
    year = _year(request)
    snapshot, mine, town_rows = selectors.published_ranking_for(request.deputy)
    return render(request, "portal/points.html", {
        "year": year, "score": selectors.deputy_score(request.deputy, year),
        "snapshot": snapshot, "mine": mine, "town_rows": town_rows,
    })


@deputy_required
def signin(request, token):
    activity = DutyActivity.objects.select_related("activity_type").filter(signin_token=token).first()
    if activity is None:
        raise Http404("签到码无效")
    if request.method == "POST":
        try:
            services.signin_record(actor=request.user, token=token)
        except CongressError as exc:
            _error(request, exc)
        else:
            messages.success(request, f"签到成功：{activity.title}")
            return redirect("portal:activity_detail", pk=activity.pk)
    return render(request, "portal/signin.html", {"activity": activity})


@deputy_required
def leave(request):
    sessions, meetings = selectors.upcoming_meetings()
    form = forms.LeaveForm(request.POST or None, sessions=sessions, meetings=meetings)
    if request.method == "POST" and form.is_valid():
        try:
            services.leave_request_submit(actor=request.user, reason=form.cleaned_data["reason"], **form.target())
        except CongressError as exc:
            _error(request, exc)
        else:
            messages.success(request, "请假申请已提交")
            return redirect("portal:leave")
    return render(request, "portal/leave.html", {
        "form": form, "leaves": selectors.leave_list_for(user=request.user)[:50],
        "absences": selectors.unexcused_absences(request.deputy),
        "absence_flag": selectors.portal_setting("UNEXCUSED_ABSENCE_FLAG")})


@deputy_required
def reports(request):
    form = forms.VoterReportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.voter_report_record(actor=request.user, **form.cleaned_data)
        except CongressError as exc:
            _error(request, exc)
        else:
            messages.success(request, "述职记录已保存")
            return redirect("portal:reports")
    return render(request, "portal/reports.html", {
        "form": form, "reports": selectors.voter_report_list_for(user=request.user)[:50]})


@require_GET
@login_required
def event_qr(request, pk):
    """The QR code staff print for an event: it opens the sign-in page on the deputy's phone."""
    if not request.user.has_perm("deputies.change_dutyactivity"):
        raise PermissionDenied("没有管理履职活动的权限")
    activity = DutyActivity.objects.filter(pk=pk, signin_token__isnull=False).first()
    if activity is None:
        raise Http404("该活动未开放扫码签到")
    if not predicates.can_manage_signin(request.user, activity):
        raise PermissionDenied("只能打印本镇街的活动的签到码")
    url = request.build_absolute_uri(reverse("portal:signin", args=[activity.signin_token]))
    out = io.BytesIO()
    segno.make(url, error="m").save(out, kind="svg", scale=8, title=activity.title[:60])
    return HttpResponse(out.getvalue(), content_type="image/svg+xml")


@require_GET
@deputy_required
def search(request):
    """The deputy's search over their own items (their suggestions, co-signed ones, their activities): the portal's
    sources of congress.lib.search."""
    from congress.lib import search as finder

    query, error = finder.clean_query(request.GET.get("q", ""))
    groups = finder.search(request.user, query, limit=finder.PER_KIND, portal=True) if query and not error else []
    return render(request, "portal/search.html", {"q": query, "error": error, "groups": groups,
                                                  "per_kind": finder.PER_KIND})
