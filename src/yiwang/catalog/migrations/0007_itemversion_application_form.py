"""Each guide version may define its own 申请表单 (yiwang.catalog.application_forms); versions
without one, including every version published before, use the default form."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('catalog', '0006_version_catalogue_facts_retirement_reason'),
    ]

    operations = [
        migrations.AddField(
            model_name='itemversion',
            name='application_form',
            field=models.JSONField(blank=True, default=dict, help_text='网上申请时填写的表单，以 JSON Schema（2020-12）的子集定义：每一项须有中文标题（title），类型为 string、integer、number 或 boolean；x-prefill 从申请人或企业信息预填，x-order 为显示顺序。留空则使用默认表单（申请人姓名、联系电话、联系地址、申请事由）。', verbose_name='申请表单'),
        ),
    ]
