from django.apps import AppConfig


class StationsConfig(AppConfig):
    name = "stations"
    verbose_name = "家站点"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # the upcoming reception duty on the deputy's portal home, without deputies importing stations
        from deputies import seams
        from stations import workflows  # noqa: F401  (declares the app's workflows: congress.lib.workflow.WORKFLOWS)
        from stations.views import reception_duty_panel

        if reception_duty_panel not in seams.home_panels:
            seams.home_panels.insert(0, reception_duty_panel)
        from congress.lib import dashboard
        from stations.selectors import admin_todos, system_figures, units_with_referred_opinions

        dashboard.register(admin_todos)
        dashboard.register_figures(system_figures)
        dashboard.register_unit_work(units_with_referred_opinions)
        from congress.reports.registry import register_chapter
        from stations.chapters import KEY, TITLE, stations_chapter

        register_chapter(KEY, TITLE, 50, stations_chapter)
        from stations import panels

        dashboard.register_panel(panels.KEY, 50, panels.stations_panel)
        from congress.lib import search
        from stations.selectors import opinion_hits

        search.register(search.Source("社情民意", opinion_hits, 30))
        # 国家机关进家站点 and the stations' figures: SQLite (the demo) gets the MEDIAN aggregate the figures use
        from django.db.backends.signals import connection_created

        from stations.figures import register_sqlite_median

        connection_created.connect(register_sqlite_median, dispatch_uid="stations_sqlite_median")
        from stations import selectors_standards

        dashboard.register(selectors_standards.admin_todos)  # star ratings waiting for confirmation or rework
