"""The one API of every channel (portal, app, kiosk, hotline, department systems): /api/v1/.

Each domain app contributes a router from its own ``api.py``; this module only mounts them and
installs the shared error handling. OpenAPI: /api/v1/openapi.json, docs: /api/v1/docs.
"""

import json
from typing import Any

from django.http import HttpRequest
from ninja import NinjaAPI
from ninja.renderers import JSONRenderer

from yiwang import __version__
from yiwang.accounts.api import router as accounts_router
from yiwang.api import errors, idempotency
from yiwang.cases.api import router as cases_router
from yiwang.catalog.api import router as catalog_router
from yiwang.catalog.search.api import router as search_router
from yiwang.core.errors import NotFound
from yiwang.core.problems import PROBLEM_TYPES
from yiwang.regions.api import router as regions_router


class ChineseJSONRenderer(JSONRenderer):
    """JSON with Chinese characters as they are, not as \\uXXXX escapes: a department
    developer reading a response with curl should read 海曙区."""

    def render(self, request: HttpRequest, data: Any, *, response_status: int) -> str:
        return json.dumps(data, cls=self.encoder_class, ensure_ascii=False)


class YiwangAPI(NinjaAPI):
    def get_openapi_schema(self, *args: Any, **kwargs: Any) -> dict[str, Any]:
        """Error responses are documented with the media type they are sent with."""
        schema = super().get_openapi_schema(*args, **kwargs)
        for operations in schema.get("paths", {}).values():
            for method, operation in operations.items():
                if method.upper() in idempotency.UNSAFE_METHODS:
                    _document_idempotency(operation)
                for status, response in operation.get("responses", {}).items():
                    content = response.get("content", {})
                    if int(status) >= 400 and "application/json" in content:
                        content[errors.CONTENT_TYPE] = content.pop("application/json")
        return schema


IDEMPOTENCY_PARAMETER = {
    "name": idempotency.HEADER,
    "in": "header",
    "required": False,
    "description": "幂等键（建议用 UUID）：网络中断后用同一个键重发同一请求，得到第一次的应答"
    "（带 Idempotent-Replayed: true 头），不会重复办理；同一个键用于不同请求返回 422，"
    "第一次请求仍在处理时返回 409。成功的应答保留 24 小时。",
    "schema": {"type": "string", "pattern": "^[!-~]{1,255}$", "maxLength": 255},
}


def _document_idempotency(operation: dict[str, Any]) -> None:
    """Every write takes the header (``yiwang.api.idempotency``) and may answer its errors."""
    operation.setdefault("parameters", []).append(IDEMPOTENCY_PARAMETER)
    problem = {
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Problem"}}}
    }
    responses = operation.setdefault("responses", {})
    for status, description in (
        (400, "Bad Request"),
        (409, "Conflict"),
        (422, "Unprocessable Content"),
    ):
        responses.setdefault(status, {"description": description, **problem})


api = YiwangAPI(
    renderer=ChineseJSONRenderer(),
    title="一网 yiwang API",
    version=f"v1 ({__version__})",
    description="互联网+政务服务平台的统一接口：门户、移动端、自助终端、热线与部门业务系统共用。"
    "错误以 RFC 9457 application/problem+json 返回。"
    "所有写操作接受 Idempotency-Key 请求头，重发不会重复办理。"
    "以登录会话（Cookie）调用写操作时，须带上 X-CSRFToken 请求头（值为 csrftoken Cookie），"
    "HTTPS 下还须带 Referer；登录与取会话见 /api/v1/auth/ 下的接口。",
    urls_namespace="api-v1",
)
errors.install(api)
api.add_router("/", regions_router)
api.add_router("/", accounts_router)
api.add_router("/", search_router)  # /items/search before the catalogue's /items/{code}
api.add_router("/", catalog_router)  # its {code} is a 31-character 实施编码, never "search"
api.add_router("/", cases_router)


@api.get("/", include_in_schema=False)
def index(request: HttpRequest) -> dict[str, str]:
    """Where a developer who types /api/v1/ finds the way on."""
    return {
        "name": api.title,
        "version": api.version,
        "openapi": request.build_absolute_uri("/api/v1/openapi.json"),
        "docs": request.build_absolute_uri("/api/v1/docs"),
    }


@api.get("/problems/{slug}", include_in_schema=False)
def problem_type(request: HttpRequest, slug: str) -> dict[str, str]:
    """RFC 9457 §3.1.1: a problem's ``type`` URI should lead to documentation of it."""
    if slug not in PROBLEM_TYPES:
        raise NotFound(f"没有这种错误类型：{slug}")
    title, description = PROBLEM_TYPES[slug]
    return {"type": errors.PROBLEM_TYPE_BASE + slug, "title": title, "description": description}
