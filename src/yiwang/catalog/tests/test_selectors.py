"""The public catalogue: published items only, a region sees the levels above it too."""

import pytest

from yiwang.catalog import selectors

from .conftest import HAISHU, NINGBO, YUYAO
from .factories import BasicItemFactory, ItemVersionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalogue(orgs):
    """One published item per organisation; a draft-only item in Haishu."""
    made = {}
    for key, org in orgs.items():
        basic = BasicItemFactory(name=f"{key}事项", item_type="XK" if key != "ningbo" else "GG")
        made[key] = ItemVersionFactory(
            item__basic_item=basic,
            item__organization=org,
            published=True,
            name=f"{key}事项",
            service_objects=["enterprise"] if key == "yuyao" else ["person"],
            themes=["P06"] if key == "haishu" else [],
        ).item
    ItemVersionFactory(item__organization=orgs["haishu"])  # a draft: never public
    return made


def names(items):
    return [item.basic_item.name for item in items]


@pytest.mark.parametrize(
    ("region", "expected"),
    [
        (HAISHU, ["zhejiang事项", "ningbo事项", "haishu事项"]),
        (YUYAO, ["zhejiang事项", "ningbo事项", "yuyao事项"]),
        (NINGBO, ["zhejiang事项", "ningbo事项"]),
        ("330000", ["zhejiang事项"]),
    ],
)
def test_a_region_sees_its_items_and_those_above(catalogue, region, expected):
    assert sorted(names(selectors.public_items(region=region))) == sorted(expected)


def test_filters(catalogue, orgs):
    assert names(selectors.public_items(service_object="enterprise")) == ["yuyao事项"]
    assert names(selectors.public_items(theme="P06")) == ["haishu事项"]
    assert names(selectors.public_items(department=orgs["ningbo"])) == ["ningbo事项"]
    assert names(selectors.public_items(item_type="GG")) == ["ningbo事项"]
    assert len(selectors.public_items()) == 4


def test_the_list_costs_a_fixed_number_of_queries(catalogue, django_assert_num_queries):
    with django_assert_num_queries(2):  # the items with their relations, then the themes
        items = list(selectors.public_items())
        assert [sorted(t.code for t in i.current_version.themes.all()) for i in items]
        assert [i.organization.name for i in items]


def test_departments_with_counts(catalogue):
    assert [(o.name, o.item_count) for o in selectors.departments(HAISHU)] == [
        ("浙江省市场监督管理局", 1),
        ("宁波市市场监督管理局", 1),
        ("宁波市海曙区市场监督管理局", 1),
    ]


def test_themes_in_life_cycle_order(db):
    person = list(selectors.themes("person"))
    enterprise = list(selectors.themes("enterprise"))
    assert (len(person), len(enterprise)) == (31, 34)
    assert [t.name for t in person[:3]] + [person[-1].name] == [
        "生育收养",
        "户籍办理",
        "民族宗教",
        "其他",
    ]
    assert (enterprise[0].name, enterprise[31].name, enterprise[0].code) == (
        "设立变更",
        "法人注销",
        "E01",
    )
