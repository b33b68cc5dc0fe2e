"""Staff side: verify and return from the activity list, publish a quarter, the follow-up lists and their Excel
export, with query counts that stay the same at N and 3N rows."""
import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from conftest import client_for
from congress.models import ExportRecord, Organization
from deputies import services
from deputies.models import DutyActivity, DutyActivityParticipant, LeaveRequest, PointRule, ScoreSnapshot, VoterReport
from deputies.tests.conftest import make_deputy

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


@pytest.fixture
def submitted(deputy, deputy_user, inspection):
    return services.activity_report(actor=deputy_user, activity_type=inspection, date=TODAY, place="城东联络站")


def _action(client, model, action, pks):
    return client.post(reverse(f"admin:deputies_{model}_changelist"),
                       {"action": action, "_selected_action": [str(pk) for pk in pks]})


class TestActivityActions:
    def test_staff_verify_from_the_list(self, submitted, staff):
        response = _action(client_for(staff), "dutyactivity", "verify", [submitted.pk])
        assert response.status_code == 302
        submitted.refresh_from_db()
        assert submitted.status == DutyActivity.Status.VERIFIED and submitted.verified_by == staff

    def test_town_staff_of_another_town_are_told_no(self, submitted, other_town_staff):
        # the row is outside their list, so the action touches nothing
        _action(client_for(other_town_staff), "dutyactivity", "verify", [submitted.pk])
        submitted.refresh_from_db()
        assert submitted.status == DutyActivity.Status.SUBMITTED

    def test_leaders_cannot_run_actions(self, submitted, leader):
        _action(client_for(leader), "dutyactivity", "verify", [submitted.pk])
        submitted.refresh_from_db()
        assert submitted.status == DutyActivity.Status.SUBMITTED

    def test_return_asks_a_reason_for_each_activity(self, submitted, deputy_user, inspection, staff):
        second = services.activity_report(actor=deputy_user, activity_type=inspection, date=TODAY, place="城西")
        client = client_for(staff)
        page = _action(client, "dutyactivity", "return_for_more", [submitted.pk, second.pk])
        assert page.status_code == 200
        assert f'name="reason_{submitted.pk}"' in page.content.decode() and "请补充活动说明" in page.content.decode()
        submitted.refresh_from_db()
        assert submitted.status == DutyActivity.Status.SUBMITTED  # the first post only asks
        response = client.post(reverse("admin:deputies_dutyactivity_changelist"), {
            "action": "return_for_more", "apply": "1", "_selected_action": [submitted.pk, second.pk],
            f"reason_{submitted.pk}": "缺少现场照片", f"reason_{second.pk}": "活动日期与签到表不符"})
        assert response.status_code == 302
        submitted.refresh_from_db()
        second.refresh_from_db()
        assert (submitted.status, submitted.return_reason, submitted.verified_by) == (
            DutyActivity.Status.RETURNED, "缺少现场照片", staff)
        assert second.return_reason == "活动日期与签到表不符"

    def test_a_blank_reason_returns_nothing(self, submitted, deputy_user, inspection, staff):
        second = services.activity_report(actor=deputy_user, activity_type=inspection, date=TODAY, place="城西")
        response = client_for(staff).post(reverse("admin:deputies_dutyactivity_changelist"), {
            "action": "return_for_more", "apply": "1", "_selected_action": [submitted.pk, second.pk],
            f"reason_{submitted.pk}": "缺少现场照片", f"reason_{second.pk}": "  "})
        assert response.status_code == 200
        assert "第2项" in response.content.decode() and "请填写退回原因" in response.content.decode()
        assert set(DutyActivity.objects.values_list("status", flat=True)) == {DutyActivity.Status.SUBMITTED}

    def test_return_of_an_already_verified_activity_is_refused(self, submitted, staff):
        services.activity_verify(actor=staff, activity_id=submitted.pk)
        response = client_for(staff).post(reverse("admin:deputies_dutyactivity_changelist"), {
            "action": "return_for_more", "apply": "1", "_selected_action": [submitted.pk],
            f"reason_{submitted.pk}": "缺少现场照片"}, follow=True)
        assert "不能退回" in response.content.decode()
        submitted.refresh_from_db()
        assert submitted.status == DutyActivity.Status.VERIFIED

    def test_open_signin(self, submitted, staff):
        client = client_for(staff)
        other = DutyActivity.objects.create(title="视察", activity_type=submitted.activity_type, date=TODAY)
        _action(client, "dutyactivity", "open_signin", [other.pk])
        other.refresh_from_db()
        assert other.signin_open and other.signin_token
        page = client.get(reverse("admin:deputies_dutyactivity_change", args=[other.pk])).content.decode()
        assert reverse("portal:event_qr", args=[other.pk]) in page

    def test_export_the_waiting_list_to_excel(self, submitted, staff):
        response = client_for(staff).post(reverse("admin:deputies_dutyactivity_changelist") + "?status__exact=submitted",
                                          {"action": "export_xlsx", "_selected_action": [submitted.pk]})
        assert response["Content-Type"].startswith("application/vnd.openxmlformats")
        sheet = load_workbook(io.BytesIO(response.content)).active
        assert sheet.cell(2, 1).value == submitted.title
        header = [c.value for c in sheet[1]]
        assert sheet.cell(2, header.index("状态") + 1).value == "待审核"  # the label, not the stored "submitted"
        assert ExportRecord.objects.filter(user=staff, model_label="deputies.dutyactivity").exists()


