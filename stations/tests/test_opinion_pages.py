"""社情民意 over HTTP. The voter's side, no login: the form the station's QR code opens, the lookup by tracking code,
the tracking page (status, answer, timeline, nothing personal) and its rating form. The staff side in the admin:
the step pages of the closed loop, who may open them, the change page that shows the full phone only to those
allowed (and logs each view), the change list's query count, and the QR code on the station's page."""
import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conftest import client_for
from congress.lib.idcard import mask_phone
from congress.models import Notification, StateChange
from stations import services
from stations.conf import stations_setting
from stations.models import Station, VoterContactView, VoterOpinion

pytestmark = pytest.mark.django_db
S, V = VoterOpinion.Status, VoterOpinion.Satisfaction
CONTENT = "小区门口的路灯坏了一个多月，晚上出行很不安全"
PHONE, NAME = "13800138000", "张三丰"


@pytest.fixture(autouse=True)
def _empty_cache(settings):
    """The hourly limit counts in the cache; each test starts with a clean count. The cache is this process's own:
    the configured Redis is shared by parallel workers, and their clear() would reset a count in mid-test."""
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "opinions"}}
    cache.clear()
    yield
    cache.clear()


def new_url(station):
    return reverse("stations:opinion_new", args=[station.pk])


def track_url(opinion):
    return reverse("stations:opinion_track", args=[opinion.tracking_code])


def step_url(step, opinion):
    return reverse(f"admin:stations_voteropinion_{step}", args=[opinion.pk])


def change_url(opinion):
    return reverse("admin:stations_voteropinion_change", args=[opinion.pk])


def form_data(**extra):
    return {"category": VoterOpinion.Category.URBAN, "content": CONTENT, "name": NAME, "phone": PHONE, "website": "",
            **extra}


def opinion_at(station, **kwargs) -> VoterOpinion:
    fields = {"content": CONTENT, "name": NAME, "phone": PHONE, **kwargs}
    return services.opinion_submit(station_id=station.pk, **fields)


def page(response) -> str:
    assert response.status_code == 200
    return response.content.decode()


class TestOpinionForm:
    def test_the_qr_code_opens_the_form_of_the_station(self, station_a):
        html = page(client_for(None).get(new_url(station_a)))
        assert station_a.name in html and station_a.town.name in html
        assert 'id="opinion-form"' in html and 'name="content"' in html and 'name="website"' in html
        assert "csrfmiddlewaretoken" in html

    def test_a_voter_leaves_an_opinion_and_lands_on_its_tracking_page(self, station_a, town_staff):
        client = client_for(None)
        response = client.post(new_url(station_a), form_data(phone="138 0013 8000"))
        opinion = VoterOpinion.objects.get()
        assert response.status_code == 302 and response.url == track_url(opinion)
        assert (opinion.station, opinion.status, opinion.category) == (station_a, S.RECEIVED, VoterOpinion.Category.URBAN)
        assert (opinion.content, opinion.name, opinion.phone) == (CONTENT, NAME, PHONE)
        assert list(opinion.state_changes.values_list("action", "actor")) == [("submit", None)]
        assert Notification.objects.filter(recipient=town_staff, kind="voter_opinion").count() == 1
        html = page(client.get(response.url))
        assert f"已收到您的意见。查询码 {opinion.tracking_code}" in html

    def test_a_filled_honeypot_creates_nothing(self, station_a, town_staff):
        response = client_for(None).post(new_url(station_a), form_data(website="http://spam.example"))
        assert "提交失败，请刷新页面后重试" in page(response)
        assert not VoterOpinion.objects.exists() and not Notification.objects.exists()

    def test_a_tampered_category_says_why(self, station_a):
        html = page(client_for(None).post(new_url(station_a), form_data(category="weather")))
        assert "weather" in html and 'class="msg error"' in html
        assert not VoterOpinion.objects.exists()

    def test_a_too_short_opinion_says_why_and_keeps_the_text(self, station_a):
        response = client_for(None).post(new_url(station_a), form_data(content="路灯坏了"))
        html = page(response)
        assert "请把意见写得具体一些（至少10个字）" in html
        assert "路灯坏了</textarea>" in html
        assert not VoterOpinion.objects.exists()

    def test_a_bad_phone_says_why(self, station_a):
        html = page(client_for(None).post(new_url(station_a), form_data(phone="12ab")))
        assert "联系电话格式不对" in html
        assert not VoterOpinion.objects.exists()

    def test_the_hourly_limit_of_one_address(self, station_a):
        client, limit = client_for(None), stations_setting("OPINION_PER_HOUR")
        for _ in range(limit):
            assert client.post(new_url(station_a), form_data()).status_code == 302
        html = page(client.post(new_url(station_a), form_data()))
        assert f"同一网络一小时内最多提交{limit}条意见" in html
        assert VoterOpinion.objects.count() == limit
        other = client_for(None).post(new_url(station_a), form_data(), REMOTE_ADDR="192.0.2.9")
        assert other.status_code == 302 and VoterOpinion.objects.count() == limit + 1

    def test_a_station_that_stopped_running_is_not_found(self, station_a):
        Station.objects.filter(pk=station_a.pk).update(is_active=False)
        client = client_for(None)
        assert client.get(new_url(station_a)).status_code == 404
        assert client.post(new_url(station_a), form_data()).status_code == 404
        assert not VoterOpinion.objects.exists()

    def test_other_methods_are_not_allowed(self, station_a):
        assert client_for(None).put(new_url(station_a)).status_code == 405
        assert not VoterOpinion.objects.exists()

    def test_the_station_page_links_to_the_form(self, station_a):
        html = page(client_for(None).get(reverse("stations:public_detail", args=[station_a.pk])))
        assert f'href="{new_url(station_a)}"' in html


