"""The institution's own spreadsheets: organizations (单位). The base classes every app's resources build on are in
congress.lib.resources."""
from congress.lib.resources import YES, ChoiceLabelWidget, Column, CongressResource, NameLookupWidget, TextWidget, YesNoWidget
from congress.models import Organization


class OrganizationResource(CongressResource):
    """单位: imported by 名称 (an existing organization with that name is updated)."""

    name = Column("名称", "name", TextWidget(max_length=100))
    short_name = Column("简称", "short_name", TextWidget(max_length=40))
    kind = Column("类型", "kind", ChoiceLabelWidget(Organization.Kind))
    parent = Column("上级单位", "parent", NameLookupWidget(
        lambda: Organization.objects.all(), missing="不存在（上级单位须已在系统中，或在本文件中写在前面的行）"))
    code = Column("单位编码", "code", TextWidget(null=True, max_length=30))
    is_handling_unit = Column("可作为承办单位", "is_handling_unit", YesNoWidget())
    contact_person = Column("联系人", "contact_person", TextWidget(max_length=30))
    phone = Column("联系电话", "phone", TextWidget(max_length=30))
    address = Column("地址", "address", TextWidget(max_length=200))

    unique_in_file = ("名称", "单位编码")
    template_filename = "单位导入模板.xlsx"
    text_columns = frozenset({"单位编码", "联系电话"})
    template_notes = {"名称": "必填；与系统中已有单位同名时更新该单位", "上级单位": "上级单位的名称"}
    template_example = {"名称": "区住房和城乡建设局", "简称": "区住建局", "类型": "政府部门及直属单位",
                        "上级单位": "区人民政府", "单位编码": "", "可作为承办单位": YES, "联系人": "张三",
                        "联系电话": "0571-88888888", "地址": "区政府大楼3楼"}

    class Meta:
        model = Organization
        fields = ("name", "short_name", "kind", "parent", "code", "is_handling_unit", "contact_person", "phone",
                  "address")
        import_id_fields = ("name",)
        skip_unchanged = False
        clean_model_instances = True

    def check_row(self, instance, row):
        if instance.parent_id and instance.pk and instance.parent_id == instance.pk:
            self.problem("上级单位不能是本单位", "parent")
        elif instance.parent is not None and instance.parent.name == instance.name:
            self.problem("上级单位不能是本单位", "parent")

    def after_save_instance(self, instance, row, **kwargs):
        self.fields["parent"].widget.remember(instance)
