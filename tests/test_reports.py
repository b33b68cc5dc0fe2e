"""The monthly report (built once, idempotent, retried, never recomputed) and the annual work report (generated in the
background with its progress, kept per version, its PDF's text carrying the Chinese headings and the figures)."""
import datetime

import pytest

from congress import tasks
from congress.models import AnnualReportText, AnnualReportVersion, MonthlyReport, Notification
from congress.reports import registry, services
from tests import reports_fixture as fx
from tests.pdfs import read_pdf


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def kept_pdf(report) -> bytes:
    with services.monthly_report_pdf(report).pdf.open("rb") as handle:
        return handle.read()


@pytest.fixture
def world(db, term, town_a, town_b, unit_org, staff, leader):
    return fx.build(term=term, town_a=town_a, town_b=town_b, unit_org=unit_org, actor=staff)


@pytest.fixture
def broken_chapter():
    """A chapter that fails the first `n` times it is built (set `state["fails"]`)."""
    state = {"fails": 1, "calls": 0}

    def build(start, end):
        state["calls"] += 1
        if state["calls"] <= state["fails"]:
            raise RuntimeError("数据库暂时不可用")
        return registry.ChapterData(key="zz_test", title="测试章节", order=99, figures={"测试数字": 7})

    registry.register_chapter("zz_test", "测试章节", 99, build)
    yield state
    registry.chapter_sources.pop("zz_test", None)


