"""Chinese first: an English browser gets Chinese; English only after the user chooses it."""
from django.test import Client
from django.urls import reverse

from conftest import client_for


def test_an_english_browser_still_gets_the_chinese_admin(staff):
    client = client_for(staff)
    body = client.get(reverse("admin:deputies_deputy_changelist"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert "选择 人大代表 来修改" in body or "选择人大代表来修改" in body.replace(" ", "")
    assert "Select" not in body.split("<title>")[1].split("</title>")[0]


def test_choosing_english_switches_the_interface(staff):
    client = client_for(staff)
    response = client.post(reverse("set_language"), {"language": "en", "next": "/admin/"})
    assert response.status_code == 302
    title = client.get(reverse("admin:deputies_deputy_changelist")).content.decode().split("<title>")[1]
    assert title.startswith("Select 人大代表 to change")


def test_an_unknown_language_cookie_falls_back_to_chinese(db):
    client = Client()
    client.cookies["django_language"] = "fr"
    response = client.get(reverse("accounts:login"))
    assert response.headers["Content-Language"] == "zh-hans"
