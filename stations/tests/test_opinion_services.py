"""社情民意 through its services: a voter's submission (the checks, the tracking code, the hourly limit per address,
the town staff told), each staff step of the closed loop (refer, reply, decline, close) with its transition record
and its refusals, the voter's rating by tracking code, and the rates the institution reports."""
import pytest
from django.core.cache import cache
from django.http import Http404

from congress.models import Notification, Organization, StateChange
from congress.services import CongressError
from stations import selectors, services
from stations.conf import stations_setting
from stations.models import Station, VoterContactView, VoterOpinion

pytestmark = pytest.mark.django_db
S, V = VoterOpinion.Status, VoterOpinion.Satisfaction
CONTENT = "小区门口的路灯坏了一个多月，晚上出行很不安全"


@pytest.fixture(autouse=True)
def _empty_cache(settings):
    """The hourly limit counts in the cache; each test starts with a clean count. The cache is this process's own:
    the configured Redis is shared by parallel workers, and their clear() would reset a count in mid-test."""
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "opinions"}}
    cache.clear()
    yield
    cache.clear()


def submit(station, **kwargs) -> VoterOpinion:
    fields = {"content": CONTENT, "category": VoterOpinion.Category.URBAN, "name": "张三丰", "phone": "13800138000",
              "client_key": "10.0.0.1", **kwargs}
    return services.opinion_submit(station_id=station.pk, **fields)


def in_state(station, state, actor, unit=None) -> VoterOpinion:
    """An opinion brought to `state` through the real services."""
    opinion = submit(station, client_key="")
    if state == S.REFERRED:
        services.opinion_refer(actor=actor, opinion_id=opinion.pk, unit_id=unit.pk)
    elif state == S.REPLIED:
        services.opinion_reply(actor=actor, opinion_id=opinion.pk, reply="已联系路灯管理所，本周内修复。")
    elif state == S.DECLINED:
        services.opinion_decline(actor=actor, opinion_id=opinion.pk, reason="属于民事纠纷，请通过人民调解委员会反映")
    elif state == S.CLOSED:
        services.opinion_reply(actor=actor, opinion_id=opinion.pk, reply="已联系路灯管理所，本周内修复。")
        services.opinion_rate(tracking_code=opinion.tracking_code, satisfaction=V.SATISFIED)
    opinion.refresh_from_db()
    assert opinion.status == state
    return opinion


def snapshot(opinion) -> tuple:
    """What a refused step must leave as it was."""
    opinion.refresh_from_db()
    return (opinion.status, opinion.unit_id, opinion.reply, opinion.replied_at, opinion.decline_reason,
            opinion.satisfaction, opinion.closed_at, opinion.state_changes.count(), opinion.history.count())


def last_event(opinion) -> StateChange:
    return opinion.state_changes.order_by("at", "pk").last()


# the four staff steps, each with the state it starts from and a valid call
STEPS = {
    "refer": (S.RECEIVED, lambda actor, o, unit: services.opinion_refer(actor=actor, opinion_id=o.pk, unit_id=unit.pk)),
    "reply": (S.RECEIVED, lambda actor, o, unit: services.opinion_reply(actor=actor, opinion_id=o.pk, reply="已修复")),
    "decline": (S.RECEIVED, lambda actor, o, unit: services.opinion_decline(actor=actor, opinion_id=o.pk,
                                                                            reason="正在诉讼中，不予受理")),
    "close": (S.REPLIED, lambda actor, o, unit: services.opinion_close(actor=actor, opinion_id=o.pk)),
}


