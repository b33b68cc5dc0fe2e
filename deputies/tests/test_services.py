"""The portal's transitions: right actor and state succeed once, wrong ones are refused with a Chinese message."""
import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from congress.models import Notification
from congress.services import CongressError
from deputies import selectors, services
from deputies.models import DutyActivity, DutyActivityParticipant, LeaveRequest, ScoreSnapshotRow
from deputies.tests.conftest import jpeg

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def report(actor, kind, **kwargs):
    return services.activity_report(actor=actor, activity_type=kind, date=kwargs.pop("date", TODAY),
                                    place="城东联络站", **kwargs)


class TestActivityReport:
    def test_it_records_the_reporter_as_confirmed_and_asks_co_deputies(self, deputy, other_deputy, inspection,
                                                                         deputy_user, django_capture_on_commit_callbacks):
        with django_capture_on_commit_callbacks():
            activity = report(deputy_user, inspection, co_deputies=[other_deputy], photos=[jpeg()])
        activity.refresh_from_db()
        assert activity.status == DutyActivity.Status.SUBMITTED and activity.reported_by == deputy
        rows = {p.deputy_id: p for p in activity.participations.all()}
        assert rows[deputy.pk].confirmed_at is not None and rows[other_deputy.pk].confirmed_at is None
        assert Notification.objects.filter(recipient=other_deputy.user, kind="activity_confirm").exists()
        assert activity.history.first().history_user == deputy_user

    def test_it_shrinks_photos_to_the_configured_long_side(self, deputy, inspection, deputy_user):
        activity = report(deputy_user, inspection, photos=[jpeg(3200, 1000)])
        with Image.open(activity.photos.get().image.path) as image:
            assert max(image.size) == 1600

    def test_it_refuses_a_file_that_is_not_an_image(self, deputy, inspection, deputy_user):
        fake = SimpleUploadedFile("x.jpg", b"not an image", content_type="image/jpeg")
        with pytest.raises(CongressError, match="照片只能是 JPG 或 PNG 图片"):
            report(deputy_user, inspection, photos=[fake])
        assert not DutyActivity.objects.exists()

    def test_it_refuses_a_photo_over_the_size_limit(self, deputy, inspection, deputy_user, settings):
        settings.UPLOAD_MAX_MB_IMAGE = 0
        with pytest.raises(CongressError, match="不能超过"):
            report(deputy_user, inspection, photos=[jpeg(100, 100)])

    def test_it_refuses_more_photos_than_allowed(self, deputy, inspection, deputy_user, settings):
        settings.DEPUTY_PORTAL = {"MAX_PHOTOS": 1}
        with pytest.raises(CongressError, match="最多"):
            report(deputy_user, inspection, photos=[jpeg(10, 10), jpeg(10, 10)])

    def test_it_refuses_someone_who_is_not_a_deputy(self, staff, inspection):
        with pytest.raises(CongressError, match="人大代表本人"):
            report(staff, inspection)

    def test_it_refuses_a_future_date(self, deputy, inspection, deputy_user):
        with pytest.raises(CongressError, match="晚于今天"):
            report(deputy_user, inspection, date=TODAY + datetime.timedelta(days=1))


