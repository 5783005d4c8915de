"""Each publishing rule refuses publication with its name; ``check_version`` lists them all."""

import pytest

from yiwang.catalog import rules, services
from yiwang.catalog.constants import VersionStatus
from yiwang.catalog.rules import RuleViolation

from .factories import FULL_DEPTH, ItemVersionFactory

pytestmark = pytest.mark.django_db


def refusal(version):
    with pytest.raises(RuleViolation) as caught:
        services.publish(version)
    version.refresh_from_db()
    assert version.status == VersionStatus.DRAFT
    return caught.value.message, caught.value.field


def test_fully_online_means_zero_visits():
    version = ItemVersionFactory(online_depth=FULL_DEPTH, max_visits=1)
    assert version.is_fully_online is True
    assert refusal(version) == (
        "不符合发布规则“全程网办零跑动”：网上办理深度已达全程网办，到办事现场次数应为0，实为1",
        "max_visits",
    )


def test_zero_visits_without_full_online_needs_express_delivery():
    version = ItemVersionFactory(max_visits=0, express_delivery_supported=False)
    assert refusal(version) == (
        "不符合发布规则“零跑动须支持快递”：到办事现场次数为0但未实现全程网办，"
        "须支持物流快递（材料和结果邮寄）",
        "express_delivery_supported",
    )


def test_a_fee_needs_its_basis():
    version = ItemVersionFactory(is_free=False, online_payment_supported=True)
    services.add_fee(version, name="工本费", standard="每证10元", legal_basis="")
    assert refusal(version) == (
        "不符合发布规则“收费须有依据”：收费项目“工本费”未填写收费依据",
        "fees",
    )


def test_a_fee_needs_online_payment():
    version = ItemVersionFactory(with_fee=True)
    services.update_draft(version, online_payment_supported=False)
    assert refusal(version) == (
        "不符合发布规则“收费须支持网上支付”：收费事项须支持网上支付",
        "online_payment_supported",
    )


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        (
            {"is_free": False},
            ("不符合发布规则“收费须明确”：请列出收费项目，或勾选不收费", "is_free"),
        ),
        (
            {"supervision_phone": "0574-87000001"},
            (
                "不符合发布规则“咨询电话与监督电话”：监督电话不能与咨询电话相同（0574-87000001）",
                "supervision_phone",
            ),
        ),
        (
            {"consultation_phone": ""},
            ("不符合发布规则“咨询电话与监督电话”：请填写咨询电话", "consultation_phone"),
        ),
        (
            {"promised_time_limit": 21},
            (
                "不符合发布规则“承诺时限不超过法定时限”：承诺办结时限21个工作日超过法定办结时限"
                "20个工作日",
                "promised_time_limit",
            ),
        ),
        (
            {"name": "食品经营许可（新办）"},
            (
                "不符合发布规则“名称与目录清单一致”：事项名称“食品经营许可（新办）”与目录清单名称"
                "“食品经营许可”（000117009000）不一致",
                "name",
            ),
        ),
        (
            {"service_objects": []},
            ("不符合发布规则“服务对象必填”：请选择服务对象（自然人、法人）", "service_objects"),
        ),
        (
            {"no_materials_required": True},
            (
                "不符合发布规则“申请材料须明确”：已勾选无需申请材料，但列有申请材料",
                "no_materials_required",
            ),
        ),
    ],
)
def test_rule_refuses_with_its_name(basic, fields, expected):
    version = ItemVersionFactory(item__basic_item=basic)
    services.update_draft(version, **fields)
    assert refusal(version) == expected


def test_no_materials_needs_the_explicit_flag(basic):
    version = ItemVersionFactory(item__basic_item=basic, with_children=False)
    assert refusal(version) == (
        "不符合发布规则“申请材料须明确”：请至少列出一项申请材料，或勾选无需申请材料",
        "materials",
    )
    services.update_draft(version, no_materials_required=True)
    assert services.publish(version).status == VersionStatus.PUBLISHED


def test_material_rules():
    version = ItemVersionFactory()
    services.add_material(version, name="营业执照", source="government", legal_basis="")
    services.add_material(
        version, name="委托书", requirement="conditional", legal_basis="《民法典》第一百六十五条"
    )
    assert [str(v) for v in rules.check_version(version)] == [
        "【必要材料须有依据】材料“营业执照”未填写要求依据",
        "【核发材料须注明核发部门】材料“营业执照”未注明核发部门",
        "【情形材料须写明情形】材料“委托书”未写明需提供的情形",
    ]
    assert refusal(version) == (
        "不符合发布规则“必要材料须有依据”：材料“营业执照”未填写要求依据（另有2项不符合发布规则）",
        "materials",
    )


def test_rules_are_also_checked_on_submission():
    version = ItemVersionFactory(max_visits=0)
    with pytest.raises(RuleViolation, match="零跑动须支持快递"):
        services.submit_for_review(version)


def test_every_rule_has_a_chinese_name():
    assert [name for name, _ in rules.RULES] == [
        "名称与目录清单一致",
        "服务对象必填",
        "办理形式必填",
        "全程网办零跑动",
        "零跑动须支持快递",
        "承诺时限不超过法定时限",
        "收费须明确",
        "收费须有依据",
        "收费须支持网上支付",
        "申请材料须明确",
        "必要材料须有依据",
        "核发材料须注明核发部门",
        "情形材料须写明情形",
        "咨询电话与监督电话",
    ]
