"""Deputies' suggestion pages (/portal/suggestions/…). Town staff review pre-submissions in the admin
(SuggestionAdmin.town_review_view)."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.views.decorators.http import require_GET, require_POST

from congress.lib import offline, uploads
from congress.lib.access import deputy_required
from congress.services import CongressError
from deputies.models import Deputy
from proposals import selectors, services
from proposals.conf import proposals_setting
from proposals.models import Cosignature, SuggestionAttachment
from proposals.views.common import show_error
from proposals.views.forms import EvaluationForm, SuggestionForm
from proposals.workflows import ASSIGNMENT, COSIGNATURE, SUGGESTION


@require_GET
@deputy_required
def suggestion_list(request):
    page = Paginator(selectors.suggestion_list_for(user=request.user), proposals_setting("LIST_PAGE_SIZE")) \
        .get_page(request.GET.get("page"))
    return render(request, "proposals/portal/list.html", {"page": page, "deputy": request.deputy})


@deputy_required
def suggestion_new(request):
    if request.method == "POST" and (done := offline.already_accepted(request)):
        return done
    form = SuggestionForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            suggestion = services.suggestion_create(actor=request.user, title=data["title"], content=data["content"],
                                                    category=data["category"], attachments=data["attachments"])
        except CongressError as exc:
            show_error(request, exc)
        else:
            messages.success(request, "草稿已保存，可以邀请附议代表后提交")
            return offline.accepted(request, redirect("proposals:portal_detail", pk=suggestion.pk))
    return render(request, "proposals/portal/form.html", {"form": form})


@deputy_required
def suggestion_edit(request, pk):
    suggestion = selectors.get_suggestion_for_user(request.user, pk)
    refusal = SUGGESTION.refusal(request.user, suggestion, "edit")
    if refusal:
        raise PermissionDenied(refusal)
    initial = {"title": suggestion.title, "content": suggestion.content, "category": suggestion.category_id}
    form = SuggestionForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.suggestion_update_draft(actor=request.user, suggestion=suggestion, title=data["title"],
                                             content=data["content"], category=data["category"],
                                             attachments=data["attachments"])
        except CongressError as exc:
            show_error(request, exc)
        else:
            messages.success(request, "已保存")
            return redirect("proposals:portal_detail", pk=suggestion.pk)
    return render(request, "proposals/portal/form.html", {"form": form, "suggestion": suggestion})


@require_GET
@deputy_required
def suggestion_detail(request, pk):
    suggestion = selectors.get_suggestion_for_user(request.user, pk)
    deputy, user = request.deputy, request.user
    replies = list(selectors.replies_for(suggestion))
    latest = {}
    for r in replies:  # ordered by assignment, then id: the last one of each assignment is its latest
        latest[r.assignment_id] = r
    to_rate = {r.pk for r in latest.values() if ASSIGNMENT.can(user, r.assignment, "evaluate")}
    invitation = suggestion.cosignatures.filter(deputy=deputy, status=Cosignature.Status.INVITED).first()
    return render(request, "proposals/portal/detail.html", {
        "s": suggestion, "deputy": deputy, "offers": SUGGESTION.offered(user, suggestion, "portal"),
        "cosignatures": suggestion.cosignatures.select_related("deputy").order_by("id"),
        "attachments": suggestion.attachments.order_by("id"),
        "assignments": suggestion.assignments.select_related("unit").order_by("role", "id"),
        "timeline": selectors.timeline_for(suggestion),
        "replies": replies, "to_rate": to_rate, "rating_form": EvaluationForm(),
        "my_invitation": invitation,
        "invitation_offers": COSIGNATURE.offered(user, invitation, "portal") if invitation else {},
    })


@require_GET
@deputy_required
def deputy_search(request):
    """htmx: deputies whose name matches, as checkboxes for the invitation form."""
    found = selectors.deputy_search(query=request.GET.get("q", ""), exclude_ids=[request.deputy.pk],
                                    limit=proposals_setting("DEPUTY_SEARCH_LIMIT"))
    return HttpResponse(render_to_string("proposals/portal/snippets/deputy_choices.html", {"found": found,
                                                                                          "q": request.GET.get("q", "")}))


@require_POST
@deputy_required
def suggestion_invite(request, pk):
    suggestion = selectors.get_suggestion_for_user(request.user, pk)
    ids = [int(i) for i in request.POST.getlist("deputies") if i.isdigit()]
    try:
        made = services.suggestion_invite_cosigners(actor=request.user, suggestion=suggestion,
                                                    deputies=Deputy.objects.filter(pk__in=ids).order_by("id"))
    except CongressError as exc:
        show_error(request, exc)
    else:
        if made:
            messages.success(request, f"已邀请{len(made)}名代表附议，等待对方确认")
        else:
            messages.warning(request, "没有新邀请的代表")
    return redirect("proposals:portal_detail", pk=suggestion.pk)


@require_POST
@deputy_required
def suggestion_submit(request, pk):
    suggestion = selectors.get_suggestion_for_user(request.user, pk)
    presubmit = request.POST.get("presubmit") == "1"
    try:
        services.suggestion_submit(actor=request.user, suggestion=suggestion, presubmit=presubmit)
    except CongressError as exc:
        show_error(request, exc)
    else:
        messages.success(request, "已预提交，等待镇街人大审核" if presubmit else "已提交，等待常委会工作机构登记")
    return redirect("proposals:portal_detail", pk=suggestion.pk)


@require_GET
@deputy_required
def invitations(request):
    return render(request, "proposals/portal/invitations.html", {
        "invitations": selectors.pending_invitations_for(request.deputy)[:100]})


@require_POST
@deputy_required
def cosignature_respond(request, pk):
    cosignature = Cosignature.objects.filter(pk=pk, deputy=request.deputy).first()
    if cosignature is None:
        raise Http404("邀请不存在")
    confirm = request.POST.get("decision") == "confirm"
    try:
        services.cosignature_respond(actor=request.user, cosignature=cosignature, confirm=confirm)
    except CongressError as exc:
        text, ok = exc.messages[0], False
    else:
        text, ok = ("已确认附议" if confirm else "已谢绝"), True
    if request.headers.get("HX-Request"):
        return HttpResponse(f'<li class="item"><span class="status {"green" if ok else "red"}">{text}</span></li>')
    (messages.success if ok else messages.error)(request, text)
    return redirect("proposals:portal_invitations")


@require_POST
@deputy_required
def reply_evaluate(request, pk):
    reply = selectors.reply_letter_for(request.user, pk)
    form = EvaluationForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请选择满意、基本满意或不满意")
    else:
        try:
            evaluation = services.evaluation_submit(actor=request.user, reply=reply, rating=form.cleaned_data["rating"],
                                                    comment=form.cleaned_data["comment"])
        except CongressError as exc:
            show_error(request, exc)
        else:
            messages.success(request, f"已评价：{evaluation.get_rating_display()}")
    return redirect("proposals:portal_detail", pk=reply.assignment.suggestion_id)


@require_GET
@login_required
def attachment(request, pk):
    found = SuggestionAttachment.objects.filter(pk=pk).first()
    if found is None:
        raise Http404("附件不存在")
    selectors.get_suggestion_for_user(request.user, found.suggestion_id)
    return uploads.serve(request, found.file, filename=found.name)


@require_GET
def reply_letter(request, pk):
    """The signed letter: public once the reply is published, else for whoever may see the suggestion."""
    reply = selectors.reply_letter_for(request.user, pk)
    return uploads.serve(request, reply.letter, filename=f"答复函{reply.pk}.pdf")


@require_GET
@login_required
def session_archive_file(request, pk):
    """A congress session's suggestion archive: for the committee's staff and leaders."""
    archive = selectors.session_archive_for(request.user, pk)
    return uploads.serve(request, archive.file, filename=f"{archive.session}代表建议办理档案.pdf")


@require_GET
@login_required
def opinion_attachment(request, pk):
    """An assisting unit's 会办意见 attachment: for staff and the units handling the suggestion."""
    opinion = selectors.get_assist_opinion_for_user(request.user, pk)
    return uploads.serve(request, opinion.attachment, filename=f"会办意见附件{opinion.pk}")
