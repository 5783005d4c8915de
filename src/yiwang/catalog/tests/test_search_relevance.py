"""Relevance on the real demo catalogue: what a citizen types finds the item they mean first.

The demo (``yiwang demo``) loads ~100 目录清单 items implemented at the province, 宁波市 and its
counties (~1 000 service items). Each query below names the item a citizen means; it must be
the first result, for everyone and for a resident of 海曙区 (whose own 海曙区 item comes first
where there is one). When a query fails, tune the synonyms (data) or the ranking, not this list.
"""

import pytest
from django.core.management import call_command
from django.db import transaction

from yiwang.catalog import search

HAISHU = "330203000000"
# Implemented by townships only: a user whose region is the district sees the items of the
# district and the levels above it, not those of the streets below it.
TOWNSHIP_ONLY = {"生育登记"}

# (query, the item a citizen means)
QUERIES = [
    ("营业执照", "企业设立登记"),
    ("yyzz", "企业设立登记"),
    ("yingyezhizhao", "企业设立登记"),
    ("营业之照", "企业设立登记"),
    ("开公司", "企业设立登记"),
    ("开饭店", "食品经营许可"),
    ("食品许可证", "食品经营许可"),
    ("结婚", "内地居民结婚登记"),
    ("我要结婚", "内地居民结婚登记"),
    ("离婚", "内地居民离婚登记"),
    ("结婚证补办", "补领婚姻登记证"),
    ("公积金怎么取", "住房公积金提取"),
    ("公积金提取", "住房公积金提取"),
    ("生孩子", "出生医学证明签发"),
    ("出生证明", "出生医学证明签发"),
    ("上户口", "出生登记"),
    ("迁户口", "户口迁移登记"),
    ("户口迁移", "户口迁移登记"),
    ("身份证丢了", "居民身份证申领、换领、补领"),
    ("身份证", "居民身份证申领、换领、补领"),
    ("办护照", "普通护照签发"),
    ("港澳通行证", "往来港澳通行证及签注签发"),
    ("驾照到期", "机动车驾驶证期满换证"),
    ("车辆上牌", "机动车注册登记"),
    ("社保卡", "社会保障卡申领"),
    ("shbzk", "社会保障卡申领"),
    ("低保", "最低生活保障"),
    ("失业金", "失业保险金申领"),
    ("异地就医", "异地就医备案"),
    ("买房过户", "不动产转移登记"),
    ("医师执业", "医师执业注册"),
    ("护士", "护士执业注册"),
    ("道路运输证换证", "道路运输经营许可证换证"),
    ("建设工程规划许可", "建设工程规划许可证核发"),
    ("施工许可证", "建筑工程施工许可证核发"),
    ("开药店", "药品零售企业经营许可"),
    ("个体户", "个体工商户设立登记"),
    ("注销公司", "企业注销登记"),
    ("教师资格证", "教师资格认定"),
    ("网约车", "网络预约出租汽车运输证核发"),
    ("环评", "建设项目环境影响评价文件审批"),
    ("发票", "发票领用"),
    ("上学", "义务教育入学"),
    ("居住证", "居住证申领"),
    ("准生证", "生育登记"),
    ("律师证", "律师执业许可"),
]


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo province, loaded once for this module and rolled back after it."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("demo", verbosity=0)
        search.invalidate_synonyms()
        yield
        transaction.set_rollback(True)


def test_there_are_enough_queries():
    assert len(QUERIES) >= 20


@pytest.mark.parametrize(("query", "expected"), QUERIES)
def test_first_result_is_the_item_meant(demo, db, query, expected):
    results = search.search(query, log=False)
    assert [r.name for r in results.results[:1]] == [expected]


@pytest.mark.parametrize(("query", "expected"), QUERIES)
def test_first_result_for_a_haishu_resident(demo, db, query, expected):
    results = search.search(query, region=HAISHU, log=False)
    if expected in TOWNSHIP_ONLY:
        assert expected not in [r.name for r in results.results]
        return
    first = results.results[0]
    assert first.name == expected
    local = search.search(expected, region=HAISHU, log=False).results[0]
    # the resident's own implementation (海曙区 or the closest level above that has one)
    assert first.region_code == local.region_code
