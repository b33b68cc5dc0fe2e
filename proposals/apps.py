from django.apps import AppConfig


class ProposalsConfig(AppConfig):
    name = "proposals"
    verbose_name = "议案建议"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # plug into the deputy portal without deputies importing proposals (deputies/seams.py)
        from deputies import seams
        from proposals import workflows  # noqa: F401  (declares the app's workflows: congress.lib.workflow.WORKFLOWS)
        from proposals.selectors import good_suggestion_checklist
        from proposals.views import seams as ours

        tab = seams.NavTab("我的建议", "proposals:portal_list", ("proposals:portal_*",))
        if tab not in seams.nav_tabs:
            seams.nav_tabs.append(tab)
        for registry, source in ((seams.home_panels, ours.suggestions_panel),
                                 (seams.home_panels, ours.replies_to_rate_panel),
                                 (seams.home_panels, ours.invitations_panel),
                                 (seams.duty_record_sources, ours.suggestions_for_duty_record),
                                 (seams.year_sources, seams.YearSource(checklist=good_suggestion_checklist,
                                                                       points=ours.suggestion_points,
                                                                       one=ours.suggestion_year))):
            if source not in registry:
                registry.append(source)
        from congress.lib import dashboard, workdays
        from proposals.services.assignments import deadlines_recompute

        if deadlines_recompute not in workdays.schedule_hooks:
            workdays.schedule_hooks.append(deadlines_recompute)
        from proposals.selectors import admin_todos, units_with_open_assignments

        dashboard.register(admin_todos)
        dashboard.register_unit_work(units_with_open_assignments)
        from proposals.selectors import overdue_assignment_rows, overdue_assignments

        dashboard.register_overdue(dashboard.OverdueSource(key="assignment", items=overdue_assignments, due="current_due",
                                                           organization="unit_id", rows=overdue_assignment_rows))
        from congress.reports.registry import register_chapter
        from proposals.chapters import KEY, TITLE, suggestions_chapter

        register_chapter(KEY, TITLE, 30, suggestions_chapter)
        from proposals import panels

        dashboard.register_panel(panels.KEY, 20, panels.suggestions_panel)
        from congress.lib import search
        from proposals.selectors.search import portal_suggestion_hits, reply_hits, suggestion_hits

        search.register(search.Source("代表建议", suggestion_hits, 10))
        search.register(search.Source("答复", reply_hits, 20))
        search.register(search.Source("我的建议", portal_suggestion_hits, 10), portal=True)
