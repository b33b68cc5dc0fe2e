"""Writes of the reports: the monthly statistics snapshot (built once, idempotently, never recomputed once published) and
the annual work report's generated versions (progress stored on the row, the PDF kept as a private file).

Rendering lives here too, because the page, the PDF and the management commands must show the same thing: a chapter's
stored data (congress.reports.registry.ChapterData) plus its charts drawn as SVG (congress.lib.charts)."""
import datetime
import logging
import time

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from congress import roles
from congress.lib import charts
from congress.models import AnnualReportText, AnnualReportVersion, MonthlyReport, User
from congress.reports.registry import ChapterData, build_chapters, chapter_sources, month_bounds
from congress.services import CongressError, notification_send

logger = logging.getLogger(__name__)

CHINESE_ORDINALS = "一二三四五六七八九十"
# a district's annual report renders in seconds; one unfinished after this long lost its worker
STALE_AFTER = datetime.timedelta(minutes=30)


def snapshot_build(start: datetime.date, end: datetime.date, *, progress=None) -> dict:
    """Every registered chapter for start..end as JSON-ready data, with the moment the data was taken."""
    taken_at = timezone.now()
    chapters = build_chapters(start, end, progress=progress)
    return {"start": start.isoformat(), "end": end.isoformat(), "taken_at": taken_at.isoformat(),
            "chapters": [chapter.as_dict() for chapter in chapters]}


def leaders():
    return User.objects.filter(groups__name=roles.LEADER, is_active=True).distinct()


def previous_month(today: datetime.date) -> tuple[int, int]:
    first = today.replace(day=1) - datetime.timedelta(days=1)
    return first.year, first.month


def monthly_report_build(*, year: int, month: int) -> MonthlyReport:
    """Build and publish the report of one month, once: a published report is returned as it is (built twice, it is
    the same report and one row). The row is locked while building, so two workers never build it at the same time.
    The leaders are notified when it is published. On failure the row says so, with the error, and the error is
    raised again for the task to retry."""
    if not 1 <= month <= 12 or year < 2000:
        raise CongressError("月份不正确。")
    start, end = month_bounds(year, month)
    if end >= timezone.localdate():
        raise CongressError(f"{year}年{month}月尚未结束，不能生成该月的工作月报。")
    report, _ = MonthlyReport.objects.get_or_create(month=start)
    if report.state == MonthlyReport.State.PUBLISHED:
        return report
    try:
        with transaction.atomic():
            report = MonthlyReport.objects.select_for_update().get(pk=report.pk)
            if report.state == MonthlyReport.State.PUBLISHED:
                return report
            snapshot = snapshot_build(start, end)
            report.snapshot = snapshot
            report.data_taken_at = datetime.datetime.fromisoformat(snapshot["taken_at"])
            # the PDF is rendered once, now, and kept: what the leaders were sent is what they download later
            data = _monthly_pdf_render(report)
            report.pdf.save(f"{year}年{month}月工作月报.pdf", ContentFile(data), save=False)
            report.pdf_size = len(data)
            report.state, report.error = MonthlyReport.State.PUBLISHED, ""
            report.published_at = timezone.now()
            report.attempts += 1
            report.save(update_fields=["snapshot", "data_taken_at", "pdf", "pdf_size", "state", "error", "published_at",
                                       "attempts"])
            notification_send(recipients=list(leaders()), kind="monthly_report", title=f"{report}已生成",
                              body=f"{year}年{month}月的履职工作统计已生成，可在线查看或下载 PDF。",
                              link=("admin:congress_monthlyreport_report", report.pk))
            return report
    except Exception as exc:
        MonthlyReport.objects.filter(pk=report.pk).exclude(state=MonthlyReport.State.PUBLISHED).update(
            state=MonthlyReport.State.FAILED, error=f"{type(exc).__name__}: {exc}"[:2000])
        MonthlyReport.objects.filter(pk=report.pk).update(attempts=report.attempts + 1)
        raise


def chapters_for_display(snapshot: dict, texts: dict | None = None) -> list[dict]:
    """The stored chapters with their number (一、二、…), their charts drawn as SVG and the staff's text, in order."""
    shown = []
    for index, data in enumerate(sorted(snapshot.get("chapters", []), key=lambda c: (c["order"], c["key"]))):
        chapter = ChapterData.from_dict(data)
        ordinal = CHINESE_ORDINALS[index] if index < len(CHINESE_ORDINALS) else str(index + 1)
        shown.append({"key": chapter.key, "anchor": f"chapter-{chapter.key}", "number": ordinal,
                      "title": chapter.title, "figures": list(chapter.figures.items()), "tables": chapter.tables,
                      "charts": [charts.draw(chart) for chart in chapter.charts],
                      "paragraphs": [p.strip() for p in (texts or {}).get(chapter.key, "").split("\n") if p.strip()]})
    return shown


def report_context(snapshot: dict, *, title: str, texts: dict | None = None) -> dict:
    from django.conf import settings

    taken_at = datetime.datetime.fromisoformat(snapshot["taken_at"]) if snapshot.get("taken_at") else None
    return {"title": title, "district": settings.CONGRESS_RULES["DISTRICT_NAME"],
            "start": datetime.date.fromisoformat(snapshot["start"]), "end": datetime.date.fromisoformat(snapshot["end"]),
            "taken_at": taken_at and timezone.localtime(taken_at), "chapters": chapters_for_display(snapshot, texts),
            "generated_on": timezone.localdate()}


