"""Large imports in the background (congress.lib.importjobs): a file over IMPORT_BACKGROUND_ROWS is checked by the
worker with a progress page, imported only after its uploader confirms, all rows or none; a file over IMPORT_MAX_MB is
refused before it is read."""
import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from conftest import client_for
from congress import tasks
from congress.lib import importjobs
from congress.models import ImportJob
from deputies.models import Deputy
from tests.test_imports import (
    CSV,
    ID_LI,
    ID_ZHANG,
    ROSTER_COLUMNS,
    XLSX,
    page_text,
    roster_row,
    second_roster_row,
    upload,
    write_file,
)
from tests.test_imports import media as _media  # noqa: F401  (the upload waits in media storage)
from tests.test_imports import roster_world as roster_world  # the fixture

ADMIN = "deputies_deputy"


@pytest.fixture(autouse=True)
def background_from_one_row(settings, monkeypatch):
    """Every file of 2+ rows goes to the worker; the worker's task runs right away in the test process."""
    settings.IMPORT_BACKGROUND_ROWS = 1
    ran = []
    monkeypatch.setattr(tasks.run_import_job, "delay", lambda job_id: ran.append(importjobs.run(job_id)))
    return ran


def job_url(job):
    return reverse(f"admin:{ADMIN}_import_job", args=[job.pk])


@pytest.mark.parametrize("fmt", [XLSX, CSV])
def test_a_large_file_is_checked_then_imported_after_confirmation(roster_world, staff, tmp_path, fmt,
                                                                 django_capture_on_commit_callbacks):
    client = client_for(staff)
    path = write_file(tmp_path, fmt, ROSTER_COLUMNS, [roster_row(), second_roster_row()])
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(client, ADMIN, path, fmt)
    job = ImportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == job_url(job)
    assert job.state == ImportJob.State.CHECKED and job.rows == 2 and job.user == staff
    assert Deputy.objects.count() == 0  # checking writes nothing
    page = page_text(client.get(job_url(job)))
    assert "校验通过" in page and "新增：2 行" in page and "确认导入" in page
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(job_url(job)).status_code == 302
    job.refresh_from_db()
    assert job.state == ImportJob.State.DONE and job.confirmed_at and job.finished_at
    assert set(Deputy.objects.values_list("id_number", flat=True)) == {ID_ZHANG, ID_LI}
    assert Deputy.objects.get(id_number=ID_ZHANG).history.get().history_user == staff  # the audit trail names them
    assert "导入完成" in page_text(client.get(job_url(job)))


def test_a_bad_row_refuses_the_whole_file_and_names_the_row(roster_world, staff, tmp_path,
                                                           django_capture_on_commit_callbacks):
    client = client_for(staff)
    path = write_file(tmp_path, CSV, ROSTER_COLUMNS, [roster_row(), second_roster_row(身份证号码="123")])
    with django_capture_on_commit_callbacks(execute=True):
        upload(client, ADMIN, path, CSV)
    job = ImportJob.objects.get()
    assert job.state == ImportJob.State.INVALID
    page = page_text(client.get(job_url(job)))
    assert "校验未通过，没有写入任何数据" in page and "第3行" in page and "确认导入" not in page
    assert client.post(job_url(job)).status_code == 302  # confirming a refused file changes nothing
    job.refresh_from_db()
    assert job.state == ImportJob.State.INVALID and Deputy.objects.count() == 0


def test_a_row_that_breaks_during_the_import_rolls_everything_back(roster_world, staff, tmp_path,
                                                                   django_capture_on_commit_callbacks):
    from deputies.models import Delegation

    client = client_for(staff)
    path = write_file(tmp_path, CSV, ROSTER_COLUMNS, [second_roster_row(), roster_row()])
    with django_capture_on_commit_callbacks(execute=True):
        upload(client, ADMIN, path, CSV)
    job = ImportJob.objects.get()
    assert job.state == ImportJob.State.CHECKED
    # between the check and the confirmation the delegation 张三's row names is renamed: his row now fails
    Delegation.objects.update(name="城东代表团")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(job_url(job))
    job.refresh_from_db()
    assert job.state == ImportJob.State.FAILED and any("第3行" in p for p in job.problems), job.problems
    assert Deputy.objects.count() == 0  # 李四's good row was rolled back with it
    page = page_text(client.get(job_url(job)))
    assert "导入失败，没有写入任何数据" in page


