import functools

from django.conf import settings
from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.utils.translation import get_language


class CongressAdminSite(admin.AdminSite):
    site_header = "区人大常委会履职服务平台"
    site_title = "人大履职服务平台"
    index_title = "工作台"
    # The sidebar repeats the whole app list (every model the user may open) on every admin page: 19.5 KB of the
    # suggestion list's 76.7 KB, and a permission check per model per request. The index and the breadcrumbs lead
    # to every list instead.
    enable_nav_sidebar = False

    def each_context(self, request):
        """Every admin page's context. Django puts the whole app list in it (``available_apps``: a permission check per
        model, about 9 ms a page here) for the sidebar switched off above; it is built now only if a template reads it.
        The index builds its own list."""
        request._congress_lazy_app_list = True
        try:
            return super().each_context(request)
        finally:
            del request._congress_lazy_app_list

    def get_app_list(self, request, app_label=None):
        if getattr(request, "_congress_lazy_app_list", False):
            from django.utils.functional import SimpleLazyObject

            return SimpleLazyObject(lambda: super(CongressAdminSite, self).get_app_list(request, app_label))
        return super().get_app_list(request, app_label)

    def index(self, request, extra_context=None):
        """The roll's figures, the 逾期事项 count and this user's 待办, each kept ADMIN_COUNTS_CACHE_SECONDS (the page
        says when they were counted): every one is a count over a whole table, and staff come back here all day."""
        from django.conf import settings
        from django.utils import timezone

        from congress.lib import statcache
        from congress.lib.dashboard import overdue_query, todos_for
        from congress.predicates import can_search, can_see_overdue_list
        from congress.selectors import system_counts

        today, seconds = timezone.localdate(), settings.ADMIN_COUNTS_CACHE_SECONDS
        figures, counted_at = statcache.cached("admin_figures", (), system_counts, seconds)
        todos, todos_at = statcache.cached("admin_todos", (request.user.pk, today),
                                           lambda: todos_for(request.user, today), seconds)
        extra_context = {**(extra_context or {}), "figures": figures, "todos": todos,
                         "counted_at": min(counted_at, todos_at), "counts_kept": max(seconds, 0)}
        if can_see_overdue_list(request.user):  # the leaders' list of overdue items, linked with its count
            def overdue_count():
                query = overdue_query(today)
                return query.count() if query is not None else 0

            extra_context["overdue_count"], overdue_at = statcache.cached("admin_overdue", (today,), overdue_count, seconds)
            extra_context["counted_at"] = min(extra_context["counted_at"], overdue_at)
        from congress.predicates import can_see_dashboard

        extra_context["dashboard_link"] = can_see_dashboard(request.user)  # 领导驾驶舱
        extra_context["can_search"] = can_search(request.user)
        return super().index(request, extra_context)


class CongressAdminConfig(AdminConfig):
    default_site = "congress.admin_site.CongressAdminSite"

    def ready(self):
        super().ready()
        from django.contrib.admin.templatetags import admin_list

        # the lists', read-only fields' and history pages' callers import it from there when they render
        admin_list._boolean_icon = boolean_icon
        # the project's change lists write their rows' cells with less work per row (Django's for the rest)
        from congress.lib import admin as congress_admin

        if admin_list.items_for_result is not congress_admin.items_for_result:
            congress_admin._django_items_for_result = admin_list.items_for_result
            admin_list.items_for_result = congress_admin.items_for_result
        name_many_to_many_rows()


def boolean_icon(field_val):
    """Django's yes/no/unknown icon in lists and read-only fields, with alt text in the interface's language: Django
    writes Python's True/False/None there, which a screen reader reads out in English. A list shows it in every row of
    every yes/no column (100 a page of suggestions); the markup is made once per icon, static address and language."""
    return _boolean_icon_html(field_val, settings.STATIC_URL, get_language())


@functools.lru_cache(maxsize=64)
def _boolean_icon_html(field_val, static_url, language):
    from django.templatetags.static import static
    from django.utils.html import format_html
    from django.utils.translation import gettext

    icon, label = {True: ("yes", gettext("Yes")), False: ("no", gettext("No")), None: ("unknown", gettext("Unknown"))}[field_val]
    return format_html('<img src="{}" alt="{}">', static(f"admin/img/icon-{icon}.svg"), label)


def name_many_to_many_rows():
    """The delete confirmation lists the rows of many-to-many tables that go too, by names Django makes up in English
    ("ReceptionDay-organization relationship: ReceptionDay_visiting_units object (3)"); name them by their owner's
    field and the other end instead (接待选民日的进站国家机关：区教育局). Django creates these models itself: nothing in
    the migrations records their names."""
    from django.apps import apps

    for model in apps.get_models(include_auto_created=True):
        owner = model._meta.auto_created
        if not owner:
            continue
        field = next((f for f in owner._meta.local_many_to_many if f.remote_field.through is model), None)
        if field is None:
            continue
        name = f"{owner._meta.verbose_name}的{field.verbose_name}"
        model._meta.verbose_name = model._meta.verbose_name_plural = name
        other_end = field.m2m_reverse_field_name()
        model.__str__ = lambda row, other_end=other_end: str(getattr(row, other_end))