class TestSubmit:
    def test_it_creates_a_received_opinion_with_a_readable_tracking_code(self, station_a):
        opinion = submit(station_a, content=f"  {CONTENT}  ", phone="138 0013-8000", name=" 张三丰 ")
        opinion.refresh_from_db()
        assert len(opinion.tracking_code) == 10
        assert set(opinion.tracking_code) <= set(services.TRACKING_ALPHABET)
        assert not set(opinion.tracking_code) & set("01OIL")
        assert (opinion.station, opinion.status, opinion.category) == (station_a, S.RECEIVED, VoterOpinion.Category.URBAN)
        assert (opinion.content, opinion.name, opinion.phone) == (CONTENT, "张三丰", "13800138000")
        assert opinion.unit is None and opinion.reply == "" and opinion.satisfaction == "" and opinion.closed_at is None

    def test_it_records_the_submission_without_an_actor(self, station_a):
        opinion = submit(station_a)
        event = opinion.state_changes.get()
        assert (event.action, event.actor, event.from_state, event.to_state) == ("submit", None, "", S.RECEIVED)

    def test_each_opinion_gets_its_own_code(self, station_a):
        codes = {submit(station_a, client_key="").tracking_code for _ in range(4)}
        assert len(codes) == 4

    def test_no_category_files_it_under_other(self, station_a):
        assert submit(station_a, category="").category == VoterOpinion.Category.OTHER

    def test_name_and_phone_may_be_left_out(self, station_a):
        opinion = submit(station_a, name="", phone="")
        assert (opinion.name, opinion.phone, opinion.phone_masked) == ("", "", "")

    def test_a_landline_with_an_area_code_is_accepted(self, station_a):
        assert submit(station_a, phone="0512-66660001").phone == "051266660001"

    def test_the_stations_town_staff_are_told_and_another_towns_are_not(self, station_a, town_staff,
                                                                         other_town_staff, staff):
        opinion = submit(station_a)
        note = Notification.objects.get(recipient=town_staff)
        assert note.kind == "voter_opinion" and station_a.name in note.title
        assert note.body == CONTENT[:60]
        assert note.url == f"/admin/stations/voteropinion/{opinion.pk}/change/"
        assert not Notification.objects.filter(recipient=other_town_staff).exists()

    def test_an_opinion_at_the_other_town_tells_its_staff(self, station_b, town_staff, other_town_staff):
        submit(station_b)
        assert Notification.objects.filter(recipient=other_town_staff, kind="voter_opinion").count() == 1
        assert not Notification.objects.filter(recipient=town_staff).exists()

    def test_exactly_the_shortest_and_the_longest_text_are_accepted(self, station_a):
        least, most = stations_setting("OPINION_MIN_LENGTH"), stations_setting("OPINION_MAX_LENGTH")
        assert len(submit(station_a, content="路" * least).content) == least
        assert len(submit(station_a, content="路" * most).content) == most

    @pytest.mark.parametrize(("fields", "message"), [
        ({"content": "  路灯坏了请修理  "}, "至少10个字"),          # 7 characters once the spaces are gone
        ({"content": "路" * 2001}, "不要超过2000个字"),
        ({"content": ""}, "至少10个字"),
        ({"phone": "1380013800a"}, "联系电话格式不对"),
        ({"phone": "123456"}, "联系电话格式不对"),
        ({"phone": "1380013800012"}, "联系电话格式不对"),
        ({"category": "weather"}, "请选择意见类别"),
    ])
    def test_a_bad_submission_is_refused_and_leaves_nothing(self, station_a, town_staff, fields, message):
        with pytest.raises(CongressError, match=message):
            submit(station_a, **fields)
        assert not VoterOpinion.objects.exists() and not StateChange.objects.exists()
        assert not Notification.objects.exists()

    def test_a_station_that_stopped_running_takes_no_opinions(self, station_a, town_staff):
        Station.objects.filter(pk=station_a.pk).update(is_active=False)
        with pytest.raises(CongressError, match="不存在或已停止运行"):
            submit(station_a)
        assert not VoterOpinion.objects.exists() and not Notification.objects.exists()

    def test_an_unknown_station_is_refused(self, station_a):
        with pytest.raises(CongressError, match="不存在或已停止运行"):
            services.opinion_submit(station_id=station_a.pk + 1000, content=CONTENT)
        assert not VoterOpinion.objects.exists()


