"""What changed between two versions of a guide, in words a reader of the guide understands.

:func:`diff_versions` compares every guide element (labels are the fields' Chinese names,
values as the guide shows them) and the lists of fees, materials, steps and handling items,
whose rows are paired by name (a name is unique within a version): a row is added, removed,
or changed field by field.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from django.db import models

from yiwang.catalog.fields import MultiChoiceField
from yiwang.catalog.models import ItemVersion

__all__ = ["Change", "diff_versions"]

# Workflow and history fields differ between any two versions; they are not guide content.
_SKIPPED = frozenset(
    {
        "id",
        "item",
        "number",
        "status",
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
    }
)
# 事项类型 and 设定依据 of the 目录清单 as a version shows them (the copy taken when it was
# published; a draft shows the current ones, so a reviewer sees a catalogue change that its
# publication will bring into the guide).
_CATALOGUE = {"item_type": "guide_item_type", "basic_legal_basis": "guide_basic_legal_basis"}
# Not drafted, but guide content all the same.
_NOT_EDITABLE_SHOWN = frozenset({"is_fully_online", *_CATALOGUE})
_PART_SKIPPED = frozenset({"id", "version", "name"})
# (related name, what a row is called)
_PARTS = (
    ("materials", "申请材料"),
    ("steps", "办理环节"),
    ("handling_items", "办理项"),
    ("fees", "收费项目"),
)


@dataclass(frozen=True)
class Change:
    """One difference: ``field`` is the Chinese label (申请材料“身份证”的份数), ``old``/``new``
    the displayed values ("" for an absent one)."""

    field: str
    old: str
    new: str

    def as_dict(self) -> dict[str, str]:
        return {"field": self.field, "old": self.old, "new": self.new}


def _display(obj: models.Model, field: models.Field) -> str:
    value = getattr(obj, field.attname)
    if isinstance(field, MultiChoiceField):
        return "、".join(field.labels(value))
    if isinstance(field, models.BooleanField):
        return "是" if value else "否"
    if isinstance(field, models.FileField):
        return value.name or ""
    if field.choices:
        return str(dict(field.flatchoices).get(value, value or ""))
    if value is None:
        return ""
    if isinstance(field, models.JSONField):
        # the application form: compared as text with sorted keys (jsonb keeps no key order)
        return json.dumps(value, ensure_ascii=False, sort_keys=True) if value else ""
    return str(value)


def _shown(obj: models.Model, field: models.Field) -> str:
    if field.name in _CATALOGUE and isinstance(obj, ItemVersion):
        value = getattr(obj, _CATALOGUE[field.name])
        return "" if value is None else str(value)
    return _display(obj, field)


def _fields_diff(old, new, prefix: str, skipped) -> list[Change]:
    changes = []
    for field in type(new)._meta.concrete_fields:
        if field.name in skipped or (not field.editable and field.name not in _NOT_EDITABLE_SHOWN):
            continue
        before, after = _shown(old, field), _shown(new, field)
        if before != after:
            changes.append(Change(f"{prefix}{field.verbose_name}", before, after))
    return changes


def _many(version: ItemVersion, name: str) -> str:
    return "、".join(str(obj) for obj in getattr(version, name).all())


def _part_diff(old_rows, new_rows, noun: str) -> list[Change]:
    changes = []
    old_by_name = {row.name: row for row in old_rows}
    new_by_name = {row.name: row for row in new_rows}
    for name in old_by_name:
        if name not in new_by_name:
            changes.append(Change(f"{noun}（删除）", name, ""))
    for name, row in new_by_name.items():
        before = old_by_name.get(name)
        if before is None:
            changes.append(Change(f"{noun}（新增）", "", name))
            continue
        changes.extend(_fields_diff(before, row, f"{noun}“{name}”的", _PART_SKIPPED))
        if hasattr(row, "materials"):  # a handling item's materials, by name
            b = "、".join(m.name for m in before.materials.all())
            a = "、".join(m.name for m in row.materials.all())
            if a != b:
                changes.append(Change(f"{noun}“{name}”的所需材料", b, a))
    return changes


def diff_versions(old: ItemVersion | None, new: ItemVersion) -> list[Change]:
    """The changes from ``old`` to ``new``: guide elements first (in the order of the model),
    then themes, halls and windows, then materials, steps, handling items and fees. ``old``
    None (a first version) gives no changes."""
    if old is None:
        return []
    changes = _fields_diff(old, new, "", _SKIPPED)
    for name in ("themes", "halls", "windows"):
        before, after = _many(old, name), _many(new, name)
        if before != after:
            label = ItemVersion._meta.get_field(name).verbose_name
            changes.append(Change(str(label), before, after))
    for related, noun in _PARTS:
        changes.extend(_part_diff(getattr(old, related).all(), getattr(new, related).all(), noun))
    return changes
