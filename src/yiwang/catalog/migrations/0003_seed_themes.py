"""Seed the 服务主题 of the national guide (seed 001, ch. 2 §4 (四)), in its order.

31 themes for natural persons, "按照人类生命周期排序", and 34 for legal persons, "按照法人生命
周期排序", exactly as the guide lists them. 社会保障 of the natural-person list covers 社会保险
and 社会救助; its 其他 includes 个体工商户. Codes: P01–P31 (自然人), E01–E34 (法人).
Operators may rename or reorder them in the admin; rows that exist are not overwritten.
"""

from django.db import migrations

PERSON_THEMES = [
    "生育收养",
    "户籍办理",
    "民族宗教",
    "教育科研",
    "入伍服役",
    "就业创业",
    "设立变更",
    "准营准办",
    "抵押质押",
    "职业资格",
    "行政缴费",
    "婚姻登记",
    "优待抚恤",
    "规划建设",
    "住房保障",
    "社会保障",
    "证件办理",
    "交通出行",
    "旅游观光",
    "出境入境",
    "消费维权",
    "公共安全",
    "司法公证",
    "知识产权",
    "环保绿化",
    "文化体育",
    "公用事业",
    "医疗卫生",
    "离职退休",
    "死亡殡葬",
    "其他",
]

ENTERPRISE_THEMES = [
    "设立变更",
    "准营准办",
    "资质认证",
    "年检年审",
    "税收财务",
    "人力资源",
    "社会保障",
    "投资审批",
    "融资信贷",
    "抵押质押",
    "商务贸易",
    "招标拍卖",
    "海关口岸",
    "涉外服务",
    "农林牧渔",
    "国土和规划建设",
    "交通运输",
    "环保绿化",
    "应对气候变化",
    "水务气象",
    "医疗卫生",
    "科技创新",
    "文体教育",
    "知识产权",
    "民族宗教",
    "质量技术",
    "检验检疫",
    "安全生产",
    "公安消防",
    "司法公证",
    "公用事业",
    "法人注销",
    "档案文物",
    "其他",
]


def seed(apps, schema_editor):
    Theme = apps.get_model("catalog", "Theme")
    for prefix, audience, names in (
        ("P", "person", PERSON_THEMES),
        ("E", "enterprise", ENTERPRISE_THEMES),
    ):
        for order, name in enumerate(names, start=1):
            Theme.objects.get_or_create(
                code=f"{prefix}{order:02d}",
                defaults={"name": name, "audience": audience, "order": order},
            )


def unseed(apps, schema_editor):
    Theme = apps.get_model("catalog", "Theme")
    Theme.objects.filter(code__regex=r"^[PE][0-9]{2}$").delete()


class Migration(migrations.Migration):
    dependencies = [("catalog", "0002_seed_item_types")]

    operations = [migrations.RunPython(seed, unseed)]