class TestLookup:
    def test_the_empty_lookup_shows_the_form(self):
        html = page(client_for(None).get(reverse("stations:opinion_lookup")))
        assert 'id="lookup"' in html and 'name="code"' in html

    def test_a_code_in_lower_case_with_a_dash_still_finds_it(self, station_a):
        opinion = opinion_at(station_a)
        code = opinion.tracking_code.lower()
        client = client_for(None)
        response = client.get(reverse("stations:opinion_lookup"), {"code": f" {code[:5]}-{code[5:]} "})
        assert response.status_code == 302 and response.url == track_url(opinion)
        assert opinion.tracking_code in page(client.get(response.url))

    def test_a_tracking_url_typed_in_lower_case_works_too(self, station_a):
        opinion = opinion_at(station_a)
        url = reverse("stations:opinion_track", args=[opinion.tracking_code.lower()])
        assert opinion.tracking_code in page(client_for(None).get(url))

    @pytest.mark.parametrize("code", ["AB/CD", "../admin", "?x=1", "%2F"])
    def test_odd_input_is_a_404_not_an_error(self, station_a, code):
        opinion_at(station_a)
        client = client_for(None)
        response = client.get(reverse("stations:opinion_lookup"), {"code": code})
        assert response.status_code == 302
        assert client.get(response.url).status_code == 404

    def test_a_code_of_punctuation_only_shows_the_form_again(self):
        html = page(client_for(None).get(reverse("stations:opinion_lookup"), {"code": " //-- "}))
        assert 'id="lookup"' in html

    def test_posting_is_not_allowed(self):
        assert client_for(None).post(reverse("stations:opinion_lookup"), {"code": "X"}).status_code == 405


