"""The committee's composition imported from a spreadsheet through the admin's import page: a good file creates the
seats (and updates a seat on record), a bad file names each row's problem in Chinese and changes nothing, a file over
the size cap or the row cap is refused before any row is read, and the template has the columns."""
import datetime

import openpyxl
import pytest
from django.urls import reverse

from conftest import client_for
from deputies.models import Deputy, Mandate
from supervision.models import CommitteeMember
from supervision.resources import CommitteeMemberResource
from tests.sample import sample_id_number
from tests.test_imports import CSV, XLSX, assert_refused, confirm, export_rows, upload, write_file

pytestmark = pytest.mark.django_db
ADMIN = "supervision_committeemember"
COLUMNS = ["姓名", "身份证号码", "职务", "任职日期", "离任日期"]


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def deputies(term, town_a):
    """Four district deputies of the term (two named 李明), and one of another term."""
    made = {}
    for n, name in enumerate(["张三", "王芳", "李明", "李明"]):
        deputy = Deputy.objects.create(full_name=name, gender="M", id_number=sample_id_number(700 + n), town=town_a)
        Mandate.objects.create(deputy=deputy, level=Mandate.Level.DISTRICT, term=term, start_date=datetime.date(2021, 10, 1))
        made.setdefault(name, []).append(deputy)
    Deputy.objects.create(full_name="赵六", gender="M", id_number=sample_id_number(710), town=town_a)
    return made


def row(name, role="委员", start=datetime.date(2021, 10, 1), end="", number=""):
    return {"姓名": name, "身份证号码": number, "职务": role, "任职日期": start, "离任日期": end}


def seats():
    return sorted(CommitteeMember.objects.values_list("deputy__full_name", "role", "start_date", "end_date"))


@pytest.mark.parametrize("fmt", [XLSX, CSV])
def test_a_good_file_creates_the_seats_and_updates_one_on_record(deputies, staff, term, tmp_path, fmt):
    CommitteeMember.objects.create(term=term, deputy=deputies["王芳"][0], start_date=datetime.date(2021, 10, 1))
    client = client_for(staff)
    path = write_file(tmp_path, fmt, COLUMNS, [
        row("张三", "主任"),
        row("王芳", "副主任", end=datetime.date(2024, 3, 1)),  # the seat on record: updated
        row("李明", number=deputies["李明"][1].id_number),
    ])
    preview = upload(client, ADMIN, path, fmt)
    assert preview.context["confirm_form"] is not None, preview.content.decode()[-2000:]
    assert CommitteeMember.objects.count() == 1  # the preview is a dry run
    assert confirm(client, ADMIN, preview).status_code == 302
    assert seats() == [("张三", "chair", datetime.date(2021, 10, 1), None),
                       ("李明", "member", datetime.date(2021, 10, 1), None),
                       ("王芳", "vice_chair", datetime.date(2021, 10, 1), datetime.date(2024, 3, 1))]
    assert CommitteeMember.objects.get(deputy__full_name="李明").deputy == deputies["李明"][1]
    assert set(CommitteeMember.objects.values_list("term", flat=True)) == {term.pk}
    assert CommitteeMember.history.filter(history_user=staff, history_type="+").count() == 2


BAD = {
    "not_a_deputy": ([row("张三"), row("赵六")], ["第3行：姓名“赵六”不是本届区人大代表"]),
    "same_name": ([row("李明"), row("张三")], ["第2行：本届区人大代表中有2人名为“李明”，请填写身份证号码以区分"]),
    "wrong_number": ([row("张三", number=sample_id_number(701))], ["第2行：姓名“张三”与身份证号码不符"]),
    "bad_role": ([row("张三", role="组长")], ["第2行：职务“组长”无效，可填：主任、副主任、秘书长、委员"]),
    "no_start": ([row("张三", start="")], ["第2行：任职日期"]),
    "bad_date": ([row("张三", start="2021-13-01")], ["第2行：任职日期“2021-13-01”不是有效日期"]),
    "leaves_before_starting": ([row("张三", end=datetime.date(2020, 1, 1))], ["第2行：离任日期不能早于任职日期"]),
    "twice": ([row("张三"), row("王芳"), row("张三")], ["第4行：张三的同一任职日期与第2行重复"]),
}


@pytest.mark.parametrize("fmt", [XLSX, CSV])
@pytest.mark.parametrize("case", sorted(BAD))
def test_a_bad_file_changes_nothing_and_names_the_row(deputies, staff, term, tmp_path, fmt, case):
    CommitteeMember.objects.create(term=term, deputy=deputies["王芳"][0], start_date=datetime.date(2021, 10, 1))
    before = seats()
    rows, expected = BAD[case]
    # and a good row after them: the whole file is refused, not only the bad rows
    good = row("王芳", "秘书长", start=datetime.date(2022, 1, 1))
    response = upload(client_for(staff), ADMIN, write_file(tmp_path, fmt, COLUMNS, [*rows, good]), fmt)
    assert_refused(response, *expected)
    assert seats() == before


def test_a_file_over_the_row_cap_is_refused_before_any_row_is_read(deputies, staff, tmp_path, monkeypatch):
    monkeypatch.setattr("supervision.resources.MAX_ROWS", 2)
    rows = [row("张三"), row("王芳"), row("张三", start=datetime.date(2023, 1, 1))]
    path = write_file(tmp_path, XLSX, COLUMNS, rows)
    assert_refused(upload(client_for(staff), ADMIN, path, XLSX), "文件有3行数据，超过2行的上限")
    assert not CommitteeMember.objects.exists()


def test_a_file_over_the_size_cap_is_refused(deputies, staff, tmp_path):
    path = tmp_path / "big.csv"
    path.write_text(",".join(COLUMNS) + "\n" + ("张三,,委员,2021-10-01,\n" * 30000), encoding="utf-8")
    assert path.stat().st_size > 512 * 1024
    response = upload(client_for(staff), ADMIN, path, CSV)
    assert_refused(response, "文件太大：不能超过 512 KB")
    assert not CommitteeMember.objects.exists()


def test_the_template_has_the_columns_and_leaders_cannot_import(staff, leader, deputies, tmp_path):
    response = client_for(staff).get(reverse(f"admin:{ADMIN}_import_template"))
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(__import__("io").BytesIO(response.content)).active
    assert [c.value for c in sheet[1]] == COLUMNS == CommitteeMemberResource().column_names()
    path = write_file(tmp_path, XLSX, COLUMNS, [row("张三")])
    assert upload(client_for(leader), ADMIN, path, XLSX).status_code == 403
    assert not CommitteeMember.objects.exists()


def test_the_export_reads_back_as_an_import_file_and_masks_numbers_for_leaders(deputies, staff, leader, term):
    from congress.lib.idcard import mask_id_number
    from congress.models import ExportRecord

    zhang = deputies["张三"][0]
    CommitteeMember.objects.create(term=term, deputy=zhang, role="chair", start_date=datetime.date(2021, 10, 1))
    full = export_rows(staff, ADMIN)
    assert full == [{"姓名": "张三", "身份证号码": zhang.id_number, "职务": "主任", "任职日期": "2021-10-01", "离任日期": ""}]
    masked = export_rows(leader, ADMIN)
    assert masked[0]["身份证号码"] == mask_id_number(zhang.id_number) != zhang.id_number
    assert list(ExportRecord.objects.order_by("created_at").values_list("personal_data", flat=True)) == [True, False]
