"""Spreadsheet import and export (django-import-export) with Chinese column headers.

`CongressResource` is the base of every resource in the project. It makes an import all-or-nothing (one
transaction, rolled back when any row is invalid), checks the header row against the template,
phrases every problem in Chinese as “第N行：…” (N is the spreadsheet line, the header being line 1), and gives the
admin an .xlsx template. Lookups (towns, organizations, …) are loaded once per import by `NameLookupWidget`."""
import copy
import datetime
import io
import logging

from django.core.exceptions import NON_FIELD_ERRORS, FieldDoesNotExist, ValidationError
from django.db.models import TextChoices
from import_export import fields, resources, widgets
from import_export.results import RowResult

from congress.models import Organization

logger = logging.getLogger(__name__)

YES, NO = "是", "否"


def cell_text(value) -> str:
    """A spreadsheet cell as stripped text: Excel gives numbers for digit-only cells (phones, codes)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return YES if value else NO
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime.datetime):
        value = value.date()
    return str(value).strip()


class ImportRefused(ValueError):
    """The whole file is refused before any row is read (header row unlike the template, no current term …)."""


# --- widgets: each raises ValueError with a Chinese reason the resource prefixes with the row and column ----------

class TextWidget(widgets.Widget):
    """Text; empty cells become "" (or None when `null`), digit-only numbers lose Excel's “.0”."""

    def __init__(self, null=False, max_length=None):
        super().__init__()
        self.null = null
        self.max_length = max_length

    def clean(self, value, row=None, **kwargs):
        text = cell_text(value)
        if self.max_length and len(text) > self.max_length:
            raise ValueError(f"超过{self.max_length}个字")
        return text or (None if self.null else "")


class IdNumberWidget(TextWidget):
    def clean(self, value, row=None, **kwargs):
        if isinstance(value, float):
            # 18 digits do not survive as an Excel number: the last digits are lost and cannot be recovered
            raise ValueError("被 Excel 存成了数字（会丢失末几位），请把该列设为“文本”格式后重新填写")
        return cell_text(value).upper()


class ChoiceLabelWidget(widgets.Widget):
    """A choice written as its Chinese label (the stored code is accepted too)."""

    def __init__(self, choices: type[TextChoices] | list[tuple[str, str]], default=""):
        super().__init__()
        pairs = choices.choices if isinstance(choices, type) else list(choices)
        self.labels = [str(label) for _, label in pairs]
        self.by_text = {str(label): value for value, label in pairs} | {value: value for value, _ in pairs}
        self.to_label = {value: str(label) for value, label in pairs}
        self.default = default

    def clean(self, value, row=None, **kwargs):
        text = cell_text(value)
        if not text:
            return self.default
        try:
            return self.by_text[text]
        except KeyError:
            raise ValueError(f"“{text}”无效，可填：{'、'.join(self.labels)}")

    def render(self, value, obj=None, **kwargs):
        return self.to_label.get(value, value or "")


class YesNoWidget(widgets.Widget):
    TRUE = {YES, "Y", "y", "1", "TRUE", "True", "true"}
    FALSE = {NO, "N", "n", "0", "FALSE", "False", "false", ""}

    def clean(self, value, row=None, **kwargs):
        text = cell_text(value)
        if text in self.TRUE:
            return True
        if text in self.FALSE:
            return False
        raise ValueError(f"“{text}”无效，请填写“是”或“否”")

    def render(self, value, obj=None, **kwargs):
        return YES if value else NO


class DateWidget(widgets.Widget):
    """Excel dates, or text such as 1980-01-31, 1980/1/31, 1980.1.31, 1980年1月31日, 19800131."""

    FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日", "%Y%m%d")

    def clean(self, value, row=None, **kwargs):
        if isinstance(value, datetime.datetime):
            return value.date()
        if isinstance(value, datetime.date):
            return value
        text = cell_text(value)
        if not text:
            return None
        text = text.split(" ")[0]  # “1980-01-31 00:00:00” from some exports
        for fmt in self.FORMATS:
            try:
                return datetime.datetime.strptime(text, fmt).date()
            except ValueError:
                continue
        raise ValueError(f"“{text}”不是有效日期，请按 1980-01-31 的格式填写")

    def render(self, value, obj=None, **kwargs):
        return value.strftime("%Y-%m-%d") if value else ""


