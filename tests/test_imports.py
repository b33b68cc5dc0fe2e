"""Spreadsheet import and export through the admin: the deputy roster, organizations and stations.

Files are generated into tmp_path (xlsx with openpyxl, csv with the csv module). The admin flow is driven over
HTTP: upload → preview → confirm. A bad file must name the row and the problem in Chinese and write nothing."""
import csv
import datetime
import io

import openpyxl
import pytest
import tablib
from django.urls import reverse

from conftest import client_for
from congress.lib.idcard import check_digit, mask_id_number
from congress.models import ExportRecord, Organization
from deputies.models import Constituency, Delegation, Deputy, Mandate
from deputies.resources import DeputyRosterResource
from stations.models import Station

ROSTER_COLUMNS = ["姓名", "性别", "民族", "出生日期", "政治面貌", "学历", "工作单位", "职务职称", "代表构成",
                  "手机号码", "身份证号码", "所属镇街", "代表层级", "选区", "代表团"]
ORGANIZATION_COLUMNS = ["名称", "简称", "类型", "上级单位", "单位编码", "可作为承办单位", "联系人", "联系电话", "地址"]
STATION_COLUMNS = ["名称", "类型", "所属镇街", "地址", "开放时间", "联系人", "联系电话", "建成日期"]
XLSX, CSV = "xlsx", "csv"
FORMAT_INDEX = {XLSX: 0, CSV: 1}  # CongressImportExportMixin.import_formats


def id_number(birth: str, sequence: int) -> str:
    """A valid 18-digit ID number for a birth date like 19800101 (odd sequence: male)."""
    first17 = f"110101{birth}{sequence:03d}"
    return first17 + check_digit(first17)


ID_ZHANG = id_number("19800101", 11)
ID_LI = id_number("19850615", 22)


# --- files ---------------------------------------------------------------------------------------------------------

def write_file(tmp_path, fmt, headers, rows, name="data"):
    path = tmp_path / f"{name}.{fmt}"
    if fmt == XLSX:
        book = openpyxl.Workbook()
        sheet = book.active
        sheet.append(headers)
        for row in rows:
            sheet.append([row.get(h, "") for h in headers])
        book.save(path)
    else:
        with open(path, "w", newline="", encoding="utf-8-sig") as f:
            writer = csv.writer(f)
            writer.writerow(headers)
            for row in rows:
                writer.writerow([_csv_value(row.get(h, "")) for h in headers])
    return path


def _csv_value(value):
    return value.isoformat() if isinstance(value, datetime.date) else value


def roster_row(**overrides):
    row = {"姓名": "张三", "性别": "男", "民族": "汉族", "出生日期": datetime.date(1980, 1, 1), "政治面貌": "中共党员",
           "学历": "大学本科", "工作单位": "城东社区居委会", "职务职称": "主任", "代表构成": "基层干部",
           "手机号码": "13800000001", "身份证号码": ID_ZHANG, "所属镇街": "城东街道", "代表层级": "区人大代表",
           "选区": "城东第一选区", "代表团": "城东街道代表团"}
    row.update(overrides)
    return row


def second_roster_row(**overrides):
    row = roster_row(姓名="李四", 性别="女", 出生日期="", 政治面貌="群众", 手机号码="13900000002",
                     身份证号码=ID_LI, 代表层级="镇人大代表", 选区="", 代表团="")
    row.update(overrides)
    return row


# --- fixtures ------------------------------------------------------------------------------------------------------

@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    # the upload waits in media storage between the preview and the confirmation
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def roster_world(term, town_a, town_b):
    Constituency.objects.create(term=term, level="district", number=1, name="城东第一选区", town=town_a)
    Delegation.objects.create(term=term, name="城东街道代表团", town=town_a)


def counts():
    return {"deputies": Deputy.objects.count(), "mandates": Mandate.objects.count(),
            "organizations": Organization.objects.count(), "stations": Station.objects.count()}


def upload(client, admin_name, path, fmt):
    with open(path, "rb") as f:
        return client.post(reverse(f"admin:{admin_name}_import"),
                           {"import_file": f, "format": FORMAT_INDEX[fmt]})


