"""家站点 as a spreadsheet, imported by 名称 (a station with that name is updated)."""
from congress.lib.resources import (
    ChoiceLabelWidget,
    Column,
    CongressResource,
    DateWidget,
    NameLookupWidget,
    TextWidget,
    towns_queryset,
)
from congress.selectors import towns_for
from stations.models import Station


class StationResource(CongressResource):
    name = Column("名称", "name", TextWidget(max_length=100))
    kind = Column("类型", "kind", ChoiceLabelWidget(Station.Kind))
    town = Column("所属镇街", "town", NameLookupWidget(towns_queryset))
    address = Column("地址", "address", TextWidget(max_length=200))
    opening_hours = Column("开放时间", "opening_hours", TextWidget(max_length=100))
    contact_name = Column("联系人", "contact_name", TextWidget(max_length=30))
    contact_phone = Column("联系电话", "contact_phone", TextWidget(max_length=30))
    established_on = Column("建成日期", "established_on", DateWidget())

    unique_in_file = ("名称",)
    text_columns = frozenset({"联系电话"})
    template_filename = "家站点导入模板.xlsx"
    template_sheet = "家站点"
    template_notes = {"名称": "必填；与系统中已有家站点同名时更新该家站点",
                      "所属镇街": "必填，须与系统中的镇街名称一致", "地址": "必填"}
    template_example = {"名称": "城东街道人大代表之家", "类型": "代表之家", "所属镇街": "城东街道",
                        "地址": "城东路1号", "开放时间": "每月15日 9:00-11:30", "联系人": "李四",
                        "联系电话": "0571-88888888", "建成日期": "2022-05-01"}

    class Meta:
        model = Station
        fields = ("name", "kind", "town", "address", "opening_hours", "contact_name", "contact_phone",
                  "established_on")
        import_id_fields = ("name",)
        skip_unchanged = False
        clean_model_instances = True

    def prepare_import(self, dataset, **kwargs):
        towns = towns_for(self.user) if self.user is not None else None
        self._allowed = None if towns is None else {t.pk: t.name for t in towns}

    def after_init_instance(self, instance, new, row, **kwargs):
        instance._original_town_id = None if new else instance.town_id

    def check_row(self, instance, row):
        if self._allowed is None:
            return
        scope = "、".join(self._allowed.values())
        original = getattr(instance, "_original_town_id", None)
        if original is not None and original not in self._allowed:
            self.problem(f"名称：同名家站点“{instance.name}”属于其他镇街，您只能导入{scope}的家站点", "name")
        elif instance.town_id and instance.town_id not in self._allowed:
            self.problem(f"所属镇街“{instance.town.name}”不在您的管理范围内（只能导入{scope}的家站点）", "town")
