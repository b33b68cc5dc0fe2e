"""The deputy roster as a spreadsheet: one row a deputy; importing a row creates the Deputy and its Mandate for
the current term. ID and phone numbers are exported masked unless the user may see them in full."""
import re

from django.db.models import Prefetch

from congress.lib.idcard import birth_date_from_id, gender_from_id, id_number_problem, mask_id_number, mask_phone
from congress.lib.resources import (
    ChoiceLabelWidget,
    Column,
    CongressResource,
    DateWidget,
    IdNumberWidget,
    ImportRefused,
    NameLookupWidget,
    TextWidget,
    cell_text,
    towns_queryset,
)
from congress.selectors import current_term, towns_for
from deputies.models import Constituency, Delegation, Deputy, Mandate

MOBILE = re.compile(r"^1\d{10}$")
# a mandate's level → the level of the constituency it is elected in
CONSTITUENCY_LEVEL = {Mandate.Level.DISTRICT: "district", Mandate.Level.TOWN: "town"}


class DeputyRosterResource(CongressResource):
    full_name = Column("姓名", "full_name", TextWidget(max_length=30))
    gender = Column("性别", "gender", ChoiceLabelWidget(Deputy.Gender))
    ethnicity = Column("民族", "ethnicity", TextWidget(max_length=20))
    birth_date = Column("出生日期", "birth_date", DateWidget())
    party = Column("政治面貌", "party", ChoiceLabelWidget(Deputy.Party))
    education = Column("学历", "education", ChoiceLabelWidget(Deputy.Education))
    workplace = Column("工作单位", "workplace", TextWidget(max_length=100))
    job_title = Column("职务职称", "job_title", TextWidget(max_length=100))
    occupation = Column("代表构成", "occupation", ChoiceLabelWidget(Deputy.Occupation))
    phone = Column("手机号码", "phone", TextWidget(max_length=20))
    id_number = Column("身份证号码", "id_number", IdNumberWidget())
    town = Column("所属镇街", "town", NameLookupWidget(towns_queryset))
    # not Deputy fields: kept on the instance during the import and turned into its Mandate once it is saved
    level = Column("代表层级", "_level", ChoiceLabelWidget(Mandate.Level))
    constituency = Column("选区", "_constituency_name", TextWidget())
    delegation = Column("代表团", "_delegation", NameLookupWidget(
        lambda: Delegation.objects.filter(term__is_current=True), missing="不是本届的代表团"))

    optional_columns = frozenset({"选区", "代表团"})
    unique_in_file = ("身份证号码",)
    personal_data_columns = ("身份证号码", "手机号码")
    text_columns = frozenset({"手机号码", "身份证号码"})
    # every row is a new deputy and the ID numbers are checked against the roster and the file in prepare_import and
    # check_row: the rows and their mandates are written in batches, with their history (100,000 rows in seconds)
    bulk_with_history = True
    history_reason = "导入代表名册"
    template_filename = "代表名册导入模板.xlsx"
    template_sheet = "代表名册"
    template_notes = {
        "姓名": "必填",
        "性别": "可留空，按身份证号码填写",
        "民族": "必填，如：汉族",
        "出生日期": "可留空，按身份证号码填写",
        "手机号码": "11位手机号码",
        "身份证号码": "必填，18位；请把该列设为“文本”格式",
        "所属镇街": "必填，须与系统中的镇街名称一致",
        "代表层级": "必填；每行为本届的一个代表资格",
        "选区": "区人大代表、镇人大代表可填写，须为本届已登记的选区名称",
        "代表团": "可留空，须为本届已登记的代表团名称",
    }
    template_example = {
        "姓名": "张三", "性别": "男", "民族": "汉族", "出生日期": "1975-06-01", "政治面貌": "中共党员",
        "学历": "大学本科", "工作单位": "某某有限公司", "职务职称": "总经理", "代表构成": "企业负责人",
        "手机号码": "13800000000", "身份证号码": "110101197506010016", "所属镇街": "城东街道",
        "代表层级": "区人大代表", "选区": "城东第一选区", "代表团": "城东街道代表团",
    }

    class Meta:
        model = Deputy
        fields = ("full_name", "gender", "ethnicity", "birth_date", "party", "education", "workplace", "job_title",
                  "occupation", "phone", "id_number", "town", "level", "constituency", "delegation")
        force_init_instance = True  # every row is a new deputy; a known ID number is refused, never updated
        use_bulk, batch_size = True, 1000  # with bulk_with_history (congress.lib.resources)
        skip_unchanged = False
        clean_model_instances = True

    def __init__(self, user=None, **kwargs):
        super().__init__(user=user, **kwargs)
        self._term = None

    @property
    def sees_personal_data(self) -> bool:
        return self.user is not None and self.user.has_perm("deputies.view_personal_data")

    # -- import ---------------------------------------------------------------------------------------------------

    def prepare_import(self, dataset, **kwargs):
        self._term = current_term()
        if self._term is None:
            raise ImportRefused("系统中没有设置本届（请先在“届”中把当前届次标为本届），无法导入代表名册。")
        ids = {cell_text(v).upper() for v in dataset["身份证号码"]} - {""}
        self._existing = {number: (name, town_id) for number, name, town_id in
                          Deputy.objects.filter(id_number__in=ids).values_list("id_number", "full_name", "town_id")}
        towns = towns_for(self.user) if self.user is not None else None
        self._allowed = None if towns is None else {t.pk: t.name for t in towns}
        self._constituencies = {}
        names = {cell_text(v) for v in dataset["选区"]} - {""} if "选区" in (dataset.headers or ()) else set()
        # only the constituencies the file names: a province's term has tens of thousands (2.2 s to read them all)
        for c in Constituency.objects.filter(term=self._term, name__in=names).select_related("town"):
            self._constituencies.setdefault((c.level, c.name), []).append(c)

    def check_row(self, instance, row):
        number = instance.id_number or ""
        if "id_number" not in self._failed:
            problem = id_number_problem(number) if number else "不能为空"
            if problem:
                self.problem(f"身份证号码{'“' + number + '”' if number else ''}{'：' if number else ''}{problem}",
                             "id_number")
            elif number in self._existing:
                name, town_id = self._existing[number]
                if self._allowed is not None and town_id not in self._allowed:
                    name = "其他镇街的代表"  # town staff learn no name outside their towns
                self.problem(f"身份证号码已在代表名册中（{name}）", "id_number")
            else:
                self._fill_from_id(instance, number)

        if instance.phone and not MOBILE.match(instance.phone):
            self.problem(f"手机号码“{instance.phone}”应为11位手机号码", "phone")

        town = instance.town if instance.town_id else None
        if town is not None and self._allowed is not None and town.pk not in self._allowed:
            self.problem(f"所属镇街“{town.name}”不在您的管理范围内（只能导入{'、'.join(self._allowed.values())}的代表）",
                         "town")

        level = getattr(instance, "_level", "")
        if not level and "_level" not in self._failed:
            self.problem("代表层级不能为空", "_level")
        name = getattr(instance, "_constituency_name", "")
        instance._constituency = None
        if name and level:
            if level not in CONSTITUENCY_LEVEL:
                self.problem(f"选区：{Mandate.Level(level).label}不填写选区")
                return
            found = self._constituencies.get((CONSTITUENCY_LEVEL[level], name), [])
            if town is not None:
                in_town = [c for c in found if c.town_id == town.pk]
                if found and not in_town:
                    self.problem(f"选区“{name}”不在所属镇街“{town.name}”")
                    return
                found = in_town
            if not found:
                self.problem(f"选区“{name}”不存在（须为本届已登记的{Mandate.Level(level).label}选区）")
            else:
                instance._constituency = found[0]

    def _fill_from_id(self, instance, number):
        """Gender and birth date follow from the ID number: filled when empty, refused when they disagree."""
        gender, birth = gender_from_id(number), birth_date_from_id(number)
        if not instance.gender:
            instance.gender = gender
        elif instance.gender != gender and "gender" not in self._failed:
            self.problem(f"性别与身份证号码不一致（身份证号码为{Deputy.Gender(gender).label}性）", "gender")
        if instance.birth_date is None:
            instance.birth_date = birth
        elif instance.birth_date != birth:
            self.problem(f"出生日期与身份证号码不一致（身份证号码为{birth:%Y-%m-%d}）", "birth_date")

    def after_bulk_create(self, instances):
        """Each new deputy's seat in the current term, in bulk with its history (django-simple-history)."""
        from simple_history.utils import bulk_create_with_history

        seats = [Mandate(deputy=d, level=d._level, term=self._term, constituency=d._constituency,
                         delegation=getattr(d, "_delegation", None), status=Mandate.Status.SERVING,
                         start_date=self._term.start_date) for d in instances]
        bulk_create_with_history(seats, Mandate, batch_size=self.bulk_batch_size, default_user=self.user,
                                 default_change_reason=self.history_reason)

    # -- export ---------------------------------------------------------------------------------------------------

    def filter_export(self, queryset, **kwargs):
        mandates = Mandate.objects.filter(term__is_current=True, status=Mandate.Status.SERVING).select_related(
            "constituency", "delegation").order_by("level")
        return queryset.select_related("town").prefetch_related(None).prefetch_related(
            Prefetch("mandates", queryset=mandates, to_attr="current_mandates"))

    def _current(self, obj) -> list[Mandate]:
        found = getattr(obj, "current_mandates", None)
        if found is None:
            found = list(obj.mandates.filter(term__is_current=True, status=Mandate.Status.SERVING)
                         .select_related("constituency", "delegation").order_by("level"))
        return found

    def dehydrate_id_number(self, obj):
        return obj.id_number if self.sees_personal_data else mask_id_number(obj.id_number)

    def dehydrate_phone(self, obj):
        return obj.phone if self.sees_personal_data else mask_phone(obj.phone)

    def dehydrate_level(self, obj):
        return "、".join(m.get_level_display() for m in self._current(obj))

    def dehydrate_constituency(self, obj):
        return "、".join(m.constituency.name for m in self._current(obj) if m.constituency_id)

    def dehydrate_delegation(self, obj):
        return "、".join(sorted({m.delegation.name for m in self._current(obj) if m.delegation_id}))
