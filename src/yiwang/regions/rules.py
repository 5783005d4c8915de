"""The consistency rules of organisations, halls and stations, in one place.

Services call them before writing; the models' ``clean()`` calls them for the admin. Each rule
raises :class:`~yiwang.core.errors.DomainError` naming the field and saying, in Chinese, what is
wrong. They normalise in place (the USCC is stored as the validator returns it).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from yiwang.core.errors import DomainError
from yiwang.core.identifiers import REGION_LEVEL_LABELS, validate_uscc
from yiwang.regions.codes import contains

if TYPE_CHECKING:
    from yiwang.regions.models import Organization, ServiceHall, ServiceStation, Window

__all__ = ["check_hall", "check_organization", "check_station", "check_window"]

HALL_LEVELS = ("province", "city", "county", "township")
STATION_LEVELS = ("township", "village")


def _required(value: str, label: str, field: str) -> None:
    if not (value or "").strip():
        raise DomainError(f"{label}不能为空", field=field)


def check_organization(org: Organization) -> None:
    """USCC valid (GB 32100); level equal to the region's level (national bodies: no region);
    the superior body's region contains this body's region."""
    _required(org.name, "机构名称", "name")
    try:
        org.uscc = validate_uscc(org.uscc)
    except DomainError as exc:
        raise DomainError(f"统一社会信用代码无效：{exc.message}", field="uscc") from exc
    region = org.region if org.region_id else None
    if org.level == "national":
        if region is not None:
            raise DomainError("国家级机构不设所在行政区划", field="region")
    elif region is None:
        raise DomainError("请选择机构所在的行政区划", field="region")
    elif region.level != org.level:
        raise DomainError(
            f"机构层级（{REGION_LEVEL_LABELS.get(org.level, org.level)}）与所在行政区划"
            f"{region.name}（{REGION_LEVEL_LABELS[region.level]}）不一致",
            field="level",
        )
    parent = org.parent if org.parent_id else None
    if parent is None:
        return
    if org.pk is not None and parent.pk == org.pk:
        raise DomainError("上级机构不能是本机构", field="parent")
    if parent.region_id is None:  # a national body contains every region
        return
    if region is None or not contains(parent.region_id, region.code):
        raise DomainError(
            f"上级机构{parent.name}所在的行政区划不包含{region.name if region else '全国'}",
            field="parent",
        )


def check_hall(hall: ServiceHall) -> None:
    """A hall sits in a province, city, county or township and has that level; the managing
    body's region contains the hall's region."""
    _required(hall.name, "大厅名称", "name")
    if not hall.region_id:
        raise DomainError("请选择大厅所在的行政区划", field="region")
    region = hall.region
    if region.level not in HALL_LEVELS:
        raise DomainError(
            f"{region.name}是村（社区）级区划：村（社区）设便民服务站，不设大厅", field="region"
        )
    hall.level = region.level
    if not hall.organization_id:
        raise DomainError("请选择大厅的管理机构", field="organization")
    org_region = hall.organization.region_id
    if org_region is not None and not contains(org_region, region.code):
        raise DomainError(
            f"管理机构{hall.organization.name}所在的行政区划不包含{region.name}",
            field="organization",
        )


def check_window(window: Window) -> None:
    """A window has a number and a name; numbers are unique within a hall (constraint)."""
    _required(window.number, "窗口号", "number")
    _required(window.name, "窗口名称", "name")


def check_station(station: ServiceStation) -> None:
    """A station serves a village (or a township); its hall is a township 便民服务中心 whose
    township contains the station."""
    _required(station.name, "服务站名称", "name")
    if not station.region_id:
        raise DomainError("请选择服务站所在的行政区划", field="region")
    region = station.region
    if region.level not in STATION_LEVELS:
        raise DomainError(
            f"便民服务站应设在乡镇（街道）或村（社区），{region.name}是"
            f"{REGION_LEVEL_LABELS[region.level]}区划",
            field="region",
        )
    hall = station.hall if station.hall_id else None
    if hall is None:
        return
    if hall.level != "township":
        raise DomainError(f"{hall.name}不是乡镇（街道）便民服务中心", field="hall")
    if not contains(hall.region_id, region.code):
        raise DomainError(f"{region.name}不在{hall.name}的服务范围内", field="hall")