class TestMonthlyReport:
    def test_it_publishes_the_month_with_the_hand_counted_figures_and_tells_the_leaders(self, world, leader):
        report = services.monthly_report_build(year=2026, month=3)
        assert report.state == MonthlyReport.State.PUBLISHED and report.month == datetime.date(2026, 3, 1)
        chapters = {c["key"]: c for c in report.snapshot["chapters"]}
        assert chapters["stations"]["figures"]["接待群众（人次）"] == 20
        assert chapters["suggestions"]["figures"]["登记建议"] == 2
        assert chapters["meetings"]["figures"]["听取审议工作报告（项）"] == 2
        assert report.snapshot["start"] == "2026-03-01" and report.snapshot["end"] == "2026-03-31"
        notes = Notification.objects.filter(kind="monthly_report")
        assert [n.recipient for n in notes] == [leader] and "2026年3月工作月报" in notes[0].title

    def test_built_twice_it_is_the_same_report_and_one_row_never_recomputed(self, world, leader):
        first = services.monthly_report_build(year=2026, month=3)
        fx.Station.objects.create(name="新建联络站", kind=fx.Station.Kind.LIAISON, town=world["deputies"][0].town,
                                  address="新路1号")
        second = services.monthly_report_build(year=2026, month=3)
        assert MonthlyReport.objects.count() == 1 and second.pk == first.pk
        assert second.snapshot == first.snapshot and second.data_taken_at == first.data_taken_at
        assert Notification.objects.filter(kind="monthly_report").count() == 1

    def test_its_pdf_is_rendered_once_when_published_and_kept(self, world, monkeypatch):
        report = services.monthly_report_build(year=2026, month=3)
        assert report.pdf and report.pdf_size == report.pdf.size and report.pdf.name.startswith("reports/monthly/")
        kept = kept_pdf(report)
        # a later change of the template or of the data does not change the report the leaders were sent
        monkeypatch.setattr(services, "_monthly_pdf_render", lambda report: pytest.fail("rendered again"))
        fx.Station.objects.create(name="新建联络站", kind=fx.Station.Kind.LIAISON, town=world["deputies"][0].town,
                                  address="新路1号")
        assert kept_pdf(MonthlyReport.objects.get(pk=report.pk)) == kept
        assert "2026年3月工作月报" in read_pdf(kept).text

    def test_a_report_published_before_pdfs_were_kept_gets_its_file_once(self, world, monkeypatch):
        report = services.monthly_report_build(year=2026, month=3)
        MonthlyReport.objects.filter(pk=report.pk).update(pdf="", pdf_size=None)
        calls = []
        render = services._monthly_pdf_render
        monkeypatch.setattr(services, "_monthly_pdf_render", lambda r: calls.append(r.pk) or render(r))
        first = kept_pdf(MonthlyReport.objects.get(pk=report.pk))
        second = kept_pdf(MonthlyReport.objects.get(pk=report.pk))
        assert calls == [report.pk] and first == second and MonthlyReport.objects.get(pk=report.pk).pdf_size == len(first)

    def test_a_month_not_over_is_refused_in_chinese(self, db):
        today = datetime.date.today()
        with pytest.raises(services.CongressError, match="尚未结束"):
            services.monthly_report_build(year=today.year, month=today.month)
        assert not MonthlyReport.objects.exists()

    def test_a_failure_is_stored_with_its_error_then_a_retry_publishes(self, world, broken_chapter):
        with pytest.raises(RuntimeError):
            services.monthly_report_build(year=2026, month=3)
        report = MonthlyReport.objects.get()
        assert report.state == MonthlyReport.State.FAILED and "数据库暂时不可用" in report.error
        assert report.attempts == 1
        report = services.monthly_report_build(year=2026, month=3)
        assert report.state == MonthlyReport.State.PUBLISHED and report.error == "" and report.attempts == 2

    def test_the_task_retries_until_it_succeeds(self, world, broken_chapter, settings):
        settings.CELERY_TASK_ALWAYS_EAGER = True
        broken_chapter["fails"] = 2
        tasks.monthly_report_build.apply(args=(2026, 3))
        assert broken_chapter["calls"] == 3  # two failures, then the retry that publishes
        assert MonthlyReport.objects.get().state == MonthlyReport.State.PUBLISHED

    def test_the_task_gives_up_after_its_retries_and_the_error_stays_visible(self, world, broken_chapter, settings):
        settings.CELERY_TASK_ALWAYS_EAGER = True
        broken_chapter["fails"] = 100
        result = tasks.monthly_report_build.apply(args=(2026, 3))
        assert result.failed()
        assert broken_chapter["calls"] == 1 + tasks.monthly_report_build.max_retries
        report = MonthlyReport.objects.get()
        assert report.state == MonthlyReport.State.FAILED and "数据库暂时不可用" in report.error

    def test_the_task_without_arguments_builds_the_previous_month(self, world, settings):
        settings.CELERY_TASK_ALWAYS_EAGER = True
        tasks.monthly_report_build.apply()
        year, month = services.previous_month(datetime.date.today())
        assert MonthlyReport.objects.get().month == datetime.date(year, month, 1)

    def test_beat_builds_it_on_the_first_of_the_month(self, settings):
        entry = settings.CELERY_BEAT_SCHEDULE["monthly-report"]
        assert entry["task"] == "congress.tasks.monthly_report_build"
        assert entry["schedule"].day_of_month == {1}

    def test_its_pdf_carries_the_month_s_supervision_work(self, world, term, unit_org, staff):
        fx.build_supervision(term=term, unit_org=unit_org, unit2=world["unit2"], deputies=world["deputies"], actor=staff)
        report = services.monthly_report_build(year=2026, month=3)
        document = read_pdf(kept_pdf(report))
        for text in ("听取审议专项工作报告与审议意见办理", "专题询问", "工作评议", "听取审议专项工作报告（项）2",
                     "逾期尚未报告的审议意见1", "开展专题询问（次）1", "提出问题（个）4", "评议政府部门（个）1",
                     "届内评议覆盖率40.0%", "养老服务"):
            assert text in document.text, text

    def test_its_pdf_carries_the_headings_and_figures(self, world):
        report = services.monthly_report_build(year=2026, month=3)
        document = read_pdf(kept_pdf(report))
        for text in ("2026年3月工作月报", "代表建议办理", "家站点建设与联系群众", "满意度测评与整改落实", "会议与人事任免",
                     "区住房和城乡建设局", "66.7%", "接待群众（人次）20", "数据截至"):
            assert text in document.text, text
        assert "\ufffd" not in document.text