class TestPublish:
    """发布积分排名: staff ask in the admin, the worker computes it with its progress on the row, deputies see it only
    once published."""

    ADD = reverse("admin:deputies_scoresnapshot_add")

    def test_staff_ask_watch_the_progress_and_the_worker_publishes(self, deputy, staff, settings,
                                                                     django_capture_on_commit_callbacks):
        settings.CELERY_TASK_ALWAYS_EAGER = True
        year = TODAY.year - 1
        client = client_for(staff)
        with django_capture_on_commit_callbacks(execute=False) as queued:
            response = client.post(self.ADD, {"year": year, "quarter": 4})
        snapshot = ScoreSnapshot.objects.get()
        assert response.status_code == 302 and response["Location"].endswith(f"/{snapshot.pk}/change/")
        assert snapshot.state == ScoreSnapshot.State.QUEUED and not snapshot.rows.exists()
        waiting = client.get(response["Location"]).content.decode()
        assert 'http-equiv="refresh"' in waiting and '<progress value="0" max="100">' in waiting and "排队中" in waiting
        from deputies import selectors

        assert selectors.published_ranking_for(deputy)[0] is None  # deputies never see an unfinished ranking
        for callback in queued:
            callback()  # the task, eagerly
        snapshot.refresh_from_db()
        assert snapshot.state == ScoreSnapshot.State.PUBLISHED and snapshot.percent == 100
        assert snapshot.rows.get().deputy == deputy and selectors.published_ranking_for(deputy)[0] == snapshot
        done = client.get(response["Location"]).content.decode()
        assert 'http-equiv="refresh"' not in done and "已发布" in done

    def test_a_failed_computation_shows_its_error_and_may_be_asked_again(self, deputy, staff, monkeypatch):
        from deputies import selectors

        year = TODAY.year - 1
        snapshot = services.score_snapshot_request(actor=staff, year=year, quarter=4)
        monkeypatch.setattr(selectors, "score_table", lambda **kw: (_ for _ in ()).throw(RuntimeError("连接中断")))
        with pytest.raises(RuntimeError):
            services.score_snapshot_build(snapshot_id=snapshot.pk)
        snapshot.refresh_from_db()
        assert snapshot.state == ScoreSnapshot.State.FAILED and "连接中断" in snapshot.error
        page = client_for(staff).get(reverse("admin:deputies_scoresnapshot_change", args=[snapshot.pk])).content.decode()
        assert "连接中断" in page and 'http-equiv="refresh"' not in page
        monkeypatch.undo()
        again = services.score_snapshot_publish(actor=staff, year=year, quarter=4)
        assert again.state == ScoreSnapshot.State.PUBLISHED and ScoreSnapshot.objects.count() == 1

    def test_a_task_delivered_twice_computes_once(self, deputy, staff):
        snapshot = services.score_snapshot_request(actor=staff, year=TODAY.year - 1, quarter=4)
        services.score_snapshot_build(snapshot_id=snapshot.pk)
        services.score_snapshot_build(snapshot_id=snapshot.pk)
        assert snapshot.rows.count() == 1

    def test_a_quarter_being_computed_or_published_is_refused_in_chinese(self, deputy, staff):
        year = TODAY.year - 1
        services.score_snapshot_request(actor=staff, year=year, quarter=4)
        response = client_for(staff).post(self.ADD, {"year": year, "quarter": 4})
        assert response.status_code == 200 and "正在计算" in response.content.decode()
        services.score_snapshot_build(snapshot_id=ScoreSnapshot.objects.get().pk)
        response = client_for(staff).post(self.ADD, {"year": year, "quarter": 4})
        assert "已发布" in response.content.decode() and ScoreSnapshot.objects.count() == 1

    def test_an_unfinished_quarter_shows_an_error(self, deputy, staff):
        response = client_for(staff).post(self.ADD, {"year": TODAY.year + 1, "quarter": 1})
        assert response.status_code == 200 and "尚未结束" in response.content.decode()
        assert not ScoreSnapshot.objects.exists()

    def test_a_deputy_or_leader_may_not_ask(self, deputy, leader):
        assert client_for(leader).post(self.ADD, {"year": TODAY.year - 1, "quarter": 1}).status_code == 403
        assert not ScoreSnapshot.objects.exists()


