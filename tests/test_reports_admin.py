"""The reports in the admin: the monthly archive (its query count does not grow with the months), a month's page, asking
for an annual report version and watching its progress, the narrative texts, and the management commands."""
import datetime

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conftest import client_for
from congress.models import AnnualReportText, AnnualReportVersion, MonthlyReport
from congress.reports import services
from tests import reports_fixture as fx
from tests.pdfs import read_pdf


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def world(db, term, town_a, town_b, unit_org, staff, leader):
    return fx.build(term=term, town_a=town_a, town_b=town_b, unit_org=unit_org, actor=staff)


def _months(n: int, start: int = 2000):
    for i in range(n):
        MonthlyReport.objects.create(month=datetime.date(start + i // 12, i % 12 + 1, 1), state="published",
                                     snapshot={"chapters": [{"key": "x", "title": "x", "order": 1, "figures": {}}] * 50})


def test_the_archive_lists_every_month_in_a_fixed_number_of_queries(db, leader):
    client = client_for(leader)
    url = reverse("admin:congress_monthlyreport_changelist")
    _months(3)
    client.get(url)  # the first request of a session loads more than the list
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    _months(9, start=2010)
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    assert response.status_code == 200 and len(many) == len(few)
    assert "2010年9月" in response.content.decode() and "下载 PDF" in response.content.decode()


def test_a_leader_reads_the_month_on_its_page_with_svg_charts_and_no_script(world, leader):
    report = services.monthly_report_build(year=2026, month=3)
    response = client_for(leader).get(reverse("admin:congress_monthlyreport_report", args=[report.pk]))
    page = response.content.decode()
    assert response.status_code == 200
    for text in ("2026年3月工作月报", "代表建议办理", "接待群众（人次）", "<svg", "<title>交通出行：2件</title>", "数据截至"):
        assert text in page, text
    pdf = client_for(leader).get(reverse("admin:congress_monthlyreport_pdf", args=[report.pk]))
    body = b"".join(pdf.streaming_content) if pdf.streaming else pdf.content
    assert pdf["Content-Type"] == "application/pdf" and "代表建议办理" in read_pdf(body).text
    assert "attachment" in pdf["Content-Disposition"] and len(body) == report.pdf_size


def test_a_failed_month_shows_its_error_and_has_no_page(db, leader):
    report = MonthlyReport.objects.create(month=datetime.date(2026, 2, 1), state="failed", error="RuntimeError: 连接中断")
    client = client_for(leader)
    assert "连接中断" in client.get(reverse("admin:congress_monthlyreport_changelist")).content.decode()
    assert client.get(reverse("admin:congress_monthlyreport_report", args=[report.pk])).status_code == 404


def test_staff_ask_for_a_version_watch_its_progress_and_download_it(world, staff, leader, settings, tmp_path,
                                                                     django_capture_on_commit_callbacks):
    settings.MEDIA_ROOT = tmp_path
    settings.CELERY_TASK_ALWAYS_EAGER = True
    client = client_for(staff)
    with django_capture_on_commit_callbacks(execute=False) as queued:
        response = client.post(reverse("admin:congress_annualreportversion_add"), {"year": "2026"})
    version = AnnualReportVersion.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/{version.pk}/change/")
    waiting = client.get(response["Location"]).content.decode()
    assert 'http-equiv="refresh"' in waiting and '<progress value="0" max="100">' in waiting and "排队中" in waiting
    for callback in queued:
        callback()  # the task, run eagerly
    version.refresh_from_db()
    assert version.state == AnnualReportVersion.State.DONE and version.requested_by == staff
    done = client_for(leader).get(reverse("admin:congress_annualreportversion_change", args=[version.pk])).content.decode()
    assert 'http-equiv="refresh"' not in done and "已生成" in done and "下载 PDF" in done
    download = client_for(leader).get(reverse("admin:congress_annualreportversion_pdf", args=[version.pk]))
    assert download.status_code == 200
    body = b"".join(download.streaming_content) if download.streaming else download.content
    assert download["Content-Disposition"].startswith("attachment") and "2026年度工作报告" in read_pdf(body).text


def test_a_second_request_while_one_runs_is_a_chinese_form_error(db, staff):
    services.annual_report_request(actor=staff, year=2025)
    response = client_for(staff).post(reverse("admin:congress_annualreportversion_add"), {"year": "2025"})
    assert response.status_code == 200 and "正在生成" in response.content.decode()
    assert AnnualReportVersion.objects.count() == 1


def test_staff_write_a_chapter_text_chosen_from_the_registered_chapters(db, staff):
    client = client_for(staff)
    page = client.get(reverse("admin:congress_annualreporttext_add")).content.decode()
    assert "代表建议办理" in page and "家站点建设与联系群众" in page
    response = client.post(reverse("admin:congress_annualreporttext_add"),
                           {"year": "2026", "chapter": "stations", "text": "全年接待群众。"})
    assert response.status_code == 302
    text = AnnualReportText.objects.get()
    assert (text.chapter, text.updated_by) == ("stations", staff)


def test_the_commands_write_the_pdfs(world, tmp_path):
    monthly, annual = tmp_path / "m.pdf", tmp_path / "a.pdf"
    call_command("monthly_report", "--month", "2026-03", "--output", str(monthly))
    call_command("annual_report", "--year", "2026", "--output", str(annual))
    assert "2026年3月工作月报" in read_pdf(monthly.read_bytes()).text
    assert "目录" in read_pdf(annual.read_bytes()).text
    assert MonthlyReport.objects.get().state == "published"
    with pytest.raises(CommandError, match="月份格式不正确"):
        call_command("monthly_report", "--month", "2026-13", "--output", str(monthly))
    with pytest.raises(CommandError, match="年度应在"):
        call_command("annual_report", "--year", "1999", "--output", str(annual))
