"""Every error under /api/ answers in problem+json, including those that never reach ninja.

Ninja's handlers cover what its operations raise. A path no router knows (404), a method an
operation does not accept (405), a server error rendered by Django (500) or a refused host (400)
would otherwise come back as the portal's HTML pages, which an integrating department system
cannot parse. This middleware rewrites such responses, keeping status and headers (``Allow``).
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from yiwang.api.errors import CONTENT_TYPE, plain_problem

API_PREFIX = "/api/"

_SLUG_BY_STATUS = {
    401: "unauthenticated",
    403: "forbidden",
    404: "not-found",
    405: "method-not-allowed",
}


def _detail(request: HttpRequest, response: HttpResponse) -> str:
    if response.status_code == 404:
        return f"接口不存在：{request.method} {request.path}"
    if response.status_code == 405:
        allowed = response.get("Allow", "")
        return f"该接口不支持 {request.method} 方法" + (f"（支持：{allowed}）" if allowed else "")
    if response.status_code == 403:
        return "没有访问这个接口的权限"
    if response.status_code >= 500:
        return "平台处理请求时出错，请稍后重试"
    return "请求无法处理"


def _nul_in_query(request: HttpRequest) -> HttpResponse | None:
    """A query parameter holding NUL (``%00``) is refused before any view sees it: PostgreSQL
    cannot store or compare such text (it raises, which would be a 500), and no real value has
    one. 422, the answer every operation with parameters documents for a malformed one."""
    for name, values in request.GET.lists():
        if "\x00" in name or any("\x00" in value for value in values):
            field = name.replace("\x00", "")
            message = "参数中含有不允许的字符（\\0）"
            return plain_problem(
                request,
                status=422,
                slug="validation",
                detail=f"{field}：{message}",
                errors=[{"field": field, "message": message}],
            )
    return None


class ProblemDetailsMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path.startswith(API_PREFIX):
            refused = _nul_in_query(request)
            if refused is not None:
                return refused
        response = self.get_response(request)
        if (
            response.status_code < 400
            or not request.path.startswith(API_PREFIX)
            or response.get("Content-Type", "").startswith((CONTENT_TYPE, "application/json"))
        ):
            return response
        status = response.status_code
        slug = _SLUG_BY_STATUS.get(status, "server-error" if status >= 500 else "http-error")
        problem = plain_problem(
            request, status=status, slug=slug, detail=_detail(request, response)
        )
        if "Allow" in response:
            problem["Allow"] = response["Allow"]
        return problem