class TestTrackingPage:
    def test_a_new_opinion_shows_its_status_and_text(self, station_a):
        opinion = opinion_at(station_a)
        html = page(client_for(None).get(track_url(opinion)))
        assert 'id="opinion-status">待处理<' in html
        assert CONTENT in html and station_a.name in html and "群众提交" in html
        assert 'id="rate"' not in html and 'id="reply"' not in html

    def test_a_referred_and_answered_opinion_shows_the_unit_the_answer_and_the_timeline(self, staff, station_a,
                                                                                        unit_org):
        opinion = opinion_at(station_a)
        services.opinion_refer(actor=staff, opinion_id=opinion.pk, unit_id=unit_org.pk)
        services.opinion_reply(actor=staff, opinion_id=opinion.pk, reply="住建局已安排维修，预计本周完成")
        html = page(client_for(None).get(track_url(opinion)))
        assert 'id="opinion-status">已答复<' in html
        assert "住建局已安排维修，预计本周完成" in html and f"{unit_org.name}办理" in html
        timeline = html[html.index('id="timeline"'):]
        assert timeline.index("群众提交") < timeline.index("转办") < timeline.index(f"转{unit_org.name}办理") \
            < timeline.index("答复")
        assert "住建局已安排维修" not in timeline  # the answer shows in its own section; the timeline names the step

    def test_a_declined_opinion_shows_the_reason(self, staff, station_a):
        opinion = opinion_at(station_a)
        services.opinion_decline(actor=staff, opinion_id=opinion.pk, reason="正在诉讼中，请向法院反映")
        html = page(client_for(None).get(track_url(opinion)))
        assert 'id="opinion-status">不予受理<' in html
        assert 'id="declined"' in html and "正在诉讼中，请向法院反映" in html
        assert 'id="rate"' not in html

    @pytest.mark.parametrize("state", [S.RECEIVED, S.REPLIED, S.CLOSED])
    def test_it_never_shows_the_voters_name_or_phone(self, staff, station_a, state):
        opinion = opinion_at(station_a)
        if state != S.RECEIVED:
            services.opinion_reply(actor=staff, opinion_id=opinion.pk, reply="已修复")
        if state == S.CLOSED:
            services.opinion_close(actor=staff, opinion_id=opinion.pk, satisfaction=V.SATISFIED)
        html = page(client_for(None).get(track_url(opinion)))
        assert NAME not in html and PHONE not in html and mask_phone(PHONE) not in html and PHONE[-4:] not in html

    def test_an_unknown_code_is_a_404(self, station_a):
        opinion_at(station_a)
        assert client_for(None).get(reverse("stations:opinion_track", args=["ZZZZZZZZZZ"])).status_code == 404
        assert client_for(None).post(reverse("stations:opinion_track", args=["ZZZZZZZZZZ"]),
                                     {"satisfaction": V.SATISFIED}).status_code == 404

    @pytest.mark.parametrize(("state", "shown"), [(S.RECEIVED, False), (S.REPLIED, True), (S.CLOSED, False)])
    def test_the_rating_form_shows_only_once_answered(self, staff, station_a, state, shown):
        opinion = opinion_at(station_a)
        if state != S.RECEIVED:
            services.opinion_reply(actor=staff, opinion_id=opinion.pk, reply="已修复")
        if state == S.CLOSED:
            services.opinion_rate(tracking_code=opinion.tracking_code, satisfaction=V.BASIC)
        html = page(client_for(None).get(track_url(opinion)))
        assert ('id="rate"' in html) is shown
        assert ('name="satisfaction"' in html) is shown

    def test_the_voter_rates_and_the_opinion_is_closed(self, staff, station_a):
        opinion = opinion_at(station_a)
        services.opinion_reply(actor=staff, opinion_id=opinion.pk, reply="已修复")
        client = client_for(None)
        response = client.post(track_url(opinion), {"satisfaction": V.SATISFIED})
        assert response.status_code == 302 and response.url == track_url(opinion)
        opinion.refresh_from_db()
        assert (opinion.status, opinion.satisfaction) == (S.CLOSED, V.SATISFIED) and opinion.closed_at is not None
        event = opinion.state_changes.order_by("pk").last()
        assert (event.action, event.actor, event.from_state, event.to_state) == ("rate", None, S.REPLIED, S.CLOSED)
        html = page(client.get(response.url))
        assert "感谢您的评价" in html and 'id="opinion-status">已办结<' in html
        timeline = html[html.index('id="timeline"'):]
        assert timeline.index("群众评价") < timeline.index("满意")

    def test_rating_again_changes_nothing(self, staff, station_a):
        opinion = opinion_at(station_a)
        services.opinion_reply(actor=staff, opinion_id=opinion.pk, reply="已修复")
        client = client_for(None)
        client.post(track_url(opinion), {"satisfaction": V.SATISFIED})
        response = client.post(track_url(opinion), {"satisfaction": V.DISSATISFIED})
        assert response.status_code == 302
        opinion.refresh_from_db()
        assert (opinion.status, opinion.satisfaction) == (S.CLOSED, V.SATISFIED)
        assert opinion.state_changes.filter(action="rate").count() == 1
        assert "不能评价" in page(client.get(response.url))

    def test_a_rating_before_the_answer_changes_nothing(self, station_a):
        opinion = opinion_at(station_a)
        client = client_for(None)
        response = client.post(track_url(opinion), {"satisfaction": V.SATISFIED})
        assert response.status_code == 302 and response.url == track_url(opinion)
        opinion.refresh_from_db()
        assert (opinion.status, opinion.satisfaction) == (S.RECEIVED, "")
        assert opinion.state_changes.count() == 1
        assert "社情民意当前为“待处理”，不能评价（须为“已答复”）" in page(client.get(response.url))

    def test_a_rating_outside_the_three_is_shown_again(self, staff, station_a):
        opinion = opinion_at(station_a)
        services.opinion_reply(actor=staff, opinion_id=opinion.pk, reply="已修复")
        html = page(client_for(None).post(track_url(opinion), {"satisfaction": "great"}))
        assert 'id="rate"' in html
        opinion.refresh_from_db()
        assert (opinion.status, opinion.satisfaction) == (S.REPLIED, "")

    def test_its_query_count_does_not_grow_with_the_timeline(self, staff, station_a, unit_org):
        opinion = opinion_at(station_a)
        services.opinion_refer(actor=staff, opinion_id=opinion.pk, unit_id=unit_org.pk)
        client = client_for(None)
        small = _queries(client, track_url(opinion))
        for i in range(4):
            StateChange.objects.create(workflow="opinion", object_id=opinion.pk, thread=f"opinion:{opinion.pk}", actor=staff,
                                       action="refer", from_state=S.REFERRED, to_state=S.REFERRED,
                                       reason=f"催办第{i + 1}次")
        assert opinion.state_changes.count() == 6
        large = _queries(client, track_url(opinion))
        assert "催办第4次" in large.html
        assert len(large) == len(small), [q["sql"] for q in large.captured_queries]


