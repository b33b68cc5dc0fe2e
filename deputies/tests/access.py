"""The deputy portal's rows in the access matrix (tests/test_access_matrix.py)."""
import datetime
import uuid

ROLES = ["anonymous", "outsider", "sysadmin", "secadmin", "auditor", "staff", "town", "unit", "deputy", "leader"]
CRUD = "vacd"

MODEL_ACCESS = {
    "deputies.pointrule": {"staff": CRUD, "leader": "v", "town": "v"},
    "deputies.scoresnapshot": {"staff": "vad", "leader": "v"},
    "deputies.leaverequest": {"staff": CRUD, "leader": "v", "town": "vac"},
    "deputies.voterreport": {"staff": CRUD, "leader": "v", "town": "vac"},
    "deputies.inactivedeputy": {"staff": "v", "leader": "v", "town": "v"},
    "deputies.checklisttown": {"staff": "v", "leader": "v", "town": "v"},
}

DEPUTY_ONLY = {r: 403 for r in ROLES} | {"anonymous": 302, "deputy": 200}
POST_ONLY = dict.fromkeys(ROLES, 405)
PAGES = {
    "portal:home": DEPUTY_ONLY,
    "portal:activity_new": DEPUTY_ONLY,
    "portal:activity_detail": DEPUTY_ONLY,
    "portal:activity_confirm": POST_ONLY,
    "portal:record": DEPUTY_ONLY,
    "portal:record_pdf": DEPUTY_ONLY,
    "portal:points": DEPUTY_ONLY,
    "portal:search": DEPUTY_ONLY,
    "portal:signin": DEPUTY_ONLY,
    "portal:leave": DEPUTY_ONLY,
    "portal:reports": DEPUTY_ONLY,
    # a photo that does not exist: not found for everyone logged in
    "portal:photo": {r: 404 for r in ROLES} | {"anonymous": 302},
    # a deputy photo and a report file that do not exist (deputies/tests/test_files.py reads real ones)
    "portal:deputy_photo": {r: 404 for r in ROLES} | {"anonymous": 302},
    "portal:report_file": {r: 404 for r in ROLES} | {"anonymous": 302},
    # the printable QR code: whoever may change activities (committee and town staff)
    "portal:event_qr": {r: 403 for r in ROLES} | {"anonymous": 302, "staff": 200, "town": 200},
    # the offline drafts' service worker script: public, it holds no data (congress/lib/offline.py)
    "portal:sw": dict.fromkeys(ROLES, 200),
}


def setup(world):
    sample = world["sample"]
    deputy = sample["deputy"]
    deputy.user = world["deputy"]
    deputy.save(update_fields=["user"])
    activity = sample["dutyactivity"]
    activity.signin_token, activity.signin_open = uuid.uuid4(), True
    activity.save(update_fields=["signin_token", "signin_open"])
    # one row (and so one history row) of each new admin model
    from congress.models import CongressSession
    from deputies.models import LeaveRequest, PointRule, ScoreSnapshot, ScoreSnapshotRow, VoterReport

    PointRule.objects.create(activity_type=sample["dutyactivitytype"], points_present=3, points_absent=-1,
                             effective_from=datetime.date(2020, 1, 1))
    snapshot = ScoreSnapshot.objects.create(year=2024, quarter=2, published_by=world["staff"])
    ScoreSnapshotRow.objects.create(snapshot=snapshot, deputy=deputy, deputy_name=deputy.full_name, town_name="城东街道",
                                    score=3, rank_in_town=1)
    session = CongressSession.objects.first()
    LeaveRequest.objects.create(deputy=deputy, congress_session=session, reason="出差")
    VoterReport.objects.create(deputy=deputy, date=datetime.date(2024, 6, 1), place="联络站", attendance=30, text="述职")


def url_for(name, route, world):
    activity = world["sample"]["dutyactivity"]
    if name in {"portal:activity_detail", "portal:activity_confirm", "portal:event_qr"}:
        return "/" + route.replace("<id:pk>", str(activity.pk))
    if name in {"portal:photo", "portal:deputy_photo", "portal:report_file"}:
        return "/" + route.replace("<id:pk>", "999999")
    if name == "portal:signin":
        return "/" + route.replace("<uuid:token>", str(activity.signin_token))
    return None