def test_only_the_uploader_sees_and_confirms_the_job(roster_world, staff, tmp_path, django_capture_on_commit_callbacks):
    from conftest import _user
    from congress import roles

    colleague = _user("colleague", roles.COMMITTEE_STAFF)
    path = write_file(tmp_path, CSV, ROSTER_COLUMNS, [roster_row(), second_roster_row()])
    with django_capture_on_commit_callbacks(execute=True):
        upload(client_for(staff), ADMIN, path, CSV)
    job = ImportJob.objects.get()
    other = client_for(colleague)
    assert other.get(job_url(job)).status_code == 403
    assert other.post(job_url(job)).status_code == 403
    with pytest.raises(importjobs.CongressError, match="只有上传该文件的人"):
        importjobs.import_job_confirm(actor=colleague, job_id=job.pk)
    job.refresh_from_db()
    assert job.state == ImportJob.State.CHECKED and Deputy.objects.count() == 0


def test_the_page_shows_progress_while_the_worker_runs(roster_world, staff, tmp_path, settings, monkeypatch):
    monkeypatch.setattr(tasks.run_import_job, "delay", lambda job_id: None)  # the worker has not finished
    client = client_for(staff)
    path = write_file(tmp_path, CSV, ROSTER_COLUMNS, [roster_row(), second_roster_row()])
    upload(client, ADMIN, path, CSV)
    job = ImportJob.objects.get()
    cache.set(importjobs.progress_key(job.pk), 1)
    page = page_text(client.get(job_url(job)))
    assert 'http-equiv="refresh"' in page and "1 / 2 行（50%）" in page and "正在校验" in page
    cache.delete(importjobs.progress_key(job.pk))


def test_the_resource_reports_progress_every_hundred_rows(roster_world, staff):
    from deputies.resources import DeputyRosterResource

    seen = []
    resource = DeputyRosterResource(user=staff)
    resource.PROGRESS_EVERY = 1
    resource.progress = seen.append
    import tablib

    data = tablib.Dataset(headers=ROSTER_COLUMNS)
    for row in (roster_row(), second_roster_row()):
        data.append([row[c] for c in ROSTER_COLUMNS])
    resource.import_data(data, dry_run=True)
    assert seen == [1, 2]


def test_a_file_over_the_size_cap_is_refused_before_it_is_read(roster_world, staff, settings):
    settings.IMPORT_MAX_MB = 0
    response = client_for(staff).post(reverse(f"admin:{ADMIN}_import"), {
        "import_file": SimpleUploadedFile("roster.csv", "姓名\n张三\n".encode()), "format": 1})
    assert response.status_code == 200
    assert "文件超过 0 MB，请拆分后分批导入。" in page_text(response)
    assert not ImportJob.objects.exists()


def test_a_small_file_keeps_the_immediate_preview(roster_world, staff, tmp_path, settings):
    settings.IMPORT_BACKGROUND_ROWS = 1000
    path = write_file(tmp_path, CSV, ROSTER_COLUMNS, [roster_row()])
    preview = upload(client_for(staff), ADMIN, path, CSV)
    assert preview.status_code == 200 and preview.context["confirm_form"] is not None
    assert not ImportJob.objects.exists()


@pytest.mark.parametrize("fmt", [XLSX, CSV])
def test_the_import_reads_the_rows_parsed_at_the_check_not_the_upload_again(roster_world, staff, tmp_path, fmt,
                                                                            django_capture_on_commit_callbacks):
    """A 100,000-row xlsx takes 15 s to parse: the check keeps the parsed rows, the import reads them, and both files
    go when the import is done. Proof: the upload is spoiled between the check and the confirmation."""
    from import_export.tmp_storages import MediaStorage

    client = client_for(staff)
    path = write_file(tmp_path, fmt, ROSTER_COLUMNS, [roster_row(), second_roster_row()])
    with django_capture_on_commit_callbacks(execute=True):
        upload(client, ADMIN, path, fmt)
    job = ImportJob.objects.get()
    assert job.state == ImportJob.State.CHECKED
    upload_file, parsed = MediaStorage(name=job.stored_name), MediaStorage(name=job.stored_name + importjobs.ROWS_SUFFIX)
    assert importjobs.rows_load(parsed.read()).headers[:2] == ROSTER_COLUMNS[:2]
    upload_file.remove()
    upload_file.save(b"not a spreadsheet")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(job_url(job))
    job.refresh_from_db()
    assert job.state == ImportJob.State.DONE, job.problems
    assert set(Deputy.objects.values_list("id_number", flat=True)) == {ID_ZHANG, ID_LI}
    for gone in (upload_file, parsed):
        with pytest.raises(OSError):
            gone.read()


def test_parsed_rows_keep_their_cells_types():
    import datetime

    import tablib

    data = tablib.Dataset(headers=["姓名", "出生日期", "时间", "人数", "比例", "是否", "空"])
    data.append(["张三", datetime.date(1970, 5, 1), datetime.datetime(2026, 3, 1, 9, 30), 12, 0.5, True, None])
    back = importjobs.rows_load(importjobs.rows_dump(data))
    assert back.headers == data.headers and list(back[0]) == list(data[0])
    assert type(back[0][1]) is datetime.date and type(back[0][2]) is datetime.datetime