class NameLookupWidget(widgets.Widget):
    """A foreign key written as the related row's name. The rows are loaded in one query on first use and kept
    for the rest of the import (ForeignKeyWidget would query once a row)."""

    def __init__(self, queryset_factory, field="name", missing="不存在"):
        super().__init__()
        self.queryset_factory = queryset_factory
        self.field = field
        self.missing = missing
        self._cache = None

    @property
    def cache(self) -> dict:
        if self._cache is None:
            self._cache = {getattr(obj, self.field): obj for obj in self.queryset_factory()}
        return self._cache

    def remember(self, obj):
        """A row created earlier in the same import can be referred to by later rows."""
        self.cache[getattr(obj, self.field)] = obj

    def clean(self, value, row=None, **kwargs):
        text = cell_text(value)
        if not text:
            return None
        try:
            return self.cache[text]
        except KeyError:
            raise ValueError(f"“{text}”{self.missing}")

    def render(self, value, obj=None, **kwargs):
        return getattr(value, self.field, "") if value is not None else ""


def towns_queryset():
    return Organization.objects.filter(kind__in=Organization.TOWN_KINDS)


def Column(column_name, attribute=None, widget=None, **kwargs) -> fields.Field:
    return fields.Field(attribute=attribute, column_name=column_name, widget=widget or TextWidget(), **kwargs)


# --- the base resource ------------------------------------------------------------------------------------------