def confirm(client, admin_name, preview):
    form = preview.context["confirm_form"]
    assert form is not None, page_text(preview)
    return client.post(reverse(f"admin:{admin_name}_process_import"), dict(form.initial))


def page_text(response) -> str:
    return response.content.decode()


def assert_refused(response, *expected):
    assert response.status_code == 200
    text = page_text(response)
    for phrase in expected:
        assert phrase in text, f"{phrase!r} not on the page:\n{text[text.find('<h2'):][:3000]}"
    assert not response.context.get("confirm_form"), "a bad file must not reach the confirmation step"


# --- the roster through the admin -----------------------------------------------------------------------------------

@pytest.mark.parametrize("fmt", [XLSX, CSV])
def test_roster_preview_then_confirm_creates_deputies_mandates_and_history(roster_world, staff, term, tmp_path, fmt):
    client = client_for(staff)
    path = write_file(tmp_path, fmt, ROSTER_COLUMNS, [roster_row(), second_roster_row()])

    preview = upload(client, "deputies_deputy", path, fmt)
    assert preview.status_code == 200
    assert preview.context["confirm_form"] is not None, page_text(preview)
    assert "张三" in page_text(preview) and "李四" in page_text(preview)
    assert counts()["deputies"] == 0  # the preview is a dry run

    done = confirm(client, "deputies_deputy", preview)
    assert done.status_code == 302
    zhang = Deputy.objects.get(id_number=ID_ZHANG)
    li = Deputy.objects.get(id_number=ID_LI)
    assert zhang.party == Deputy.Party.CPC and zhang.town.name == "城东街道" and zhang.phone == "13800000001"
    # empty 出生日期 is taken from the ID number
    assert li.birth_date == datetime.date(1985, 6, 15) and li.gender == Deputy.Gender.FEMALE
    zhang_seat = zhang.mandates.get()
    assert (zhang_seat.level, zhang_seat.term, zhang_seat.status) == ("district", term, Mandate.Status.SERVING)
    assert zhang_seat.constituency.name == "城东第一选区" and zhang_seat.delegation.name == "城东街道代表团"
    assert li.mandates.get().level == "town"

    # django-simple-history recorded the import, with the admin user
    for deputy in (zhang, li):
        record = deputy.history.get()
        assert record.history_type == "+" and record.history_user == staff
    assert Mandate.history.filter(deputy_id=zhang.pk, history_user=staff).exists()
    assert not list((tmp_path / "media" / "django-import-export").iterdir())  # the upload was removed


BAD_ROSTERS = {
    "columns": (lambda: ([c for c in ROSTER_COLUMNS if c != "民族"] + ["备注"], [roster_row(备注="x")]),
                ["缺少列：民族", "无法识别的列：备注"]),
    "malformed_id": (lambda: (ROSTER_COLUMNS, [roster_row(), second_roster_row(身份证号码=ID_LI[:17] + "0")]),
                     ["第3行：身份证号码", "校验位错误"]),
    "short_id": (lambda: (ROSTER_COLUMNS, [roster_row(身份证号码="11010119800101")]),
                 ["第2行：身份证号码", "须为18位"]),
    "duplicate_in_file": (lambda: (ROSTER_COLUMNS, [roster_row(), second_roster_row(身份证号码=ID_ZHANG)]),
                          ["第3行：身份证号码与第2行重复"]),
    "already_in_roster": (lambda: (ROSTER_COLUMNS, [second_roster_row(), roster_row()]),
                          ["第3行：身份证号码已在代表名册中（张三）"]),
    "unknown_town": (lambda: (ROSTER_COLUMNS, [roster_row(), second_roster_row(所属镇街="xx镇")]),
                     ["第3行：所属镇街“xx镇”不存在"]),
    "unknown_party": (lambda: (ROSTER_COLUMNS, [roster_row(政治面貌="党员"), second_roster_row()]),
                      ["第2行：政治面貌“党员”无效"]),
    "unknown_level": (lambda: (ROSTER_COLUMNS, [roster_row(), second_roster_row(代表层级="乡人大代表")]),
                      ["第3行：代表层级“乡人大代表”无效"]),
    "bad_date": (lambda: (ROSTER_COLUMNS, [roster_row(出生日期="1980-13-01"), second_roster_row()]),
                 ["第2行：出生日期“1980-13-01”不是有效日期"]),
    "unknown_constituency": (lambda: (ROSTER_COLUMNS, [roster_row(选区="不存在选区"), second_roster_row()]),
                             ["第2行：选区“不存在选区”不存在"]),
    "missing_name": (lambda: (ROSTER_COLUMNS, [roster_row(), second_roster_row(姓名="")]),
                     ["第3行：姓名"]),
    "missing_town": (lambda: (ROSTER_COLUMNS, [roster_row(), second_roster_row(所属镇街="")]),
                     ["第3行：所属镇街不能为空"]),
}


