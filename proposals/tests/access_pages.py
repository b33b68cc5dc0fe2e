"""The suggestion pages of the three parties in the access matrix (tests/test_access_matrix.py): the deputy portal's
/portal/suggestions/, the unit workspace /unit/ and the public /replies/."""
ROLES = ["anonymous", "outsider", "sysadmin", "secadmin", "auditor", "staff", "town", "unit", "deputy", "leader"]

DEPUTY_ONLY = {r: 403 for r in ROLES} | {"anonymous": 302, "deputy": 200}
UNIT_ONLY = {r: 403 for r in ROLES} | {"anonymous": 302, "unit": 200}
POST_ONLY = dict.fromkeys(ROLES, 405)
PUBLIC = dict.fromkeys(ROLES, 200)

PAGES = {
    "proposals:portal_list": DEPUTY_ONLY,
    "proposals:portal_new": DEPUTY_ONLY,
    "proposals:portal_invitations": DEPUTY_ONLY,
    "proposals:portal_deputy_search": DEPUTY_ONLY,
    "proposals:portal_detail": DEPUTY_ONLY,
    "proposals:portal_edit": DEPUTY_ONLY,
    "proposals:portal_invite": POST_ONLY,
    "proposals:portal_submit": POST_ONLY,
    "proposals:portal_cosign_respond": POST_ONLY,
    "proposals:portal_evaluate": POST_ONLY,
    # an attachment that does not exist: not found for everyone logged in
    "proposals:attachment": {r: 404 for r in ROLES} | {"anonymous": 302},
    "proposals:opinion_attachment": {r: 404 for r in ROLES} | {"anonymous": 302},
    "proposals:public_list": PUBLIC,
    "proposals:public_detail": PUBLIC,
    # the sample's published reply names a letter file that is not on disk: not found, for everyone alike
    # (proposals/tests/test_public.py downloads a real one)
    "proposals:reply_letter": dict.fromkeys(ROLES, 404),
    # the matrix's archive names a file that is not on disk: staff and leaders pass the check and find nothing
    "proposals:session_archive_file": {r: 403 for r in ROLES} | {"anonymous": 302, "staff": 404, "leader": 404},
    "unit:inbox": UNIT_ONLY,
    "unit:detail": UNIT_ONLY,
    "unit:send_back": POST_ONLY,
    "unit:contact": POST_ONLY,
    "unit:opinion": POST_ONLY,
    "unit:reply": POST_ONLY,
    "unit:followup": POST_ONLY,
}


def setup(world):
    from django.utils import timezone

    from proposals.models import Suggestion

    sample = world["sample"]
    deputy = sample["deputy"]
    if deputy.user_id != world["deputy"].pk:
        deputy.user = world["deputy"]
        deputy.save(update_fields=["user"])
    unit = world["unit"]
    unit.organization = sample["organization"]
    unit.save(update_fields=["organization"])
    reply = sample["reply"]
    reply.published_at = timezone.now()
    reply.save(update_fields=["published_at"])
    closed = sample["closed_suggestion"]
    world["proposals_draft"] = Suggestion.objects.create(
        term=closed.term, session=closed.session, title="关于增设社区养老服务点的建议", content="内容",
        lead_deputy=deputy, status=Suggestion.Status.DRAFT)


def url_for(name, route, world):
    if not (name.startswith("proposals:") or name.startswith("unit:")):
        return None
    sample = world["sample"]
    ids = {
        "proposals:portal_detail": sample["closed_suggestion"].pk,
        "proposals:portal_edit": world["proposals_draft"].pk,
        "proposals:portal_invite": world["proposals_draft"].pk,
        "proposals:portal_submit": world["proposals_draft"].pk,
        "proposals:portal_evaluate": sample["reply"].pk,
        "proposals:portal_cosign_respond": 999999,
        "proposals:attachment": 999999,
        "proposals:opinion_attachment": 999999,
        "proposals:public_detail": sample["reply"].pk,
        "proposals:reply_letter": sample["reply"].pk,
        "proposals:session_archive_file": world["session_archive"].pk,
    }
    pk = ids.get(name, sample["assignment"].pk if name.startswith("unit:") else None)
    url = "/" + route
    if pk is not None:
        url = url.replace("<id:pk>", str(pk))
    return url