class CongressResource(resources.ModelResource):
    """Base of every import/export resource (see the module docstring).

    Subclasses declare their columns with `Column(...)`, list them in Meta.fields, and may set:
    `optional_columns` (may be absent from the file), `template_filename`, `template_notes` (column → help text),
    `template_example` (column → example value), `text_columns` (formatted as text in the template) and
    override `check_row(instance, row)` for checks across columns, rows or the user's scope."""

    optional_columns: frozenset[str] = frozenset()
    template_filename = "导入模板.xlsx"
    template_sheet = "导入数据"
    template_notes: dict[str, str] = {}
    template_example: dict[str, str] = {}
    text_columns: frozenset[str] = frozenset()
    #: columns whose value may appear only once in a file
    unique_in_file: tuple[str, ...] = ()
    #: Write new rows in batches (bulk_create with their history in bulk too) instead of one INSERT, one history INSERT
    #: and two savepoints per row. Only for a resource whose rows are all new (force_init_instance), whose checks of
    #: uniqueness against the database are made for the whole file in prepare_import (full_clean's one query per row
    #: for each unique field is skipped), and which creates what belongs to each row in `after_bulk_create`.
    #: A check (dry run) then writes nothing at all; the import stays one transaction, all rows or none.
    #: Set with Meta.use_bulk = True and Meta.batch_size (django-import-export's own bulk mode, which alone would skip
    #: the history).
    bulk_with_history = False
    bulk_batch_size = 1000
    history_reason = "表格导入"

    def __init__(self, user=None, **kwargs):
        # the admin passes its form, encoding etc. as well; the resource needs only the user
        super().__init__()
        self._meta = copy.copy(self._meta)  # options this resource may change for itself (skip_diff)
        self.user = user
        self._abort = False
        self._line = 0
        self._problems: list[str] = []
        self._failed: set[str] = set()
        self._seen: dict[str, dict[str, int]] = {}

    # -- import ---------------------------------------------------------------------------------------------------

    def import_data(self, dataset, dry_run=False, raise_errors=False, use_transactions=None,
                    collect_failed_rows=False, rollback_on_validation_errors=False, **kwargs):
        """All or nothing whatever the caller asks: django-import-export 4.4 by default commits the good rows
        when other rows have validation errors."""
        if self._meta.use_bulk and not self.bulk_with_history:
            raise ValueError("批量模式会跳过校验和审计记录，不允许使用")
        self._any_row_failed = False
        return super().import_data(dataset, dry_run=dry_run, raise_errors=raise_errors, use_transactions=True,
                                   collect_failed_rows=collect_failed_rows, rollback_on_validation_errors=True,
                                   **kwargs)

    def without_preview(self):
        """For an import nobody previews row by row (a background job shows counts and problems): no per-row diff of
        old and new values, which costs as much as the rest of a row's work."""
        self._meta.skip_diff = True
        return self

    def get_import_fields(self):
        # asked several times per row by django-import-export; the fields never change during an import
        if getattr(self, "_import_fields", None) is None:
            self._import_fields = super().get_import_fields()
        return self._import_fields

    def column_names(self) -> list[str]:
        return [f.column_name for f in self.get_import_fields()]

    def before_import(self, dataset, **kwargs):
        self._abort = True  # until the header and prepare_import pass: no row is read after a refusal
        self._seen = {column: {} for column in self.unique_in_file}
        self._tidy(dataset)
        expected = self.column_names()
        headers = list(dataset.headers or [])
        missing = [c for c in expected if c not in headers and c not in self.optional_columns]
        unknown = [c for c in headers if c not in expected]
        duplicated = sorted({c for c in headers if headers.count(c) > 1})
        problems = []
        if missing:
            problems.append(f"缺少列：{'、'.join(missing)}")
        if unknown:
            problems.append(f"无法识别的列：{'、'.join(unknown)}")
        if duplicated:
            problems.append(f"重复的列：{'、'.join(duplicated)}")
        if problems:
            raise ImportRefused("第1行（表头）与导入模板不一致，" + "；".join(problems)
                                + "。请下载导入模板，按模板的列填写。")
        if not len(dataset):
            raise ImportRefused("文件中没有数据行。")
        self.prepare_import(dataset, **kwargs)
        self._abort = False

    @staticmethod
    def _tidy(dataset):
        """Strip header whitespace; drop rows and unnamed columns that are entirely empty (Excel leaves them)."""
        if dataset.headers:
            dataset.headers = [cell_text(h) for h in dataset.headers]
        for index in range(len(dataset) - 1, -1, -1):
            if all(cell_text(v) == "" for v in dataset[index]):
                del dataset[index]
        if dataset.headers:
            for index in range(len(dataset.headers) - 1, -1, -1):
                if dataset.headers[index] == "" and all(cell_text(row[index]) == "" for row in dataset):
                    _drop_column(dataset, index)

    def prepare_import(self, dataset, **kwargs):
        """Load what the whole import needs in a few queries (subclasses). Raise ImportRefused to refuse."""

    #: a callable(rows done) that a background import job sets to show its progress (congress.lib.importjobs)
    progress = None
    PROGRESS_EVERY = 100

    def import_row(self, row, instance_loader, **kwargs):
        if self._abort:
            result = self.get_row_result_class()()
            result.import_type = RowResult.IMPORT_TYPE_SKIP
            return result
        result = super().import_row(row, instance_loader, **kwargs)
        if result.errors or result.validation_error:
            self._any_row_failed = True  # everything will be rolled back: bulk mode writes no more batches
        self._rows_done = getattr(self, "_rows_done", 0) + 1
        if self.progress is not None and self._rows_done % self.PROGRESS_EVERY == 0:
            self.progress(self._rows_done)
        return result

    def before_import_row(self, row, **kwargs):
        self._line = kwargs.get("row_number", 0) + 1
        self._problems = []
        self._failed = set()

    def problem(self, message: str, attribute: str | None = None):
        """Record a problem of the current row (without the “第N行：” prefix)."""
        self._problems.append(message)
        if attribute:
            self._failed.add(attribute)

    def import_instance(self, instance, row, **kwargs):
        for field in self.get_import_fields():
            if not field.attribute or field.column_name not in row:
                continue
            try:
                self.import_field(field, instance, row, **kwargs)
            except ValueError as exc:
                self.problem(f"{field.column_name}{exc}", field.attribute)
                continue
            if isinstance(field.widget, NameLookupWidget) and self._required_model_field(field.attribute) \
                    and getattr(instance, field.attribute, None) is None:
                self.problem(f"{field.column_name}不能为空", field.attribute)
        for column in self.unique_in_file:
            value = cell_text(row.get(column)).upper()
            if not value:
                continue
            first = self._seen[column].setdefault(value, self._line)
            if first != self._line:
                attribute = next((f.attribute for f in self.fields.values() if f.column_name == column), None)
                self.problem(f"{column}与第{first}行重复", attribute)
        self.check_row(instance, row)

    def check_row(self, instance, row):
        """Checks across columns, rows or the user's scope: call self.problem(...) for each one."""

    def bulk_create(self, using_transactions, dry_run, raise_errors, batch_size=None, result=None):
        """bulk_with_history: one batch of new rows with their history rows, each batch a few INSERTs. Nothing in a
        check (dry run), nothing once a row has failed (the transaction is rolled back at the end anyway)."""
        from simple_history.utils import bulk_create_with_history

        try:
            if self.create_instances and not dry_run and not self._any_row_failed:
                created = bulk_create_with_history(self.create_instances, self._meta.model,
                                                   batch_size=batch_size or self.bulk_batch_size,
                                                   default_user=self.user, default_change_reason=self.history_reason)
                self.after_bulk_create(created)
        except Exception as exc:  # noqa: BLE001 - reported like any row error; the import is rolled back
            from django.db import IntegrityError

            logger.warning("bulk import of %s failed: %s", self._meta.model._meta.label, exc)
            message = ("文件中的数据与系统中已有的记录冲突（可能有人同时导入了相同的数据），没有写入任何数据，请重新上传。"
                       if isinstance(exc, IntegrityError) else "写入数据时出错，没有写入任何数据，请重新上传或联系管理员。")
            self.handle_import_error(result, ImportRefused(message), raise_errors)
        finally:
            self.create_instances.clear()

    def after_bulk_create(self, instances: list):
        """bulk_with_history: create what belongs to these just-written rows (they have their primary keys)."""

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        problems = list(self._problems)
        for key, messages in (import_validation_errors or {}).items():
            problems += [self._phrase(key, m) for m in messages]
        model_fields = {f.name for f in instance._meta.fields}
        # a foreign key found by NameLookupWidget exists: full_clean would query it again, once a row
        exclude = self._failed | {f.attribute for f in self.fields.values() if isinstance(f.widget, NameLookupWidget)}
        try:
            instance.full_clean(exclude=[f for f in exclude if f in model_fields],
                                validate_unique=validate_unique and not self.bulk_with_history)
        except ValidationError as exc:
            for key, messages in exc.message_dict.items():
                problems += [self._phrase(key, m) for m in messages]
        if problems:
            raise ValidationError([f"第{self._line}行：{p}" for p in problems])

    def _required_model_field(self, attribute) -> bool:
        try:
            return not self._meta.model._meta.get_field(attribute).blank
        except FieldDoesNotExist:
            return False

    def _phrase(self, attribute, message) -> str:
        if attribute == NON_FIELD_ERRORS:
            return str(message)
        for field in self.fields.values():
            if field.attribute == attribute:
                return f"{field.column_name}：{message}"
        return f"{attribute}：{message}"

    def row_messages(self, result) -> list[str]:
        """Every problem of an import result, in Chinese, for messages and tests."""
        found = [str(e.error) for e in result.base_errors]
        for line, errors in result.row_errors():
            found += [f"第{line + 1}行：{e.error}" for e in errors]
        for invalid in result.invalid_rows:
            for messages in invalid.error_dict.values():
                found += [str(m) for m in messages]
        return found

    # -- template -------------------------------------------------------------------------------------------------

    def template_workbook(self) -> bytes:
        from openpyxl import Workbook
        from openpyxl.styles import Font, PatternFill
        from openpyxl.utils import get_column_letter

        columns = self.column_names()
        book = Workbook()
        sheet = book.active
        sheet.title = self.template_sheet
        sheet.append(columns)
        bold = Font(bold=True)
        for index, column in enumerate(columns, 1):
            cell = sheet.cell(row=1, column=index)
            cell.font = bold
            cell.fill = PatternFill("solid", fgColor="DDEBF7")
            letter = get_column_letter(index)
            sheet.column_dimensions[letter].width = max(12, len(column) * 2 + 4)
            if column in self.text_columns:
                sheet.column_dimensions[letter].number_format = "@"
                for line in range(2, 502):
                    sheet.cell(row=line, column=index).number_format = "@"
        sheet.freeze_panes = "A2"

        notes = book.create_sheet("填写说明")
        notes.append(["列名", "必填", "说明", "示例"])
        for cell in notes[1]:
            cell.font = bold
        for field in self.get_import_fields():
            column = field.column_name
            example = self.template_example.get(column, "")
            notes.append([column, self._is_required(field), self._note_for(field), example])
        notes.append([])
        notes.append(["整个文件一次导入：任何一行有错误，所有行都不会导入。请按提示修改后重新上传。"])
        for letter, width in zip("ABCD", (14, 8, 60, 24), strict=True):
            notes.column_dimensions[letter].width = width
        out = io.BytesIO()
        book.save(out)
        return out.getvalue()

    def _is_required(self, field) -> str:
        if field.column_name in self.template_notes and self.template_notes[field.column_name].startswith("必填"):
            return YES
        model_field = None
        if field.attribute:
            try:
                model_field = self._meta.model._meta.get_field(field.attribute)
            except FieldDoesNotExist:  # a helper attribute, not a model field
                model_field = None
        if model_field is not None and not model_field.blank and not model_field.has_default():
            return YES
        return NO

    def _note_for(self, field) -> str:
        note = self.template_notes.get(field.column_name, "")
        if isinstance(field.widget, ChoiceLabelWidget):
            note = (note + "；" if note else "") + "可填：" + "、".join(field.widget.labels)
        if isinstance(field.widget, YesNoWidget):
            note = (note + "；" if note else "") + "填写“是”或“否”"
        if isinstance(field.widget, DateWidget):
            note = (note + "；" if note else "") + "日期，如 1980-01-31"
        return note


def _drop_column(dataset, index):
    """Remove an (unnamed, empty) column by position; tablib deletes columns only by header."""
    headers = list(dataset.headers)
    rows = [list(r) for r in dataset]
    del headers[index]
    for r in rows:
        del r[index]
    dataset.wipe()
    dataset.headers = headers
    for r in rows:
        dataset.append(r)
