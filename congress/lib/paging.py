"""Paging for the apps' own list pages: the page, and the query string without `page` for the pager's links."""
from django.core.paginator import Page, Paginator


def paginate(request, items, per_page: int, *, count: int | None = None) -> tuple[Page, str]:
    """`count`: the number of items when the view already knows it (it saves the COUNT query)."""
    paginator = Paginator(items, per_page)
    if count is not None:
        paginator.count = count  # Paginator.count is a cached_property: this is its value
    page = paginator.get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return page, query.urlencode()
