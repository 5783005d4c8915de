"""The consistency rules of organisations, halls and stations, in one place.

Services call them before writing; the models' ``clean()`` calls them for the admin. Each rule
raises :class:`~yiwang.core.errors.DomainError` naming the field and saying, in Chinese, what is
wrong. They normalise in place (the USCC is stored as the validator returns it, a window number
upper-case). The ``check_*_unique`` rules look for another row with the same natural key and
raise :class:`~yiwang.core.errors.Conflict`, so the admin says which row, in Chinese, instead of
Django's generic "具有 … 的 … 已存在。".
"""

from __future__ import annotations

from itertools import pairwise
from typing import TYPE_CHECKING

from django.db import models

from yiwang.core.errors import Conflict, DomainError
from yiwang.core.identifiers import REGION_LEVEL_LABELS, validate_uscc
from yiwang.regions.codes import contains

if TYPE_CHECKING:
    from yiwang.regions.models import Organization, ServiceHall, ServiceStation, Window

__all__ = [
    "check_hall",
    "check_hall_unique",
    "check_organization",
    "check_organization_unique",
    "check_station",
    "check_station_unique",
    "check_window",
    "check_window_unique",
]

HALL_LEVELS = ("province", "city", "county", "township")
STATION_LEVELS = ("township", "village")
# National → province → city → county → township is five levels; departments, branches and
# vertically managed bodies add a few. A longer chain can only be a loop stored earlier.
MAX_SUPERIOR_DEPTH = 32


def _required(value: str, label: str, field: str) -> None:
    if not (value or "").strip():
        raise DomainError(f"{label}不能为空", field=field)


def _other(obj: models.Model, **lookup) -> models.Model | None:
    """Another row of ``obj``'s model matching ``lookup`` (``obj`` itself excluded)."""
    others = type(obj)._default_manager.filter(**lookup)
    if obj.pk is not None:
        others = others.exclude(pk=obj.pk)
    return others.first()


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
    _check_no_loop(org, parent)
    if parent.region_id is None:  # a national body contains every region
        return
    if region is None or not contains(parent.region_id, region.code):
        raise DomainError(
            f"上级机构{parent.name}所在的行政区划不包含{region.name if region else '全国'}",
            field="parent",
        )


def _check_no_loop(org: Organization, parent: Organization) -> None:
    """Walk up from the proposed superior: reaching ``org`` again would make a loop."""
    if org.pk is None:  # a body being created has no subordinates yet
        return
    chain = [parent.name]
    current = parent.parent_id
    for _ in range(MAX_SUPERIOR_DEPTH):
        if current is None:
            return
        if current == org.pk:
            chain.append(org.name)
            links = "，".join(f"{lower}隶属于{upper}" for lower, upper in pairwise(chain))
            raise DomainError(f"上级机构不能是本机构的下级机构：{links}", field="parent")
        row = type(org)._default_manager.filter(pk=current).values_list("parent_id", "name").first()
        if row is None:
            return
        current, name = row
        chain.append(name)
    raise DomainError(
        f"上级机构{parent.name}之上的隶属关系超过 {MAX_SUPERIOR_DEPTH} 级，"
        "其中可能已有循环，请先检查这些机构的上级机构",
        field="parent",
    )


def check_organization_unique(org: Organization) -> None:
    """The USCC identifies one body; a name is used once per region (once among national ones)."""
    other = _other(org, uscc=org.uscc)
    if other is not None:
        raise Conflict(f"统一社会信用代码 {org.uscc} 已被“{other.name}”使用", field="uscc")
    region = org.region if org.region_id else None
    if _other(org, region=region, name=org.name) is not None:
        where = region.name if region else "国家级"
        raise Conflict(f"{where}机构“{org.name}”已存在", field="name")


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


def check_hall_unique(hall: ServiceHall) -> None:
    """A hall's name is used once per region."""
    if _other(hall, region_id=hall.region_id, name=hall.name) is not None:
        raise Conflict(f"{hall.region.name}的大厅“{hall.name}”已存在", field="name")


def check_window(window: Window) -> None:
    """A window has a number (stored upper-case: "a01" is "A01") and a name."""
    window.number = (window.number or "").strip().upper()
    _required(window.number, "窗口号", "number")
    _required(window.name, "窗口名称", "name")


def check_window_unique(window: Window) -> None:
    """Window numbers are unique within a hall."""
    if not window.hall_id:  # the hall is being created with its windows
        return
    if _other(window, hall_id=window.hall_id, number=window.number) is not None:
        raise Conflict(f"{window.hall.name}的 {window.number} 号窗口已存在", field="number")


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


def check_station_unique(station: ServiceStation) -> None:
    """A station's name is used once per region."""
    if _other(station, region_id=station.region_id, name=station.name) is not None:
        raise Conflict(f"{station.region.name}的服务站“{station.name}”已存在", field="name")
