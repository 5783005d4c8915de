"""实施编码 = USCC (18) + 行使层级 (1) + 基本编码 (12), checked against the organisation."""

import pytest

from yiwang.catalog import services
from yiwang.catalog.identifiers import (
    implementation_code,
    parse_implementation_code,
    validate_basic_code,
)
from yiwang.catalog.models import ServiceItem
from yiwang.core.errors import Conflict, DomainError
from yiwang.regions.tests.factories import OrganizationFactory

from .conftest import HAISHU, fixed_uscc
from .factories import BasicItemFactory, ServiceItemFactory


def test_basic_code_is_twelve_upper_case_letters_or_digits():
    assert validate_basic_code(" 00011700900y ") == "00011700900Y"


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("0001170090", "基本编码长度错误：应为12位，实为10位"),
        ("00011700900-", "基本编码含无效字符“-”：只能是数字或大写字母"),
        ("00011700900中", "基本编码含无效字符“中”：只能是数字或大写字母"),
    ],
)
def test_malformed_basic_code(code, message):
    with pytest.raises(DomainError) as caught:
        validate_basic_code(code)
    assert (caught.value.message, caught.value.field) == (message, "code")


def test_implementation_code_parts():
    uscc = fixed_uscc("haishu", HAISHU)
    code = implementation_code(uscc, "4", "000117009000")
    assert code == f"{uscc}4000117009000"
    assert len(code) == 31
    parts = parse_implementation_code(code.lower())
    assert (parts.uscc, parts.level, parts.basic_code) == (uscc, "4", "000117009000")


@pytest.mark.parametrize(
    ("suffix", "message"),
    [
        ("6000117009000", "实施编码第19位（行使层级）“6”无效：应为1–5"),
        ("400011700900", "实施编码长度错误：应为31位，实为30位"),
        ("40001170090-0", "实施编码第20–31位基本编码含无效字符“-”：只能是数字或大写字母"),
    ],
)
def test_malformed_implementation_code(suffix, message):
    with pytest.raises(DomainError) as caught:
        parse_implementation_code(fixed_uscc("haishu", HAISHU) + suffix)
    assert caught.value.message == message


def test_bad_uscc_in_implementation_code():
    uscc = fixed_uscc("haishu", HAISHU)
    broken = uscc[:17] + ("0" if uscc[17] != "0" else "1")
    with pytest.raises(DomainError, match="实施编码第1–18位不是有效的统一社会信用代码"):
        parse_implementation_code(broken + "4000117009000")


def test_code_must_match_the_organisation(orgs, basic):
    item = ServiceItemFactory(basic_item=basic, organization=orgs["haishu"])
    assert item.code == f"{orgs['haishu'].uscc}4000117009000"
    assert (item.exercise_level, item.region_id) == ("4", HAISHU)

    item.code = f"{orgs['yuyao'].uscc}4000117009000"
    with pytest.raises(DomainError) as caught:
        services.check_implementation_code(item)
    assert caught.value.message == (
        f"实施编码第1–18位 {orgs['yuyao'].uscc} 不是实施机构宁波市海曙区市场监督管理局的"
        f"统一社会信用代码 {orgs['haishu'].uscc}"
    )
    item.code = f"{orgs['haishu'].uscc}3000117009000"
    with pytest.raises(DomainError) as caught:
        services.check_implementation_code(item)
    assert caught.value.message == (
        "实施编码第19位（行使层级）为 3，实施机构宁波市海曙区市场监督管理局是区县级，应为 4"
    )


def test_levels_of_the_organisations(orgs, basic):
    levels = {
        key: ServiceItemFactory(basic_item=basic, organization=org).exercise_level
        for key, org in orgs.items()
    }
    assert levels == {"zhejiang": "2", "ningbo": "3", "haishu": "4", "yuyao": "4"}


def test_one_implementation_per_organisation(orgs, basic):
    ServiceItemFactory(basic_item=basic, organization=orgs["haishu"])
    with pytest.raises(Conflict, match="宁波市海曙区市场监督管理局已实施该事项"):
        services.create_service_item(basic_item=basic, organization=orgs["haishu"])
    assert ServiceItem.objects.count() == 1


def test_village_committee_implements_nothing(db):
    committee = OrganizationFactory(region="330203001001", kind="village_committee")
    with pytest.raises(DomainError, match="是村（社区）级机构，不能作为实施机构"):
        services.create_service_item(basic_item=BasicItemFactory(), organization=committee)


def test_duplicate_basic_code_is_refused(basic):
    with pytest.raises(Conflict, match="基本编码 000117009000 已存在"):
        BasicItemFactory(code="000117009000")
