"""Every API error is RFC 9457 problem+json with a Chinese message, whatever raised it."""

import json

import pytest
from django.http import Http404
from django.test import RequestFactory
from django.urls import path
from ninja import NinjaAPI

from yiwang.api import errors
from yiwang.core.errors import Conflict, DomainError, NotFound

api = NinjaAPI(urls_namespace="test-errors")
errors.install(api)


@api.get("/domain")
def raise_domain(request):
    raise DomainError("校验码错误：应为X，实为3", field="id_number")


@api.get("/missing")
def raise_missing(request):
    raise NotFound("行政区划代码 330299000000 不存在")


@api.get("/conflict")
def raise_conflict(request):
    raise Conflict("该身份证号已注册")


@api.get("/http404")
def raise_http404(request):
    raise Http404


@api.get("/typed")
def typed(request, page: int, level: str):
    return {"page": page}


urlpatterns = [path("api/", api.urls)]
pytestmark = pytest.mark.urls(__name__)


def get(client, url):
    response = client.get(url)
    assert response["Content-Type"] == "application/problem+json"
    return response.status_code, json.loads(response.content)


def test_domain_error_is_a_400_problem_naming_the_field(client):
    status, body = get(client, "/api/domain")
    assert status == 400
    assert body == {
        "type": "/api/v1/problems/invalid",
        "title": "请求无法处理",
        "status": 400,
        "detail": "校验码错误：应为X，实为3",
        "instance": "/api/domain",
        "errors": [{"field": "id_number", "message": "校验码错误：应为X，实为3"}],
    }


def test_not_found_and_conflict_keep_their_status_and_message(client):
    assert get(client, "/api/missing") == (
        404,
        {
            "type": "/api/v1/problems/not-found",
            "title": "未找到",
            "status": 404,
            "detail": "行政区划代码 330299000000 不存在",
            "instance": "/api/missing",
        },
    )
    status, body = get(client, "/api/conflict")
    assert (status, body["title"], body["detail"]) == (409, "与现有数据冲突", "该身份证号已注册")


def test_django_404_becomes_a_problem_too(client):
    status, body = get(client, "/api/http404")
    assert (status, body["detail"]) == (404, "未找到")


def test_validation_errors_name_each_field_in_chinese(client):
    status, body = get(client, "/api/typed?page=abc")
    assert status == 422
    assert body["title"] == "请求参数不符合要求"
    assert body["errors"] == [
        {"field": "page", "message": "应为整数"},
        {"field": "level", "message": "必填项缺失"},
    ]
    assert body["detail"] == "page：应为整数；level：必填项缺失"


def test_problem_builder_sets_the_instance_to_the_request_path():
    request = RequestFactory().get("/api/v1/anything")
    response = errors.problem(api, request, status=418, slug="teapot", title="标题", detail="说明")
    assert response.status_code == 418
    assert json.loads(response.content)["instance"] == "/api/v1/anything"
