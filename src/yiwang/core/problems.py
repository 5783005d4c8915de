"""The shape of an API error (RFC 9457 problem details), shared by every app's API schema.

Apps declare it in their routers' ``response=`` so the OpenAPI document shows department
developers what a 400, 404 or 422 looks like; ``yiwang.api.errors`` produces the bodies.
"""

from ninja import Field, Schema

__all__ = ["PROBLEM_TYPES", "FieldError", "Problem"]

# slug → (title, when it happens); /api/v1/problems/{slug} explains each to a developer.
PROBLEM_TYPES = {
    "invalid": ("请求无法处理", "请求内容符合格式，但业务规则不允许，例如代码的校验码错误。"),
    "validation": ("请求参数不符合要求", "参数缺失、类型错误或超出范围；errors 列出每个字段。"),
    "not-found": ("未找到", "请求的对象或接口不存在。"),
    "conflict": ("与现有数据冲突", "与已有数据重复或状态不允许，例如重复注册。"),
    "unauthenticated": ("需要登录", "缺少或无效的登录凭证。"),
    "forbidden": ("无权访问", "已登录，但没有这项操作的权限。"),
    "rate-limited": ("操作过于频繁", "尝试次数过多，请按 Retry-After 头给出的秒数稍后再试。"),
    "method-not-allowed": (
        "不支持的请求方法",
        "该接口不支持所用的 HTTP 方法；Allow 头列出支持的方法。",
    ),
    "http-error": ("请求无法处理", "其他 HTTP 错误。"),
    "server-error": ("系统内部错误", "平台处理请求时出错，请稍后重试；问题持续时请联系平台运维。"),
}


class FieldError(Schema):
    field: str | None = Field(description="出错的参数或字段名")
    message: str = Field(description="中文错误说明", examples=["校验码错误：应为X，实为3"])


class Problem(Schema):
    """RFC 9457 ``application/problem+json``."""

    type: str = Field(examples=["/api/v1/problems/invalid"])
    title: str = Field(examples=["请求无法处理"])
    status: int = Field(examples=[400])
    detail: str = Field(description="给用户看的中文说明", examples=["校验码错误：应为X，实为3"])
    instance: str = Field(description="出错请求的路径", examples=["/api/v1/regions/33020300000X"])
    errors: list[FieldError] | None = Field(None, description="逐字段的错误（如有）")
