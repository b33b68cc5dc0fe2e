"""The proposals app's rows of the access matrix (tests/test_access_matrix.py): its admin models and the staff's
intermediate pages, rates and the 交办清单 export."""
CRUD = "vacd"
ADMIN = {"sysadmin", "secadmin", "auditor", "staff", "town", "leader"}
ROLES = ["anonymous", "outsider", "sysadmin", "secadmin", "auditor", "staff", "town", "unit", "deputy", "leader"]

MODEL_ACCESS = {
    "proposals.suggestioncategory": {"staff": CRUD, "leader": "v"},
    # records of the work are never deleted (congress.roles.NEVER_DELETED): returned or merged instead
    "proposals.proposal": {"staff": "vac", "leader": "v"},
    "proposals.suggestion": {"staff": "vac", "leader": "v", "town": "v"},
    # made by 交办 / replied in the unit workspace / rated by deputies: no add page in the admin
    "proposals.assignment": {"staff": "vc", "leader": "v"},
    "proposals.reply": {"staff": "vc", "leader": "v"},
    "proposals.evaluation": {"staff": "vc", "leader": "v"},
    # every workflow's history (congress.StateChange), read-only
    "congress.statechange": {"staff": "v", "leader": "v"},
    # asked for in the admin and built by a worker: never edited or deleted
    "proposals.sessionarchive": {"staff": "va", "leader": "v"},
}


def _page(allowed: dict) -> dict:
    return {r: allowed.get(r, 403 if r in ADMIN else 302) for r in ROLES}


STAFF_ONLY = _page({"staff": 200})
STAFF_AND_LEADER = _page({"staff": 200, "leader": 200})
OBJECT_PAGES = {
    "suggestion": ["register", "return", "assign", "merge", "priority", "supervise", "evaluate", "close"],
    "assignment": ["extend", "send_back", "release", "rehandle", "letter_assign", "letter_supervise", "letter_remind"],
    "proposal": ["place_on_agenda", "convert"],
}
PAGES = {f"admin:proposals_{model}_{slug}": STAFF_ONLY for model, slugs in OBJECT_PAGES.items() for slug in slugs}
PAGES["admin:proposals_suggestion_town_review"] = _page({"town": 200})
PAGES["admin:proposals_suggestion_rates"] = STAFF_AND_LEADER
PAGES["admin:proposals_suggestion_assignment_list"] = STAFF_AND_LEADER


def setup(world):
    from proposals.models import SessionArchive

    staff = world["staff"]
    world["session_archive"] = SessionArchive.objects.create(session=world["sample"]["congresssession"], requested_by=staff,
                                                             status=SessionArchive.Status.DONE,
                                                             file="archives/2026/03/missing.pdf")


def url_for(name, route, world):
    for model, slugs in OBJECT_PAGES.items():
        if name in {f"admin:proposals_{model}_{slug}" for slug in [*slugs, "town_review"]}:
            from proposals.models import Assignment, Proposal, Suggestion

            obj = {"suggestion": Suggestion, "assignment": Assignment, "proposal": Proposal}[model].objects.order_by("pk").first()
            return "/" + route.replace("<path:object_id>", str(obj.pk))
    return None
