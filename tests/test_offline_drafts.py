"""Drafts that survive a bad connection, over HTTP (congress/lib/offline.py; the browser side is driven offline and back
in tests/test_browser_offline.py): the service worker's script as browsers require it, the policy that lets it run, a
draft sent twice creating one item, and the fresh token the phone fetches before sending a draft late."""
import re

import pytest
from django.test import Client
from django.urls import reverse

from conftest import client_for
from congress.lib import offline
from deputies.models import DutyActivity
from proposals.models import Suggestion
from tests.sample import make_sample
from tests.test_csp import parse_policy

TOKEN = "5f0c3c1e-7a2b-4c1d-9e8f-0123456789ab"


@pytest.fixture
def world(db, town_a, term, staff, deputy_user):
    rows = make_sample(town=town_a, term=term, user=staff, suggestions=False)
    rows["deputy"].user = deputy_user
    rows["deputy"].save(update_fields=["user"])
    return rows


def _activity(world, **extra):
    return {"activity_type": world["dutyactivitytype"].pk, "date": "2026-11-30", "place": "城东代表联络站",
            "description": "察看老旧小区加装电梯进展", **extra}


SUGGESTION = {"title": "关于加快老旧小区加装电梯的建议", "content": "居民上下楼困难，建议加快审批。"}


class TestTheServiceWorker:
    def test_it_is_served_at_the_portal_as_javascript_never_cached_for_everyone(self, db, deputy_user):
        for client in (Client(), client_for(deputy_user)):
            response = client.get(reverse("portal:sw"))
            assert response.status_code == 200
            assert response["Content-Type"] == "text/javascript; charset=utf-8"
            assert response["Cache-Control"] == "no-cache"
            assert response["Service-Worker-Allowed"] == "/portal/"
            assert reverse("portal:sw") == "/portal/sw.js"
            body = response.content.decode()
            assert 'addEventListener("fetch"' in body and 'CACHE = "congress-offline-v1"' in body

    def test_the_policy_lets_this_site_s_worker_run_and_no_other(self, db):
        response = Client().get(reverse("portal:sw"))
        policy = parse_policy(response["Content-Security-Policy"])
        assert policy["worker-src"] == {"'self'"} and policy["script-src"] == {"'self'"}

    def test_only_get(self, db):
        assert Client().post(reverse("portal:sw")).status_code == 405

    def test_the_page_script_and_the_worker_share_one_cache_name(self):
        from django.contrib.staticfiles import finders

        names = {re.search(r'CACHE = "([^"]+)"', open(finders.find(f"js/{name}"), encoding="utf-8").read()).group(1)
                 for name in ("sw.js", "offline_drafts.js")}
        assert names == {"congress-offline-v1"}


class TestThePages:
    def test_the_portal_loads_the_script_with_the_user_and_both_forms_are_kept_as_drafts(self, world, deputy_user):
        client = client_for(deputy_user)
        page = client.get(reverse("portal:activity_new")).content.decode()
        assert f'data-user="{deputy_user.pk}"' in page and 'data-worker="/portal/sw.js"' in page
        assert 'id="activity-form" data-draft="activity-new"' in page
        assert 'id="suggestion-form" data-draft="suggestion-new"' in client.get(reverse("proposals:portal_new")).content.decode()


