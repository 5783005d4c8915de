"""The API root: schema and documentation served by the app itself, no CDN."""

import json

import pytest


def test_openapi_schema_is_served_with_the_chinese_title(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    schema = json.loads(response.content)
    assert schema["info"]["title"] == "一网 yiwang API"
    assert schema["openapi"].startswith("3.")


def test_docs_page_loads_swagger_from_the_app_not_a_cdn(client):
    response = client.get("/api/v1/docs")
    html = response.content.decode()
    assert response.status_code == 200
    assert "/static/ninja/swagger-ui" in html
    assert "cdn." not in html


def test_index_points_to_the_schema_and_the_docs(client):
    response = client.get("/api/v1/")
    assert response.status_code == 200
    assert json.loads(response.content) == {
        "name": "一网 yiwang API",
        "version": "v1 (0.1.0)",
        "openapi": "http://testserver/api/v1/openapi.json",
        "docs": "http://testserver/api/v1/docs",
    }


def test_problem_types_are_documented_at_their_uri(client):
    body = json.loads(client.get("/api/v1/problems/validation").content)
    assert body == {
        "type": "/api/v1/problems/validation",
        "title": "请求参数不符合要求",
        "description": "参数缺失、类型错误或超出范围；errors 列出每个字段。",
    }
    missing = client.get("/api/v1/problems/nonsense")
    assert missing.status_code == 404
    assert json.loads(missing.content)["detail"] == "没有这种错误类型：nonsense"


def test_unknown_api_path_is_a_problem_not_the_portal_page(client):
    response = client.get("/api/v1/no-such-thing/")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
    assert json.loads(response.content) == {
        "type": "/api/v1/problems/not-found",
        "title": "未找到",
        "status": 404,
        "detail": "接口不存在：GET /api/v1/no-such-thing/",
        "instance": "/api/v1/no-such-thing/",
    }


def test_wrong_method_is_a_405_problem_keeping_allow(client):
    response = client.post("/api/v1/regions/330203000000")
    assert response.status_code == 405
    assert response["Content-Type"] == "application/problem+json"
    assert response["Allow"] == "GET"
    body = json.loads(response.content)
    assert (body["title"], body["detail"]) == (
        "不支持的请求方法",
        "该接口不支持 POST 方法（支持：GET）",
    )


def test_refused_host_under_api_is_a_problem(client):
    response = client.get("/api/v1/", HTTP_HOST="evil.example")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"


def test_portal_404_stays_html(client, db):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert response["Content-Type"] == "text/html; charset=utf-8"


def test_schema_documents_error_responses_as_problem_json(client):
    schema = json.loads(client.get("/api/v1/openapi.json").content)
    responses = schema["paths"]["/api/v1/regions/{code}"]["get"]["responses"]
    assert sorted(responses) == ["200", "400", "404", "422"]
    assert responses["404"]["content"] == {
        "application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}
    }


@pytest.mark.django_db
def test_a_nul_character_in_a_query_parameter_is_a_422_not_a_database_error(client):
    # PostgreSQL refuses NUL in text; schemathesis found it as a 500 on /api/v1/items
    response = client.get("/api/v1/items", {"type": "\x00x", "limit": 5})
    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"
    body = json.loads(response.content)
    assert body["errors"] == [{"field": "type", "message": "参数中含有不允许的字符（\\0）"}]
    assert body["type"] == "/api/v1/problems/validation"
    assert client.get("/api/v1/items", {"type": "XK", "limit": 5}).status_code == 200
