"""Use cases of the regions app: importing 行政区划 and maintaining organisations, halls, windows
and village stations. Every write of this app goes through here.

Creating and upserting share one path: ``create_*`` refuses an existing natural key (409),
``upsert_*`` updates it. Both validate with :mod:`yiwang.regions.rules`, write only when something
changed, and record an audit event per created or changed row (DESIGN §3.4), so an import or
``yiwang demo`` run twice leaves the data and the audit trail as they were. The admin's forms,
which edit whole objects by id (and may rename them), use :func:`save_object` and
:func:`delete_object` — the same rules, the same write and the same events.

An event's ``before``/``after`` hold every stored value but the id (the event's object id);
a window's 受理部门 are in it as ``organizations``, the sorted ids of the bodies.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from django.db import models, transaction

from yiwang.core import audit
from yiwang.core.errors import Conflict, DomainError
from yiwang.core.identifiers import IdentifierError, region_level, validate_region_code
from yiwang.regions import rules
from yiwang.regions.division import RegionRow
from yiwang.regions.models import (
    Organization,
    Region,
    RegionLevel,
    ServiceHall,
    ServiceStation,
    Window,
)
from yiwang.regions.selectors import get_region

__all__ = [
    "ImportResult",
    "UpsertResult",
    "create_hall",
    "create_organization",
    "create_station",
    "create_window",
    "delete_object",
    "import_regions",
    "save_object",
    "upsert_hall",
    "upsert_organization",
    "upsert_station",
    "upsert_window",
]

M = TypeVar("M", bound=models.Model)

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


@dataclass(frozen=True)
class UpsertResult(Generic[M]):
    obj: M
    created: bool
    changed: bool


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


# --- the shared write path ------------------------------------------------------------------


@dataclass(frozen=True)
class _Kind:
    """How one model is validated and audited: ``action`` is the audit object type."""

    action: str
    checks: tuple[Callable[[Any], None], ...]
    unique: Callable[[Any], None] | None = None


_KINDS: dict[type[models.Model], _Kind] = {
    # The admin may rename or deactivate a region; there is no rule beyond the form's.
    Region: _Kind("region", ()),
    Organization: _Kind(
        "organization", (rules.check_organization,), rules.check_organization_unique
    ),
    ServiceHall: _Kind("hall", (rules.check_hall,), rules.check_hall_unique),
    Window: _Kind("window", (rules.check_window,), rules.check_window_unique),
    ServiceStation: _Kind("station", (rules.check_station,), rules.check_station_unique),
}


def _kind(model: type[models.Model]) -> _Kind:
    if model not in _KINDS:
        raise TypeError(f"{model.__name__} is not written by yiwang.regions.services")
    return _KINDS[model]


def _ids(objs: Iterable[models.Model | int]) -> list[int]:
    return sorted({getattr(obj, "pk", obj) for obj in objs})


def _snapshot(obj: models.Model, many: dict[str, list[int]] | None = None) -> dict[str, Any]:
    """Every stored value of ``obj`` but its key (the event's object id), many-to-many values
    as sorted ids — ``many`` where given, else what is stored."""
    values: dict[str, Any] = {
        field.attname: getattr(obj, field.attname)
        for field in obj._meta.concrete_fields
        if not field.primary_key
    }
    for field in obj._meta.many_to_many:
        if many is not None and field.name in many:
            values[field.name] = many[field.name]
        elif obj._state.adding:
            values[field.name] = []
        else:
            values[field.name] = _ids(getattr(obj, field.name).values_list("pk", flat=True))
    return values


def _stored(obj: models.Model) -> dict[str, Any] | None:
    """The snapshot of ``obj`` as the database holds it; None for an object not yet stored."""
    if obj._state.adding:
        return None
    stored = type(obj)._default_manager.filter(pk=obj.pk).first()
    return None if stored is None else _snapshot(stored)


@dataclass(frozen=True)
class _Actor:
    actor: str
    actor_label: str = ""
    ip: str | None = None

    def record(self, action: str, obj_type: str, pk: Any, before, after) -> None:
        audit.record(
            action,
            actor=self.actor,
            actor_label=self.actor_label,
            object_type=obj_type,
            object_id=pk,
            before=before,
            after=after,
            ip=self.ip,
        )


def _write(
    obj: M, *, before: dict[str, Any] | None, many: dict[str, list[int]] | None, who: _Actor
) -> UpsertResult[M]:
    """Validate ``obj`` (values already applied) and, if it differs from ``before``, save it,
    set its many-to-many values and record ``<type>.create`` / ``<type>.change``."""
    kind = _kind(type(obj))
    for check in kind.checks:
        check(obj)
    after = _snapshot(obj, many)
    created = before is None
    if not created and after == before:
        return UpsertResult(obj, created=False, changed=False)
    if kind.unique is not None:
        kind.unique(obj)
    with transaction.atomic():
        obj.save()
        for name, ids in (many or {}).items():
            getattr(obj, name).set(ids)
        who.record(
            f"{kind.action}.create" if created else f"{kind.action}.change",
            kind.action,
            obj.pk,
            before,
            after,
        )
    return UpsertResult(obj, created=created, changed=not created)


def _save(
    model: type[M],
    *,
    key: dict[str, Any],
    values: dict[str, Any],
    describe: str,
    create_only: bool,
    actor: str,
    many: dict[str, Iterable[models.Model]] | None = None,
) -> UpsertResult[M]:
    """Find ``model`` by its natural ``key``, apply ``values``, validate, write if changed."""
    obj = model._default_manager.filter(**key).first()
    created = obj is None
    if created:
        obj = model(**key)
    elif create_only:
        raise Conflict(f"{describe}已存在")
    before = None if created else _snapshot(obj)
    # The key too: assigning the instances the caller holds spares the rules a query for each.
    for name, value in {**key, **values}.items():
        setattr(obj, name, value)
    ids = None if many is None else {name: _ids(objs) for name, objs in many.items()}
    return _write(obj, before=before, many=ids, who=_Actor(actor))


# --- writes of whole objects (the admin) -----------------------------------------------------


def save_object(
    obj: M,
    *,
    many: dict[str, Iterable[models.Model | int]] | None = None,
    actor: str = "system",
    actor_label: str = "",
    ip: str | None = None,
) -> UpsertResult[M]:
    """Store a region, body, hall, window or station that an operator created or edited as a
    whole (the admin's forms): ``obj`` carries the new values, ``many`` the many-to-many ones
    (a window's 受理部门) when they were edited too.

    The same rules as ``create_*``/``upsert_*`` (including the natural keys' uniqueness, since a
    form may rename), and the same audit events: ``<type>.create`` or ``<type>.change`` with
    every value before and after, many-to-many values as sorted ids — and no write and no event
    when nothing differs from what is stored (a USCC typed in lower case is the stored one).
    """
    ids = None if many is None else {name: _ids(objs) for name, objs in many.items()}
    with transaction.atomic():
        return _write(obj, before=_stored(obj), many=ids, who=_Actor(actor, actor_label, ip))


def delete_object(
    obj: models.Model, *, actor: str = "system", actor_label: str = "", ip: str | None = None
) -> None:
    """Delete a body, hall, window or station; audited as ``<type>.delete``.

    What the database would change along with it is written and audited first: a body leaves
    the windows that accepted for it (``window.change``), a hall's windows are deleted
    (``window.delete``) and its stations detached (``station.change``). Rows that protect
    ``obj`` (subordinate bodies, halls it manages) make the deletion fail instead.
    """
    who = _Actor(actor, actor_label, ip)
    kind = _kind(type(obj))
    with transaction.atomic():
        if isinstance(obj, Organization):
            for window in Window.objects.filter(organizations=obj):
                remaining = window.organizations.exclude(pk=obj.pk).values_list("pk", flat=True)
                _write(
                    window,
                    before=_snapshot(window),
                    many={"organizations": _ids(remaining)},
                    who=who,
                )
        elif isinstance(obj, ServiceHall):
            for window in obj.windows.all():
                delete_object(window, actor=actor, actor_label=actor_label, ip=ip)
            for station in obj.stations.all():
                before = _snapshot(station)
                station.hall = None
                _write(station, before=before, many=None, who=who)
        pk, before = obj.pk, _stored(obj)
        obj.delete()
        who.record(f"{kind.action}.delete", kind.action, pk, before, None)


def _region(region: str | Region | None) -> Region | None:
    return None if region is None else get_region(region)


# --- organisations ---------------------------------------------------------------------------


def _organization(
    *,
    create_only: bool,
    region: str | Region | None,
    name: str,
    uscc: str,
    level: str,
    kind: str,
    short_name: str,
    parent: Organization | None,
    phone: str,
    address: str,
    is_active: bool,
    actor: str,
) -> UpsertResult[Organization]:
    region = _region(region)
    return _save(
        Organization,
        key={"region": region, "name": name.strip()},
        values={
            "uscc": uscc,
            "level": level,
            "kind": kind,
            "short_name": short_name,
            "parent": parent,
            "phone": phone,
            "address": address,
            "is_active": is_active,
        },
        describe=f"{region.name if region else '国家级'}机构“{name}”",
        create_only=create_only,
        actor=actor,
    )


def create_organization(
    *,
    region: str | Region | None,
    name: str,
    uscc: str,
    level: str,
    kind: str,
    short_name: str = "",
    parent: Organization | None = None,
    phone: str = "",
    address: str = "",
    is_active: bool = True,
    actor: str = "system",
) -> Organization:
    """Register an implementing body (实施机构).

    Rules: the 统一社会信用代码 is valid (GB 32100-2015) and unique; the body's level equals its
    region's level (national bodies have no region); its superior body's region contains its own
    (see :class:`~yiwang.regions.models.Organization` for what "superior" means); the name is
    unique within the region (409 otherwise).
    """
    return _organization(
        create_only=True,
        region=region,
        name=name,
        uscc=uscc,
        level=level,
        kind=kind,
        short_name=short_name,
        parent=parent,
        phone=phone,
        address=address,
        is_active=is_active,
        actor=actor,
    ).obj


def upsert_organization(
    *,
    region: str | Region | None,
    name: str,
    uscc: str,
    level: str,
    kind: str,
    short_name: str = "",
    parent: Organization | None = None,
    phone: str = "",
    address: str = "",
    is_active: bool = True,
    actor: str = "system",
) -> UpsertResult[Organization]:
    """Create the body named ``name`` in ``region``, or bring it to the given values.

    The same rules as :func:`create_organization`; (region, name) is the natural key, so imports
    of department lists and ``yiwang demo`` can run again without duplicating anything.
    """
    return _organization(
        create_only=False,
        region=region,
        name=name,
        uscc=uscc,
        level=level,
        kind=kind,
        short_name=short_name,
        parent=parent,
        phone=phone,
        address=address,
        is_active=is_active,
        actor=actor,
    )


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
