"""/api/v1/regions and /api/v1/organizations: exact bodies, problem+json errors, no N+1."""

import json

import pytest

from yiwang.regions import services

from .conftest import uscc

PROBLEM = "application/problem+json"


def get(client, url):
    response = client.get(url)
    return response.status_code, response["Content-Type"], json.loads(response.content)


def test_region_by_12_digit_code(client, regions):
    assert get(client, "/api/v1/regions/330203000000") == (
        200,
        "application/json; charset=utf-8",
        {
            "code": "330203000000",
            "name": "海曙区",
            "level": "county",
            "level_display": "区县级",
            "parent_code": "330200000000",
            "full_name": "浙江省宁波市海曙区",
        },
    )


def test_region_by_6_digit_code(client, regions):
    status, _, body = get(client, "/api/v1/regions/330281")
    assert status == 200
    assert body == {
        "code": "330281000000",
        "name": "余姚市",
        "level": "county",
        "level_display": "区县级",
        "parent_code": "330200000000",
        "full_name": "浙江省宁波市余姚市",
    }


def test_province_has_no_parent(client, regions):
    status, _, body = get(client, "/api/v1/regions/330000000000")
    assert (status, body["parent_code"], body["level_display"]) == (200, None, "省级")


def test_unknown_region_is_a_404_problem(client, regions):
    assert get(client, "/api/v1/regions/330299000000") == (
        404,
        PROBLEM,
        {
            "type": "/api/v1/problems/not-found",
            "title": "未找到",
            "status": 404,
            "detail": "行政区划代码 330299000000 不存在",
            "instance": "/api/v1/regions/330299000000",
            "errors": [{"field": "code", "message": "行政区划代码 330299000000 不存在"}],
        },
    )


@pytest.mark.parametrize(
    ("code", "detail"),
    [
        ("3302", "长度错误：应为6位或12位，实为4位"),
        ("33020300000X", "第12位字符“X”无效：应为数字"),
        ("990000000000", "行政区划代码无效：前两位“99”不是省级行政区划代码"),
        ("330200000001", "层级不一致：第7–9位（乡镇）为000，其后各位应全为0"),
    ],
)
def test_malformed_code_is_a_400_problem_with_the_validators_message(client, regions, code, detail):
    status, content_type, body = get(client, f"/api/v1/regions/{code}")
    assert (status, content_type) == (400, PROBLEM)
    assert body == {
        "type": "/api/v1/problems/invalid",
        "title": "请求无法处理",
        "status": 400,
        "detail": detail,
        "instance": f"/api/v1/regions/{code}",
        "errors": [{"field": "code", "message": detail}],
    }


def test_children_of_ningbo_in_code_order(client, regions):
    status, _, body = get(client, "/api/v1/regions/330200000000/children")
    assert status == 200
    assert [(r["code"], r["name"]) for r in body] == [
        ("330203000000", "海曙区"),
        ("330205000000", "江北区"),
        ("330206000000", "北仑区"),
        ("330211000000", "镇海区"),
        ("330212000000", "鄞州区"),
        ("330213000000", "奉化区"),
        ("330225000000", "象山县"),
        ("330226000000", "宁海县"),
        ("330281000000", "余姚市"),
        ("330282000000", "慈溪市"),
    ]
    assert body[0] == {
        "code": "330203000000",
        "name": "海曙区",
        "level": "county",
        "level_display": "区县级",
        "parent_code": "330200000000",
        "full_name": "浙江省宁波市海曙区",
    }


@pytest.mark.parametrize(
    ("code", "count"),
    [("330000000000", 11), ("330203", 17), ("330281000000", 21), ("330203001000", 11)],
)
def test_children_counts(client, regions, code, count):
    status, _, body = get(client, f"/api/v1/regions/{code}/children")
    assert (status, len(body)) == (200, count)


def test_children_of_unknown_region_is_404(client, regions):
    status, content_type, body = get(client, "/api/v1/regions/330299000000/children")
    assert (status, content_type, body["detail"]) == (
        404,
        PROBLEM,
        "行政区划代码 330299000000 不存在",
    )


