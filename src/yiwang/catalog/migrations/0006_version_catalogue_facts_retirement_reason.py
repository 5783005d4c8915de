"""Published guides keep the 事项类型 and 设定依据 they were published with; a retired item keeps
its reason.

Versions published before this migration get the values their basic item has now: the best
record there is (the audit trail holds the basic item's earlier values, ``catalog.basic_item
.change``, for anyone who must reconstruct one).
"""

import django.db.models.deletion
from django.db import migrations, models


def copy_catalogue_facts(apps, schema_editor):
    ItemVersion = apps.get_model("catalog", "ItemVersion")
    frozen = ItemVersion.objects.filter(status__in=["published", "superseded"])
    # A queryset update: the model's save() refuses any write to a published version.
    for version in frozen.select_related("item__basic_item").iterator():
        basic = version.item.basic_item
        ItemVersion.objects.filter(pk=version.pk).update(
            item_type_id=basic.item_type_id, basic_legal_basis=basic.legal_basis
        )


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0005_search_synonyms"),
    ]

    operations = [
        migrations.AddField(
            model_name="itemversion",
            name="basic_legal_basis",
            field=models.TextField(blank=True, editable=False, verbose_name="设定依据"),
        ),
        migrations.AddField(
            model_name="itemversion",
            name="item_type",
            field=models.ForeignKey(
                blank=True,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="catalog.itemtype",
                verbose_name="事项类型",
            ),
        ),
        migrations.AddField(
            model_name="serviceitem",
            name="retirement_reason",
            field=models.TextField(blank=True, verbose_name="取消原因"),
        ),
        migrations.RunPython(copy_catalogue_facts, migrations.RunPython.noop),
    ]
