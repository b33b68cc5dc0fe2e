"""The secretariat's spreadsheet of a session's suggestions (import, all or nothing) and the 交办清单 (export).

Each imported row becomes a submitted suggestion through services.suggestion_create (staff entering for a deputy);
co-signers named in the row are recorded as confirmed (they signed the paper form)."""
import io

from django.db.models import Prefetch
from django.utils import timezone

from congress.lib.resources import Column, CongressResource, ImportRefused, NameLookupWidget, TextWidget, cell_text
from congress.selectors import current_term
from deputies.models import Deputy, Mandate
from proposals import services
from proposals.models import Assignment, Cosignature, Suggestion, SuggestionCategory
from proposals.predicates import is_committee_staff


class DeputyNameWidget(NameLookupWidget):
    """A serving district deputy of the current term by name; a name two deputies share is refused."""

    def __init__(self):
        super().__init__(self._deputies, field="full_name", missing="不是本届在任的区人大代表")
        self.duplicates: set[str] = set()

    def _deputies(self):
        found = list(Deputy.objects.filter(mandates__term__is_current=True, mandates__level=Mandate.Level.DISTRICT,
                                           mandates__status=Mandate.Status.SERVING).distinct())
        names = [d.full_name for d in found]
        self.duplicates = {n for n in names if names.count(n) > 1}
        return found

    def clean(self, value, row=None, **kwargs):
        text = cell_text(value)
        _ = self.cache
        if text in self.duplicates:
            raise ValueError(f"“{text}”有重名代表，请在系统中录入")
        return super().clean(value, row, **kwargs)


class SuggestionImportResource(CongressResource):
    title = Column("标题", "title", TextWidget(max_length=200))
    content = Column("内容", "content", TextWidget())
    category = Column("分类", "category", NameLookupWidget(lambda: SuggestionCategory.objects.filter(is_active=True),
                                                          missing="不是系统中的建议分类"))
    lead_deputy = Column("领衔代表", "lead_deputy", DeputyNameWidget())
    cosigners = Column("附议代表", "_cosigners", TextWidget())
    session = Column("人代会会议", "_session_label", TextWidget())

    optional_columns = frozenset({"附议代表", "分类"})
    template_filename = "代表建议导入模板.xlsx"
    template_sheet = "代表建议"
    template_notes = {"标题": "必填", "内容": "必填", "领衔代表": "必填，本届在任区人大代表姓名",
                      "附议代表": "多名代表用“、”分隔", "人代会会议": "必填，如：区十七届人大二次会议；闭会期间填“闭会期间”"}
    template_example = {"标题": "关于加快老旧小区加装电梯的建议", "内容": "……", "分类": "城乡建设", "领衔代表": "张三",
                        "附议代表": "李四、王五", "人代会会议": "区十七届人大二次会议"}

    class Meta:
        model = Suggestion
        fields = ("title", "content", "category", "lead_deputy", "cosigners", "session")
        force_init_instance = True
        skip_unchanged = False
        clean_model_instances = False

    def prepare_import(self, dataset, **kwargs):
        self._term = current_term()
        if self._term is None:
            raise ImportRefused("系统中没有设置本届，无法导入代表建议。")
        if self.user is None or not is_committee_staff(self.user):
            raise ImportRefused("只有常委会机关工作人员可以导入代表建议。")
        self._sessions = {str(s): s for s in self._term.sessions.select_related("term")}

    def check_row(self, instance, row):
        label = getattr(instance, "_session_label", "")
        instance._session = None
        if label and label != "闭会期间":
            instance._session = self._sessions.get(label)
            if instance._session is None:
                self.problem(f"人代会会议“{label}”不是本届的会议，可填：{'、'.join(self._sessions) or '（无）'}或“闭会期间”")
        elif not label:
            self.problem("人代会会议不能为空")
        widget = self.fields["lead_deputy"].widget
        names = [n.strip() for n in (getattr(instance, "_cosigners", "") or "").replace(",", "、").replace("，", "、")
                 .split("、") if n.strip()]
        instance._cosigner_objs = []
        for name in names:
            try:
                deputy = widget.clean(name)
            except ValueError as exc:
                self.problem(f"附议代表{exc}")
                continue
            if deputy is not None and deputy.pk != instance.lead_deputy_id:
                instance._cosigner_objs.append(deputy)
        if not instance.title or not instance.content:
            self.problem("标题和内容不能为空")

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        # the service checks the model; here only the row's own problems count
        problems = list(self._problems)
        for key, messages in (import_validation_errors or {}).items():
            problems += [self._phrase(key, m) for m in messages]
        if problems:
            from django.core.exceptions import ValidationError

            raise ValidationError([f"第{self._line}行：{p}" for p in problems])

    def save_instance(self, instance, is_create, row, **kwargs):
        made = services.suggestion_create(
            actor=self.user, title=instance.title, content=instance.content, category=instance.category,
            lead_deputy=instance.lead_deputy, session=instance._session,
            recess_year=None if instance._session else timezone.localdate().year, submit=True)
        now = timezone.now()
        Cosignature.objects.bulk_create([Cosignature(suggestion=made, deputy=d, status=Cosignature.Status.CONFIRMED,
                                                     responded_at=now) for d in dict.fromkeys(instance._cosigner_objs)])
        instance.pk = made.pk
        instance.id = made.pk


ASSIGNMENT_LIST_COLUMNS = ["建议编号", "标题", "领衔代表", "附议代表", "分类", "主办单位", "协办单位", "分办单位", "交办日期",
                           "答复期限", "重点督办"]


def assignment_list_rows(suggestions):
    """交办清单: one row per assigned suggestion, in number order."""
    qs = suggestions.filter(status__in=Suggestion.IN_HANDLING).select_related("lead_deputy", "category").prefetch_related(
        Prefetch("assignments", queryset=Assignment.objects.filter(status__in=Assignment.ACTIVE).select_related("unit"),
                 to_attr="active_assignments"),
        Prefetch("cosignatures", queryset=Cosignature.objects.filter(status=Cosignature.Status.CONFIRMED)
                 .select_related("deputy"), to_attr="confirmed_cosignatures"),
    ).order_by("batch_key", "serial")
    for s in qs:
        by_role = {role: [a for a in s.active_assignments if a.role == role] for role in Assignment.Role.values}
        lead = by_role["lead"] or by_role["separate"]
        yield [s.number, s.title, s.lead_deputy.full_name, "、".join(c.deputy.full_name for c in s.confirmed_cosignatures),
               s.category.name if s.category else "", "、".join(a.unit.name for a in by_role["lead"]),
               "、".join(a.unit.name for a in by_role["assisting"]), "、".join(a.unit.name for a in by_role["separate"]),
               f"{s.assigned_on:%Y-%m-%d}" if s.assigned_on else "",
               "、".join(f"{a.current_due_date:%Y-%m-%d}" for a in lead), "是" if s.is_priority else ""]


def assignment_list_workbook(suggestions, title: str) -> tuple[bytes, int]:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    book = Workbook()
    sheet = book.active
    sheet.title = "交办清单"
    sheet.append([title])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append(ASSIGNMENT_LIST_COLUMNS)
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    count = 0
    for row in assignment_list_rows(suggestions):
        sheet.append(row)
        count += 1
    for letter, width in zip("ABCDEFGHIJK", (34, 40, 10, 24, 10, 20, 28, 28, 12, 12, 8), strict=True):
        sheet.column_dimensions[letter].width = width
    for row in sheet.iter_rows(min_row=3):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    out = io.BytesIO()
    book.save(out)
    return out.getvalue(), count
