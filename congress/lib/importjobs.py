"""Large imports in the background: the upload is stored, the worker checks it (a dry run: nothing written) and, once
the uploader confirms, imports it in one transaction. Small files keep the admin's immediate preview; a file of more
than IMPORT_BACKGROUND_ROWS data rows goes here, so no import is cut off by the web server's 30-second timeout.

State changes (congress.models.ImportJob.State), each through a function here that checks the state:
  checking → checked | invalid        (the worker, after the dry run)
  checked → importing                 (import_job_confirm: only the uploader)
  importing → done | failed           (the worker; failed: nothing written)
Progress (rows done of rows) is kept in the cache under ``progress_key(job)`` while the worker runs.

A file that passed its check is kept beside the upload as its parsed rows (JSON, `rows_dump`), and the import reads
those: reading a 100,000-row xlsx with openpyxl takes 15 s, the JSON under one."""
import datetime
import json
from types import SimpleNamespace

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from congress.models import ImportJob
from congress.services import CongressError

PROGRESS_EVERY = 100  # rows between two progress writes


def progress_key(job_id: int) -> str:
    return f"congress:import-job:{job_id}:progress"


def progress_of(job: ImportJob) -> int:
    """Rows done so far (0 when the worker has not started or the job has ended)."""
    if not job.running:
        return job.rows if job.state in (ImportJob.State.CHECKED, ImportJob.State.DONE) else 0
    return int(cache.get(progress_key(job.pk)) or 0)


def count_rows(data: bytes, binary: bool) -> int:
    """Data rows of an upload without parsing it all: an xlsx sheet's dimension, or a CSV's lines (header excluded)."""
    if binary:
        import io

        from openpyxl import load_workbook

        try:
            book = load_workbook(io.BytesIO(data), read_only=True)
            return max((book.active.max_row or 1) - 1, 0)
        except Exception:  # unreadable: the admin's own preview reports it
            return 0
    return max(data.count(b"\n") - 1, 0)


def import_job_create(*, actor, model_label: str, file_name: str, stored_name: str, format_index: int, rows: int) -> ImportJob:
    job = ImportJob.objects.create(user=actor, model_label=model_label, file_name=file_name[:255], stored_name=stored_name,
                                   format_index=format_index, rows=rows)
    transaction.on_commit(lambda: _enqueue(job.pk))
    return job


def _enqueue(job_id: int) -> None:
    from congress.tasks import run_import_job

    run_import_job.delay(job_id)


@transaction.atomic
def import_job_confirm(*, actor, job_id: int) -> ImportJob:
    job = ImportJob.objects.select_for_update().get(pk=job_id)
    if job.user_id != actor.pk:
        raise CongressError("只有上传该文件的人可以确认导入")
    if job.state != ImportJob.State.CHECKED:
        raise CongressError(f"该导入任务{job.get_state_display()}，不能确认导入")
    job.state, job.confirmed_at = ImportJob.State.IMPORTING, timezone.now()
    job.save(update_fields=["state", "confirmed_at"])
    transaction.on_commit(lambda: _enqueue(job.pk))
    return job


ROWS_SUFFIX = ".rows.json"
_TYPES = {"date": datetime.date, "datetime": datetime.datetime, "time": datetime.time}


def rows_dump(dataset) -> bytes:
    """A parsed sheet (a tablib Dataset) as JSON, its cells' types kept: dates, times and date-times as tagged ISO
    strings, the rest as JSON has them. Our own file, read back by rows_load (not pickle: nothing read from storage
    is ever executed)."""
    def cell(value):
        for tag, kind in (("datetime", datetime.datetime), ("date", datetime.date), ("time", datetime.time)):
            if isinstance(value, kind):
                return {tag: value.isoformat()}
        return value

    return json.dumps({"headers": list(dataset.headers or []), "rows": [[cell(v) for v in row] for row in dataset]},
                      ensure_ascii=False).encode()


def rows_load(data: bytes):
    import tablib

    def cell(value):
        if isinstance(value, dict) and len(value) == 1:
            (tag, text), = value.items()
            return _TYPES[tag].fromisoformat(text)
        return value

    parsed = json.loads(data)
    dataset = tablib.Dataset(headers=parsed["headers"])
    for row in parsed["rows"]:
        dataset.append([cell(v) for v in row])
    return dataset


def _admin_for(job: ImportJob):
    from django.apps import apps
    from django.contrib import admin

    return admin.site._registry[apps.get_model(job.model_label)]


def run(job_id: int) -> ImportJob:
    """The worker's step: the dry run of a job being checked, or the import of a confirmed one."""
    from simple_history.models import HistoricalRecords

    job = ImportJob.objects.select_related("user").get(pk=job_id)
    if job.state not in (ImportJob.State.CHECKING, ImportJob.State.IMPORTING):
        return job  # a retried or duplicated task: the job has moved on
    dry_run = job.state == ImportJob.State.CHECKING
    model_admin = _admin_for(job)
    request = SimpleNamespace(user=job.user)
    input_format = model_admin.get_import_formats()[job.format_index]()
    if not input_format.is_binary():
        input_format.encoding = model_admin.from_encoding
    storage = model_admin.get_tmp_storage_class()(
        name=job.stored_name, encoding=None if input_format.is_binary() else model_admin.from_encoding,
        read_mode=input_format.get_read_mode(), **model_admin.get_tmp_storage_class_kwargs())
    parsed = model_admin.get_tmp_storage_class()(name=job.stored_name + ROWS_SUFFIX, read_mode="rb",
                                                 **model_admin.get_tmp_storage_class_kwargs())
    problems: list[str] = []
    totals: dict = {}
    try:
        dataset = input_format.create_dataset(storage.read()) if dry_run else _parsed_or_none(parsed)
        if dataset is None:  # checked before this version kept the parsed rows: read the upload again
            dataset = input_format.create_dataset(storage.read())
        resource = model_admin.get_import_resource_classes(request)[0](user=job.user).without_preview()
        resource.progress = lambda done: cache.set(progress_key(job.pk), done, 24 * 3600)
        HistoricalRecords.context.request = request  # the audit trail names the uploader
        try:
            result = resource.import_data(dataset, dry_run=dry_run, raise_errors=False, file_name=job.file_name,
                                          user=job.user)
        finally:
            del HistoricalRecords.context.request
        if result.has_errors() or result.has_validation_errors():
            problems = resource.row_messages(result) or ["文件中有错误，没有写入任何数据。"]
        else:
            totals = {key: value for key, value in result.totals.items() if value}
    except Exception as exc:  # noqa: BLE001 - an unreadable file or a bug: the job says so, nothing was written
        problems = [f"无法处理该文件，没有写入任何数据（{type(exc).__name__}）。"]
    job.problems, job.totals = problems[:200], totals
    if dry_run:
        job.state = ImportJob.State.INVALID if problems else ImportJob.State.CHECKED
        if not problems:
            parsed.save(rows_dump(dataset))
    else:
        job.state = ImportJob.State.FAILED if problems else ImportJob.State.DONE
        job.finished_at = timezone.now()
        if job.state == ImportJob.State.DONE:
            storage.remove()
            _remove_quietly(parsed)
    job.save(update_fields=["problems", "totals", "state", "finished_at"])
    cache.delete(progress_key(job.pk))
    return job


def _parsed_or_none(parsed):
    try:
        return rows_load(parsed.read())
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _remove_quietly(storage) -> None:
    try:
        storage.remove()
    except OSError:
        pass