class TestQrCode:
    def test_it_is_an_svg_image_of_the_station(self, station_a):
        response = client_for(None).get(reverse("stations:qr", args=[station_a.pk]))
        assert response.status_code == 200 and response["Content-Type"] == "image/svg+xml"
        body = response.content.decode()
        assert "<svg" in body and body.rstrip().endswith("</svg>")
        assert "public" in response["Cache-Control"]

    def test_a_station_that_stopped_running_has_none(self, station_a):
        Station.objects.filter(pk=station_a.pk).update(is_active=False)
        assert client_for(None).get(reverse("stations:qr", args=[station_a.pk])).status_code == 404


def _queries(client, url):
    client.get(url)  # warm up: session, content types, permissions cached
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    captured.html = response.content.decode()
    return captured


class TestStepPages:
    def test_staff_refer_on_the_page(self, staff, station_a, unit_org):
        opinion = opinion_at(station_a)
        client = client_for(staff)
        assert unit_org.name in page(client.get(step_url("refer", opinion)))
        response = client.post(step_url("refer", opinion), {"unit": unit_org.pk, "note": "请一周内答复"})
        assert response.status_code == 302 and response.url == change_url(opinion)
        opinion.refresh_from_db()
        assert (opinion.status, opinion.unit) == (S.REFERRED, unit_org)
        event = opinion.state_changes.order_by("pk").last()
        assert (event.action, event.actor, event.from_state, event.to_state) == ("refer", staff, S.RECEIVED, S.REFERRED)

    def test_staff_reply_on_the_page(self, staff, station_a):
        opinion = opinion_at(station_a)
        response = client_for(staff).post(step_url("reply", opinion), {"reply": "已联系路灯管理所修复"})
        assert response.status_code == 302
        opinion.refresh_from_db()
        assert (opinion.status, opinion.reply) == (S.REPLIED, "已联系路灯管理所修复")
        assert opinion.state_changes.order_by("pk").last().actor == staff

    def test_staff_decline_on_the_page(self, staff, station_a):
        opinion = opinion_at(station_a)
        response = client_for(staff).post(step_url("decline", opinion), {"reason": "正在诉讼中"})
        assert response.status_code == 302
        opinion.refresh_from_db()
        assert (opinion.status, opinion.decline_reason) == (S.DECLINED, "正在诉讼中")

    def test_staff_close_after_a_call_back_on_the_page(self, staff, station_a):
        opinion = opinion_at(station_a)
        services.opinion_reply(actor=staff, opinion_id=opinion.pk, reply="已修复")
        response = client_for(staff).post(step_url("close", opinion), {"satisfaction": V.BASIC, "note": "群众认可"})
        assert response.status_code == 302
        opinion.refresh_from_db()
        assert (opinion.status, opinion.satisfaction) == (S.CLOSED, V.BASIC)
        event = opinion.state_changes.order_by("pk").last()
        assert (event.action, event.actor, event.from_state) == ("close", staff, S.REPLIED)

    def test_the_stations_town_staff_use_the_pages(self, town_staff, station_a):
        opinion = opinion_at(station_a)
        response = client_for(town_staff).post(step_url("reply", opinion), {"reply": "街道已协调修复"})
        assert response.status_code == 302
        opinion.refresh_from_db()
        assert opinion.status == S.REPLIED and opinion.history.first().history_user == town_staff

    def test_a_step_in_the_wrong_state_shows_the_reason_and_changes_nothing(self, staff, station_a):
        opinion = opinion_at(station_a)
        response = client_for(staff).post(step_url("close", opinion), {"satisfaction": V.SATISFIED})
        assert "社情民意当前为“待处理”，不能办结（须为“已答复”）" in page(response)
        opinion.refresh_from_db()
        assert (opinion.status, opinion.satisfaction) == (S.RECEIVED, "") and opinion.state_changes.count() == 1

    def test_repeating_a_step_changes_nothing(self, staff, station_a):
        opinion = opinion_at(station_a)
        client = client_for(staff)
        client.post(step_url("reply", opinion), {"reply": "第一次答复"})
        response = client.post(step_url("reply", opinion), {"reply": "第二次答复"})
        assert "不能答复" in page(response)
        opinion.refresh_from_db()
        assert opinion.reply == "第一次答复" and opinion.state_changes.filter(action="reply").count() == 1

    @pytest.mark.parametrize("step", ["refer", "reply", "decline", "close"])
    def test_leaders_may_not_open_the_step_pages(self, leader, staff, station_a, unit_org, step):
        opinion = opinion_at(station_a)
        if step == "close":
            services.opinion_reply(actor=staff, opinion_id=opinion.pk, reply="已修复")
            opinion.refresh_from_db()
        client = client_for(leader)
        assert client.get(step_url(step, opinion)).status_code == 403
        data = {"unit": unit_org.pk, "reply": "答复", "reason": "理由", "satisfaction": V.SATISFIED}
        assert client.post(step_url(step, opinion), data).status_code == 403
        before = opinion.status
        opinion.refresh_from_db()
        assert opinion.status == before and opinion.state_changes.count() == (1 if step != "close" else 2)

    def test_another_towns_staff_cannot_open_it(self, other_town_staff, station_a):
        opinion = opinion_at(station_a)
        client = client_for(other_town_staff)
        assert client.get(step_url("reply", opinion)).status_code == 404
        assert client.post(step_url("reply", opinion), {"reply": "越权答复"}).status_code == 404
        response = client.get(change_url(opinion))
        assert response.status_code in (302, 404)
        if response.status_code == 302:
            assert response.url == reverse("admin:index")
        opinion.refresh_from_db()
        assert (opinion.status, opinion.reply) == (S.RECEIVED, "")
        assert not VoterContactView.objects.exists()

    @pytest.mark.parametrize("who", ["deputy_user", "unit_user", None])
    def test_non_admin_users_are_sent_to_the_login(self, request, station_a, who):
        opinion = opinion_at(station_a)
        user = request.getfixturevalue(who) if who else None
        response = client_for(user).post(step_url("reply", opinion), {"reply": "越权答复"})
        assert response.status_code == 302 and "login" in response.url
        opinion.refresh_from_db()
        assert opinion.status == S.RECEIVED