class TestConfirmAndVerify:
    @pytest.fixture
    def activity(self, deputy, other_deputy, inspection, deputy_user):
        return report(deputy_user, inspection, co_deputies=[other_deputy])

    def test_a_co_deputy_confirms_once(self, activity, other_deputy_user):
        services.participation_confirm(actor=other_deputy_user, activity_id=activity.pk)
        with pytest.raises(CongressError, match="已确认"):
            services.participation_confirm(actor=other_deputy_user, activity_id=activity.pk)

    def test_a_deputy_who_was_not_there_cannot_confirm(self, activity, town_a, term):
        from conftest import PASSWORD
        from congress import roles
        from congress.services import create_user_with_role
        from deputies.tests.conftest import make_deputy

        stranger = create_user_with_role(username="d3", password=PASSWORD, role=roles.DEPUTY)
        make_deputy(103, town_a, term, stranger, "郑强")
        with pytest.raises(CongressError, match="不是这项活动"):
            services.participation_confirm(actor=stranger, activity_id=activity.pk)

    def test_staff_verify_and_the_points_count(self, activity, staff, deputy, django_capture_on_commit_callbacks):
        assert selectors.deputy_score(deputy, TODAY.year) == 0
        with django_capture_on_commit_callbacks():
            services.activity_verify(actor=staff, activity_id=activity.pk)
        activity.refresh_from_db()
        assert activity.status == DutyActivity.Status.VERIFIED and activity.verified_by == staff
        assert activity.history.first().history_user == staff
        assert selectors.deputy_score(deputy, TODAY.year) == 3
        assert {c["key"] for c in selectors.checklist_for(deputy, TODAY.year) if c["done"]} == {"supervision"}
        assert Notification.objects.filter(recipient=deputy.user, kind="activity_checked").exists()

    def test_verifying_twice_is_refused(self, activity, staff):
        services.activity_verify(actor=staff, activity_id=activity.pk)
        with pytest.raises(CongressError, match="不能审核"):
            services.activity_verify(actor=staff, activity_id=activity.pk)

    def test_a_deputy_or_a_leader_cannot_verify(self, activity, deputy_user, leader):
        for actor in (deputy_user, leader):
            with pytest.raises(CongressError, match="权限"):
                services.activity_verify(actor=actor, activity_id=activity.pk)

    def test_town_staff_of_another_town_cannot_verify(self, activity, other_town_staff):
        with pytest.raises(CongressError, match="本镇街"):
            services.activity_verify(actor=other_town_staff, activity_id=activity.pk)

    def test_return_needs_a_reason_and_blocks_confirmation(self, activity, staff, other_deputy_user):
        with pytest.raises(CongressError, match="退回原因"):
            services.activity_return(actor=staff, activity_id=activity.pk, reason=" ")
        services.activity_return(actor=staff, activity_id=activity.pk, reason="请补充照片")
        with pytest.raises(CongressError, match="已被退回"):
            services.participation_confirm(actor=other_deputy_user, activity_id=activity.pk)


class TestActivitiesReturn:
    def test_each_gets_its_own_reason(self, deputy, inspection, deputy_user, staff):
        a, b = report(deputy_user, inspection), report(deputy_user, inspection)
        assert services.activities_return(actor=staff, reasons={a.pk: "缺照片", b.pk: "日期不符"}) == (2, [])
        assert list(DutyActivity.objects.order_by("pk").values_list("return_reason", flat=True)) == ["缺照片", "日期不符"]

    @pytest.mark.parametrize("bad", ["  ", "长" * 201])
    def test_a_blank_or_too_long_reason_returns_nothing_and_names_the_row(self, deputy, inspection, deputy_user, staff, bad):
        a, b = report(deputy_user, inspection), report(deputy_user, inspection)
        with pytest.raises(CongressError) as caught:
            services.activities_return(actor=staff, reasons={a.pk: "缺照片", b.pk: bad})
        assert caught.value.messages[0].startswith("第2项")
        assert set(DutyActivity.objects.values_list("status", flat=True)) == {DutyActivity.Status.SUBMITTED}

    def test_a_verified_one_is_refused_while_the_others_go_ahead(self, deputy, inspection, deputy_user, staff):
        a, b = report(deputy_user, inspection), report(deputy_user, inspection)
        services.activity_verify(actor=staff, activity_id=a.pk)
        returned, refusals = services.activities_return(actor=staff, reasons={a.pk: "缺照片", b.pk: "日期不符"})
        assert returned == 1 and len(refusals) == 1 and "不能退回" in refusals[0]
        b.refresh_from_db()
        assert b.status == DutyActivity.Status.RETURNED

    @pytest.mark.parametrize("who", ["deputy_user", "leader", "unit_user"])
    def test_only_staff_may(self, deputy, inspection, deputy_user, who, request):
        a = report(deputy_user, inspection)
        returned, refusals = services.activities_return(actor=request.getfixturevalue(who), reasons={a.pk: "缺照片"})
        assert returned == 0 and refusals
        a.refresh_from_db()
        assert a.status == DutyActivity.Status.SUBMITTED