class TestHourlyLimit:
    def test_one_more_than_the_limit_from_one_address_is_refused(self, station_a):
        limit = stations_setting("OPINION_PER_HOUR")
        for _ in range(limit):
            submit(station_a, client_key="192.0.2.7")
        with pytest.raises(CongressError, match=f"一小时内最多提交{limit}条"):
            submit(station_a, client_key="192.0.2.7")
        assert VoterOpinion.objects.count() == limit
        assert StateChange.objects.count() == limit

    def test_another_address_is_still_accepted(self, station_a):
        limit = stations_setting("OPINION_PER_HOUR")
        for _ in range(limit):
            submit(station_a, client_key="192.0.2.7")
        assert submit(station_a, client_key="192.0.2.8").status == S.RECEIVED
        assert VoterOpinion.objects.count() == limit + 1

    def test_the_limit_is_a_setting(self, station_a, settings):
        settings.STATIONS = {**settings.STATIONS, "OPINION_PER_HOUR": 2}
        submit(station_a, client_key="192.0.2.7")
        submit(station_a, client_key="192.0.2.7")
        with pytest.raises(CongressError, match="最多提交2条"):
            submit(station_a, client_key="192.0.2.7")
        assert VoterOpinion.objects.count() == 2

    def test_refused_submissions_do_not_use_up_the_hour(self, station_a, settings):
        settings.STATIONS = {**settings.STATIONS, "OPINION_PER_HOUR": 1}
        for _ in range(3):
            with pytest.raises(CongressError, match="至少10个字"):
                submit(station_a, client_key="192.0.2.7", content="太短")
        assert submit(station_a, client_key="192.0.2.7").status == S.RECEIVED


class TestRefer:
    def test_staff_refer_it_to_a_handling_unit(self, staff, station_a, unit_org):
        opinion = in_state(station_a, S.RECEIVED, staff)
        services.opinion_refer(actor=staff, opinion_id=opinion.pk, unit_id=unit_org.pk, note="  请一周内答复 ")
        opinion.refresh_from_db()
        assert (opinion.status, opinion.unit) == (S.REFERRED, unit_org)
        event = last_event(opinion)
        assert (event.action, event.actor, event.from_state, event.to_state) == ("refer", staff, S.RECEIVED, S.REFERRED)
        assert event.reason == f"转{unit_org.name}办理：请一周内答复"
        assert opinion.history.first().history_user == staff

    def test_without_a_note_the_event_names_the_unit(self, staff, station_a, unit_org):
        opinion = in_state(station_a, S.RECEIVED, staff)
        services.opinion_refer(actor=staff, opinion_id=opinion.pk, unit_id=unit_org.pk)
        assert last_event(opinion).reason == f"转{unit_org.name}办理"

    def test_referring_twice_is_refused(self, staff, station_a, unit_org):
        opinion = in_state(station_a, S.REFERRED, staff, unit=unit_org)
        other = Organization.objects.create(name="区交通运输局", kind=Organization.Kind.DEPARTMENT, is_handling_unit=True)
        before = snapshot(opinion)
        with pytest.raises(CongressError, match="已转办.*不能转办"):
            services.opinion_refer(actor=staff, opinion_id=opinion.pk, unit_id=other.pk)
        assert snapshot(opinion) == before and opinion.unit == unit_org

    @pytest.mark.parametrize("state", [S.REPLIED, S.DECLINED, S.CLOSED])
    def test_it_refuses_to_refer_past_received(self, staff, station_a, unit_org, state):
        opinion = in_state(station_a, state, staff)
        before = snapshot(opinion)
        with pytest.raises(CongressError, match="不能转办"):
            services.opinion_refer(actor=staff, opinion_id=opinion.pk, unit_id=unit_org.pk)
        assert snapshot(opinion) == before

    def test_only_an_active_handling_unit_may_be_chosen(self, staff, station_a, town_a, unit_org):
        opinion = in_state(station_a, S.RECEIVED, staff)
        before = snapshot(opinion)
        with pytest.raises(CongressError, match="请选择承办单位"):
            services.opinion_refer(actor=staff, opinion_id=opinion.pk, unit_id=town_a.pk)
        Organization.objects.filter(pk=unit_org.pk).update(is_active=False)
        with pytest.raises(CongressError, match="请选择承办单位"):
            services.opinion_refer(actor=staff, opinion_id=opinion.pk, unit_id=unit_org.pk)
        assert snapshot(opinion) == before

    def test_an_unknown_opinion_is_refused(self, staff, unit_org):
        with pytest.raises(CongressError, match="不存在"):
            services.opinion_refer(actor=staff, opinion_id=987654, unit_id=unit_org.pk)