class TestChangePage:
    def test_staff_see_the_full_phone_and_each_view_is_logged(self, staff, station_a):
        opinion = opinion_at(station_a)
        client = client_for(staff)
        html = page(client.get(change_url(opinion)))
        assert PHONE in html and NAME in html
        assert list(VoterContactView.objects.values_list("user", "opinion")) == [(staff.pk, opinion.pk)]
        page(client.get(change_url(opinion)))
        assert VoterContactView.objects.filter(user=staff, opinion=opinion).count() == 2

    def test_the_record_is_read_only_a_post_is_refused_and_changes_nothing(self, staff, station_a):
        opinion = opinion_at(station_a)
        before = opinion.history.count()
        assert client_for(staff).post(change_url(opinion), {"content": "改过的内容"}).status_code == 403
        opinion.refresh_from_db()
        assert opinion.content != "改过的内容" and opinion.history.count() == before
        assert not VoterContactView.objects.exists()

    def test_the_stations_town_staff_see_it_too_and_are_logged(self, town_staff, station_a):
        opinion = opinion_at(station_a)
        assert PHONE in page(client_for(town_staff).get(change_url(opinion)))
        assert VoterContactView.objects.get().user == town_staff

    def test_leaders_see_the_masked_phone_and_nothing_is_logged(self, leader, station_a):
        opinion = opinion_at(station_a)
        html = page(client_for(leader).get(change_url(opinion)))
        assert "138****8000" in html and mask_phone(PHONE) == "138****8000"
        assert PHONE not in html
        assert not VoterContactView.objects.exists()

    def test_an_opinion_without_a_phone_logs_nothing(self, staff, station_a):
        opinion = opinion_at(station_a, phone="")
        page(client_for(staff).get(change_url(opinion)))
        assert not VoterContactView.objects.exists()

    def test_it_links_the_next_steps_only(self, staff, station_a):
        opinion = opinion_at(station_a)
        html = page(client_for(staff).get(change_url(opinion)))
        for step in ("refer", "reply", "decline"):
            assert step_url(step, opinion) in html
        assert step_url("close", opinion) not in html
        services.opinion_reply(actor=staff, opinion_id=opinion.pk, reply="已修复")
        html = page(client_for(staff).get(change_url(opinion)))
        assert step_url("close", opinion) in html and step_url("refer", opinion) not in html

    def test_opinions_are_not_added_in_the_admin(self, staff, town_staff):
        assert client_for(staff).get(reverse("admin:stations_voteropinion_add")).status_code == 403
        assert client_for(town_staff).get(reverse("admin:stations_voteropinion_add")).status_code == 403


