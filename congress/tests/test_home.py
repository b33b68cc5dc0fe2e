"""The front door `/`: a login for everyone who works here (each role then lands in its own place) and the public
pages for voters (it used to say the deputy and unit pages were "即将开通" and link only to /admin/)."""
import pytest
from django.urls import reverse

from conftest import PASSWORD, client_for

pytestmark = pytest.mark.django_db


def test_the_front_door_leads_to_the_login_and_the_public_pages(client):
    html = client.get("/").content.decode()
    assert "即将开通" not in html
    for name in ("accounts:login", "stations:public_list", "stations:opinion_lookup", "proposals:public_list",
                 "portal:home", "unit:inbox"):
        assert f'href="{reverse(name)}"' in html, name


@pytest.mark.parametrize(("actor", "place"), [("deputy_user", "/portal/"), ("unit_user", "/unit/"), ("staff", "/admin/")])
def test_logging_in_from_the_front_door_lands_each_role_in_its_place(client, actor, place, request):
    user = request.getfixturevalue(actor)
    login = client.get("/").content.decode()
    assert 'id="login-link"' in login
    response = client.post(reverse("accounts:login"), {"username": user.username, "password": PASSWORD}, follow=True)
    assert response.redirect_chain[-1][0] == place
    home = client.get("/").content.decode()
    assert 'id="to-workspace"' in home and client.get(reverse("congress:go")).url == place


def test_a_logged_in_deputy_sees_the_way_to_the_workspace(deputy_user):
    html = client_for(deputy_user).get("/").content.decode()
    assert 'id="to-workspace"' in html and 'id="login-link"' not in html