class TestReply:
    def test_staff_answer_a_received_opinion(self, staff, station_a):
        opinion = in_state(station_a, S.RECEIVED, staff)
        services.opinion_reply(actor=staff, opinion_id=opinion.pk, reply="  已联系路灯管理所，本周内修复。 ")
        opinion.refresh_from_db()
        assert (opinion.status, opinion.reply) == (S.REPLIED, "已联系路灯管理所，本周内修复。")
        assert opinion.replied_at is not None and opinion.closed_at is None
        event = last_event(opinion)
        assert (event.action, event.actor, event.from_state, event.to_state) == ("reply", staff, S.RECEIVED, S.REPLIED)
        assert event.reason == opinion.reply
        assert opinion.history.first().history_user == staff

    def test_a_referred_opinion_is_answered_after_the_unit_reports(self, staff, station_a, unit_org):
        opinion = in_state(station_a, S.REFERRED, staff, unit=unit_org)
        services.opinion_reply(actor=staff, opinion_id=opinion.pk, reply="住建局已安排维修")
        opinion.refresh_from_db()
        assert (opinion.status, opinion.unit) == (S.REPLIED, unit_org)
        event = last_event(opinion)
        assert (event.from_state, event.to_state) == (S.REFERRED, S.REPLIED)

    def test_an_empty_answer_is_refused(self, staff, station_a):
        opinion = in_state(station_a, S.RECEIVED, staff)
        before = snapshot(opinion)
        with pytest.raises(CongressError, match="请填写答复内容"):
            services.opinion_reply(actor=staff, opinion_id=opinion.pk, reply="   ")
        assert snapshot(opinion) == before

    @pytest.mark.parametrize("state", [S.REPLIED, S.DECLINED, S.CLOSED])
    def test_it_rejects_a_reply_after_the_answer_or_the_end(self, staff, station_a, state):
        opinion = in_state(station_a, state, staff)
        before = snapshot(opinion)
        with pytest.raises(CongressError, match="不能答复"):
            services.opinion_reply(actor=staff, opinion_id=opinion.pk, reply="再答复一次")
        assert snapshot(opinion) == before


