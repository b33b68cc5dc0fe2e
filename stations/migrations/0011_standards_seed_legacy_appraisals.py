"""Seeds the 八有 checklist (editable afterwards in the admin) and keeps every appraisal entered before item-by-item
scoring as a confirmed legacy entry: its stars, score and grounds stay as the committee gave them, with no item scores
(inventing them would rewrite a past decision)."""
from django.db import migrations

EIGHT = ["有组织架构", "有履职服务内容公示栏", "有工作制度", "有服务群众联系卡", "有社情民意登记表",
         "有群众意见建议处理工作机制流程", "有互动群", "有活动记录"]


def seed(apps, schema_editor):
    StandardItem = apps.get_model("stations", "StandardItem")
    for order, name in enumerate(EIGHT, start=1):
        StandardItem.objects.get_or_create(name=name, defaults={"order": order})
    StationAppraisal = apps.get_model("stations", "StationAppraisal")
    StationAppraisal.objects.all().update(status="confirmed", is_legacy=True)


def unseed(apps, schema_editor):
    apps.get_model("stations", "StationAppraisal").objects.filter(is_legacy=True).update(status="draft", is_legacy=False)


class Migration(migrations.Migration):
    dependencies = [("stations", "0010_standards_and_star_criteria")]
    operations = [migrations.RunPython(seed, unseed)]
