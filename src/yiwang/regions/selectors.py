"""Read queries of regions and organisations; every other app reads them through here.

Codes may be given with 12 digits or as 6-digit GB/T 2260 codes; a malformed code raises
:class:`~yiwang.core.identifiers.IdentifierError` (400), a well-formed but unknown one
:class:`~yiwang.core.errors.NotFound` (404).
"""

from __future__ import annotations

from django.db.models import F, QuerySet

from yiwang.core.errors import NotFound
from yiwang.core.identifiers import to_region12
from yiwang.regions.codes import PREFIX_LENGTH, descendant_range
from yiwang.regions.models import Organization, Region

__all__ = [
    "get_region",
    "organizations",
    "region_ancestors",
    "region_children",
]


def get_region(code: str | Region) -> Region:
    """The region with this code (12 digits or 6-digit GB/T 2260), or NotFound."""
    if isinstance(code, Region):
        return code
    code12 = to_region12(code)
    region = Region.objects.filter(code=code12).first()
    if region is None:
        raise NotFound(f"行政区划代码 {code12} 不存在", field="code")
    return region


def region_children(code: str | Region) -> QuerySet[Region]:
    """The direct children of a region, ordered by code (NotFound when the region is unknown)."""
    region = get_region(code)
    return Region.objects.filter(parent=region.code).order_by("code")


def region_ancestors(code: str | Region) -> list[Region]:
    """The region's ancestors from the province down to its parent (empty for a province).

    One query: every ancestor's code is a prefix of the region's code padded with zeros, so the
    candidates are fetched together and the parent links followed in memory.
    """
    region = get_region(code)
    candidates = {region.code[:n].ljust(12, "0") for n in PREFIX_LENGTH.values()} - {region.code}
    by_code = {r.code: r for r in Region.objects.filter(code__in=candidates)}
    chain: list[Region] = []
    parent_code = region.parent_id
    while parent_code is not None:
        parent = by_code.get(parent_code)
        if parent is None:  # a parent outside the code prefixes: follow the link in the database
            parent = Region.objects.get(code=parent_code)
        chain.append(parent)
        parent_code = parent.parent_id
    chain.reverse()
    return chain


def organizations(
    region: str | Region | None = None,
    level: str | None = None,
    include_descendants: bool = False,
) -> QuerySet[Organization]:
    """Organisations, with their region loaded, ordered by region code then id.

    ``region`` alone means the bodies *of that region* (海曙区: the district's bureaus, not the
    street offices below it); with ``include_descendants`` the bodies of every region below it
    too. ``level`` filters on the organisation's level (national, province, …).
    """
    queryset = Organization.objects.select_related("region")
    if region is not None:
        region = get_region(region)
        if include_descendants:
            queryset = queryset.filter(region__code__range=descendant_range(region.code))
        else:
            queryset = queryset.filter(region=region.code)
    if level is not None:
        queryset = queryset.filter(level=level)
    # National bodies (no region) first on both databases (PostgreSQL sorts NULL last).
    return queryset.order_by(F("region_id").asc(nulls_first=True), "id")