@pytest.mark.parametrize("fmt", [XLSX, CSV])
@pytest.mark.parametrize("case", sorted(BAD_ROSTERS))
def test_bad_roster_is_refused_whole_with_row_and_problem(roster_world, staff, tmp_path, fmt, case):
    if case == "already_in_roster":
        Deputy.objects.create(full_name="张三", gender="M", id_number=ID_ZHANG,
                              town=Organization.objects.get(name="城东街道"))
    build, expected = BAD_ROSTERS[case]
    headers, rows = build()
    before = counts()
    response = upload(client_for(staff), "deputies_deputy", write_file(tmp_path, fmt, headers, rows), fmt)
    assert_refused(response, *expected)
    assert counts() == before


def test_lookups_are_loaded_once_per_import_not_once_per_row(roster_world, staff, tmp_path):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def organization_queries(n):
        rows = [second_roster_row(姓名=f"代表{i}", 身份证号码=id_number("19850615", 100 + 2 * i)) for i in range(n)]
        with CaptureQueriesContext(connection) as queries:
            response = upload(client_for(staff), "deputies_deputy",
                              write_file(tmp_path, XLSX, ROSTER_COLUMNS, rows, name=f"n{n}"), XLSX)
        assert response.context["confirm_form"] is not None, page_text(response)
        return sum('FROM "congress_organization"' in q["sql"] for q in queries.captured_queries)

    assert organization_queries(2) == organization_queries(12)


