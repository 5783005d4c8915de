"""limit/offset pagination with the platform's bounds, shared by every app's list endpoints.

Both numbers are bounded: an unbounded ``offset`` reaches the database as a 64-bit overflow
(SQLite raises "Python int too large to convert to SQLite INTEGER") and a 500 instead of a
clear 422. Ten million rows is beyond any list a person or department system pages through;
deeper reads belong to exports and the data-exchange feeds, not to page-by-page browsing.
"""

from typing import Any

from ninja import Field, Schema
from ninja.pagination import LimitOffsetPagination
from pydantic import create_model

__all__ = ["MAX_OFFSET", "limit_offset"]

MAX_OFFSET = 10_000_000


def limit_offset(name: str, *, default: int, maximum: int) -> type[LimitOffsetPagination]:
    """A pagination class whose input schema is called ``name`` (ninja's default ``Input``
    would clash between routers in the OpenAPI document) with ``default``/``maximum`` limits."""
    params = create_model(
        name,
        __base__=Schema,
        limit=(
            int,
            Field(default, ge=1, le=maximum, description=f"每页条数（1–{maximum}）"),
        ),
        offset=(int, Field(0, ge=0, le=MAX_OFFSET, description=f"跳过的条数（0–{MAX_OFFSET}）")),
    )

    class Pagination(LimitOffsetPagination):
        Input = params

        def __init__(self, **kwargs: Any) -> None:
            super().__init__(max_limit=maximum, **kwargs)

    Pagination.__doc__ = f"limit/offset: {default} by default, at most {maximum} per page."
    return Pagination
