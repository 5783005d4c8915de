"""Importing 行政区划 from the statistics' division data."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db import transaction

from yiwang.core import audit
from yiwang.core.errors import DomainError
from yiwang.core.identifiers import IdentifierError, region_level, validate_region_code
from yiwang.regions.division import RegionRow
from yiwang.regions.models import (
    Region,
    RegionLevel,
)

# Rows of the statistics that only group others; a full name reads "北京市东城区", not
# "北京市市辖区东城区".
PLACEHOLDER_NAMES = frozenset({"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"})


@dataclass(frozen=True)
class ImportResult:
    total: int
    created: int
    updated: int

    @property
    def unchanged(self) -> int:
        return self.total - self.created - self.updated


# --- regions ---------------------------------------------------------------------------------


def _validated(rows: Sequence[RegionRow]) -> list[RegionRow]:
    levels = set(RegionLevel.values)
    seen: set[str] = set()
    result = []
    for number, row in enumerate(rows, start=1):
        where = f"第 {number} 条（{row.code}）"
        try:
            code = validate_region_code(row.code)
            parent = validate_region_code(row.parent_code) if row.parent_code else None
        except IdentifierError as exc:
            raise DomainError(f"{where}：{exc.message}") from exc
        if row.level not in levels:
            raise DomainError(f"{where}：层级“{row.level}”无效")
        if region_level(code) != row.level:
            raise DomainError(f"{where}：层级“{row.level}”与代码不符")
        if not row.name.strip():
            raise DomainError(f"{where}：名称不能为空")
        if (parent is None) != (row.level == "province"):
            raise DomainError(f"{where}：只有省级区划没有上级区划")
        if parent is not None and not code.startswith(parent.rstrip("0")):
            raise DomainError(f"{where}：上级区划 {parent} 不包含本区划")
        if code in seen:
            raise DomainError(f"{where}：代码重复")
        seen.add(code)
        result.append(RegionRow(code, row.name.strip(), parent, row.level))
    # Parents sort before their children: their codes are the children's with trailing zeros.
    result.sort(key=lambda r: r.code)
    return result


def import_regions(
    rows: Iterable[RegionRow], *, actor: str = "system", source: str = ""
) -> ImportResult:
    """Create or update regions by code; regions absent from ``rows`` are left alone.

    Idempotent: a row equal to what is stored is not written, so importing the same file twice
    changes nothing the second time. A partial file (one province) therefore never deactivates
    the rest of the country; ``is_active`` is the operators' to change. Every parent must be in
    ``rows`` or already stored. The import is one transaction with bulk inserts and updates (the
    3 306 rows of the demo extract take a fraction of a second on SQLite) and, when it changed
    something, one audit event ``regions.import``.
    """
    rows = _validated(list(rows))
    stored = {
        code: (name, level, parent_id, full_name)
        for code, name, level, parent_id, full_name in Region.objects.values_list(
            "code", "name", "level", "parent_id", "full_name"
        )
    }
    full_names = {code: values[3] for code, values in stored.items()}
    to_create: list[Region] = []
    to_update: list[Region] = []
    for row in rows:
        if row.parent_code is None:
            prefix = ""
        elif row.parent_code in full_names:
            prefix = full_names[row.parent_code]
        else:
            raise DomainError(f"{row.code} {row.name}：上级区划 {row.parent_code} 不存在")
        full_name = prefix if row.name in PLACEHOLDER_NAMES else prefix + row.name
        full_names[row.code] = full_name
        wanted = (row.name, row.level, row.parent_code, full_name)
        region = Region(
            code=row.code,
            name=row.name,
            level=row.level,
            parent_id=row.parent_code,
            full_name=full_name,
        )
        if row.code not in stored:
            to_create.append(region)
        elif stored[row.code] != wanted:
            to_update.append(region)
    with transaction.atomic():
        Region.objects.bulk_create(to_create, batch_size=2000)
        Region.objects.bulk_update(
            to_update, ["name", "level", "parent", "full_name"], batch_size=1000
        )
        result = ImportResult(total=len(rows), created=len(to_create), updated=len(to_update))
        if result.created or result.updated:
            audit.record(
                "regions.import",
                actor=actor,
                object_type="region",
                after={
                    "source": source,
                    "total": result.total,
                    "created": result.created,
                    "updated": result.updated,
                },
            )
    return result
