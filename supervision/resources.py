"""The committee's composition from a spreadsheet (常委会组成人员名单): one row a seat of the current term — the member
(a district deputy of the term, found by name, or by ID number where two share a name), the post, the dates. A seat
already on record (same member, same start date) is updated; the whole file is imported or nothing is."""
from congress.lib.resources import (
    ChoiceLabelWidget,
    Column,
    CongressResource,
    DateWidget,
    IdNumberWidget,
    ImportRefused,
    TextWidget,
    cell_text,
)
from congress.selectors import current_term
from deputies.models import Deputy, Mandate
from supervision.models import CommitteeMember

MAX_ROWS = 300  # the committee has a few dozen seats a term; a longer file is not its composition


class CommitteeMemberResource(CongressResource):
    full_name = Column("姓名", "_full_name", TextWidget(max_length=30))
    id_number = Column("身份证号码", "_id_number", IdNumberWidget())
    role = Column("职务", "role", ChoiceLabelWidget(CommitteeMember.Role, default=CommitteeMember.Role.MEMBER))
    start_date = Column("任职日期", "start_date", DateWidget())
    end_date = Column("离任日期", "end_date", DateWidget())

    optional_columns = frozenset({"身份证号码", "离任日期"})
    personal_data_columns = ("身份证号码",)
    text_columns = frozenset({"身份证号码"})
    template_filename = "常委会组成人员导入模板.xlsx"
    template_sheet = "常委会组成人员"
    template_notes = {
        "姓名": "必填，须为本届区人大代表（常委会组成人员从本级人大代表中选举产生）",
        "身份证号码": "可留空；本届代表中有同名的，须填写以区分。请把该列设为“文本”格式",
        "职务": "可留空，默认为委员",
        "任职日期": "必填；同一人同一任职日期已登记的，更新其职务和离任日期",
        "离任日期": "仍在任的留空",
    }
    template_example = {"姓名": "张三", "身份证号码": "", "职务": "委员", "任职日期": "2021-10-01", "离任日期": ""}

    class Meta:
        model = CommitteeMember
        fields = ("full_name", "id_number", "role", "start_date", "end_date")
        skip_unchanged = False
        clean_model_instances = True

    def prepare_import(self, dataset, **kwargs):
        if len(dataset) > MAX_ROWS:
            raise ImportRefused(f"文件有{len(dataset)}行数据，超过{MAX_ROWS}行的上限：常委会组成人员名单不会有这么多行，"
                                "请确认选择的是组成人员名单。")
        self._term = current_term()
        if self._term is None:
            raise ImportRefused("系统中没有设置本届（请先在“届”中把当前届次标为本届），无法导入常委会组成人员。")
        deputies = list(Deputy.objects.filter(pk__in=Mandate.objects.filter(
            term=self._term, level=Mandate.Level.DISTRICT).values("deputy_id")).only("pk", "full_name", "id_number"))
        self._by_name: dict[str, list[Deputy]] = {}
        for deputy in deputies:
            self._by_name.setdefault(deputy.full_name, []).append(deputy)
        self._by_id = {d.id_number.upper(): d for d in deputies if d.id_number}
        self._seats = {(m.deputy_id, m.start_date): m for m in CommitteeMember.objects.filter(term=self._term)}
        self._in_file: dict[tuple, int] = {}

    def _deputy_of(self, row) -> tuple[Deputy | None, str]:
        """The member a row names, or why not."""
        name, number = cell_text(row.get("姓名")), cell_text(row.get("身份证号码")).upper()
        if not name:
            return None, "姓名不能为空"
        if number:
            deputy = self._by_id.get(number)
            if deputy is None or deputy.full_name != name:
                return None, f"姓名“{name}”与身份证号码不符，或该人不是本届区人大代表"
            return deputy, ""
        found = self._by_name.get(name, [])
        if not found:
            return None, f"姓名“{name}”不是本届区人大代表（常委会组成人员须为本级人大代表）"
        if len(found) > 1:
            return None, f"本届区人大代表中有{len(found)}人名为“{name}”，请填写身份证号码以区分"
        return found[0], ""

    def get_or_init_instance(self, instance_loader, row):
        """A seat on record (same member, same start date) is updated; any other row is a new seat."""
        deputy, _ = self._deputy_of(row)
        try:
            start = DateWidget().clean(row.get("任职日期"))
        except ValueError:
            start = None
        seat = self._seats.get((deputy.pk, start)) if deputy is not None and start else None
        if seat is not None:
            return seat, False
        return self.init_instance(row), True

    def check_row(self, instance, row):
        deputy, problem = self._deputy_of(row)
        if problem:
            self.problem(problem, "_full_name")
            self._failed.update({"deputy", "term"})  # not checked again by the model: the row says why already
            return
        instance.term, instance.deputy = self._term, deputy
        if instance.start_date and instance.end_date and instance.end_date < instance.start_date:
            self.problem("离任日期不能早于任职日期", "end_date")
        key = (deputy.pk, instance.start_date)
        first = self._in_file.setdefault(key, self._line)
        if first != self._line:
            self.problem(f"{deputy.full_name}的同一任职日期与第{first}行重复", "_full_name")

    def dehydrate_full_name(self, obj):
        return obj.deputy.full_name

    def dehydrate_id_number(self, obj):
        # the full number only for those who may see personal data (the export is logged either way)
        from congress.lib.idcard import mask_id_number

        if self.user is not None and self.user.has_perm("deputies.view_personal_data"):
            return obj.deputy.id_number
        return mask_id_number(obj.deputy.id_number)

    def filter_export(self, queryset, **kwargs):
        return queryset.select_related("deputy", "term")
