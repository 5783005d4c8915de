"""Drafting a guide: start a draft, change it, and change its materials, steps, handling items
and fees. Only drafts (and drafts returned by a reviewer) change; published versions are
history (动态管理, guide ch. 4 (二) 5)."""

from __future__ import annotations

import copy
from collections.abc import Iterable
from typing import Any

from django.db import IntegrityError, models, transaction
from django.db.models import Max

from yiwang.catalog import application_forms
from yiwang.catalog.constants import OPEN_STATUSES, ItemStatus, VersionStatus
from yiwang.catalog.models import (
    Fee,
    HandlingItem,
    ItemVersion,
    Material,
    ProcessStep,
    ServiceItem,
    Theme,
)
from yiwang.catalog.services._common import (
    Actor,
    actor_of,
    require_editable,
    require_editor,
    snapshot,
    validate,
)
from yiwang.core.errors import Conflict, DomainError

# Fields of a version a drafter writes; the rest is workflow and history.
NOT_DRAFTED = frozenset(
    {
        "id",
        "item",
        "number",
        "status",
        "is_fully_online",
        "drafted_by",
        "drafted_by_name",
        "created_at",
        "updated_at",
        "submitted_at",
        "reviewed_by",
        "reviewed_by_name",
        "reviewed_at",
        "review_opinion",
        "published_at",
        "superseded_at",
        # copied from the 目录清单 by publish(), never drafted
        "item_type",
        "basic_legal_basis",
    }
)
MANY = ("themes", "halls", "windows")


def drafted_fields() -> list[str]:
    """Names of the version fields a drafter may set (many-to-many ones included)."""
    return [f.name for f in ItemVersion._meta.concrete_fields if f.name not in NOT_DRAFTED] + list(
        MANY
    )


def _mark_editor(version: ItemVersion, who: Actor) -> None:
    """The 编制人 is whoever last changed the draft: they may not review it."""
    version.drafted_by = who.user
    version.drafted_by_name = "" if who.user is None else str(who.user)


def _themes(values: Iterable[Theme | str]) -> list[Theme]:
    themes = []
    for value in values:
        theme = value if isinstance(value, Theme) else Theme.objects.filter(code=value).first()
        if theme is None:
            raise DomainError(f"服务主题“{value}”不存在", field="themes")
        themes.append(theme)
    return themes


@transaction.atomic
def check_editable(version: ItemVersion, *, actor=None) -> None:
    """What refuses any change of ``version`` by ``actor``: the role (谁编制谁维护) and the
    status (only drafts and returned drafts change)."""
    who = actor_of(actor)
    require_editor(who, version.item)
    require_editable(version)


