"""/api/v1/regions and /api/v1/organizations: 行政区划 and implementing bodies, read-only.

Handlers only parse, call a selector and return a schema. A malformed region code is a 400 with
the validator's message, an unknown one a 404 (both problem+json, see ``yiwang.api.errors``).

No ``from __future__ import annotations`` here: ninja reads the handlers' annotations at import
time, and ``Query[...]`` as a string cannot be resolved.
"""

from collections.abc import Iterator
from contextlib import contextmanager

from django.http import HttpRequest
from ninja import Field, Path, Query, Router, Schema
from ninja.pagination import paginate

from yiwang.core.errors import DomainError
from yiwang.core.pagination import limit_offset
from yiwang.core.problems import Problem
from yiwang.regions import selectors
from yiwang.regions.models import OrganizationLevel, Region

router = Router(tags=["行政区划与机构"])

DEFAULT_LIMIT = 50
MAX_LIMIT = 200


class RegionOut(Schema):
    code: str = Field(description="12 位行政区划代码", examples=["330203000000"])
    name: str = Field(examples=["海曙区"])
    level: str = Field(description="province / city / county / township / village")
    level_display: str = Field(examples=["区县级"])
    parent_code: str | None = Field(description="上级区划的 12 位代码；省级为 null")
    full_name: str = Field(examples=["浙江省宁波市海曙区"])

    @staticmethod
    def resolve_level_display(obj: Region) -> str:
        return obj.get_level_display()

    @staticmethod
    def resolve_parent_code(obj: Region) -> str | None:
        return obj.parent_id


class OrganizationOut(Schema):
    id: int
    name: str = Field(examples=["宁波市海曙区市场监督管理局"])
    uscc: str = Field(description="统一社会信用代码")
    level: str = Field(description="national / province / city / county / township / village")
    level_display: str = Field(examples=["区县级"])
    region_code: str | None = Field(description="所在区划的 12 位代码；国家级机构为 null")
    region_name: str | None = Field(examples=["海曙区"])
    parent_id: int | None = Field(description="上级机构的 id")

    @staticmethod
    def resolve_level_display(obj) -> str:
        return obj.get_level_display()

    @staticmethod
    def resolve_region_code(obj) -> str | None:
        return obj.region_id

    @staticmethod
    def resolve_region_name(obj) -> str | None:
        return obj.region.name if obj.region_id else None


class OrganizationFilter(Schema):
    region: str | None = Field(
        None, description="区划代码（12 位或 6 位）：只列该区划本级的机构，除非 include_descendants"
    )
    level: OrganizationLevel | None = Field(None, description="机构层级")
    include_descendants: bool = Field(False, description="同时列出下级区划的机构")


Pagination = limit_offset("RegionsPageParams", default=DEFAULT_LIMIT, maximum=MAX_LIMIT)


@contextmanager
def parameter(name: str) -> Iterator[None]:
    """Errors raised while resolving a parameter name it, so the problem's ``errors`` say which
    of the caller's parameters was wrong (``region``, not the selector's own ``code``)."""
    try:
        yield
    except DomainError as exc:
        exc.field = name
        raise


ERRORS = {400: Problem, 404: Problem, 422: Problem}

CODE = Path(..., description="12 位行政区划代码，或 6 位 GB/T 2260 代码", examples=["330203000000"])


@router.get("/regions/{code}", response={200: RegionOut, **ERRORS}, summary="查询行政区划")
def get_region(request: HttpRequest, code: str = CODE):
    """One region by its 12-digit code (a 6-digit GB/T 2260 code is accepted too)."""
    with parameter("code"):
        return selectors.get_region(code)


@router.get(
    "/regions/{code}/children", response={200: list[RegionOut], **ERRORS}, summary="下级行政区划"
)
def region_children(request: HttpRequest, code: str = CODE):
    """The direct children of a region, ordered by code."""
    with parameter("code"):
        return list(selectors.region_children(code))


@router.get(
    "/organizations", response={200: list[OrganizationOut], **ERRORS}, summary="实施机构列表"
)
@paginate(Pagination)
def organizations(request: HttpRequest, filters: Query[OrganizationFilter]):
    """Implementing bodies, ordered by region code; ``region`` without ``include_descendants``
    lists only the bodies of that region itself."""
    with parameter("region"):
        return selectors.organizations(
            region=filters.region,
            level=filters.level,
            include_descendants=filters.include_descendants,
        )
