"""The stations app's rows in the access matrix (tests/test_access_matrix.py)."""
import datetime

ROLES = ["anonymous", "outsider", "sysadmin", "secadmin", "auditor", "staff", "town", "unit", "deputy", "leader"]
CRUD = "vacd"

MODEL_ACCESS = {
    "stations.receptionday": {"staff": CRUD, "leader": "v", "town": "vac"},
}

PUBLIC = dict.fromkeys(ROLES, 200)
PAGES = {
    "stations:public_list": PUBLIC,
    "stations:public_detail": PUBLIC,
}


def setup(world):
    """A scheduled reception day at the sample station (the admin's change, record and cancel pages need one)."""
    from stations.models import ReceptionDay, ReceptionDuty

    sample = world["sample"]
    reception = ReceptionDay.objects.create(station=sample["station"], date=datetime.date(2030, 5, 15),
                                            starts_at=datetime.time(9), ends_at=datetime.time(11), topic="养老服务")
    ReceptionDuty.objects.create(reception=reception, deputy=sample["deputy"])
    reception.save()  # a history row for the audit list
    setup_opinions(world)


def url_for(name, route, world):
    if name in {"stations:public_detail", "stations:qr", "stations:opinion_new"}:
        return "/" + route.replace("<id:pk>", str(world["sample"]["station"].pk))
    if name == "stations_unit:detail":
        from stations.models import VoterOpinion

        return "/" + route.replace("<id:pk>", str(VoterOpinion.objects.get(tracking_code="UNITVIEW23").pk))
    if name == "stations:opinion_track":
        return "/" + route.replace("<code:code>", "ACCESS2345")
    return None


MODEL_ACCESS.update({
    # town staff open and score their towns' stations' appraisals; committee staff confirm them (below)
    "stations.stationappraisal": {"staff": CRUD, "leader": "v", "town": "vac"},
    "stations.voteropinion": {"staff": "vc", "leader": "v", "town": "vc"},
    "stations.votercontactview": {"auditor": "v"},
})
UNIT_ONLY = {r: 403 for r in ROLES} | {"anonymous": 302, "unit": 200}
PAGES.update({
    "stations_unit:list": UNIT_ONLY,
    "stations_unit:detail": UNIT_ONLY,
    "stations:qr": PUBLIC,
    "stations:opinion_new": PUBLIC,
    "stations:opinion_lookup": PUBLIC,
    "stations:opinion_track": PUBLIC,
})


def setup_opinions(world):
    """An opinion at the sample station (its admin change and step pages need one)."""
    from stations.models import VoterContactView, VoterOpinion

    opinion = VoterOpinion.objects.create(tracking_code="ACCESS2345", station=world["sample"]["station"],
                                          content="小区路灯坏了很久没人修", phone="13800138000")
    opinion.save()  # a history row for the audit list
    VoterContactView.objects.create(user=world["staff"], opinion=opinion)
    # one referred to the sample unit (the matrix's unit user belongs to it: proposals.tests.access_pages)
    VoterOpinion.objects.create(tracking_code="UNITVIEW23", station=world["sample"]["station"], content="河道有异味请查一查",
                                status=VoterOpinion.Status.REFERRED, unit=world["sample"]["organization"])


# -- 国家机关进家站点 (stations/admin_organs.py, stations/unit_organ_urls.py)
MODEL_ACCESS.update({
    "stations.organserviceitem": {"staff": CRUD, "leader": "v", "town": "v"},
    "stations.organvisit": {"staff": CRUD, "leader": "v", "town": "vac"},
})
PAGES.update({
    "stations_organ_unit:items": UNIT_ONLY,
    "stations_organ_unit:item": UNIT_ONLY,
    "stations_organ_unit:visits": UNIT_ONLY,
    "stations_organ_unit:visit_new": UNIT_ONLY,
})
_setup_before_organs, _url_for_before_organs = setup, url_for


def setup(world):  # noqa: F811  (the earlier setup, then the organs' rows)
    _setup_before_organs(world)
    setup_organs(world)