class TestADraftSentTwiceMakesOneItem:
    def test_an_activity(self, world, deputy_user):
        client = client_for(deputy_user)
        first = client.post(reverse("portal:activity_new"), _activity(world, draft_token=TOKEN))
        activity = DutyActivity.objects.get(place="城东代表联络站")
        assert first.status_code == 302 and first["Location"] == reverse("portal:activity_detail", args=[activity.pk])
        assert first.cookies[offline.ACCEPTED_COOKIE].value == TOKEN
        assert not first.cookies[offline.ACCEPTED_COOKIE]["httponly"]
        # the connection dropped before the phone heard the answer: it sends the same draft again
        again = client.post(reverse("portal:activity_new"), _activity(world, draft_token=TOKEN))
        assert again.status_code == 302 and again["Location"] == first["Location"]
        assert again.cookies[offline.ACCEPTED_COOKIE].value == TOKEN
        assert DutyActivity.objects.filter(place="城东代表联络站").count() == 1
        # a new draft (another token) is a new activity
        client.post(reverse("portal:activity_new"), _activity(world, draft_token=TOKEN.replace("5f", "6a")))
        assert DutyActivity.objects.filter(place="城东代表联络站").count() == 2

    def test_a_suggestion(self, world, deputy_user):
        client = client_for(deputy_user)
        first = client.post(reverse("proposals:portal_new"), {**SUGGESTION, "draft_token": TOKEN})
        again = client.post(reverse("proposals:portal_new"), {**SUGGESTION, "draft_token": TOKEN})
        suggestion = Suggestion.objects.get(title=SUGGESTION["title"])
        assert first["Location"] == again["Location"] == reverse("proposals:portal_detail", args=[suggestion.pk])
        page = client.get(again["Location"]).content.decode()
        assert "这份草稿已经提交过，没有重复登记" in page

    def test_the_token_is_remembered_per_session_not_across_people(self, world, deputy_user):
        client_for(deputy_user).post(reverse("proposals:portal_new"), {**SUGGESTION, "draft_token": TOKEN})
        client_for(deputy_user).post(reverse("proposals:portal_new"), {**SUGGESTION, "draft_token": TOKEN})
        assert Suggestion.objects.filter(title=SUGGESTION["title"]).count() == 2

    def test_without_a_token_or_with_a_malformed_one_nothing_is_remembered(self, world, deputy_user):
        client = client_for(deputy_user)
        for token in ("", "<script>", "x" * 200):
            response = client.post(reverse("proposals:portal_new"), {**SUGGESTION, "draft_token": token})
            assert response.status_code == 302 and offline.ACCEPTED_COOKIE not in response.cookies
        assert Suggestion.objects.filter(title=SUGGESTION["title"]).count() == 3
        assert client.session.get(offline.SESSION_KEY) is None

    def test_a_refused_form_is_not_remembered_and_can_be_sent_again(self, world, deputy_user):
        client = client_for(deputy_user)
        refused = client.post(reverse("proposals:portal_new"), {"title": "", "content": "", "draft_token": TOKEN})
        assert refused.status_code == 200 and offline.ACCEPTED_COOKIE not in refused.cookies
        accepted = client.post(reverse("proposals:portal_new"), {**SUGGESTION, "draft_token": TOKEN})
        assert accepted.status_code == 302 and Suggestion.objects.filter(title=SUGGESTION["title"]).count() == 1

    def test_only_the_last_drafts_are_remembered(self, world, deputy_user, settings):
        client = client_for(deputy_user)
        for n in range(offline.KEEP + 2):
            client.post(reverse("proposals:portal_new"), {**SUGGESTION, "draft_token": f"{n:08d}-0000-0000-0000"})
        assert len(client.session[offline.SESSION_KEY]) == offline.KEEP


class TestALateDraftGetsAFreshToken:
    """What offline_drafts.js does when the connection is back: the token in the page kept on the phone may be stale
    (the CSRF secret rotates at each login); a fresh GET of the form gives a current one."""

    def test_a_stale_token_is_refused_in_chinese_and_the_fresh_form_s_token_is_accepted(self, world, deputy_user):
        client = Client(enforce_csrf_checks=True)
        client.force_login(deputy_user)
        url = reverse("portal:activity_new")
        stale = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', client.get(url).content.decode()).group(1)
        client.cookies.pop("csrftoken")  # a new login on the phone: a new secret
        client.force_login(deputy_user)
        refused = client.post(url, _activity(world, csrfmiddlewaretoken=stale, draft_token=TOKEN))
        assert refused.status_code == 403 and "页面已过期" in refused.content.decode()
        assert not DutyActivity.objects.filter(place="城东代表联络站").exists()
        fresh = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', client.get(url).content.decode()).group(1)
        accepted = client.post(url, _activity(world, csrfmiddlewaretoken=fresh, draft_token=TOKEN))
        assert accepted.status_code == 302 and DutyActivity.objects.filter(place="城东代表联络站").count() == 1