def _monthly_pdf_render(report: MonthlyReport) -> bytes:
    from congress.lib.pdf import render_pdf

    return render_pdf("reports/monthly.html", report_context(report.snapshot, title=str(report)))


def monthly_report_pdf(report: MonthlyReport) -> MonthlyReport:
    """The published report with its kept PDF. A report published before PDFs were kept gets its file now, once,
    from its stored snapshot (under a row lock, so two downloads render it once)."""
    if report.state != MonthlyReport.State.PUBLISHED:
        raise CongressError("该月工作月报尚未生成，不能下载。")
    if report.pdf:
        return report
    with transaction.atomic():
        report = MonthlyReport.objects.select_for_update().get(pk=report.pk)
        if not report.pdf:
            data = _monthly_pdf_render(report)
            report.pdf.save(f"{report.month.year}年{report.month.month}月工作月报.pdf", ContentFile(data), save=False)
            report.pdf_size = len(data)
            report.save(update_fields=["pdf", "pdf_size"])
    return report


# ------------------------------------------------------------------------------------------------ the annual report

def annual_texts(year: int) -> dict[str, str]:
    return dict(AnnualReportText.objects.filter(year=year).values_list("chapter", "text"))


def annual_report_render(year: int, *, progress=None) -> tuple[bytes, dict]:
    """The annual work report of `year` as PDF bytes (data of 1 January to 31 December, or to today for the current
    year) and the snapshot it was drawn from. ``progress(percent, stage)`` is told how far it is."""
    from congress.lib.pdf import render_pdf

    start, end = datetime.date(year, 1, 1), min(datetime.date(year, 12, 31), timezone.localdate())

    def chapter_done(done, total):
        if progress:
            progress(5 + 65 * done // max(total, 1), f"统计数据（{done}/{total}）")

    snapshot = snapshot_build(start, end, progress=chapter_done)
    if progress:
        progress(75, "排版生成 PDF")
    context = report_context(snapshot, title=f"{year}年度工作报告", texts=annual_texts(year))
    context["year"] = year
    return render_pdf("reports/annual.html", context), snapshot


def annual_report_request(*, actor: User, year: int) -> AnnualReportVersion:
    """Ask for a new version of a year's report: a queued row, generated by a Celery task after the commit."""
    today = timezone.localdate()
    if not 2000 <= year <= today.year:
        raise CongressError(f"只能生成2000年至{today.year}年的年度工作报告。")
    unfinished = AnnualReportVersion.objects.filter(year=year, state__in=(AnnualReportVersion.State.QUEUED,
                                                                        AnnualReportVersion.State.RUNNING))
    # a version whose worker was killed stays unfinished: after STALE_AFTER it is failed, so it blocks nobody
    unfinished.filter(requested_at__lt=timezone.now() - STALE_AFTER).update(
        state=AnnualReportVersion.State.FAILED, stage="生成失败", error="生成超时：后台任务可能已中断，请重新生成。",
        finished_at=timezone.now())
    if unfinished.exists():
        raise CongressError(f"{year}年度工作报告正在生成，请等生成完成后再试。")
    version = AnnualReportVersion.objects.create(year=year, requested_by=actor, stage="等待生成")
    transaction.on_commit(lambda: _queue_annual(version.pk))
    return version


def _queue_annual(version_id: int) -> None:
    from congress.tasks import annual_report_generate

    annual_report_generate.delay(version_id)


def annual_report_generate(*, version_id: int) -> AnnualReportVersion:
    """Generate one requested version: claim it (queued → running, a conditional update, so a task delivered twice
    generates it once), store the progress as it goes (the admin's progress bar reads it), then the PDF, its size and
    the moment its data was taken; or the error."""
    V = AnnualReportVersion.State
    claimed = AnnualReportVersion.objects.filter(pk=version_id, state=V.QUEUED).update(
        state=V.RUNNING, percent=1, stage="开始生成")
    if not claimed:
        return AnnualReportVersion.objects.get(pk=version_id)
    version = AnnualReportVersion.objects.get(pk=version_id)

    def progress(percent: int, stage: str) -> None:
        AnnualReportVersion.objects.filter(pk=version_id, state=V.RUNNING).update(percent=percent, stage=stage)

    began = time.monotonic()
    try:
        data, snapshot = annual_report_render(version.year, progress=progress)
        progress(95, "保存文件")
        version.pdf.save(f"{version.year}年度工作报告.pdf", ContentFile(data), save=False)
    except Exception as exc:
        logger.exception("annual report %s failed", version_id)
        AnnualReportVersion.objects.filter(pk=version_id).update(
            state=V.FAILED, stage="生成失败", error=f"{type(exc).__name__}: {exc}"[:2000], finished_at=timezone.now())
        raise
    pages = page_count(data)
    AnnualReportVersion.objects.filter(pk=version_id).update(
        state=V.DONE, percent=100, stage="已完成", pdf=version.pdf.name, size=len(data), pages=pages,
        render_seconds=round(time.monotonic() - began, 2),
        data_taken_at=datetime.datetime.fromisoformat(snapshot["taken_at"]), finished_at=timezone.now())
    return AnnualReportVersion.objects.get(pk=version_id)


def page_count(data: bytes) -> int:
    """The pages of a PDF (pypdf, pinned in requirements.lock; WeasyPrint compresses its page objects)."""
    import io

    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(data)).pages)


def chapter_choices() -> list[tuple[str, str]]:
    return [(s.key, s.title) for s in sorted(chapter_sources.values(), key=lambda s: (s.order, s.key))]
