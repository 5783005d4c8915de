"""``yiwang catalog check``: 三级四同 and publishing rules of the published catalogue."""

from io import StringIO

import pytest
from django.core.management import call_command

from yiwang.catalog import services
from yiwang.catalog.models import ItemVersion

from .factories import BasicItemFactory, ItemVersionFactory

pytestmark = pytest.mark.django_db


def run():
    out, err = StringIO(), StringIO()
    try:
        call_command("catalog", "check", stdout=out, stderr=err)
        status = 0
    except SystemExit as exc:
        status = exc.code
    return status, out.getvalue().splitlines(), err.getvalue().splitlines()


def test_clean_catalogue(orgs, basic):
    ItemVersionFactory(item__basic_item=basic, item__organization=orgs["haishu"], published=True)
    assert run() == (0, ["检查了 1 个已发布事项：未发现问题"], [])


def test_reports_every_problem_and_exits_1(orgs, basic):
    haishu = ItemVersionFactory(
        item__basic_item=basic, item__organization=orgs["haishu"], published=True
    )
    ItemVersionFactory(item__basic_item=basic, item__organization=orgs["yuyao"], published=True)
    services.update_basic_item(basic, name="食品经营许可证核发")
    BasicItemFactory(code="330117009000", name="食品经营许可证核发", item_type="XK", level="city")
    # A rule broken after publication (data corrected behind the services' back).
    ItemVersion.objects.filter(pk=haishu.pk).update(supervision_phone="0574-87000001")
    haishu_code, yuyao_code = haishu.item.code, f"{orgs['yuyao'].uscc}4000117009000"
    assert run() == (
        1,
        [
            "三级四同：同名不同码：事项“食品经营许可证核发”有多个基本编码 "
            "000117009000（省级，行政许可）、330117009000（市级，行政许可）",
            "三级四同：同码不同名：基本编码 000117009000（“食品经营许可证核发”）在"
            f"宁波市海曙区市场监督管理局实施为“食品经营许可”（实施编码 {haishu_code}）",
            "三级四同：同码不同名：基本编码 000117009000（“食品经营许可证核发”）在"
            f"余姚市市场监督管理局实施为“食品经营许可”（实施编码 {yuyao_code}）",
            f"发布规则：食品经营许可（宁波市海曙区市场监督管理局，实施编码 {haishu_code}，第1版）"
            "【名称与目录清单一致】事项名称“食品经营许可”与目录清单名称“食品经营许可证核发”"
            "（000117009000）不一致",
            f"发布规则：食品经营许可（宁波市海曙区市场监督管理局，实施编码 {haishu_code}，第1版）"
            "【咨询电话与监督电话】监督电话不能与咨询电话相同（0574-87000001）",
            f"发布规则：食品经营许可（余姚市市场监督管理局，实施编码 {yuyao_code}，第1版）"
            "【名称与目录清单一致】事项名称“食品经营许可”与目录清单名称“食品经营许可证核发”"
            "（000117009000）不一致",
        ],
        ["检查了 2 个已发布事项：三级四同问题 3 项，违反发布规则 3 项"],
    )
