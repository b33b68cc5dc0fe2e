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


def url_for(name, route, world):
    if name == "stations:public_detail":
        return "/" + route.replace("<int:pk>", str(world["sample"]["station"].pk))
    return None
