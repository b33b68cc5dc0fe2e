"""Roles are groups. This module is the one place that says what each role may do in the admin;
a data migration creates the groups and `sync_role_permissions` (run after every migrate) gives them
exactly these model permissions, so a model added later reaches its roles without a new migration."""
from django.apps import apps as global_apps

SYSTEM_ADMIN = "系统管理员"
SECURITY_ADMIN = "安全管理员"
AUDIT_ADMIN = "审计管理员"
COMMITTEE_STAFF = "常委会机关工作人员"
TOWN_STAFF = "镇街人大工作人员"
HANDLING_UNIT = "承办单位"
DEPUTY = "人大代表"
LEADER = "领导"

ALL_ROLES = [SYSTEM_ADMIN, SECURITY_ADMIN, AUDIT_ADMIN, COMMITTEE_STAFF, TOWN_STAFF, HANDLING_UNIT, DEPUTY, LEADER]
# Roles that work in the admin (is_staff); deputies and handling units work in their own pages.
ADMIN_ROLES = {SYSTEM_ADMIN, SECURITY_ADMIN, AUDIT_ADMIN, COMMITTEE_STAFF, TOWN_STAFF, LEADER}

DOMAIN_MODELS = {
    "congress": ["term", "congresssession", "meeting", "agendaitem", "organization", "appointment", "calendarday",
                 "holidayschedule",
                 "statechange", "officialletter"],
    "deputies": ["deputy", "mandate", "constituency", "delegation", "deputygroup", "deputygroupmembership",
                 "dutyactivitytype", "dutyactivity", "dutyactivityparticipant",
                 "pointrule", "scoresnapshot", "scoresnapshotrow", "leaverequest", "voterreport", "activityphoto",
                 "inactivedeputy", "checklisttown"],
    "stations": ["station", "stationdeputy", "receptionday", "receptionduty", "voteropinion", "stationappraisal"],
    "proposals": ["suggestioncategory", "proposal", "suggestion", "cosignature", "assignment", "reply", "evaluation",
                  "extension", "supervisionevent", "followupreport", "contactrecord", "assistopinion",
                  "sessionarchive"],
    # no role holds any permission on supervision.pollballot: the ballots are counted, never listed
    "supervision": ["committeemember", "satisfactionpoll", "pollgroup", "pollvoter", "rectification",
                    "rectificationreport", "workreport", "reviewopinion", "reportsubmission", "appraisalscheme",
                    "appraisalaspect", "appraisal", "appraisalsurvey", "appraisalscore",
                    "inquiry", "inquiryofficial", "inquiryquestion", "inquirycommitment", "inquiryreport",
                    "meetingrequest", "meetingsigner", "meetingrating",
                    "inspection", "inspectionmember", "inspectionvisit", "inspectionproblem",
                    "livelihoodround", "livelihoodproject", "livelihoodvoter", "livelihoodreport",
                    "ratinground", "ratedofficial"],
}
TOWN_EDITABLE = {"deputies": ["deputy", "mandate", "deputygroupmembership", "dutyactivity", "dutyactivityparticipant",
                              "leaverequest", "voterreport"],
                 "stations": ["station", "stationdeputy", "receptionday", "receptionduty", "voteropinion"]}
TOWN_READABLE = {"congress": ["term", "congresssession", "organization"],
                 "stations": ["stationappraisal"],
                 "proposals": ["suggestion"],
                 "deputies": ["constituency", "delegation", "deputygroup", "dutyactivitytype",
                              "pointrule", "activityphoto", "inactivedeputy", "checklisttown"]}
# 国家机关进家站点 (stations/models_organs.py): town staff enter the visits at their towns' stations, read the item lists
DOMAIN_MODELS["stations"] += ["organserviceitem", "organvisit"]
TOWN_EDITABLE["stations"] += ["organvisit"]
TOWN_READABLE["stations"] += ["organserviceitem"]


# stations: the 八有 standards and the star ratings (stations/standards.py). Town staff record their towns' stations'
# standards and score their yearly appraisals; committee staff keep the checklist and the criteria and confirm.
DOMAIN_MODELS["stations"] += ["standarditem", "stationstandard", "ratingscheme", "ratingcriterion", "stationappraisalscore"]
TOWN_EDITABLE["stations"] += ["stationstandard", "stationappraisal"]
TOWN_READABLE["stations"] = [m for m in TOWN_READABLE["stations"] if m != "stationappraisal"] + [
    "standarditem", "ratingscheme", "ratingcriterion", "stationappraisalscore"]  # appraisals: editable now

