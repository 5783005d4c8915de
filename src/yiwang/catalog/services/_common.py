"""What the catalogue services share: who acts, what they may do, how it is recorded."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models

from yiwang.accounts.permissions import PermissionDenied, Role, has_role, roles_of
from yiwang.catalog.constants import EDITABLE_STATUSES
from yiwang.catalog.models import ItemVersion, ServiceItem
from yiwang.core import audit
from yiwang.core.errors import Conflict, DomainError
from yiwang.regions.models import RegionLevel


@dataclass(frozen=True)
class Actor:
    """A user, or the system (``user`` None: commands, the demo loader, data migrations)."""

    user: Any = None
    ip: str | None = None

    @property
    def key(self) -> str:
        return "system" if self.user is None else f"user:{self.user.pk}"

    @property
    def label(self) -> str:
        return "系统" if self.user is None else str(self.user)

    def record(self, action: str, obj: models.Model, object_type: str, before=None, after=None):
        audit.record(
            action,
            actor=self.key,
            actor_label=self.label,
            object_type=object_type,
            object_id=obj.pk,
            before=before,
            after=after,
            ip=self.ip,
        )


def actor_of(actor: Any, ip: str | None = None) -> Actor:
    return actor if isinstance(actor, Actor) else Actor(actor, ip)


def require_editor(who: Actor, item: ServiceItem) -> None:
    """谁编制谁维护 (guide ch. 4 (二) 5 (1)): only the implementing organisation's 事项编制员
    drafts its guides."""
    if who.user is None:
        return
    if not has_role(who.user, Role.CATALOG_EDITOR, item.organization):
        raise PermissionDenied(
            f"您不是{item.organization.name}的事项编制员，不能编制该事项的办事指南"
        )


def require_item_reviewer(who: Actor, item: ServiceItem, doing: str = "审核该事项") -> None:
    """A 事项审核员 of the organisation or of a region containing it (the 政务服务管理机构 of
    the same level reviews changes, guide ch. 4 (二) 5 (2))."""
    if who.user is None:
        return
    if not has_role(who.user, Role.CATALOG_REVIEWER, item.organization):
        raise PermissionDenied(f"您不是{item.organization.name}的事项审核员，不能{doing}")


def require_reviewer(who: Actor, version: ItemVersion) -> None:
    """Review by a 事项审核员 of the item (:func:`require_item_reviewer`), never by the
    drafter."""
    if who.user is None:
        return
    require_item_reviewer(who, version.item)
    if version.drafted_by_id is not None and version.drafted_by_id == who.user.pk:
        raise PermissionDenied("编制人不能审核自己编制的版本")


# Who maintains the 目录清单 (and the code lists 事项类型, 服务主题), when scoped to the whole
# province or platform-wide.
CATALOGUE_KEEPERS = frozenset({Role.CATALOG_REVIEWER, Role.PLATFORM_ADMIN})


def _province_wide(user) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    return any(
        assignment.role in CATALOGUE_KEEPERS
        and assignment.organization_id is None
        and (assignment.region_id is None or assignment.region.level == RegionLevel.PROVINCE)
        for assignment in roles_of(user)
    )


def require_catalogue_editor(who: Actor) -> None:
    """The 目录清单 is one list for the whole province (三级四同: the same name, type, basis and
    code at every level and in every area), compiled by the 编制/法制 departments (guide ch. 4
    (二) 1). A change reaches the guides of every city and county at their next publication, so
    until those departments have a role of their own, only a 事项审核员 for the whole province
    (or platform-wide) or a 平台管理员 maintains it — never a reviewer of one city, county or
    department."""
    if who.user is None:
        return
    if not _province_wide(who.user):
        raise PermissionDenied(
            "目录清单全省统一，只有省级事项审核员或平台管理员可以维护；"
            "如需调整，请联系省级事项审核员"
        )


def require_editable(version: ItemVersion) -> None:
    """Only drafts and returned drafts change. The status is read again (and the row locked,
    inside the caller's transaction): the instance in hand may predate a submission."""
    stored = (
        ItemVersion.objects.select_for_update()
        .filter(pk=version.pk)
        .values_list("status", flat=True)
        .first()
    )
    if stored is not None:
        version.status = stored
    if version.status not in EDITABLE_STATUSES:
        raise Conflict(
            f"{version}的状态为“{version.get_status_display()}”，只能修改草稿或已退回的版本",
            field="status",
        )


def validate(obj: models.Model, exclude: tuple[str, ...] = ()) -> None:
    """Field validation (lengths, choices, required) as a DomainError naming the first field."""
    try:
        obj.full_clean(exclude=list(exclude), validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        field, messages = next(iter(exc.message_dict.items()))
        label = str(obj._meta.get_field(field).verbose_name) if field != NON_FIELD_ERRORS else ""
        raise DomainError(f"{label}：{messages[0]}" if label else messages[0], field=field) from exc


def snapshot(obj: models.Model, fields: list[str] | None = None) -> dict[str, Any]:
    """Stored values for the audit trail: concrete fields by attname (files by name),
    many-to-many as sorted ids."""
    values: dict[str, Any] = {}
    for field in obj._meta.concrete_fields:
        if field.primary_key or (fields is not None and field.name not in fields):
            continue
        value = getattr(obj, field.attname)
        values[field.attname] = value.name if isinstance(field, models.FileField) else value
    if obj.pk is not None:
        for field in obj._meta.many_to_many:
            if fields is None or field.name in fields:
                values[field.name] = sorted(getattr(obj, field.name).values_list("pk", flat=True))
    return values
