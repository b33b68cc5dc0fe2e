"""代表约见's pages: the deputies' in the portal (/portal/meetings/: draft a request, co-sign others' drafts, put one
forward, rate the organ's reply) and the organ's in its unit workspace (/unit/meetings/: the written reply)."""
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from congress.lib.access import deputy_required, unit_required
from congress.lib.paging import paginate
from congress.lib.workflow import timeline_rows
from congress.services import CongressError
from supervision import selectors_meetings as selectors
from supervision import services
from supervision.forms_meetings import MeetingRatingForm, MeetingReplyForm, MeetingRequestForm
from supervision.models import MeetingRequest
from supervision.predicates import can_see_meeting_request
from supervision.workflows import MEETING_REQUEST


@require_GET
@deputy_required
def meeting_list(request):
    page, query = paginate(request, selectors.portal_meeting_requests(request.deputy), 30)
    return render(request, "supervision/meetings/portal_list.html", {
        "page": page, "query": query, "drafts": selectors.open_drafts_for(request.deputy)[:30]})


@require_http_methods(["GET", "POST"])
@deputy_required
def meeting_new(request):
    form = MeetingRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            item = services.meeting_request_create(actor=request.user, subject=data["subject"], content=data["content"],
                                                   organization=data["organization"], head=data["head"])
        except CongressError as exc:
            form.add_error(None, exc.messages)
        else:
            messages.success(request, "约见草稿已保存。请其他代表在“代表约见”页面联名，联名人数够后由您提出。")
            return redirect("supervision:meeting", pk=item.pk)
    return render(request, "supervision/meetings/portal_new.html", {"form": form})


@require_http_methods(["GET", "POST"])
@deputy_required
def meeting_detail(request, pk):
    item = (MeetingRequest.objects.filter(pk=pk).select_related("organization", "drafted_by").first())
    if item is None or not can_see_meeting_request(request.user, item):
        raise Http404("约见事项不存在或您无权查看")
    rating_form = MeetingRatingForm(request.POST if request.POST.get("action") == "rate" else None)
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "cosign":
                services.meeting_request_cosign(actor=request.user, request=item)
                messages.success(request, "您已联名。")
            elif action == "propose":
                services.meeting_request_propose(actor=request.user, request=item)
                messages.success(request, "约见已提出，等待主任会议研究决定。")
            elif action == "rate" and rating_form.is_valid():
                services.meeting_request_rate(actor=request.user, request=item, choice=rating_form.cleaned_data["choice"],
                                              comment=rating_form.cleaned_data["comment"])
                messages.success(request, "评价已提交。")
            elif action != "rate":
                raise PermissionDenied("无法识别的操作")
        except CongressError as exc:
            for message in exc.messages:
                messages.error(request, message)
            return redirect("supervision:meeting", pk=item.pk)
        if action != "rate" or rating_form.is_valid():
            return redirect("supervision:meeting", pk=item.pk)
    signers = list(item.signers.select_related("deputy").order_by("signed_at", "pk"))
    return render(request, "supervision/meetings/portal_detail.html", {
        "item": item, "signers": signers, "offers": MEETING_REQUEST.offered(request.user, item, "portal"),
        # the drafter sees why the request cannot be put forward yet (too few signers)
        "propose_refusal": MEETING_REQUEST.refusal(request.user, item, "propose")
        if item.status == MeetingRequest.Status.DRAFT and MEETING_REQUEST.permits(request.user, item, "propose") else None,
        "rating_form": rating_form, "attendees": list(item.attendees.order_by("full_name", "pk")),
        "ratings": list(item.ratings.select_related("deputy").order_by("rated_at", "pk")),
        "timeline": timeline_rows(MEETING_REQUEST.history(item))})


@require_GET
@unit_required
def unit_meeting_list(request):
    everything = request.GET.get("all") == "1"
    page, query = paginate(request, selectors.unit_meeting_requests(request.user, everything=everything), 30)
    return render(request, "supervision/meetings/unit_list.html", {"page": page, "query": query,
                                                                   "everything": everything})


@require_http_methods(["GET", "POST"])
@unit_required
def unit_meeting_detail(request, pk):
    item = selectors.unit_meeting_request(request.user, pk)
    form = MeetingReplyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.meeting_request_reply(actor=request.user, request=item, text=form.cleaned_data["text"])
        except CongressError as exc:
            form.add_error(None, exc.messages)
        else:
            messages.success(request, "书面答复已提交，已通知联名代表。")
            return redirect("supervision_unit_meetings:detail", pk=item.pk)
    return render(request, "supervision/meetings/unit_detail.html", {
        "item": item, "form": form, "offers": MEETING_REQUEST.offered(request.user, item, "unit"),
        "attendees": list(item.attendees.order_by("full_name", "pk")),
        "timeline": timeline_rows(MEETING_REQUEST.history(item))})