class TestDecline:
    def test_staff_decline_with_a_public_reason(self, staff, station_a):
        opinion = in_state(station_a, S.RECEIVED, staff)
        services.opinion_decline(actor=staff, opinion_id=opinion.pk, reason=" 正在诉讼中，请向法院反映 ")
        opinion.refresh_from_db()
        assert (opinion.status, opinion.decline_reason) == (S.DECLINED, "正在诉讼中，请向法院反映")
        assert opinion.closed_at is not None
        event = last_event(opinion)
        assert (event.action, event.actor, event.from_state, event.to_state) == ("decline", staff, S.RECEIVED,
                                                                                  S.DECLINED)
        assert event.reason == opinion.decline_reason
        assert opinion.history.first().history_user == staff

    def test_a_long_reason_is_cut_to_the_column(self, staff, station_a):
        opinion = in_state(station_a, S.RECEIVED, staff)
        services.opinion_decline(actor=staff, opinion_id=opinion.pk, reason="理" * 250)
        opinion.refresh_from_db()
        assert opinion.decline_reason == "理" * 200

    def test_an_empty_reason_is_refused(self, staff, station_a):
        opinion = in_state(station_a, S.RECEIVED, staff)
        before = snapshot(opinion)
        with pytest.raises(CongressError, match="请填写不予受理的理由"):
            services.opinion_decline(actor=staff, opinion_id=opinion.pk, reason="")
        assert snapshot(opinion) == before

    @pytest.mark.parametrize("state", [S.REFERRED, S.REPLIED, S.DECLINED, S.CLOSED])
    def test_it_rejects_a_decline_once_handling_began(self, staff, station_a, unit_org, state):
        opinion = in_state(station_a, state, staff, unit=unit_org)
        before = snapshot(opinion)
        with pytest.raises(CongressError, match="不能不予受理"):
            services.opinion_decline(actor=staff, opinion_id=opinion.pk, reason="不属于人大职责")
        assert snapshot(opinion) == before


class TestRate:
    def test_the_voter_rates_the_answer_and_closes_the_loop(self, staff, station_a):
        opinion = in_state(station_a, S.REPLIED, staff)
        # typed on a phone: lower case, with spaces around
        services.opinion_rate(tracking_code=f" {opinion.tracking_code.lower()} ", satisfaction=V.BASIC)
        opinion.refresh_from_db()
        assert (opinion.status, opinion.satisfaction) == (S.CLOSED, V.BASIC)
        assert opinion.closed_at is not None
        event = last_event(opinion)
        assert (event.action, event.actor, event.from_state, event.to_state) == ("rate", None, S.REPLIED, S.CLOSED)
        assert event.reason == "基本满意"

    def test_an_unknown_code_is_refused(self, staff, station_a):
        opinion = in_state(station_a, S.REPLIED, staff)
        before = snapshot(opinion)
        with pytest.raises(CongressError, match="查询码不正确"):
            services.opinion_rate(tracking_code="ZZZZZZZZZZ", satisfaction=V.SATISFIED)
        with pytest.raises(CongressError, match="查询码不正确"):
            services.opinion_rate(tracking_code="", satisfaction=V.SATISFIED)
        assert snapshot(opinion) == before

    @pytest.mark.parametrize("value", ["", "great", "SATISFIED"])
    def test_a_value_outside_the_three_is_refused(self, staff, station_a, value):
        opinion = in_state(station_a, S.REPLIED, staff)
        before = snapshot(opinion)
        with pytest.raises(CongressError, match="请选择满意、基本满意或不满意"):
            services.opinion_rate(tracking_code=opinion.tracking_code, satisfaction=value)
        assert snapshot(opinion) == before

    @pytest.mark.parametrize("state", [S.RECEIVED, S.REFERRED, S.DECLINED])
    def test_it_rejects_a_rating_before_the_answer(self, staff, station_a, unit_org, state):
        opinion = in_state(station_a, state, staff, unit=unit_org)
        before = snapshot(opinion)
        with pytest.raises(CongressError, match="不能评价"):
            services.opinion_rate(tracking_code=opinion.tracking_code, satisfaction=V.SATISFIED)
        assert snapshot(opinion) == before

    def test_rating_twice_is_refused_and_keeps_the_first(self, staff, station_a):
        opinion = in_state(station_a, S.CLOSED, staff)  # rated 满意 on the way
        before = snapshot(opinion)
        with pytest.raises(CongressError, match="已办结.*不能评价"):
            services.opinion_rate(tracking_code=opinion.tracking_code, satisfaction=V.DISSATISFIED)
        assert snapshot(opinion) == before and opinion.satisfaction == V.SATISFIED