class TestFollowUpLists:
    def test_inactive_deputies_and_checklist_by_town(self, deputy, other_deputy, submitted, staff, town_a):
        client = client_for(staff)
        body = client.get(reverse("admin:deputies_inactivedeputy_changelist")).content.decode()
        assert other_deputy.full_name in body and deputy.full_name not in body
        services.activity_verify(actor=staff, activity_id=submitted.pk)
        response = client.post(reverse("admin:deputies_checklisttown_changelist"),
                               {"action": "export_xlsx", "_selected_action": [town_a.pk]})
        rows = list(load_workbook(io.BytesIO(response.content)).active.values)
        assert rows[0][:3] == ("名称", "在任代表", "一次监督活动")
        assert rows[1][:3] == ("城东街道", 2, 1)


LISTS = ["dutyactivity", "pointrule", "scoresnapshot", "leaverequest", "voterreport", "inactivedeputy", "checklisttown"]


def _rows(term, start, stop, kind, staff):
    from congress.models import CongressSession

    session = CongressSession.objects.get_or_create(term=term, number=1, defaults={
        "start_date": TODAY + datetime.timedelta(days=30), "end_date": TODAY + datetime.timedelta(days=32)})[0]
    for n in range(start, stop):
        town = Organization.objects.create(name=f"测试镇{n}", kind=Organization.Kind.TOWN)
        d = make_deputy(200 + n, town, term, name=f"代表{n}")
        a = DutyActivity.objects.create(title=f"活动{n}", activity_type=kind, date=TODAY, reported_by=d)
        DutyActivityParticipant.objects.create(activity=a, deputy=d)
        PointRule.objects.create(activity_type=kind, points_present=n, effective_from=datetime.date(2000, 1, 1 + n))
        ScoreSnapshot.objects.create(year=2000 + n, quarter=1, published_by=staff)
        LeaveRequest.objects.create(deputy=d, congress_session=session, reason="出差")
        VoterReport.objects.create(deputy=d, date=TODAY, place="站", attendance=3, text="t")


def test_staff_lists_do_not_grow_with_rows(term, inspection, staff):
    client = client_for(staff)

    def measure():
        result = {}
        for model in LISTS:
            url = reverse(f"admin:deputies_{model}_changelist")
            client.get(url)
            with CaptureQueriesContext(connection) as ctx:
                assert client.get(url).status_code == 200
            result[model] = len(ctx.captured_queries)
        return result

    _rows(term, 0, 3, inspection, staff)
    small = measure()
    _rows(term, 3, 9, inspection, staff)
    assert measure() == small