def test_organizations_of_a_region(client, bodies):
    status, _, body = get(client, "/api/v1/organizations?region=330203000000")
    assert status == 200
    haishu, market = bodies["haishu"], bodies["haishu_market"]
    assert body == {
        "count": 2,
        "items": [
            {
                "id": haishu.pk,
                "name": "宁波市海曙区人民政府",
                "uscc": haishu.uscc,
                "level": "county",
                "level_display": "区县级",
                "region_code": "330203000000",
                "region_name": "海曙区",
                "parent_id": bodies["ningbo"].pk,
            },
            {
                "id": market.pk,
                "name": "宁波市海曙区市场监督管理局",
                "uscc": market.uscc,
                "level": "county",
                "level_display": "区县级",
                "region_code": "330203000000",
                "region_name": "海曙区",
                "parent_id": haishu.pk,
            },
        ],
    }


def test_organizations_with_descendants_and_level(client, bodies):
    _, _, body = get(client, "/api/v1/organizations?region=330200&include_descendants=true")
    assert body["count"] == 6
    _, _, body = get(
        client, "/api/v1/organizations?region=330203&include_descendants=true&level=township"
    )
    assert [o["name"] for o in body["items"]] == ["宁波市海曙区南门街道办事处"]
    _, _, body = get(client, "/api/v1/organizations?level=city")
    assert [o["name"] for o in body["items"]] == ["宁波市人民政府", "宁波市市场监督管理局"]


def test_national_body_has_no_region(client, regions):
    sat = services.create_organization(
        region=None,
        name="国家税务总局",
        uscc=uscc("sat", "100000"),
        level="national",
        kind="department",
    )
    _, _, body = get(client, "/api/v1/organizations?level=national")
    assert body["items"] == [
        {
            "id": sat.pk,
            "name": "国家税务总局",
            "uscc": sat.uscc,
            "level": "national",
            "level_display": "国家级",
            "region_code": None,
            "region_name": None,
            "parent_id": None,
        }
    ]


def test_organizations_are_paginated_without_n_plus_1(client, bodies, django_assert_num_queries):
    for n in range(60):
        services.create_organization(
            region="330281000000",
            name=f"余姚市测试局{n:02d}",
            uscc=uscc(f"test{n}", "330281"),
            level="county",
            kind="department",
            parent=bodies["yuyao"],
        )
    # the region, COUNT(*), one page with the regions joined — whatever the page size
    with django_assert_num_queries(3):
        _, _, body = get(client, "/api/v1/organizations?region=330281")
    assert (body["count"], len(body["items"])) == (61, 50)
    with django_assert_num_queries(2):
        _, _, body = get(client, "/api/v1/organizations?limit=200&offset=60")
    assert (body["count"], len(body["items"])) == (66, 6)


@pytest.mark.parametrize(
    ("query", "detail"),
    [
        ("level=town", "level：取值不在允许范围内"),
        ("limit=201", "limit：数值过大"),
        ("limit=0", "limit：数值过小"),
        ("offset=-1", "offset：数值过小"),
        # found by schemathesis in CI: SQLite cannot take an offset beyond 64 bits (was a 500)
        ("offset=260789722934142878875648", "offset：数值过大"),
        ("offset=10000001", "offset：数值过大"),
    ],
)
def test_bad_filters_are_422_problems(client, regions, query, detail):
    status, content_type, body = get(client, f"/api/v1/organizations?{query}")
    assert (status, content_type, body["detail"]) == (422, PROBLEM, detail)
    assert body["type"] == "/api/v1/problems/validation"


def test_bad_region_filter_is_400_and_unknown_is_404(client, regions):
    status, _, body = get(client, "/api/v1/organizations?region=33X")
    assert (status, body["detail"]) == (400, "长度错误：应为6位或12位，实为3位")
    status, _, body = get(client, "/api/v1/organizations?region=330299")
    assert (status, body["detail"]) == (404, "行政区划代码 330299000000 不存在")


def test_organizations_errors_name_the_region_parameter(client, regions):
    status, content_type, body = get(client, "/api/v1/organizations?region=110000000000")
    assert (status, content_type) == (404, PROBLEM)
    assert body["errors"] == [{"field": "region", "message": "行政区划代码 110000000000 不存在"}]
    status, _, body = get(client, "/api/v1/organizations?region=33020X")
    assert (status, body["errors"]) == (
        400,
        [{"field": "region", "message": "第6位字符“X”无效：应为数字"}],
    )
