"""Seed the 事项类型 code list (REQUIREMENTS §4).

The codes are the initials used by several provincial standards (XK = 行政许可); they are to be
corrected when the GB/T 39554 list is known — operators can edit the table in the admin, and
this migration does not overwrite rows that already exist.
"""

from django.db import migrations

ITEM_TYPES = [
    ("XK", "行政许可"),
    ("CF", "行政处罚"),
    ("QZ", "行政强制"),
    ("ZS", "行政征收"),
    ("JF", "行政给付"),
    ("JC", "行政检查"),
    ("QR", "行政确认"),
    ("JL", "行政奖励"),
    ("CJ", "行政裁决"),
    ("QT", "其他行政权力"),
    ("GG", "公共服务"),
]


def seed(apps, schema_editor):
    ItemType = apps.get_model("catalog", "ItemType")
    for order, (code, name) in enumerate(ITEM_TYPES, start=1):
        ItemType.objects.get_or_create(code=code, defaults={"name": name, "order": order})


def unseed(apps, schema_editor):
    ItemType = apps.get_model("catalog", "ItemType")
    ItemType.objects.filter(code__in=[code for code, _ in ITEM_TYPES]).delete()


class Migration(migrations.Migration):
    dependencies = [("catalog", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