class TestImportParticipants:
    """Staff upload an event's participants from a spreadsheet on the activity's admin page."""

    @staticmethod
    def _csv(*rows, header="身份证号码或姓名", encoding="utf-8-sig"):
        from django.core.files.uploadedfile import SimpleUploadedFile

        text = "\n".join([header, *rows]) + "\n"
        return SimpleUploadedFile("参加代表.csv", text.encode(encoding), content_type="text/csv")

    @staticmethod
    def _url(activity):
        return reverse("admin:deputies_dutyactivity_import_participants", args=[activity.pk])

    def test_the_change_page_links_to_the_upload_and_the_form_opens(self, submitted, staff):
        client = client_for(staff)
        body = client.get(reverse("admin:deputies_dutyactivity_change", args=[submitted.pk])).content.decode()
        assert self._url(submitted) in body
        assert "身份证号码或姓名" in client.get(self._url(submitted)).content.decode()

    def test_a_good_csv_adds_every_row_with_history(self, submitted, staff, deputy, other_deputy):
        response = client_for(staff).post(self._url(submitted), {"file": self._csv(deputy.id_number, "吴丽")})
        assert response.status_code == 302
        assert set(submitted.participations.values_list("deputy__full_name", flat=True)) == {"周建华", "吴丽"}
        assert submitted.participations.get(deputy=other_deputy).history.get().history_user == staff

    def test_an_xlsx_and_a_gbk_csv_work_too(self, submitted, staff, deputy, other_deputy):
        from django.core.files.uploadedfile import SimpleUploadedFile
        from openpyxl import Workbook

        book = Workbook()
        book.active.append(["身份证号码或姓名"])
        book.active.append(["吴丽"])
        buffer = io.BytesIO()
        book.save(buffer)
        upload = SimpleUploadedFile("p.xlsx", buffer.getvalue())
        assert client_for(staff).post(self._url(submitted), {"file": upload}).status_code == 302
        client_for(staff).post(self._url(submitted), {"file": self._csv("周建华", encoding="gbk")})
        assert submitted.participations.count() == 2

    def test_one_unknown_row_adds_nothing_and_names_the_row(self, submitted, staff, deputy):
        before = DutyActivityParticipant.objects.count()
        response = client_for(staff).post(self._url(submitted), {"file": self._csv(deputy.id_number, "查无此人")})
        assert response.status_code == 200
        assert "第3行“查无此人”：找不到这位代表" in response.content.decode()
        assert DutyActivityParticipant.objects.count() == before

    def test_a_file_without_the_header_or_of_another_kind_is_refused(self, submitted, staff, deputy):
        from django.core.files.uploadedfile import SimpleUploadedFile

        client = client_for(staff)
        body = client.post(self._url(submitted), {"file": self._csv("x", header=deputy.id_number)}).content.decode()
        assert "第一行应为表头" in body
        body = client.post(self._url(submitted), {"file": SimpleUploadedFile("a.pdf", b"%PDF-1.4")}).content.decode()
        assert "只能上传 .xlsx 或 .csv 文件" in body
        assert not submitted.participations.exclude(deputy=deputy).exists()

    def test_a_leader_who_may_only_view_is_refused(self, submitted, leader, deputy):
        response = client_for(leader).post(self._url(submitted), {"file": self._csv(deputy.id_number)})
        assert response.status_code == 403


class TestAbsenceFlag:
    """代表法第六十二条: staff find the deputies with two unexcused absences from the congress session (the flag was only
    on the deputy's own page)."""

    def _absent(self, deputy, inspection, term, times):
        from congress.models import CongressSession

        for n in range(1, times + 1):
            s, _ = CongressSession.objects.get_or_create(term=term, number=n, defaults={
                "start_date": datetime.date(2023, n, 1), "end_date": datetime.date(2023, n, 3)})
            a = DutyActivity.objects.create(title="出席人代会", activity_type=inspection, date=s.start_date,
                                            congress_session=s)
            DutyActivityParticipant.objects.create(activity=a, deputy=deputy, attendance="absent")

    def test_the_list_filter_and_the_todo_name_the_flagged_deputies(self, deputy, inspection, term, staff, town_a):
        twice = make_deputy(51, town_a, term, name="钱二次")
        once = make_deputy(52, town_a, term, name="孙一次")
        self._absent(twice, inspection, term, 2)
        self._absent(once, inspection, term, 1)
        client = client_for(staff)
        page = client.get(reverse("admin:deputies_deputy_changelist"), {"absences": "flagged"}).content.decode()
        assert "钱二次" in page and "孙一次" not in page and deputy.full_name not in page
        index = client.get(reverse("admin:index")).content.decode()
        assert "未经批准缺席人代会达到2次的代表" in index and "/admin/deputies/deputy/?absences=flagged" in index

    def test_town_staff_see_only_their_towns_flagged_deputies(self, inspection, term, town_staff, town_a, town_b):
        mine, theirs = make_deputy(53, town_a, term, name="本镇缺席"), make_deputy(54, town_b, term, name="他镇缺席")
        self._absent(mine, inspection, term, 2)
        self._absent(theirs, inspection, term, 2)
        page = client_for(town_staff).get(reverse("admin:deputies_deputy_changelist"), {"absences": "flagged"})
        assert "本镇缺席" in page.content.decode() and "他镇缺席" not in page.content.decode()
