"""The shared write path of the regions services: validate, compare, save, audit."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from django.db import models, transaction

from yiwang.core import audit
from yiwang.core.errors import Conflict
from yiwang.regions import rules
from yiwang.regions.models import (
    Organization,
    Region,
    ServiceHall,
    ServiceStation,
    Window,
)
from yiwang.regions.selectors import get_region

M = TypeVar("M", bound=models.Model)


@dataclass(frozen=True)
class UpsertResult(Generic[M]):
    obj: M
    created: bool
    changed: bool


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