class TestAnnualReport:
    def test_the_pdf_reports_the_year_s_supervision_work(self, world, term, unit_org, staff):
        fx.build_supervision(term=term, unit_org=unit_org, unit2=world["unit2"], deputies=world["deputies"], actor=staff)
        AnnualReportText.objects.create(year=2026, chapter="appraisals", text="届内评议稳步推进。", updated_by=staff)
        data, _ = services.annual_report_render(2026)
        document = read_pdf(data)
        contents = "".join(document.page_texts[1].split())
        for title in ("听取审议专项工作报告与审议意见办理", "专题询问", "工作评议"):
            assert title in contents, title
            assert any(title in b for b in document.bookmarks), title
        # the figures counted by hand in tests/test_report_chapters.py (TestSupervisionWork)
        for text in ("听取审议专项工作报告（项）3", "其中逾期报告1", "对审议意见办理情况进行满意度测评（次）2",
                     "收到再次报告（份）1", "城市更新工作情况", "开展专题询问（次）2", "提出问题（个）7", "其中追问2",
                     "应询单位作出承诺（项）4", "评议政府部门（个）3", "第17届累计评议部门（个）4", "届内评议覆盖率80.0%",
                     "2026年度工作评议测评排名", "90.50优秀", "90.50不合格", "80.50良好", "2026年度工作评议总分",
                     "各机关专项工作报告", "届内评议稳步推进"):
            assert text in document.text, text
        assert "\ufffd" not in document.text
        assert len(data) < 3_000_000

    def test_the_pdf_has_cover_contents_with_pages_chapters_texts_and_figures(self, world, staff):
        AnnualReportText.objects.create(year=2026, chapter="suggestions", text="全年建议办理工作扎实推进。\n第二段。",
                                        updated_by=staff)
        data, snapshot = services.annual_report_render(2026)
        document = read_pdf(data)
        assert document.pages >= 6
        cover, contents = document.page_texts[0], "".join(document.page_texts[1].split())
        assert "2026年度工作报告" in "".join(cover.split()) and "数据截至" in "".join(cover.split())
        # the contents list every chapter with the page it starts on
        titles = ["会议与人事任免", "满意度测评与整改落实", "代表建议办理", "代表履职", "家站点建设与联系群众"]
        import re

        for title in titles:
            assert re.search(re.escape(title) + r"[.…·\s]*\d+", contents), (title, contents)
        for text in ("全年建议办理工作扎实推进", "召开常委会会议（次）2", "听取审议工作报告（项）3", "代表平均积分",
                     "各月登记建议件数", "区教育局"):
            assert text in document.text, text
        assert any("代表建议办理" in b for b in document.bookmarks)
        assert any("+Noto" in f for f in document.fonts)
        assert len(data) < 3_000_000

    def test_a_version_goes_queued_running_done_with_its_progress(self, world, staff, broken_chapter, settings,
                                                                  tmp_path):
        settings.MEDIA_ROOT = tmp_path
        broken_chapter["fails"] = 0
        seen = []
        original = registry.chapter_sources["zz_test"].build

        def watching(start, end):
            seen.append(AnnualReportVersion.objects.values_list("state", "percent").get())
            return original(start, end)

        registry.register_chapter("zz_test", "测试章节", 99, watching)
        version = services.annual_report_request(actor=staff, year=2026)
        assert (version.state, version.percent) == (AnnualReportVersion.State.QUEUED, 0)
        version = services.annual_report_generate(version_id=version.pk)
        assert seen and seen[0][0] == AnnualReportVersion.State.RUNNING and 0 < seen[0][1] < 100
        assert version.state == AnnualReportVersion.State.DONE and version.percent == 100
        assert version.size > 0 and version.pages >= 6 and version.data_taken_at and version.requested_by == staff
        with version.pdf.open("rb") as handle:
            assert "测试章节" in read_pdf(handle.read()).text
        # a task delivered twice does not generate it again
        assert services.annual_report_generate(version_id=version.pk).finished_at == version.finished_at

    def test_a_failed_version_shows_its_error_and_a_new_one_may_be_asked_for(self, world, staff, broken_chapter):
        broken_chapter["fails"] = 1
        version = services.annual_report_request(actor=staff, year=2026)
        with pytest.raises(RuntimeError):
            services.annual_report_generate(version_id=version.pk)
        version.refresh_from_db()
        assert version.state == AnnualReportVersion.State.FAILED and "数据库暂时不可用" in version.error
        assert services.annual_report_request(actor=staff, year=2026).pk != version.pk

    def test_one_version_at_a_time_per_year_and_no_future_year(self, db, staff):
        services.annual_report_request(actor=staff, year=2026)
        with pytest.raises(services.CongressError, match="正在生成"):
            services.annual_report_request(actor=staff, year=2026)
        with pytest.raises(services.CongressError, match="只能生成"):
            services.annual_report_request(actor=staff, year=datetime.date.today().year + 1)

    def test_a_version_left_unfinished_by_a_lost_worker_does_not_block_the_year(self, db, staff):
        stuck = services.annual_report_request(actor=staff, year=2026)
        AnnualReportVersion.objects.filter(pk=stuck.pk).update(
            state="running", requested_at=stuck.requested_at - services.STALE_AFTER - datetime.timedelta(minutes=1))
        fresh = services.annual_report_request(actor=staff, year=2026)
        stuck.refresh_from_db()
        assert stuck.state == "failed" and "生成超时" in stuck.error and fresh.state == "queued"

    def test_every_version_is_kept(self, world, staff, settings, tmp_path):
        settings.MEDIA_ROOT = tmp_path
        for _ in range(2):
            version = services.annual_report_request(actor=staff, year=2025)
            services.annual_report_generate(version_id=version.pk)
        assert AnnualReportVersion.objects.filter(year=2025, state="done").count() == 2
