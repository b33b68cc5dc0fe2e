"""The public page of published replies (/replies/): no login, searchable, small."""
from django.shortcuts import render
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from congress.lib.paging import paginate
from proposals import selectors
from proposals.conf import proposals_setting
from proposals.views.forms import PublicSearchForm


@require_GET
@cache_control(public=True, max_age=300)
def reply_list(request):
    form = PublicSearchForm(request.GET or None)
    filters = {k: v for k, v in form.cleaned_data.items() if v} if form.is_valid() else {}
    page, query = paginate(request, selectors.published_reply_list(filters=filters), proposals_setting("PUBLIC_PAGE_SIZE"))
    return render(request, "proposals/public/list.html", {"form": form, "page": page, "query": query})


@require_GET
@cache_control(public=True, max_age=300)
def reply_detail(request, pk):
    return render(request, "proposals/public/detail.html", {"r": selectors.get_published_reply(pk)})
