"""Deputies' suggestion pages under /portal/suggestions/ and the public reply pages under /replies/. (Town staff
review pre-submissions in the admin.)"""
from django.urls import path

from proposals.views import portal, public

app_name = "proposals"
urlpatterns = [
    path("portal/suggestions/", portal.suggestion_list, name="portal_list"),
    path("portal/suggestions/new/", portal.suggestion_new, name="portal_new"),
    path("portal/suggestions/invitations/", portal.invitations, name="portal_invitations"),
    path("portal/suggestions/invitations/<id:pk>/respond/", portal.cosignature_respond, name="portal_cosign_respond"),
    path("portal/suggestions/deputies/", portal.deputy_search, name="portal_deputy_search"),
    path("portal/suggestions/<id:pk>/", portal.suggestion_detail, name="portal_detail"),
    path("portal/suggestions/<id:pk>/edit/", portal.suggestion_edit, name="portal_edit"),
    path("portal/suggestions/<id:pk>/invite/", portal.suggestion_invite, name="portal_invite"),
    path("portal/suggestions/<id:pk>/submit/", portal.suggestion_submit, name="portal_submit"),
    path("portal/suggestions/replies/<id:pk>/evaluate/", portal.reply_evaluate, name="portal_evaluate"),
    path("portal/suggestions/attachments/<id:pk>/", portal.attachment, name="attachment"),
    path("portal/suggestions/assist-opinions/<id:pk>/attachment/", portal.opinion_attachment, name="opinion_attachment"),
    path("replies/", public.reply_list, name="public_list"),
    path("replies/<id:pk>/", public.reply_detail, name="public_detail"),
    path("replies/<id:pk>/letter/", portal.reply_letter, name="reply_letter"),
    path("archives/<id:pk>/file/", portal.session_archive_file, name="session_archive_file"),
]