@transaction.atomic
def start_draft(item: ServiceItem, *, actor=None) -> ItemVersion:
    """Open the next version of ``item``'s guide for editing.

    A copy of the current published version with all its materials, steps, handling items and
    fees (files are shared, not copied: a replaced file is a new upload); for an item not yet
    published, a first draft named after the catalogue item, with the organisation's phone and
    address. One open version per item: a second draft is refused (409).
    """
    who = actor_of(actor)
    require_editor(who, item)
    item = (
        ServiceItem.objects.select_for_update(of=("self",))
        .select_related("basic_item", "organization", "current_version")
        .get(pk=item.pk)
    )
    if item.status != ItemStatus.ACTIVE:
        raise Conflict(f"事项{item}已取消，不能编制新版本", field="status")
    open_version = item.versions.filter(status__in=OPEN_STATUSES).first()
    if open_version is not None:
        raise Conflict(
            f"事项已有未发布的版本（第{open_version.number}版，"
            f"{open_version.get_status_display()}），请在该版本上修改",
            field="status",
        )
    number = (item.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    source = item.current_version
    if source is None:
        draft = ItemVersion(
            item=item,
            number=number,
            name=item.basic_item.name,
            consultation_phone=item.organization.phone,
            handling_address=item.organization.address,
        )
    else:
        draft = ItemVersion(item=item, number=number)
        for field in ItemVersion._meta.concrete_fields:
            if field.name not in NOT_DRAFTED:
                value = getattr(source, field.attname)
                if isinstance(field, models.JSONField):
                    # the 申请表单: the draft's own copy, so editing it cannot reach the
                    # published version's object in memory
                    value = copy.deepcopy(value)
                setattr(draft, field.attname, value)
    draft.status = VersionStatus.DRAFT
    _mark_editor(draft, who)
    draft.save()
    if source is not None:
        _copy_children(source, draft)
    who.record(
        "catalog.draft.start",
        draft,
        "item_version",
        after={"item": item.pk, "number": number, "from": source.number if source else None},
    )
    return draft


def _copy_children(source: ItemVersion, draft: ItemVersion) -> None:
    for name in MANY:
        getattr(draft, name).set(getattr(source, name).all())
    for fee in source.fees.all():
        _clone(fee, draft)
    for step in source.steps.all():
        _clone(step, draft)
    new_material = {}
    for material in source.materials.all():
        new_material[material.pk] = _clone(material, draft)
    for handling in source.handling_items.prefetch_related("materials"):
        old_materials = [m.pk for m in handling.materials.all()]
        copy = _clone(handling, draft)
        copy.materials.set([new_material[pk] for pk in old_materials])


def _clone(row: models.Model, draft: ItemVersion) -> models.Model:
    values = {
        f.attname: getattr(row, f.attname)
        for f in row._meta.concrete_fields
        if not f.primary_key and f.name != "version"
    }
    return type(row).objects.create(version=draft, **values)


@transaction.atomic
def update_draft(version: ItemVersion, *, actor=None, **fields: Any) -> ItemVersion:
    """Change guide elements of a draft: any of :func:`drafted_fields`, ``themes`` (Theme rows
    or codes), ``halls`` and ``windows`` included. 全程网办 follows from ``online_depth``; an
    ``application_form`` must be in the supported subset and is stored with its order
    (:func:`yiwang.catalog.application_forms.prepare`; ``{}`` or None: the default form)."""
    who = actor_of(actor)
    require_editor(who, version.item)
    require_editable(version)
    allowed = set(drafted_fields())
    unknown = sorted(set(fields) - allowed)
    if unknown:
        raise DomainError(f"不能修改的字段：{'、'.join(unknown)}", field=unknown[0])
    many = {name: fields.pop(name) for name in MANY if name in fields}
    if "application_form" in fields:
        fields["application_form"] = application_forms.prepare(fields["application_form"])
    if "themes" in many:
        many["themes"] = _themes(many["themes"])
    names = list(fields) + list(many)
    before = snapshot(version, names)
    for name, value in fields.items():
        setattr(version, name, value)
    validate(version)
    _mark_editor(version, who)
    version.save()
    for name, values in many.items():
        getattr(version, name).set(values)
    after = snapshot(version, names)
    changed = [n for n in names if before.get(n) != after.get(n)]
    if changed:
        who.record(
            "catalog.draft.change",
            version,
            "item_version",
            before={n: before[n] for n in changed},
            after={n: after[n] for n in changed},
        )
    return version


# --- materials, steps, handling items, fees ---------------------------------------------------


@transaction.atomic
def _write_part(
    row: models.Model, who: Actor, action: str, before: dict | None, many=None
) -> models.Model:
    version = row.version
    require_editor(who, version.item)
    require_editable(version)
    validate(row, exclude=("version",))
    try:
        with transaction.atomic():
            row.save()
    except IntegrityError as exc:
        raise Conflict(
            f"本版本已有名为“{row.name}”的{row._meta.verbose_name}", field="name"
        ) from exc
    for name, values in (many or {}).items():
        getattr(row, name).set(values)
    _mark_editor(version, who)
    version.save(update_fields=["drafted_by", "drafted_by_name", "updated_at"])
    after = snapshot(row)
    if before != after:
        who.record(action, row, row._meta.model_name, before=before, after=after)
    return row


def _add(model: type[models.Model], version: ItemVersion, who: Actor, fields: dict, many=None):
    if "order" not in fields:
        last = model.objects.filter(version=version).aggregate(n=Max("order"))["n"]
        fields["order"] = 0 if last is None else last + 1
    row = model(version=version, **fields)
    return _write_part(row, who, f"catalog.{model._meta.model_name}.add", None, many)


def _update(row: models.Model, who: Actor, fields: dict, many=None):
    if "version" in fields:
        raise DomainError("不能把条目移到另一个版本", field="version")
    before = snapshot(row)
    for name, value in fields.items():
        setattr(row, name, value)
    return _write_part(row, who, f"catalog.{row._meta.model_name}.change", before, many)


@transaction.atomic
def _remove(row: models.Model, who: Actor) -> None:
    version = row.version
    require_editor(who, version.item)
    require_editable(version)
    before, pk = snapshot(row), row.pk
    row.delete()
    row.pk = pk
    _mark_editor(version, who)
    version.save(update_fields=["drafted_by", "drafted_by_name", "updated_at"])
    who.record(f"catalog.{row._meta.model_name}.remove", row, row._meta.model_name, before=before)


def add_material(version: ItemVersion, *, actor=None, **fields) -> Material:
    """Add a 申请材料 to a draft. Every material needs the legal basis that allows asking for
    it, and a document of another department names its issuer — checked when publishing."""
    return _add(Material, version, actor_of(actor), fields)


def update_material(material: Material, *, actor=None, **fields) -> Material:
    return _update(material, actor_of(actor), fields)


def remove_material(material: Material, *, actor=None) -> None:
    """Remove a material from a draft (and from its handling items' lists)."""
    _remove(material, actor_of(actor))


def add_step(version: ItemVersion, *, actor=None, **fields) -> ProcessStep:
    """Add a 办理环节 (收件/受理/审查/决定/送达 with time limit and review method)."""
    return _add(ProcessStep, version, actor_of(actor), fields)


def update_step(step: ProcessStep, *, actor=None, **fields) -> ProcessStep:
    return _update(step, actor_of(actor), fields)


def remove_step(step: ProcessStep, *, actor=None) -> None:
    _remove(step, actor_of(actor))


def add_fee(version: ItemVersion, *, actor=None, **fields) -> Fee:
    """Add a 收费项目 with 收费标准 and 收费依据."""
    return _add(Fee, version, actor_of(actor), fields)


def update_fee(fee: Fee, *, actor=None, **fields) -> Fee:
    return _update(fee, actor_of(actor), fields)


def remove_fee(fee: Fee, *, actor=None) -> None:
    _remove(fee, actor_of(actor))


def _materials_of(version: ItemVersion, materials: Iterable[Material]) -> list[Material]:
    materials = list(materials)
    foreign = [m.name for m in materials if m.version_id != version.pk]
    if foreign:
        raise DomainError(
            f"材料“{'”“'.join(foreign)}”不属于本版本，办理项只能选择本版本的申请材料",
            field="materials",
        )
    return materials


def add_handling_item(
    version: ItemVersion, *, actor=None, materials: Iterable[Material] = (), **fields
) -> HandlingItem:
    """Add a 办理项 (a situation such as 新办/变更/注销) with the materials it needs, chosen
    among the version's own materials."""
    many = {"materials": _materials_of(version, materials)}
    return _add(HandlingItem, version, actor_of(actor), fields, many)


def update_handling_item(
    handling_item: HandlingItem,
    *,
    actor=None,
    materials: Iterable[Material] | None = None,
    **fields,
) -> HandlingItem:
    many = None
    if materials is not None:
        many = {"materials": _materials_of(handling_item.version, materials)}
    return _update(handling_item, actor_of(actor), fields, many)


def remove_handling_item(handling_item: HandlingItem, *, actor=None) -> None:
    _remove(handling_item, actor_of(actor))
