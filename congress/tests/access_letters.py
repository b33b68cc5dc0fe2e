"""The official letters' rows of the access matrix (tests/test_access_matrix.py): the read-only admin list, the file
and a unit's list in its workspace."""
ROLES = ["anonymous", "outsider", "sysadmin", "secadmin", "auditor", "staff", "town", "unit", "deputy", "leader"]

MODEL_ACCESS = {
    # issued from the assignment's page, never added, edited or deleted in the admin
    "congress.officialletter": {"staff": "v", "leader": "v"},
}
PAGES = {
    # the matrix's letter names a file that is not on disk: the permission check first (403), then not found
    # (congress/tests/test_letters.py downloads a real one)
    "congress:letter_file": {r: 403 for r in ROLES} | {"anonymous": 302, "staff": 404, "leader": 404, "unit": 404},
    "unit_letters:list": {r: 403 for r in ROLES} | {"anonymous": 302, "unit": 200},
}


def setup(world):
    import datetime

    from congress.letters.models import LetterKind, OfficialLetter

    unit = world["unit"]
    if unit.organization_id is None:
        unit.organization = world["sample"]["organization"]
        unit.save(update_fields=["organization"])
    world["letter"] = OfficialLetter.objects.create(
        kind=LetterKind.ASSIGNMENT, year=2026, sequence=1, number="江海人大办交〔2026〕1号", addressee=unit.organization,
        title="关于交办代表建议的函", subject_text="矩阵", issued_on=datetime.date(2026, 3, 10),
        file="letters/2026/03/missing.pdf", created_by=world["staff"])


def url_for(name, route, world):
    if name == "congress:letter_file":
        return "/" + route.replace("<id:pk>", str(world["letter"].pk))
    return None
