"""The reports' rows in the access matrix (tests/test_access_matrix.py): the monthly reports' archive, page and PDF, the
annual report's narrative texts and generated versions with their PDF. Leaders and committee staff may; other staff
get 403, everybody else the login."""

ROLES = ["anonymous", "outsider", "sysadmin", "secadmin", "auditor", "staff", "town", "unit", "deputy", "leader"]
ADMIN = {"sysadmin", "secadmin", "auditor", "staff", "town", "leader"}
CRUD = "vacd"

MODEL_ACCESS = {
    # built by the monthly task, never added, edited or deleted in the admin
    "congress.monthlyreport": {"staff": "v", "leader": "v"},
    "congress.annualreporttext": {"staff": CRUD, "leader": "v"},
    # 增加 asks for a new version (staff); versions are kept, never edited or deleted
    "congress.annualreportversion": {"staff": "va", "leader": "v"},
}

LEADERS_AND_STAFF = {r: (200 if r in {"staff", "leader"} else 403 if r in ADMIN else 302) for r in ROLES}
PAGES = {
    "admin:congress_monthlyreport_report": LEADERS_AND_STAFF,
    "admin:congress_monthlyreport_pdf": LEADERS_AND_STAFF,
    "admin:congress_annualreportversion_pdf": LEADERS_AND_STAFF,
}


def setup(world):
    """A published monthly report of a month long past, a narrative text and a generated version with its PDF."""
    from django.core.files.base import ContentFile
    from django.utils import timezone

    from congress.models import AnnualReportText, AnnualReportVersion
    from congress.reports import services

    world["monthly_report"] = services.monthly_report_build(year=2025, month=1)
    AnnualReportText.objects.create(year=2025, chapter="suggestions", text="全年建议办理情况良好。", updated_by=world["staff"])
    version = AnnualReportVersion.objects.create(year=2025, requested_by=world["staff"], state="done", percent=100,
                                                 finished_at=timezone.now(), size=20)
    version.pdf.save("2025年度工作报告.pdf", ContentFile(b"%PDF-1.7\n%%EOF\n"), save=True)
    world["annual_version"] = version


def url_for(name, route, world):
    if name.startswith("admin:congress_monthlyreport_"):
        return "/" + route.replace("<path:object_id>", str(world["monthly_report"].pk))
    if name == "admin:congress_annualreportversion_pdf":
        return "/" + route.replace("<path:object_id>", str(world["annual_version"].pk))
    return None