class TestSignin:
    @pytest.fixture
    def event(self, inspection, staff):
        event = DutyActivity.objects.create(title="视察老旧小区改造", activity_type=inspection, date=TODAY)
        return services.signin_open(actor=staff, activity_id=event.pk)

    def test_a_deputy_signs_in_once(self, event, deputy, deputy_user):
        row = services.signin_record(actor=deputy_user, token=event.signin_token)
        assert row.deputy == deputy and row.confirmed_at and row.attendance == DutyActivityParticipant.Attendance.PRESENT
        with pytest.raises(CongressError, match="已签到"):
            services.signin_record(actor=deputy_user, token=event.signin_token)

    def test_a_closed_event_refuses(self, event, deputy, deputy_user, staff):
        services.signin_close(actor=staff, activity_id=event.pk)
        with pytest.raises(CongressError, match="已关闭"):
            services.signin_record(actor=deputy_user, token=event.signin_token)

    def test_staff_cannot_sign_in_and_deputies_cannot_open(self, event, staff, deputy, deputy_user):
        with pytest.raises(CongressError):
            services.signin_record(actor=staff, token=event.signin_token)
        with pytest.raises(CongressError):
            services.signin_open(actor=deputy_user, activity_id=event.pk)

    def test_staff_import_participants_by_id_number_or_name(self, event, staff, deputy, other_deputy):
        with pytest.raises(CongressError, match="第4行“无此人”"):
            services.participants_import(actor=staff, activity_id=event.pk,
                                         id_numbers_or_names=[deputy.id_number, "吴丽", "无此人"])
        assert not event.participations.exists()  # all or nothing
        assert services.participants_import(actor=staff, activity_id=event.pk,
                                            id_numbers_or_names=[deputy.id_number, "吴丽"]) == 2
        assert services.participants_import(actor=staff, activity_id=event.pk, id_numbers_or_names=["吴丽"]) == 0
        row = event.participations.get(deputy=deputy)
        assert row.history.get().history_user == staff  # the import leaves an audit trail


class TestSnapshot:
    def test_a_published_ranking_does_not_change_with_later_edits(self, deputy, other_deputy, inspection, staff,
                                                                  deputy_user):
        year = TODAY.year - 1
        activity = report(deputy_user, inspection, date=datetime.date(year, 2, 1))
        services.activity_verify(actor=staff, activity_id=activity.pk)
        snapshot = services.score_snapshot_publish(actor=staff, year=year, quarter=1)
        row = ScoreSnapshotRow.objects.get(snapshot=snapshot, deputy=deputy)
        assert (row.score, row.rank_in_town) == (3, 1)
        assert ScoreSnapshotRow.objects.get(snapshot=snapshot, deputy=other_deputy).rank_in_town == 2
        inspection.point_rules.update(points_present=10)
        row.refresh_from_db()
        assert row.score == 3
        with pytest.raises(CongressError, match="已发布"):
            services.score_snapshot_publish(actor=staff, year=year, quarter=1)

    def test_an_unfinished_quarter_or_a_deputy_cannot_publish(self, staff, deputy_user):
        with pytest.raises(CongressError, match="尚未结束"):
            services.score_snapshot_publish(actor=staff, year=TODAY.year + 1, quarter=1)
        with pytest.raises(CongressError, match="权限"):
            services.score_snapshot_publish(actor=deputy_user, year=TODAY.year - 1, quarter=1)


class TestLeaveAndAbsence:
    @pytest.fixture
    def session(self, term):
        from congress.models import CongressSession

        return CongressSession.objects.create(term=term, number=9, start_date=TODAY + datetime.timedelta(days=10),
                                              end_date=TODAY + datetime.timedelta(days=12))

    def test_a_deputy_asks_and_staff_decide_once(self, session, deputy, deputy_user, staff):
        leave = services.leave_request_submit(actor=deputy_user, congress_session=session, reason="出差")
        with pytest.raises(CongressError, match="已为这次会议请假"):
            services.leave_request_submit(actor=deputy_user, congress_session=session, reason="出差")
        with pytest.raises(CongressError, match="权限"):
            services.leave_request_decide(actor=deputy_user, leave_id=leave.pk, approve=True)
        services.leave_request_decide(actor=staff, leave_id=leave.pk, approve=True)
        assert LeaveRequest.objects.get().status == LeaveRequest.Status.APPROVED
        with pytest.raises(CongressError, match="不能处理（须为“待批准”）"):
            services.leave_request_decide(actor=staff, leave_id=leave.pk, approve=False)

    def test_two_unexcused_absences_raise_the_flag(self, deputy, inspection, term):
        from congress.models import CongressSession

        for n in (1, 2):
            s = CongressSession.objects.create(term=term, number=n, start_date=datetime.date(2023, n, 1),
                                               end_date=datetime.date(2023, n, 3))
            a = DutyActivity.objects.create(title="出席人代会", activity_type=inspection, date=s.start_date,
                                            congress_session=s)
            DutyActivityParticipant.objects.create(activity=a, deputy=deputy, attendance="absent")
        assert selectors.unexcused_absences(deputy) == 2