class TestChangeList:
    def test_the_list_masks_the_phone_even_for_staff(self, staff, station_a):
        opinion_at(station_a)
        html = page(client_for(staff).get(reverse("admin:stations_voteropinion_changelist")))
        assert mask_phone(PHONE) in html and PHONE not in html
        assert not VoterContactView.objects.exists()

    def test_town_staff_list_only_their_towns_opinions(self, town_staff, station_a, station_b):
        mine, theirs = opinion_at(station_a), opinion_at(station_b)
        html = page(client_for(town_staff).get(reverse("admin:stations_voteropinion_changelist")))
        assert mine.tracking_code in html and theirs.tracking_code not in html

    def test_its_query_count_does_not_grow_with_the_rows(self, staff, station_a, station_b, unit_org):
        client, url = client_for(staff), reverse("admin:stations_voteropinion_changelist")

        def opinions(n):
            for i in range(n):
                opinion = opinion_at(station_a if i % 2 else station_b)
                if i % 3 == 0:
                    services.opinion_refer(actor=staff, opinion_id=opinion.pk, unit_id=unit_org.pk)

        opinions(3)
        small = _queries(client, url)
        opinions(6)
        large = _queries(client, url)
        assert VoterOpinion.objects.count() == 9 and large.html.count('class="action-select"') == 9
        assert len(large) == len(small), [q["sql"] for q in large.captured_queries]

    def test_it_states_the_closing_and_satisfaction_rates_of_what_is_filtered(self, staff, station_a, station_b):
        closed = [opinion_at(station_a) for _ in range(3)]
        for opinion, rating in zip(closed, ["satisfied", "basic", "dissatisfied"], strict=True):
            services.opinion_reply(actor=staff, opinion_id=opinion.pk, reply="已修复")
            services.opinion_rate(tracking_code=opinion.tracking_code, satisfaction=rating)
        # the 不满意 one was answered again and rated 不满意 again: closed, and both ratings count
        services.opinion_reply(actor=staff, opinion_id=closed[2].pk, reply="已再次修复")
        services.opinion_rate(tracking_code=closed[2].tracking_code, satisfaction="dissatisfied")
        opinion_at(station_a)
        opinion_at(station_b)
        client = client_for(staff)
        every = page(client.get(reverse("admin:stations_voteropinion_changelist")))
        assert "所选 5 条：已办结 3 条（办结率 60.0%）" in every and "满意和基本满意 2 条（满意率 50.0%）" in every
        town_b = page(client.get(reverse("admin:stations_voteropinion_changelist"), {"station__town__id__exact": station_b.town_id}))
        assert "所选 1 条：已办结 0 条（办结率 0.0%）；群众评价 0 条。" in town_b


    def test_it_counts_what_is_filtered_once_in_the_rates_query(self, staff, station_a, station_b, monkeypatch):
        from stations.admin import VoterOpinionAdmin

        monkeypatch.setattr(VoterOpinionAdmin, "list_per_page", 2)
        for _ in range(4):
            opinion_at(station_a)
        opinion_at(station_b)
        client, url = client_for(staff), reverse("admin:stations_voteropinion_changelist")
        every = _queries(client, url)
        assert not any("COUNT(*)" in q["sql"] or "reltuples" in q["sql"] for q in every.captured_queries)
        assert sum('COUNT("stations_voteropinion"."id")' in q["sql"] for q in every.captured_queries) == 1
        assert "所选 5 条" in every.html and every.html.count('class="action-select"') == 2
        assert f"5 {VoterOpinion._meta.verbose_name_plural}" in every.html and "?p=3" in every.html
        last = page(client.get(url, {"p": "3"}))
        assert last.count('class="action-select"') == 1 and f"5 {VoterOpinion._meta.verbose_name_plural}" in last
        town_b = page(client.get(url, {"station__town__id__exact": station_b.town_id}))
        assert "所选 1 条" in town_b and f"1 {VoterOpinion._meta.verbose_name}" in town_b and "?p=2" not in town_b

    @pytest.mark.parametrize("rows_estimated", [20_000, 500])
    def test_over_a_large_table_the_rates_are_kept_with_the_time_counted(self, staff, station_a, station_b, settings,
                                                                         monkeypatch, rows_estimated):
        """Over a table estimated above EstimatedCountPaginator.KEEP_ABOVE rows, the rates (and the count) are kept
        ADMIN_COUNTS_CACHE_SECONDS per filters, as a large list's count is, and the page says when they were counted;
        the rows are read fresh. Below it, they are counted for every page."""
        settings.ADMIN_COUNTS_CACHE_SECONDS = 60
        monkeypatch.setattr("congress.lib.admin.estimated_row_count", lambda table: rows_estimated)
        client, url = client_for(staff), reverse("admin:stations_voteropinion_changelist")
        opinion_at(station_a)
        first = page(client.get(url))
        assert "所选 1 条" in first
        newer = opinion_at(station_a)
        again = page(client.get(url))
        assert newer.tracking_code in again  # the rows as they are
        if rows_estimated > 10_000:
            assert "所选 1 条" in again and "数据截至" in again and "（每 60 秒更新）" in again
        else:
            assert "所选 2 条" in again and "数据截至" not in again
        by_town = page(client.get(url, {"station__town__id__exact": station_a.town_id}))
        assert "所选 2 条" in by_town  # other filters: counted afresh

    def test_an_opinions_history_page_is_paged_as_django_pages_it(self, staff, station_a):
        """Django's history view pages the opinion's log entries through the same get_paginator: no rates there."""
        opinion = opinion_at(station_a)
        response = client_for(staff).get(reverse("admin:stations_voteropinion_history", args=[opinion.pk]))
        assert response.status_code == 200 and opinion.tracking_code in response.content.decode()

class TestContactViewLog:
    def test_the_auditor_lists_who_saw_a_phone(self, staff, audit_admin, station_a):
        opinion = opinion_at(station_a)
        page(client_for(staff).get(change_url(opinion)))
        html = page(client_for(audit_admin).get(reverse("admin:stations_votercontactview_changelist")))
        assert str(staff) in html and opinion.tracking_code in html

    def test_staff_may_not_read_the_log(self, staff, station_a):
        assert client_for(staff).get(reverse("admin:stations_votercontactview_changelist")).status_code == 403


class TestStationQrField:
    def test_the_station_change_page_shows_the_qr_code(self, staff, station_a):
        html = page(client_for(staff).get(reverse("admin:stations_station_change", args=[station_a.pk])))
        qr = reverse("stations:qr", args=[station_a.pk])
        assert f'<img src="{qr}"' in html and f'href="{qr}"' in html and f'href="{new_url(station_a)}"' in html
