from django.apps import AppConfig


class SupervisionConfig(AppConfig):
    name = "supervision"
    verbose_name = "监督工作"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # plug into the deputy portal without deputies importing supervision (deputies/seams.py)
        from deputies import seams
        from supervision import workflows  # noqa: F401  (declares the app's workflows: congress.lib.workflow.WORKFLOWS)
        from supervision.views.portal import open_polls_panel

        tab = seams.NavTab("测评", "supervision:polls", ("supervision:polls", "supervision:poll_vote"))
        if tab not in seams.nav_tabs:
            seams.nav_tabs.append(tab)
        if open_polls_panel not in seams.home_panels:
            seams.home_panels.insert(0, open_polls_panel)
        from congress.lib import dashboard
        from supervision.selectors import overdue_rectification_rows, overdue_rectifications, units_with_open_rectifications

        dashboard.register_overdue(dashboard.OverdueSource(key="rectification", items=overdue_rectifications, due="due_date",
                                                           organization="organization_id", rows=overdue_rectification_rows))
        dashboard.register_unit_work(units_with_open_rectifications)
        from supervision.selectors import overdue_review_opinion_rows, overdue_review_opinions

        dashboard.register_overdue(dashboard.OverdueSource(key="review_opinion", items=overdue_review_opinions,
                                                           due="current_due", organization="organization_id",
                                                           rows=overdue_review_opinion_rows))
        from congress.reports.registry import register_chapter
        from supervision.chapters import KEY, TITLE, supervision_chapter

        register_chapter(KEY, TITLE, 20, supervision_chapter)
        from supervision import chapters

        for (key, title, order), build in ((chapters.WORK_REPORTS, chapters.work_reports_chapter),
                                           (chapters.INQUIRIES, chapters.inquiries_chapter),
                                           (chapters.APPRAISALS, chapters.appraisals_chapter)):
            register_chapter(key, title, order, build)
        from supervision import panels

        dashboard.register_panel(panels.KEY, 60, panels.supervision_panel)
        # 代表约见: the overdue written replies, the meetings in the deputies' duty record, its chapter, its portal tab
        from supervision import selectors_meetings as meetings

        dashboard.register_overdue(dashboard.OverdueSource(key="meeting_request", items=meetings.overdue_meeting_replies,
                                                           due="reply_due", organization="organization_id",
                                                           rows=meetings.overdue_meeting_reply_rows))
        if meetings.meeting_duty_items not in seams.duty_record_sources:
            seams.duty_record_sources.append(meetings.meeting_duty_items)
        register_chapter(*chapters.MEETINGS, chapters.meetings_chapter)
        tab = seams.NavTab("约见", "supervision:meetings", ("supervision:meeting*",))
        if tab not in seams.nav_tabs:
            seams.nav_tabs.append(tab)
        # 执法检查: site visits in the deputies' duty record, checklist and points; reports owed on the overdue list;
        # a home panel for the team; the annual report's chapter
        from supervision import selectors_inspections as insp
        from supervision.views.inspections import team_panel

        for registry, source in ((seams.duty_record_sources, insp.visits_for_duty_record),
                                 (seams.year_sources, seams.YearSource(checklist=insp.visit_checklist,
                                                                       points=insp.visit_points, one=insp.visit_year)),
                                 (seams.home_panels, team_panel)):
            if source not in registry:
                registry.append(source)
        dashboard.register_overdue(dashboard.OverdueSource(key="inspection", items=insp.overdue_inspections,
                                                           due="report_due", organization="working_body_id",
                                                           rows=insp.overdue_inspection_rows))
        register_chapter(*chapters.INSPECTIONS, chapters.inspections_chapter)
        # 民生实事项目票决制: the deputies' home panel, overdue quarterly reports, the annual report's chapter
        from supervision import chapters_livelihood, selectors_livelihood
        from supervision.views.livelihood import livelihood_panel

        if livelihood_panel not in seams.home_panels:
            seams.home_panels.append(livelihood_panel)
        dashboard.register_overdue(dashboard.OverdueSource(
            key="livelihood_report", items=selectors_livelihood.overdue_livelihood_reports, due="due_date",
            organization="project__organization_id", rows=selectors_livelihood.overdue_livelihood_report_rows))
        register_chapter(*chapters_livelihood.CHAPTER, chapters_livelihood.livelihood_chapter)
        if selectors_livelihood.livelihood_duty_items not in seams.duty_record_sources:
            seams.duty_record_sources.append(selectors_livelihood.livelihood_duty_items)
        from supervision import chapters_ratings
        from supervision.selectors_ratings import overdue_rating_report_rows, overdue_rating_reports, units_owing_rating_reports

        dashboard.register_overdue(dashboard.OverdueSource(key="rating_report", items=overdue_rating_reports,
                                                           due="report_due", organization="organization_id",
                                                           rows=overdue_rating_report_rows))
        dashboard.register_unit_work(units_owing_rating_reports)
        register_chapter(*chapters_ratings.RATINGS, chapters_ratings.ratings_chapter)
        # 全局搜索: the kinds of supervision work staff look for by their words (supervision/selectors_search.py)
        from congress.lib import search
        from supervision.selectors_search import SOURCES

        for kind, finder, order in SOURCES:
            search.register(search.Source(kind, finder, order))
