"""The public page of published replies (/replies/): no login, searchable, small."""
from django.shortcuts import render
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from congress.lib import statcache
from congress.lib.paging import paginate
from proposals import selectors
from proposals.conf import proposals_setting
from proposals.views.forms import PublicSearchForm


@require_GET
@cache_control(public=True, max_age=300)
def reply_list(request):
    form = PublicSearchForm(request.GET or None)
    filters = {k: v for k, v in form.cleaned_data.items() if v} if form.is_valid() else {}
    replies = selectors.published_reply_list(filters=filters)
    # the count is kept STATS_CACHE_SECONDS per search, like the station list's (browsers may keep the page 300 s)
    key = tuple(sorted((k, getattr(v, "pk", v)) for k, v in filters.items()))
    count, _ = statcache.cached("public_reply_count", key, replies.count)
    page, query = paginate(request, replies, proposals_setting("PUBLIC_PAGE_SIZE"), count=count)
    return render(request, "proposals/public/list.html", {"form": form, "page": page, "query": query})


@require_GET
@cache_control(public=True, max_age=300)
def reply_detail(request, pk):
    return render(request, "proposals/public/detail.html", {"r": selectors.get_published_reply(pk)})
