from django.contrib import admin
from django.contrib.admin.apps import AdminConfig


class CongressAdminSite(admin.AdminSite):
    site_header = "区人大常委会履职服务平台"
    site_title = "人大履职服务平台"
    index_title = "工作台"

    def index(self, request, extra_context=None):
        from django.utils import timezone

        from congress.lib.dashboard import todos_for
        from congress.selectors import system_counts

        extra_context = {**(extra_context or {}), "figures": system_counts(),
                         "todos": todos_for(request.user, timezone.localdate())}
        return super().index(request, extra_context)


class CongressAdminConfig(AdminConfig):
    default_site = "congress.admin_site.CongressAdminSite"