class TestClose:
    def test_staff_close_after_a_call_back(self, staff, station_a):
        opinion = in_state(station_a, S.REPLIED, staff)
        # the voter said 不满意 on the phone: the first time it goes back for a new answer
        services.opinion_close(actor=staff, opinion_id=opinion.pk, satisfaction=V.DISSATISFIED, note="群众希望尽快")
        opinion.refresh_from_db()
        assert (opinion.status, opinion.first_satisfaction, opinion.satisfaction) == (S.RECEIVED, V.DISSATISFIED, "")
        assert last_event(opinion).action == "reopen" and last_event(opinion).actor == staff
        services.opinion_reply(actor=staff, opinion_id=opinion.pk, reply="已再次协调，本周内修复")
        services.opinion_close(actor=staff, opinion_id=opinion.pk, satisfaction=V.DISSATISFIED, note=" 群众希望尽快 ")
        opinion.refresh_from_db()
        assert (opinion.status, opinion.satisfaction) == (S.CLOSED, V.DISSATISFIED)
        assert opinion.closed_at is not None
        event = last_event(opinion)
        assert (event.action, event.actor, event.from_state, event.to_state) == ("close", staff, S.REPLIED, S.CLOSED)
        assert event.reason == "回访办结，群众评价：不满意。群众希望尽快"
        assert opinion.history.first().history_user == staff

    def test_the_voter_may_have_said_nothing(self, staff, station_a):
        opinion = in_state(station_a, S.REPLIED, staff)
        services.opinion_close(actor=staff, opinion_id=opinion.pk)
        opinion.refresh_from_db()
        assert (opinion.status, opinion.satisfaction) == (S.CLOSED, "")
        assert last_event(opinion).reason == "回访办结"

    @pytest.mark.parametrize("state", [S.RECEIVED, S.REFERRED, S.DECLINED, S.CLOSED])
    def test_it_rejects_a_close_before_the_answer_or_after_the_end(self, staff, station_a, unit_org, state):
        opinion = in_state(station_a, state, staff, unit=unit_org)
        before = snapshot(opinion)
        with pytest.raises(CongressError, match="不能办结"):
            services.opinion_close(actor=staff, opinion_id=opinion.pk, satisfaction=V.SATISFIED)
        assert snapshot(opinion) == before

    def test_a_bad_satisfaction_is_refused(self, staff, station_a):
        opinion = in_state(station_a, S.REPLIED, staff)
        before = snapshot(opinion)
        with pytest.raises(CongressError, match="请选择满意"):
            services.opinion_close(actor=staff, opinion_id=opinion.pk, satisfaction="great")
        assert snapshot(opinion) == before


class TestWhoMayHandle:
    """The four staff steps share one check: the change permission, and town staff only for their own towns."""

    @pytest.mark.parametrize("step", list(STEPS))
    @pytest.mark.parametrize("who", ["deputy_user", "unit_user", "leader", "outsider", "audit_admin"])
    def test_users_without_the_permission_are_refused(self, request, staff, station_a, unit_org, step, who):
        state, call = STEPS[step]
        opinion = in_state(station_a, state, staff)
        before = snapshot(opinion)
        with pytest.raises(CongressError, match="没有办理社情民意的权限"):
            call(request.getfixturevalue(who), opinion, unit_org)
        assert snapshot(opinion) == before

    @pytest.mark.parametrize("step", list(STEPS))
    def test_another_towns_staff_are_refused(self, staff, other_town_staff, station_a, unit_org, step):
        state, call = STEPS[step]
        opinion = in_state(station_a, state, staff)
        before = snapshot(opinion)
        with pytest.raises(CongressError, match="只能办理本镇街家站点收到的意见"):
            call(other_town_staff, opinion, unit_org)
        assert snapshot(opinion) == before

    @pytest.mark.parametrize("step", list(STEPS))
    def test_the_stations_own_town_staff_may(self, staff, town_staff, station_a, unit_org, step):
        state, call = STEPS[step]
        opinion = in_state(station_a, state, staff)
        call(town_staff, opinion, unit_org)
        opinion.refresh_from_db()
        assert opinion.status != state
        event = last_event(opinion)
        assert (event.action, event.actor, event.from_state) == (step, town_staff, state)
        assert opinion.history.first().history_user == town_staff