def test_the_roster_is_written_in_batches_with_history_not_row_by_row(roster_world, staff, term):
    """bulk_with_history: importing 4 or 40 rows costs the same queries (a few INSERTs per batch of 1,000: deputies,
    their history, mandates, theirs), the history names the importer, and the check (dry run) writes nothing."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def run(n, start, dry_run=False):
        data = tablib.Dataset(headers=ROSTER_COLUMNS)
        for i in range(n):
            row = second_roster_row(姓名=f"代表{start + i}", 身份证号码=id_number("19850615", 300 + 2 * (start + i)))
            data.append([row.get(c, "") for c in ROSTER_COLUMNS])
        with CaptureQueriesContext(connection) as queries:
            result = DeputyRosterResource(user=staff).import_data(data, dry_run=dry_run)
        assert not result.has_errors() and not result.has_validation_errors()
        return [q["sql"] for q in queries.captured_queries]

    checked = run(40, 0, dry_run=True)
    assert not Deputy.objects.exists() and not any(q.startswith("INSERT") for q in checked)
    few, many = run(4, 100), run(40, 200)
    assert len(few) == len(many)
    assert sum(q.startswith("INSERT") for q in many) == 4  # deputies, their history, mandates, their history
    assert Deputy.objects.count() == 44 and Mandate.objects.filter(term=term).count() == 44
    record = Deputy.objects.get(full_name="代表239").history.get()
    assert record.history_type == "+" and record.history_user == staff and record.history_change_reason == "导入代表名册"
    assert Mandate.history.filter(history_user=staff).count() == 44


def test_a_conflict_found_only_when_writing_is_told_in_chinese_and_writes_nothing(roster_world, staff, monkeypatch):
    from django.db import IntegrityError

    data = tablib.Dataset(headers=ROSTER_COLUMNS)
    for row in (roster_row(), second_roster_row()):
        data.append([row.get(c, "") for c in ROSTER_COLUMNS])
    resource = DeputyRosterResource(user=staff)

    def conflict(instances):
        raise IntegrityError('duplicate key value violates unique constraint "deputies_mandate_pkey"')

    monkeypatch.setattr(resource, "after_bulk_create", conflict)
    result = resource.import_data(data, dry_run=False)
    assert result.has_errors() and not Deputy.objects.exists()
    messages = resource.row_messages(result)
    assert messages == ["文件中的数据与系统中已有的记录冲突（可能有人同时导入了相同的数据），没有写入任何数据，请重新上传。"]


def test_confirm_url_needs_the_import_permission(leader, staff, town_staff):
    assert client_for(leader).post(reverse("admin:deputies_deputy_process_import"), {}).status_code == 403
    assert client_for(leader).get(reverse("admin:deputies_deputy_process_import")).status_code == 403
    assert client_for(town_staff).post(reverse("admin:congress_organization_process_import"), {}).status_code == 403
    assert client_for(staff).get(reverse("admin:deputies_deputy_process_import")).status_code == 405  # POST only


def test_roster_import_needs_a_current_term(roster_world, staff, term, tmp_path):
    term.is_current = False
    term.save()
    response = upload(client_for(staff), "deputies_deputy",
                      write_file(tmp_path, XLSX, ROSTER_COLUMNS, [second_roster_row()]), XLSX)
    assert_refused(response, "没有设置本届")
    assert counts()["deputies"] == 0


def test_data_changed_between_preview_and_confirm_writes_nothing(roster_world, staff, town_a, tmp_path):
    client = client_for(staff)
    preview = upload(client, "deputies_deputy", write_file(tmp_path, XLSX, ROSTER_COLUMNS,
                                                           [second_roster_row(), roster_row()]), XLSX)
    Deputy.objects.create(full_name="张三", gender="M", id_number=ID_ZHANG, town=town_a)  # meanwhile, elsewhere
    response = confirm(client, "deputies_deputy", preview)
    assert response.status_code == 302 and response.url == reverse("admin:deputies_deputy_import")
    assert Deputy.objects.count() == 1 and Mandate.objects.count() == 0
    shown = [str(m) for m in client.get(response.url).context["messages"]]
    assert any("第3行：身份证号码已在代表名册中（张三）" in m for m in shown), shown


def test_csv_saved_by_excel_in_gbk_is_read(roster_world, staff, tmp_path):
    path = tmp_path / "gbk.csv"
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(ROSTER_COLUMNS)
    writer.writerow([_csv_value(second_roster_row().get(c, "")) for c in ROSTER_COLUMNS])
    path.write_bytes(buffer.getvalue().encode("gbk"))
    client = client_for(staff)
    confirm(client, "deputies_deputy", upload(client, "deputies_deputy", path, CSV))
    assert Deputy.objects.get().full_name == "李四"


# --- town staff -----------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("fmt", [XLSX, CSV])
def test_town_staff_cannot_import_deputies_of_another_town(roster_world, town_staff, tmp_path, fmt):
    rows = [second_roster_row(), roster_row(所属镇街="临江镇", 选区="")]
    before = counts()
    response = upload(client_for(town_staff), "deputies_deputy", write_file(tmp_path, fmt, ROSTER_COLUMNS, rows), fmt)
    assert_refused(response, "第3行：所属镇街“临江镇”不在您的管理范围内")
    assert counts() == before


def test_town_staff_imports_deputies_of_their_own_town(roster_world, town_staff, tmp_path):
    client = client_for(town_staff)
    preview = upload(client, "deputies_deputy", write_file(tmp_path, XLSX, ROSTER_COLUMNS, [second_roster_row()]), XLSX)
    confirm(client, "deputies_deputy", preview)
    assert Deputy.objects.get().town.name == "城东街道"


def test_town_staff_cannot_import_stations_of_another_town(town_staff, town_a, town_b, tmp_path):
    rows = [station_row(), station_row(名称="临江镇代表联络站", 所属镇街="临江镇")]
    before = counts()
    response = upload(client_for(town_staff), "stations_station", write_file(tmp_path, XLSX, STATION_COLUMNS, rows),
                      XLSX)
    assert_refused(response, "第3行：所属镇街“临江镇”不在您的管理范围内")
    assert counts() == before


def test_town_staff_cannot_overwrite_a_station_of_another_town(town_staff, town_a, town_b, tmp_path):
    Station.objects.create(name="临江镇代表联络站", kind="liaison", town=town_b, address="临江路1号")
    rows = [station_row(名称="临江镇代表联络站")]  # now claimed for 城东街道
    response = upload(client_for(town_staff), "stations_station", write_file(tmp_path, XLSX, STATION_COLUMNS, rows),
                      XLSX)
    assert_refused(response, "第2行：名称：同名家站点“临江镇代表联络站”属于其他镇街")
    assert Station.objects.get().town == town_b


# --- organizations and stations -------------------------------------------------------------------------------------

def organization_row(**overrides):
    row = {"名称": "区住房和城乡建设局", "简称": "区住建局", "类型": "政府部门及直属单位", "上级单位": "区人民政府",
           "单位编码": "", "可作为承办单位": "是", "联系人": "孙科长", "联系电话": "0571-88880000",
           "地址": "区政府大楼"}
    row.update(overrides)
    return row


@pytest.mark.parametrize("fmt", [XLSX, CSV])
def test_organizations_import_creates_and_updates_by_name(staff, tmp_path, fmt):
    Organization.objects.create(name="区住房和城乡建设局", kind=Organization.Kind.OTHER)
    rows = [organization_row(名称="区人民政府", 简称="区政府", 类型="国家机关（一府一委两院）", 上级单位="",
                             可作为承办单位="否"),
            organization_row()]  # 上级单位 refers to the row above
    client = client_for(staff)
    preview = upload(client, "congress_organization", write_file(tmp_path, fmt, ORGANIZATION_COLUMNS, rows), fmt)
    confirm(client, "congress_organization", preview)
    bureau = Organization.objects.get(name="区住房和城乡建设局")
    assert bureau.kind == Organization.Kind.DEPARTMENT and bureau.is_handling_unit
    assert bureau.parent.name == "区人民政府" and bureau.code is None
    assert bureau.history.filter(history_type="~", history_user=staff).exists()


BAD_ORGANIZATIONS = {
    "kind": ([organization_row(名称="区人民政府", 上级单位="", 类型="政府"), organization_row()],
             ["第2行：类型“政府”无效"]),
    "yes_no": ([organization_row(名称="区人民政府", 上级单位=""), organization_row(可作为承办单位="也许")],
               ["第3行：可作为承办单位“也许”无效"]),
    "parent": ([organization_row(上级单位="不存在的单位")], ["第2行：上级单位“不存在的单位”不存在"]),
    "duplicate_name": ([organization_row(上级单位=""), organization_row(上级单位="")], ["第3行：名称与第2行重复"]),
}


@pytest.mark.parametrize("fmt", [XLSX, CSV])
@pytest.mark.parametrize("case", sorted(BAD_ORGANIZATIONS))
def test_bad_organizations_are_refused_whole(staff, tmp_path, fmt, case):
    rows, expected = BAD_ORGANIZATIONS[case]
    before = counts()
    response = upload(client_for(staff), "congress_organization",
                      write_file(tmp_path, fmt, ORGANIZATION_COLUMNS, rows), fmt)
    assert_refused(response, *expected)
    assert counts() == before


def station_row(**overrides):
    row = {"名称": "城东街道人大代表之家", "类型": "代表之家", "所属镇街": "城东街道", "地址": "城东路1号",
           "开放时间": "每月15日", "联系人": "李四", "联系电话": "0571-88881111", "建成日期": "2022-05-01"}
    row.update(overrides)
    return row


@pytest.mark.parametrize("fmt", [XLSX, CSV])
def test_stations_import(staff, town_a, town_b, tmp_path, fmt):
    rows = [station_row(), station_row(名称="临江镇代表联络站", 类型="代表联络站", 所属镇街="临江镇", 建成日期="")]
    client = client_for(staff)
    confirm(client, "stations_station",
            upload(client, "stations_station", write_file(tmp_path, fmt, STATION_COLUMNS, rows), fmt))
    home = Station.objects.get(name="城东街道人大代表之家")
    assert home.kind == Station.Kind.HOME and home.town == town_a and home.established_on == datetime.date(2022, 5, 1)
    assert Station.objects.get(name="临江镇代表联络站").kind == Station.Kind.LIAISON


BAD_STATIONS = {
    "kind": ([station_row(), station_row(名称="二号站", 类型="代表驿站")], ["第3行：类型“代表驿站”无效"]),
    "date": ([station_row(建成日期="2022年13月1日")], ["第2行：建成日期“2022年13月1日”不是有效日期"]),
    "town": ([station_row(所属镇街="xx镇")], ["第2行：所属镇街“xx镇”不存在"]),
    "address": ([station_row(), station_row(名称="二号站", 地址="")], ["第3行：地址"]),
    "columns": ([{"名称": "x"}], ["缺少列：类型、所属镇街、地址、开放时间、联系人、联系电话、建成日期"]),
}


@pytest.mark.parametrize("fmt", [XLSX, CSV])
@pytest.mark.parametrize("case", sorted(BAD_STATIONS))
def test_bad_stations_are_refused_whole(staff, town_a, tmp_path, fmt, case):
    rows, expected = BAD_STATIONS[case]
    headers = ["名称"] if case == "columns" else STATION_COLUMNS
    before = counts()
    response = upload(client_for(staff), "stations_station", write_file(tmp_path, fmt, headers, rows), fmt)
    assert_refused(response, *expected)
    assert counts() == before


# --- templates ------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("admin_name, columns, filename", [
    ("deputies_deputy", ROSTER_COLUMNS, "代表名册导入模板.xlsx"),
    ("congress_organization", ORGANIZATION_COLUMNS, "单位导入模板.xlsx"),
    ("stations_station", STATION_COLUMNS, "家站点导入模板.xlsx"),
])
def test_template_download(staff, admin_name, columns, filename):
    response = client_for(staff).get(reverse(f"admin:{admin_name}_import_template"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert "filename*=utf-8''" in response["Content-Disposition"]
    from urllib.parse import quote
    assert quote(filename) in response["Content-Disposition"]
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    header = [c.value for c in book.worksheets[0][1]]
    assert header == columns
    # just the header row (the rows below are formatted, empty); the example is on the second sheet
    assert all(v is None for row in book.worksheets[0].iter_rows(min_row=2, values_only=True) for v in row)
    assert [row[0] for row in book.worksheets[1].iter_rows(min_row=2, max_row=len(columns) + 1, values_only=True)] \
        == columns


def test_filled_in_template_imports(roster_world, staff, tmp_path):
    client = client_for(staff)
    book = openpyxl.load_workbook(io.BytesIO(client.get(reverse("admin:deputies_deputy_import_template")).content))
    sheet = book.worksheets[0]
    row = second_roster_row()
    for index, column in enumerate(ROSTER_COLUMNS, 1):
        sheet.cell(row=2, column=index).value = row[column]
    path = tmp_path / "filled.xlsx"
    book.save(path)
    confirm(client, "deputies_deputy", upload(client, "deputies_deputy", path, XLSX))
    assert Deputy.objects.get().id_number == ID_LI


def test_import_page_links_to_the_template(staff):
    response = client_for(staff).get(reverse("admin:deputies_deputy_import"))
    assert reverse("admin:deputies_deputy_import_template") in page_text(response)


# --- export ---------------------------------------------------------------------------------------------------------

@pytest.fixture
def roster(roster_world, term, town_a, town_b):
    zhang = Deputy.objects.create(full_name="张三", gender="M", id_number=ID_ZHANG, phone="13800000001", town=town_a)
    Mandate.objects.create(deputy=zhang, level="district", term=term, start_date=term.start_date,
                           constituency=Constituency.objects.get())
    li = Deputy.objects.create(full_name="李四", gender="F", id_number=ID_LI, phone="13900000002", town=town_b)
    Mandate.objects.create(deputy=li, level="town", term=term, start_date=term.start_date)
    return zhang, li


def export_rows(user, admin_name="deputies_deputy", fmt=CSV) -> list[dict]:
    client = client_for(user)
    url = reverse(f"admin:{admin_name}_export")
    form = client.get(url).context["form"]
    data = {name: field.initial for name, field in form.fields.items() if field.initial is not None}
    data["format"] = FORMAT_INDEX[fmt]
    response = client.post(url, data)
    assert response.status_code == 200, page_text(response)[:2000]
    if fmt == CSV:
        return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    dataset = tablib.Dataset().load(response.content, format="xlsx")
    return list(dataset.dict)


def test_export_shows_full_numbers_only_with_the_permission_and_is_recorded(roster, staff, leader):
    full = {r["姓名"]: r for r in export_rows(staff)}
    assert full["张三"]["身份证号码"] == ID_ZHANG and full["张三"]["手机号码"] == "13800000001"
    assert full["张三"]["代表层级"] == "区人大代表" and full["张三"]["选区"] == "城东第一选区"
    assert list(full["张三"]) == ROSTER_COLUMNS

    masked = {r["姓名"]: r for r in export_rows(leader, fmt=XLSX)}
    assert masked["张三"]["身份证号码"] == mask_id_number(ID_ZHANG) != ID_ZHANG
    assert masked["张三"]["手机号码"] == "138****0001"

    records = list(ExportRecord.objects.order_by("created_at"))
    assert [(r.user, r.model_label, r.row_count, r.file_format, r.personal_data) for r in records] == [
        (staff, "deputies.deputy", 2, "csv", True), (leader, "deputies.deputy", 2, "xlsx", False)]


def test_town_staff_export_their_towns_only_and_masked(roster, town_staff):
    rows = export_rows(town_staff)
    assert [r["姓名"] for r in rows] == ["张三"]
    assert rows[0]["身份证号码"] == mask_id_number(ID_ZHANG)
    assert ExportRecord.objects.get().row_count == 1


def test_station_and_organization_exports_are_recorded(staff, town_a):
    Station.objects.create(name="城东街道人大代表之家", kind="home", town=town_a, address="城东路1号")
    assert [r["名称"] for r in export_rows(staff, "stations_station")] == ["城东街道人大代表之家"]
    assert export_rows(staff, "congress_organization", fmt=XLSX)
    assert ExportRecord.objects.filter(user=staff).count() == 2


# --- the resource on its own ----------------------------------------------------------------------------------------

def test_resource_import_data_with_one_bad_row_writes_nothing(roster_world):
    dataset = tablib.Dataset(headers=ROSTER_COLUMNS)
    for row in (roster_row(), second_roster_row(手机号码="12345"),
                second_roster_row(身份证号码=id_number("19900101", 34), 姓名="王五")):
        dataset.append([_csv_value(row[c]) for c in ROSTER_COLUMNS])
    # even when the caller asks for the library's default (commit the good rows), nothing is written
    result = DeputyRosterResource().import_data(dataset, dry_run=False, use_transactions=False,
                                                rollback_on_validation_errors=False)
    assert result.has_validation_errors()
    assert DeputyRosterResource().row_messages(result) == ["第3行：手机号码“12345”应为11位手机号码"]
    assert counts() == {"deputies": 0, "mandates": 0, "organizations": 2, "stations": 0}


def test_resource_import_data_of_good_rows_writes_them(roster_world, term):
    dataset = tablib.Dataset(headers=ROSTER_COLUMNS)
    for row in (roster_row(), second_roster_row()):
        dataset.append([_csv_value(row[c]) for c in ROSTER_COLUMNS])
    result = DeputyRosterResource().import_data(dataset, dry_run=False)
    assert not result.has_errors() and not result.has_validation_errors()
    assert Mandate.objects.filter(term=term).count() == 2
