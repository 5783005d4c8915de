"""目录清单 and 实施清单: basic items, service items, retirement, popularity counters."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Case, F, IntegerField, Value, When
from django.utils import timezone

from yiwang.catalog import freshness, search
from yiwang.catalog.constants import (
    EXERCISE_LEVEL_OF_ORGANIZATION,
    OPEN_STATUSES,
    CatalogueLevel,
    ItemStatus,
)
from yiwang.catalog.identifiers import (
    implementation_code,
    parse_implementation_code,
    validate_basic_code,
)
from yiwang.catalog.models import BasicItem, ItemType, ServiceItem, Theme
from yiwang.catalog.services._common import (
    actor_of,
    require_catalogue_editor,
    require_editor,
    require_item_reviewer,
    snapshot,
    validate,
)
from yiwang.core.errors import Conflict, DomainError
from yiwang.regions.models import Organization

BASIC_FIELDS = ("name", "item_type", "legal_basis", "level", "parent", "is_active")


def _item_type(value: ItemType | str) -> ItemType:
    if isinstance(value, ItemType):
        return value
    found = (
        ItemType.objects.filter(code=value).first() or ItemType.objects.filter(name=value).first()
    )
    if found is None:
        raise DomainError(f"事项类型“{value}”不存在", field="item_type")
    return found


def _check_basic(basic: BasicItem) -> None:
    basic.name = (basic.name or "").strip()
    if not basic.name:
        raise DomainError("事项名称不能为空", field="name")
    if not (basic.legal_basis or "").strip():
        raise DomainError(
            "设定依据不能为空：目录清单事项须有法律、法规或规章依据", field="legal_basis"
        )
    if basic.parent_id is not None:
        parent = basic.parent
        if parent.pk == basic.pk or parent.parent_id is not None:
            raise DomainError("主项只能是没有上级的目录清单事项（主项 → 子项两级）", field="parent")
    validate(basic, exclude=("code",))


def check_basic_item(basic: BasicItem, *, actor=None) -> None:
    """What :func:`create_basic_item`/:func:`update_basic_item` would refuse, without writing
    (the admin's form shows it next to the field and keeps what was typed)."""
    require_catalogue_editor(actor_of(actor))
    basic.code = validate_basic_code(basic.code)
    if BasicItem.objects.filter(code=basic.code).exclude(pk=basic.pk).exists():
        raise Conflict(f"基本编码 {basic.code} 已存在", field="code")
    _check_basic(basic)


@transaction.atomic
def save_code(entry: ItemType | Theme, *, actor=None) -> ItemType | Theme:
    """Correct an entry of an operator-maintained code list (事项类型, 服务主题), audited as
    ``catalog.item_type.change`` / ``catalog.theme.change`` (``.create`` for a new one)."""
    who = actor_of(actor)
    require_catalogue_editor(who)
    validate(entry)
    kind = "item_type" if isinstance(entry, ItemType) else "theme"
    before = None
    if entry.pk is not None:
        stored = type(entry).objects.filter(pk=entry.pk).first()
        before = snapshot(stored) if stored is not None else None
    entry.save()
    after = snapshot(entry)
    if after != before:
        action = "create" if before is None else "change"
        who.record(f"catalog.{kind}.{action}", entry, kind, before=before, after=after)
    return entry


@transaction.atomic
def create_basic_item(
    *,
    code: str,
    name: str,
    item_type: ItemType | str,
    legal_basis: str,
    level: str = CatalogueLevel.PROVINCE,
    parent: BasicItem | None = None,
    actor=None,
) -> BasicItem:
    """Add an item to the 目录清单 (name, 基本编码, 设定依据, 事项类型; guide ch. 4 (二) 1).

    The 12-character 基本编码 is unique; a 子项 names its 主项 (``parent``). ``item_type`` is an
    :class:`ItemType` or its code (``XK``) or name.
    """
    who = actor_of(actor)
    require_catalogue_editor(who)
    code = validate_basic_code(code)
    if BasicItem.objects.filter(code=code).exists():
        raise Conflict(f"基本编码 {code} 已存在", field="code")
    basic = BasicItem(
        code=code,
        name=name,
        item_type=_item_type(item_type),
        legal_basis=legal_basis,
        level=level,
        parent=parent,
    )
    _check_basic(basic)
    basic.save()
    who.record("catalog.basic_item.create", basic, "basic_item", after=snapshot(basic))
    return basic


@transaction.atomic
def update_basic_item(basic: BasicItem, *, actor=None, **fields) -> BasicItem:
    """Change a 目录清单 item (not its code: the code is the item's identity across levels).

    Published guides are not changed: each keeps the name, 事项类型 and 设定依据 it was
    published with, and takes the new ones at its organisation's next (reviewed) publication;
    ``yiwang catalog check`` lists the names that differ meanwhile (三级四同).
    """
    who = actor_of(actor)
    require_catalogue_editor(who)
    unknown = set(fields) - set(BASIC_FIELDS)
    if unknown:
        raise DomainError(f"不能修改的字段：{'、'.join(sorted(unknown))}", field=sorted(unknown)[0])
    before = snapshot(basic)
    if "item_type" in fields:
        fields["item_type"] = _item_type(fields["item_type"])
    for name, value in fields.items():
        setattr(basic, name, value)
    _check_basic(basic)
    after = snapshot(basic)
    if after != before:
        basic.save()
        who.record("catalog.basic_item.change", basic, "basic_item", before=before, after=after)
    return basic


@transaction.atomic
def create_service_item(
    *, basic_item: BasicItem, organization: Organization, actor=None
) -> ServiceItem:
    """Put a catalogue item on an organisation's 实施清单.

    The 实施编码 is built from the organisation's USCC, its 行使层级 (from the organisation's
    level: 1 national … 5 township) and the 基本编码 (GB/T 39554.1-2020). Village committees
    implement no items. The guide is then written as a draft (:func:`start_draft`).
    """
    who = actor_of(actor)
    item = ServiceItem(basic_item=basic_item, organization=organization)
    require_editor(who, item)
    level = EXERCISE_LEVEL_OF_ORGANIZATION.get(organization.level)
    if level is None:
        raise DomainError(
            f"{organization.name}是{organization.get_level_display()}机构，不能作为实施机构",
            field="organization",
        )
    if not basic_item.is_active:
        raise DomainError(f"目录清单事项{basic_item}已停用", field="basic_item")
    item.code = implementation_code(organization.uscc, level, basic_item.code)
    item.exercise_level = level
    item.region_id = organization.region_id
    if ServiceItem.objects.filter(code=item.code).exists():
        raise Conflict(f"{organization.name}已实施该事项（实施编码 {item.code}）", field="code")
    check_implementation_code(item)
    item.save()
    who.record("catalog.item.create", item, "service_item", after=snapshot(item))
    return item


def check_implementation_code(item: ServiceItem) -> None:
    """The 实施编码 agrees with the item: USCC of its organisation (1–18), the organisation's
    行使层级 (19), its basic code (20–31)."""
    parts = parse_implementation_code(item.code)
    org = item.organization
    if parts.uscc != org.uscc:
        raise DomainError(
            f"实施编码第1–18位 {parts.uscc} 不是实施机构{org.name}的统一社会信用代码 {org.uscc}",
            field="code",
        )
    expected = EXERCISE_LEVEL_OF_ORGANIZATION.get(org.level)
    if parts.level != expected:
        raise DomainError(
            f"实施编码第19位（行使层级）为 {parts.level}，实施机构{org.name}是"
            f"{org.get_level_display()}，应为 {expected}",
            field="code",
        )
    if parts.basic_code != item.basic_item.code:
        raise DomainError(
            f"实施编码第20–31位 {parts.basic_code} 与目录清单基本编码"
            f" {item.basic_item.code} 不一致",
            field="code",
        )


@transaction.atomic
def retire_item(item: ServiceItem, *, actor=None, reason: str) -> ServiceItem:
    """Take an item off the 实施清单 (the organisation no longer implements it).

    Withdrawing a service from the public is a decision of the same weight as publishing its
    guide, so it is a 事项审核员's (of the organisation or of a region containing it), not the
    编制员's, and it needs a reason (required), which the audit event and the item keep.
    The item leaves the public lists and the search index and takes no applications; its
    published guides stay readable as history (/items/<code>/versions/<n>/ and the API, with a
    notice that the item is retired). An open (unpublished) version blocks the retirement, so
    that no reviewer publishes into a retired item.
    """
    who = actor_of(actor)
    require_item_reviewer(who, item, "取消该事项")
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(
            "取消事项须填写取消原因（如职能划转、法律法规废止），以便公众和审计查阅",
            field="retirement_reason",
        )
    item = ServiceItem.objects.select_for_update().get(pk=item.pk)
    if item.status == ItemStatus.RETIRED:
        return item
    if item.versions.filter(status__in=OPEN_STATUSES).exists():
        raise Conflict("该事项有未发布的版本，请先处理后再取消", field="status")
    before = snapshot(item, ["status", "retired_at"])
    item.status = ItemStatus.RETIRED
    item.retired_at = timezone.now()
    item.retirement_reason = reason
    item.save(update_fields=["status", "retired_at", "retirement_reason"])
    who.record(
        "catalog.item.retire",
        item,
        "service_item",
        before=before,
        after={**snapshot(item, ["status", "retired_at"]), "reason": reason},
    )
    search.reindex_item(item.id)
    freshness.bump()
    return item


def count_views(counts: dict[str, int]) -> None:
    """Add buffered guide views (实施编码 → views) in one transaction: the portal counts views
    in memory and writes them in batches, so reading a guide costs no write."""
    if not counts:
        return
    added = Case(
        *(When(code=code, then=Value(views)) for code, views in counts.items()),
        default=Value(0),
        output_field=IntegerField(),
    )
    # One UPDATE for the whole batch, whatever its size.
    ServiceItem.objects.filter(code__in=list(counts)).update(view_count=F("view_count") + added)


def count_application(item: ServiceItem) -> None:
    """One more application (the cases app calls this when a case is submitted)."""
    ServiceItem.objects.filter(pk=item.pk).update(application_count=F("application_count") + 1)
