"""RFC 9457 problem details for every API error, with Chinese messages.

Handlers are registered on the one ``NinjaAPI`` instance in ``yiwang.api.root``; an app's router
never builds an error response itself, it raises ``yiwang.core.errors.DomainError`` (or lets
validation fail) and the answer comes out here in one shape.
"""

from __future__ import annotations

import json
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from yiwang.core.errors import DomainError
from yiwang.core.problems import PROBLEM_TYPES

PROBLEM_TYPE_BASE = "/api/v1/problems/"
CONTENT_TYPE = "application/problem+json"


def problem(
    api: NinjaAPI,
    request: HttpRequest,
    *,
    status: int,
    slug: str,
    title: str,
    detail: str,
    **extra: Any,
) -> HttpResponse:
    body = {
        "type": PROBLEM_TYPE_BASE + slug,
        "title": title,
        "status": status,
        "detail": detail,
        "instance": request.path,
        **extra,
    }
    response = api.create_response(request, body, status=status)
    response["Content-Type"] = CONTENT_TYPE
    return response


def plain_problem(
    request: HttpRequest, *, status: int, slug: str, detail: str, **extra: Any
) -> HttpResponse:
    """The same problem+json body for an answer given outside ninja (middleware: unknown paths,
    Idempotency-Key refusals, the initial-password rule), with the slug's registered title."""
    body = {
        "type": PROBLEM_TYPE_BASE + slug,
        "title": PROBLEM_TYPES[slug][0],
        "status": status,
        "detail": detail,
        "instance": request.path,
        **extra,
    }
    return HttpResponse(
        json.dumps(body, ensure_ascii=False), status=status, content_type=CONTENT_TYPE
    )


def _location(loc: list[Any] | tuple[Any, ...]) -> str:
    # ninja prefixes the source ("query", "path", "body"); the user needs the field name.
    parts = [str(p) for p in loc]
    if parts and parts[0] in {"query", "path", "body", "form", "header", "cookie", "file"}:
        parts = parts[1:]
    return ".".join(parts) or "request"


_PYDANTIC_MESSAGES = {
    "missing": "必填项缺失",
    "int_parsing": "应为整数",
    "int_type": "应为整数",
    "string_type": "应为字符串",
    "string_too_short": "长度不足",
    "string_too_long": "长度超出限制",
    "string_pattern_mismatch": "格式不正确",
    "enum": "取值不在允许范围内",
    "literal_error": "取值不在允许范围内",
    "bool_parsing": "应为布尔值（true 或 false）",
    "json_invalid": "不是有效的 JSON",
    "date_from_datetime_parsing": "应为日期（YYYY-MM-DD）",
    "date_parsing": "应为日期（YYYY-MM-DD）",
    "greater_than_equal": "数值过小",
    "less_than_equal": "数值过大",
}


def install(api: NinjaAPI) -> None:
    @api.exception_handler(DomainError)
    def domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
        extra = {"errors": [{"field": exc.field, "message": exc.message}]} if exc.field else {}
        field_errors = getattr(exc, "errors", None)
        if field_errors:
            extra = {"errors": [{"field": f, "message": m} for f, m in field_errors.items()]}
        extra.update(exc.extra)
        response = problem(
            api,
            request,
            status=exc.status,
            slug=exc.type_slug,
            title=exc.title,
            detail=exc.message,
            **extra,
        )
        retry_after = getattr(exc, "retry_after", None)
        if retry_after is not None:
            response["Retry-After"] = str(retry_after)
        return response

    @api.exception_handler(ValidationError)
    def validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        errors = [
            {
                "field": _location(err.get("loc", ())),
                "message": _PYDANTIC_MESSAGES.get(err.get("type", ""), "取值无效"),
            }
            for err in exc.errors
        ]
        detail = "；".join(f"{e['field']}：{e['message']}" for e in errors)
        return problem(
            api,
            request,
            status=422,
            slug="validation",
            title="请求参数不符合要求",
            detail=detail,
            errors=errors,
        )

    @api.exception_handler(Http404)
    def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        return problem(
            api, request, status=404, slug="not-found", title="未找到", detail=str(exc) or "未找到"
        )

    @api.exception_handler(AuthenticationError)
    def unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        return problem(
            api, request, status=401, slug="unauthenticated", title="需要登录", detail="请先登录"
        )

    @api.exception_handler(HttpError)
    def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        detail = str(exc)
        if detail == "CSRF check Failed":  # django-ninja's own words for a cookie session write
            detail = "CSRF 校验未通过：以登录会话调用写操作时，请带上 X-CSRFToken 请求头"
        return problem(
            api,
            request,
            status=exc.status_code,
            slug="http-error",
            title="请求无法处理",
            detail=detail,
        )
