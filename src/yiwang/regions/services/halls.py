"""Halls, windows and village stations."""

from __future__ import annotations

from collections.abc import Iterable

from yiwang.regions.models import (
    Organization,
    Region,
    ServiceHall,
    ServiceStation,
    Window,
)
from yiwang.regions.selectors import get_region
from yiwang.regions.services._write import UpsertResult, _save

# --- halls and windows -----------------------------------------------------------------------


def _hall(*, create_only: bool, region, name, organization, address, phone, opening_hours, actor):
    region = get_region(region)
    return _save(
        ServiceHall,
        key={"region": region, "name": name.strip()},
        values={
            "level": region.level,
            "organization": organization,
            "address": address,
            "phone": phone,
            "opening_hours": opening_hours,
        },
        describe=f"{region.name}的大厅“{name}”",
        create_only=create_only,
        actor=actor,
    )


def create_hall(
    *,
    region: str | Region,
    name: str,
    organization: Organization,
    address: str = "",
    phone: str = "",
    opening_hours: str = "",
    actor: str = "system",
) -> ServiceHall:
    """Open a 政务服务中心 / 行政服务中心 (province, city, county) or 便民服务中心 (township).

    Rules: the hall's level is its region's level, and villages have stations, not halls; the
    managing body (``organization``, e.g. the 政务服务管理办公室 or the township government) is
    of the hall's region or above; the name is unique within the region.
    """
    return _hall(
        create_only=True,
        region=region,
        name=name,
        organization=organization,
        address=address,
        phone=phone,
        opening_hours=opening_hours,
        actor=actor,
    ).obj


def upsert_hall(
    *,
    region: str | Region,
    name: str,
    organization: Organization,
    address: str = "",
    phone: str = "",
    opening_hours: str = "",
    actor: str = "system",
) -> UpsertResult[ServiceHall]:
    """:func:`create_hall`, or update the hall with this name in this region."""
    return _hall(
        create_only=False,
        region=region,
        name=name,
        organization=organization,
        address=address,
        phone=phone,
        opening_hours=opening_hours,
        actor=actor,
    )


def _window(*, create_only, hall, number, name, kind, organizations, actor):
    return _save(
        Window,
        key={"hall": hall, "number": number.strip().upper()},
        values={"name": name, "kind": kind},
        many={"organizations": organizations},
        describe=f"{hall.name}的 {number.strip().upper()} 号窗口",
        create_only=create_only,
        actor=actor,
    )


def create_window(
    *,
    hall: ServiceHall,
    number: str,
    name: str,
    kind: str,
    organizations: Iterable[Organization] = (),
    actor: str = "system",
) -> Window:
    """Open window ``number`` (e.g. "A01") in ``hall``, accepting for ``organizations``.

    Rules: the number is unique within the hall (stored upper-case); a 综合受理 window lists every
    department whose items it accepts (一窗受理), a 部门专窗 usually one.
    """
    return _window(
        create_only=True,
        hall=hall,
        number=number,
        name=name,
        kind=kind,
        organizations=list(organizations),
        actor=actor,
    ).obj


def upsert_window(
    *,
    hall: ServiceHall,
    number: str,
    name: str,
    kind: str,
    organizations: Iterable[Organization] = (),
    actor: str = "system",
) -> UpsertResult[Window]:
    """:func:`create_window`, or update window ``number`` of ``hall`` and its departments."""
    return _window(
        create_only=False,
        hall=hall,
        number=number,
        name=name,
        kind=kind,
        organizations=list(organizations),
        actor=actor,
    )


# --- village stations ------------------------------------------------------------------------


def _station(*, create_only, region, name, hall, address, phone, actor):
    region = get_region(region)
    return _save(
        ServiceStation,
        key={"region": region, "name": name.strip()},
        values={"hall": hall, "address": address, "phone": phone},
        describe=f"{region.name}的服务站“{name}”",
        create_only=create_only,
        actor=actor,
    )


def create_station(
    *,
    region: str | Region,
    name: str,
    hall: ServiceHall | None = None,
    address: str = "",
    phone: str = "",
    actor: str = "system",
) -> ServiceStation:
    """Open a 便民服务站 / 代办点 in a village (community) or township.

    Rules: the region is a village or township; ``hall`` is the 便民服务中心 of the township the
    station lies in — the station accepts on the hall's behalf (全城通办, 就近办).
    """
    return _station(
        create_only=True,
        region=region,
        name=name,
        hall=hall,
        address=address,
        phone=phone,
        actor=actor,
    ).obj


def upsert_station(
    *,
    region: str | Region,
    name: str,
    hall: ServiceHall | None = None,
    address: str = "",
    phone: str = "",
    actor: str = "system",
) -> UpsertResult[ServiceStation]:
    """:func:`create_station`, or update the station with this name in this region."""
    return _station(
        create_only=False,
        region=region,
        name=name,
        hall=hall,
        address=address,
        phone=phone,
        actor=actor,
    )