# Records of the institution's work that are never deleted, only moved on by their workflow (a suggestion is returned
# or merged, not deleted): no role holds their delete permission, so the admin offers no 删除 it would then refuse.
NEVER_DELETED = {"proposals": ["proposal", "suggestion", "cosignature", "assignment", "reply", "evaluation", "extension",
                               "supervisionevent", "followupreport", "contactrecord", "assistopinion", "sessionarchive"],
                 "stations": ["voteropinion"],
                 "congress": ["statechange", "officialletter"],
                 "supervision": ["satisfactionpoll", "pollgroup", "pollvoter", "rectification", "rectificationreport",
                                 "workreport", "reviewopinion", "reportsubmission", "appraisal", "appraisalsurvey",
                                 "appraisalscore", "inquiry", "inquiryreport", "meetingrequest", "meetingsigner",
                                 "meetingrating", "inspection", "inspectionvisit", "livelihoodround",
                                 "livelihoodproject", "livelihoodvoter", "livelihoodreport", "ratinground",
                                 "ratedofficial"]}


# The reports: leaders and committee staff read the monthly reports and the annual report's versions; staff write the
# annual report's narrative texts and ask for new versions. Reports are built by tasks, never edited or deleted.
REPORT_READERS = {"congress.view_monthlyreport", "congress.view_annualreportversion", "congress.view_annualreporttext"}
REPORT_WRITERS = REPORT_READERS | {"congress.add_annualreportversion", "congress.add_annualreporttext",
                                   "congress.change_annualreporttext", "congress.delete_annualreporttext"}


def _crud(app_models: dict, actions=("view", "add", "change", "delete")) -> set[str]:
    return {f"{app}.{action}_{model}" for app, models in app_models.items() for model in models for action in actions}


def _history_models() -> list[tuple[str, str]]:
    """Every model with django-simple-history records: the audit administrator reads them all."""
    found = []
    for model in global_apps.get_models():
        if model.__name__.startswith("Historical") and model._meta.app_label in {"congress", "deputies", "stations",
                                                                                  "proposals", "supervision"}:
            found.append((model._meta.app_label, model._meta.model_name))
    return found


def role_permissions() -> dict[str, set[str]]:
    audit = {f"{app}.view_{model}" for app, model in _history_models()}
    audit |= {"axes.view_accesslog", "axes.view_accessattempt", "axes.view_accessfailurelog",
              "deputies.view_personaldataview", "congress.view_exportrecord", "stations.view_votercontactview"}
    return {
        SYSTEM_ADMIN: {"congress.view_user", "congress.add_user", "congress.change_user", "congress.view_organization"},
        SECURITY_ADMIN: {"congress.view_user", "congress.change_user", "auth.view_group", "auth.view_permission",
                         "congress.view_organization", "deputies.view_personal_data",
                         "axes.view_accessattempt", "axes.delete_accessattempt"},
        AUDIT_ADMIN: audit,
        COMMITTEE_STAFF: (_crud(DOMAIN_MODELS) - _crud(NEVER_DELETED, ("delete",)))
        | {"deputies.view_personal_data", "stations.view_voter_contact"} | REPORT_WRITERS,
        # town staff call voters back (回访), so they see the numbers of their towns' opinions (each view logged)
        TOWN_STAFF: _crud(TOWN_EDITABLE, ("view", "add", "change")) | _crud(TOWN_READABLE, ("view",))
        | {"stations.view_voter_contact"},
        LEADER: _crud(DOMAIN_MODELS, ("view",)) | REPORT_READERS,
        HANDLING_UNIT: set(),
        DEPUTY: set(),
    }


def sync_role_permissions(apps=global_apps, verbosity=0, **kwargs):
    """Create the role groups if missing and set each one's permissions to exactly what role_permissions says."""
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    wanted = role_permissions()
    by_key = {}
    for perm in Permission.objects.select_related("content_type"):
        by_key[f"{perm.content_type.app_label}.{perm.codename}"] = perm
    for role in ALL_ROLES:
        group, _ = Group.objects.get_or_create(name=role)
        missing = sorted(p for p in wanted[role] if p not in by_key)
        if missing and verbosity:
            print(f"角色 {role}: 权限尚未创建 {missing}")
        group.permissions.set([by_key[p] for p in wanted[role] if p in by_key])


def ensure_roles() -> None:
    """Create every content type and permission, then the role groups with theirs. Used by the data migration
    (where permissions do not exist yet) and by tests that start from a flushed database."""
    from django.contrib.auth.management import create_permissions
    from django.contrib.contenttypes.management import create_contenttypes

    for app_config in global_apps.get_app_configs():
        create_contenttypes(app_config, verbosity=0)
        create_permissions(app_config, verbosity=0)
    sync_role_permissions()
