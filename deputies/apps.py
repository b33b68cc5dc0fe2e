from django.apps import AppConfig


class DeputiesConfig(AppConfig):
    name = "deputies"
    verbose_name = "代表"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from congress.lib import access, dashboard
        from deputies import workflows  # noqa: F401  (declares the app's workflows: congress.lib.workflow.WORKFLOWS)
        from deputies.selectors import admin_todos, deputy_for_user, system_figures

        dashboard.register(admin_todos)
        dashboard.register_figures(system_figures)
        access.register_deputy_lookup(deputy_for_user)
        from congress.backends import register_user_related

        register_user_related("deputy__town")  # the portal's deputy_for_user reads it from the request's user
        from congress.reports.registry import register_chapter
        from deputies.chapters import KEY, TITLE, deputies_chapter

        register_chapter(KEY, TITLE, 40, deputies_chapter)
        from deputies import panels

        dashboard.register_panel(panels.KEY, 40, panels.activities_panel)
        from congress.lib import search
        from deputies.selectors import activity_hits, deputy_hits, portal_activity_hits

        search.register(search.Source("履职活动", activity_hits, 40))
        search.register(search.Source("代表", deputy_hits, 50))
        search.register(search.Source("我的履职活动", portal_activity_hits, 40), portal=True)
