"""/api/v1/items/search and /api/v1/items/suggest: exact JSON, problem+json errors, logging."""

import json

import pytest

from yiwang.catalog import search
from yiwang.catalog.search.models import NoResultQuery, SearchLog
from yiwang.regions.tests.factories import OrganizationFactory

from .factories import BasicItemFactory, ItemVersionFactory, ServiceItemFactory

pytestmark = pytest.mark.django_db

PROBLEM = "application/problem+json"


@pytest.fixture(autouse=True)
def _fresh_caches():
    from django.core.cache import cache

    from yiwang.catalog.search.engine import clear_region_cache

    search.invalidate_synonyms()
    clear_region_cache()
    cache.clear()


@pytest.fixture
def company():
    organization = OrganizationFactory(region="330203000000", name="宁波市海曙区市场监督管理局")
    item = ServiceItemFactory(
        basic_item=BasicItemFactory(name="企业设立登记"), organization=organization
    )
    return ItemVersionFactory(
        item=item,
        name="企业设立登记",
        result_name="营业执照",
        service_objects=["enterprise"],
        conditions="申请人应当具备设立企业的条件。",
        fully_online=True,
        published=True,
    ).item


def get(client, url, **params):
    response = client.get(url, params)
    return response.status_code, response["Content-Type"], json.loads(response.content)


def test_search_returns_highlighted_results(client, company):
    status, content_type, body = get(client, "/api/v1/items/search", q="设立登记")
    assert (status, content_type) == (200, "application/json; charset=utf-8")
    assert body == {
        "query": "设立登记",
        "total": 1,
        "total_exact": True,
        "page": 1,
        "page_size": 20,
        "pages": 1,
        "interpreted_as": None,
        "relaxed": False,
        "results": [
            {
                "code": company.code,
                "name": "企业设立登记",
                "name_html": "企业<mark>设立登记</mark>",
                "summary_html": "申请人应当具备<mark>设立</mark>企业的条件。",
                "organization": {
                    "id": company.organization_id,
                    "name": "宁波市海曙区市场监督管理局",
                },
                "region": {"code": "330203000000", "name": "浙江省宁波市海曙区"},
                "badges": {
                    "item_type": "行政许可",
                    "fully_online": True,
                    "max_visits": 0,
                    "depth_level": 4,
                    "handling_scope": "city",
                    "appointment": True,
                    "express_delivery": True,
                    "online_payment": False,
                    "promised_days": 5,
                    "is_free": True,
                },
                "labels": [
                    {"key": "fully_online", "label": "全程网办"},
                    {"key": "zero_visit", "label": "跑零次"},
                    {"key": "appointment", "label": "可预约"},
                    {"key": "express", "label": "可快递"},
                ],
            }
        ],
    }


def test_search_by_initials_says_what_it_searched(client, company):
    status, _, body = get(client, "/api/v1/items/search", q="yyzz", region="330203")
    assert (status, body["interpreted_as"], body["total"]) == (200, "营业执照", 1)
    assert body["results"][0]["name"] == "企业设立登记"


def test_search_is_not_taken_for_an_item_code(client, company):
    status, _, body = get(client, "/api/v1/items/search", q="企业")
    assert (status, body["total"]) == (200, 1)


def test_too_long_query_is_a_400_problem(client, company):
    status, content_type, body = get(client, "/api/v1/items/search", q="登" * 101)
    assert (status, content_type) == (400, PROBLEM)
    assert body["detail"] == "搜索词太长：最多 100 个字，现有 101 个字"
    assert body["errors"] == [{"field": "q", "message": "搜索词太长：最多 100 个字，现有 101 个字"}]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"q": "登记", "page": "0"}, "page"),
        ({"q": "登记", "page": "51"}, "page"),
        ({"q": "登记", "object": "alien"}, "object"),
        ({"q": "登记", "department": "x"}, "department"),
        ({}, "q"),
    ],
)
def test_bad_parameters_are_422_problems(client, company, params, field):
    status, content_type, body = get(client, "/api/v1/items/search", **params)
    assert (status, content_type) == (422, PROBLEM)
    assert [e["field"] for e in body["errors"]] == [field]


def test_unknown_region_is_a_404_problem(client, company):
    status, content_type, body = get(client, "/api/v1/items/search", q="登记", region="330299")
    assert (status, content_type, body["detail"]) == (
        404,
        PROBLEM,
        "行政区划代码 330299000000 不存在",
    )
    assert body["errors"] == [{"field": "region", "message": "行政区划代码 330299000000 不存在"}]


def test_malformed_region_is_a_400_problem(client, company):
    status, content_type, body = get(client, "/api/v1/items/search", q="登记", region="33x")
    assert (status, content_type, body["errors"][0]["field"]) == (400, PROBLEM, "region")


def test_any_text_is_a_query(client, company):
    for q in ['"', "AND", "*", "NEAR(", "😀", "'; --", "^-:"]:
        status, _, body = get(client, "/api/v1/items/search", q=q)
        assert (status, body["total"]) == (200, 0), q
    # NUL is no text anyone types: the API refuses it in every query parameter (PostgreSQL
    # cannot compare it), before the search sees it
    status, _, body = get(client, "/api/v1/items/search", q="\x00火星\x00")
    assert (status, body["errors"]) == (
        422,
        [{"field": "q", "message": "参数中含有不允许的字符（\\0）"}],
    )


def test_suggest(client, company):
    assert get(client, "/api/v1/items/suggest", q="企业") == (
        200,
        "application/json; charset=utf-8",
        {"query": "企业", "suggestions": ["企业设立登记"]},
    )
    assert get(client, "/api/v1/items/suggest", q="qy")[2]["suggestions"] == ["企业设立登记"]
    assert SearchLog.objects.count() == 0


def test_each_search_is_logged_and_empty_ones_listed(client, company):
    get(client, "/api/v1/items/search", q="企业设立登记")
    get(client, "/api/v1/items/search", q="企业设立登记", page=2)  # same search, next page
    get(client, "/api/v1/items/search", q="  火星移民 ")
    get(client, "/api/v1/items/search", q="火星移民")
    assert list(
        SearchLog.objects.order_by("id").values_list("query", "normalized", "result_count")
    ) == [
        ("企业设立登记", "企业设立登记", 1),
        ("火星移民", "火星移民", 0),
        ("火星移民", "火星移民", 0),
    ]
    search.refresh_hot()
    assert list(
        NoResultQuery.objects.filter(no_result_searches__gt=0).values_list(
            "query", "searches", "no_result_searches"
        )
    ) == [("火星移民", 2, 2)]
    assert search.hot_searches(5) == [search.HotSearch("企业设立登记", 1)]


def test_hot_items_by_clicks_and_region(client, company):
    other = ItemVersionFactory(
        item=ServiceItemFactory(
            basic_item=BasicItemFactory(name="婚姻登记"),
            organization=OrganizationFactory(region="330212000000"),
        ),
        name="婚姻登记",
        published=True,
    ).item
    search.record_click(other.id)
    search.record_click(other.id)
    search.record_click(company.id)
    search.refresh_hot()
    assert [h.name for h in search.hot_items(limit=5)] == ["婚姻登记", "企业设立登记"]
    assert [h.name for h in search.hot_items("330203000000", limit=5)] == ["企业设立登记"]
    assert [h.name for h in search.hot_items(audience="enterprise")] == ["企业设立登记"]