class TestContactViewLog:
    def test_each_view_is_one_row(self, staff, station_a):
        opinion = in_state(station_a, S.RECEIVED, staff)
        services.voter_contact_view_record(actor=staff, opinion_id=opinion.pk)
        services.voter_contact_view_record(actor=staff, opinion_id=opinion.pk)
        assert list(VoterContactView.objects.values_list("user", "opinion")) == [(staff.pk, opinion.pk)] * 2


class TestTrackingSelector:
    def test_a_code_typed_in_lower_case_with_dashes_finds_it(self, staff, station_a, unit_org):
        opinion = in_state(station_a, S.REFERRED, staff, unit=unit_org)
        code = opinion.tracking_code.lower()
        found = selectors.opinion_for_tracking(f" {code[:5]}-{code[5:]} ")
        assert found == opinion
        assert [e.action for e in found.state_changes.all()] == ["submit", "refer"]

    @pytest.mark.parametrize("code", ["", "ZZZZZZZZZZ", None])
    def test_an_unknown_code_is_a_404(self, station_a, code):
        submit(station_a)
        with pytest.raises(Http404):
            selectors.opinion_for_tracking(code)


class TestRates:
    def rows(self, station, *pairs):
        for status, satisfaction in pairs:
            n = VoterOpinion.objects.count()
            VoterOpinion.objects.create(tracking_code=f"RATE{n:06d}", station=station, content=CONTENT, status=status,
                                        satisfaction=satisfaction)

    def test_nothing_yet_gives_no_rates(self, station_a, django_assert_num_queries):
        with django_assert_num_queries(1):
            rates = selectors.opinion_rates(VoterOpinion.objects.all())
        assert rates == {"total": 0, "done": 0, "rated": 0, "satisfied": 0, "closed_rate": None,
                         "satisfied_rate": None}

    def test_rates_on_known_data(self, station_a, station_b, django_assert_num_queries):
        self.rows(station_a, (S.RECEIVED, ""), (S.REFERRED, ""), (S.REPLIED, ""), (S.DECLINED, ""),
                  (S.CLOSED, V.SATISFIED), (S.CLOSED, V.BASIC), (S.CLOSED, V.DISSATISFIED), (S.CLOSED, ""))
        self.rows(station_b, (S.CLOSED, V.DISSATISFIED), (S.RECEIVED, ""))
        with django_assert_num_queries(1):
            everything = selectors.opinion_rates(VoterOpinion.objects.all())
        # 10 opinions, 6 done (1 declined, 5 closed); 4 rated, 2 of them satisfied or basically satisfied
        assert everything == {"total": 10, "done": 6, "rated": 4, "satisfied": 2, "closed_rate": 60.0,
                              "satisfied_rate": 50.0}
        # station a alone: 5 of 8 done = 62.5 %; 2 of 3 rated satisfied = 66.7 %
        at_a = selectors.opinion_rates(VoterOpinion.objects.filter(station=station_a))
        assert (at_a["closed_rate"], at_a["satisfied_rate"]) == (62.5, 66.7)
        at_b = selectors.opinion_rates(VoterOpinion.objects.filter(station=station_b))
        assert (at_b["closed_rate"], at_b["satisfied_rate"]) == (50.0, 0.0)

    def test_without_a_rating_the_satisfied_rate_is_none(self, station_a):
        self.rows(station_a, (S.CLOSED, ""), (S.DECLINED, ""), (S.RECEIVED, ""), (S.REPLIED, ""))
        rates = selectors.opinion_rates(VoterOpinion.objects.all())
        assert (rates["closed_rate"], rates["satisfied_rate"]) == (50.0, None)
