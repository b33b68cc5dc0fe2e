from django.urls import path

from supervision.views import inspections, livelihood, meetings, portal, reports, unit

app_name = "supervision"
urlpatterns = [
    path("portal/polls/", portal.poll_list, name="polls"),
    path("portal/polls/<id:pk>/", portal.poll_vote, name="poll_vote"),
    path("supervision/rectification-reports/<id:pk>/evidence/", unit.rectification_evidence,
         name="rectification_evidence"),
    path("supervision/report-submissions/<id:pk>/file/", reports.report_submission_file, name="report_submission_file"),
    path("supervision/review-opinions/<id:pk>/letter/", reports.review_opinion_letter, name="review_opinion_letter"),
    path("portal/meetings/", meetings.meeting_list, name="meetings"),
    path("portal/meetings/new/", meetings.meeting_new, name="meeting_new"),
    path("portal/meetings/<id:pk>/", meetings.meeting_detail, name="meeting"),
    path("portal/inspections/", inspections.inspection_list, name="inspections"),
    path("supervision/inspections/<id:pk>/report/", inspections.inspection_report_file, name="inspection_report_file"),
    path("portal/livelihood/", livelihood.portal_rounds, name="livelihood_rounds"),
    path("portal/livelihood/<id:pk>/", livelihood.portal_round, name="livelihood_round"),
    path("portal/livelihood/<id:pk>/propose/", livelihood.portal_propose, name="livelihood_propose"),
]