class TestVoterReport:
    def test_a_report_fulfils_the_checklist_item(self, deputy, deputy_user):
        services.voter_report_record(actor=deputy_user, date=TODAY, place="城东联络站", attendance=30, text="述职")
        assert {c["key"] for c in selectors.checklist_for(deputy, TODAY.year) if c["done"]} == {"report"}

    def test_it_needs_text_or_a_file_and_a_deputy(self, deputy, deputy_user, staff):
        with pytest.raises(CongressError, match="述职报告"):
            services.voter_report_record(actor=deputy_user, date=TODAY, place="x", attendance=1)
        with pytest.raises(CongressError):
            services.voter_report_record(actor=staff, date=TODAY, place="x", attendance=1, text="t")


class TestSeams:
    def test_registered_sources_reach_the_record_score_and_checklist(self, deputy, monkeypatch):
        from deputies import seams

        item = {"date": TODAY, "title": "关于增设公交站点的建议", "kind": "建议", "points": 3, "checklist": "suggestion"}
        monkeypatch.setattr(seams, "duty_record_sources", [lambda d, y: [item]])
        monkeypatch.setattr(seams, "checklist_sources", [lambda ids, y: {pk: {"suggestion"} for pk in ids}])
        # the score counts the grouped points source (asked once for many deputies), not the display items
        monkeypatch.setattr(seams, "points_sources", [lambda ids, y, until: {pk: 3 for pk in ids}])
        assert selectors.duty_record(deputy, TODAY.year)[0].title == "关于增设公交站点的建议"
        assert selectors.deputy_score(deputy, TODAY.year) == 3
        assert {c["key"] for c in selectors.checklist_for(deputy, TODAY.year) if c["done"]} == {"suggestion"}


class TestTownScopeOfStaffSteps:
    """Town staff act on their towns' records only, in the services too (not only in the admin's lists)."""

    def test_another_towns_staff_cannot_open_sign_in_or_end_a_mandate(self, deputy, inspection, staff,
                                                                     other_town_staff, town_staff):
        from deputies.models import Mandate

        event = DutyActivity.objects.create(title="视察老旧小区改造", activity_type=inspection, date=TODAY)
        DutyActivityParticipant.objects.create(activity=event, deputy=deputy)
        with pytest.raises(CongressError, match="只能管理本镇街的活动签到"):
            services.signin_open(actor=other_town_staff, activity_id=event.pk)
        assert services.signin_open(actor=town_staff, activity_id=event.pk).signin_open
        mandate = Mandate.objects.get(deputy=deputy)
        with pytest.raises(CongressError, match="不属于您管理的镇街"):
            services.mandates_end(actor=other_town_staff, mandates=[mandate], reason="迁出")
        assert Mandate.objects.get(pk=mandate.pk).status == Mandate.Status.SERVING

    def test_a_towns_own_event_without_participants_yet_is_its_to_open(self, inspection, town_staff, town_a,
                                                                        other_town_staff):
        event = DutyActivity.objects.create(title="镇人大代表集中视察", activity_type=inspection, date=TODAY,
                                            organizer=town_a)
        assert services.signin_open(actor=town_staff, activity_id=event.pk).signin_open
        with pytest.raises(CongressError, match="只能管理本镇街的活动签到"):
            services.signin_close(actor=other_town_staff, activity_id=event.pk)