def setup_organs(world):
    """An item of the sample department (the matrix's unit user belongs to it) and one visit to the sample station."""
    from stations.models import OrganServiceItem, OrganVisit

    sample = world["sample"]
    item = OrganServiceItem.objects.create(organ=sample["organization"], name="入学政策咨询")
    item.save()  # a history row for the audit list
    visit = OrganVisit.objects.create(organ=sample["organization"], station=sample["station"],
                                      date=datetime.date(2026, 3, 1), staff_names="陈科长", voters_served=8,
                                      results="现场解答入学政策")
    visit.items.add(item)
    visit.save()


def url_for(name, route, world):  # noqa: F811
    if name == "stations_organ_unit:item":
        from stations.models import OrganServiceItem

        return "/" + route.replace("<id:pk>", str(OrganServiceItem.objects.get(name="入学政策咨询").pk))
    return _url_for_before_organs(name, route, world)
# -- the 八有 standards and the star ratings (stations/admin_standards.py) -----------------------------------------
MODEL_ACCESS.update({
    "stations.standarditem": {"staff": CRUD, "leader": "v", "town": "v"},
    "stations.stationstandard": {"staff": CRUD, "leader": "v", "town": "vac"},
    "stations.ratingscheme": {"staff": CRUD, "leader": "v", "town": "v"},
})
_ADMIN = {r: 403 for r in ROLES} | {"anonymous": 302, "outsider": 302, "unit": 302, "deputy": 302}
PAGES.update({
    # the gaps list: whoever may view the states (town staff: their towns' stations)
    "admin:stations_stationstandard_missing": _ADMIN | {"staff": 200, "leader": 200, "town": 200},
    # the sample's state has no photo: nobody finds one (the photo's own tests: stations/tests/test_standards_admin.py)
    "admin:stations_stationstandard_photo": _ADMIN | {r: 404 for r in ("sysadmin", "secadmin", "auditor", "staff",
                                                                        "town", "leader")},
    # the sample's appraisal is in the matrix town's: its scorers reach scoring, only committee staff confirming
    "admin:stations_stationappraisal_score": _ADMIN | {"staff": 200, "town": 200},
    "admin:stations_stationappraisal_submit": _ADMIN | {"staff": 200, "town": 200},
    "admin:stations_stationappraisal_confirm": _ADMIN | {"staff": 200},
    "admin:stations_stationappraisal_return": _ADMIN | {"staff": 200},
})
_setup_before_standards, _url_for_before_standards = setup, url_for


def setup(world):  # noqa: F811  (extends the setup above)
    """Also a year's criteria with a scored draft, and a state of the sample station against the first 八有 item (no
    photo)."""
    from stations.models import (
        RatingCriterion,
        RatingScheme,
        StandardItem,
        StationAppraisal,
        StationAppraisalScore,
        StationStandard,
    )

    _setup_before_standards(world)
    station = world["sample"]["station"]
    scheme = RatingScheme.objects.create(year=2025)
    criterion = RatingCriterion.objects.create(scheme=scheme, name="阵地建设", max_points=100)
    draft = StationAppraisal.objects.create(station=station, year=2025, created_by=world["town"])
    StationAppraisalScore.objects.create(appraisal=draft, criterion=criterion, points=88)
    item = StandardItem.objects.order_by("pk").first()
    item.save()  # a history row for the audit list (the migration seeded the items in bulk)
    StationStandard.objects.create(station=station, item=item)


def url_for(name, route, world):  # noqa: F811
    if name in {"admin:stations_stationappraisal_score", "admin:stations_stationappraisal_submit",
                "admin:stations_stationappraisal_confirm", "admin:stations_stationappraisal_return"}:
        return "/" + route.replace("<path:object_id>", str(world["sample"]["stationappraisal"].pk))
    if name == "admin:stations_stationstandard_photo":
        from stations.models import StationStandard

        return "/" + route.replace("<path:object_id>", str(StationStandard.objects.order_by("pk").first().pk))
    return _url_for_before_standards(name, route, world)
