"""Read queries: regions by code, children, ancestors, organisations by region and level."""

import pytest

from yiwang.core.errors import NotFound
from yiwang.core.identifiers import IdentifierError
from yiwang.regions import selectors


def test_get_region_accepts_12_and_6_digit_codes(regions):
    assert selectors.get_region("330203000000").name == "海曙区"
    assert selectors.get_region("330281").name == "余姚市"


def test_unknown_region_is_not_found_with_the_12_digit_code(regions):
    with pytest.raises(NotFound) as caught:
        selectors.get_region("330299")
    assert caught.value.message == "行政区划代码 330299000000 不存在"


def test_malformed_region_code_is_an_identifier_error(regions):
    with pytest.raises(IdentifierError) as caught:
        selectors.get_region("3302")
    assert caught.value.message == "长度错误：应为6位或12位，实为4位"


@pytest.mark.parametrize(
    ("code", "count", "first", "last"),
    [
        ("330000000000", 11, "杭州市", "丽水市"),
        ("330200000000", 10, "海曙区", "慈溪市"),
        ("330203000000", 17, "南门街道", "龙观乡"),
        ("330281000000", 21, "梨洲街道", "鹿亭乡"),
        ("330203001000", 11, "澄浪社区", "迎春社区"),
        ("330102000000", 0, None, None),  # 上城区: the extract stops at county level outside Ningbo
    ],
)
def test_region_children_counts_from_the_extract(regions, code, count, first, last):
    children = list(selectors.region_children(code))
    assert len(children) == count
    assert [c.code for c in children] == sorted(c.code for c in children)
    if count:
        assert (children[0].name, children[-1].name) == (first, last)


def test_region_ancestors_in_two_queries(regions, django_assert_num_queries):
    with django_assert_num_queries(2):
        chain = selectors.region_ancestors("330203001001")
    assert [r.name for r in chain] == ["浙江省", "宁波市", "海曙区", "南门街道"]
    assert selectors.region_ancestors("330000000000") == []


def test_organizations_of_a_region_exclude_those_below_unless_asked(bodies):
    names = [o.name for o in selectors.organizations(region="330203000000")]
    assert names == ["宁波市海曙区人民政府", "宁波市海曙区市场监督管理局"]
    names = [
        o.name for o in selectors.organizations(region="330203000000", include_descendants=True)
    ]
    assert names == [
        "宁波市海曙区人民政府",
        "宁波市海曙区市场监督管理局",
        "宁波市海曙区南门街道办事处",
    ]
    names = [o.name for o in selectors.organizations(region="330200", include_descendants=True)]
    assert len(names) == 6
    assert [o.name for o in selectors.organizations(level="city")] == [
        "宁波市人民政府",
        "宁波市市场监督管理局",
    ]
