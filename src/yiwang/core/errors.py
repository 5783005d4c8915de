"""Errors that services raise and every channel (page, API, CLI) shows the same way.

Each carries a precise Chinese message for the user. The API turns them into RFC 9457
``application/problem+json`` responses (``yiwang.api.errors``); pages show the message next to the
form that caused it.
"""

from __future__ import annotations


class DomainError(Exception):
    """A request the platform understood but refuses; ``message`` is shown to the user."""

    status = 400
    type_slug = "invalid"
    title = "请求无法处理"

    def __init__(
        self, message: str, *, field: str | None = None, extra: dict | None = None
    ) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        # more members of the API's problem document (e.g. ``allowed_actions`` on a 409)
        self.extra = extra or {}


class FieldErrors(DomainError):
    """Several fields wrong at once (a form, an application): ``errors`` maps each field to its
    Chinese message, so every one is shown next to its field and nothing typed is lost. The API
    answers it like a request that failed its schema (422, ``errors[]``)."""

    status = 422
    type_slug = "validation"
    title = "请求参数不符合要求"

    def __init__(self, errors: dict[str, str], *, message: str = "") -> None:
        self.errors = dict(errors)
        text = message or f"有 {len(self.errors)} 处需要修改：" + "；".join(self.errors.values())
        super().__init__(text)


class NotFound(DomainError):
    status = 404
    type_slug = "not-found"
    title = "未找到"


class Conflict(DomainError):
    status = 409
    type_slug = "conflict"
    title = "与现有数据冲突"


class Forbidden(DomainError):
    """Signed in, but without the role or grant the action needs (default deny)."""

    status = 403
    type_slug = "forbidden"
    title = "无权访问"


class RateLimited(DomainError):
    """Too many attempts; ``retry_after`` seconds until the next one is accepted."""

    status = 429
    type_slug = "rate-limited"
    title = "操作过于频繁"

    def __init__(self, message: str, *, field: str | None = None, retry_after: int = 60) -> None:
        super().__init__(message, field=field)
        self.retry_after = retry_after
