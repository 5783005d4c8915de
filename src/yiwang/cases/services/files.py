"""Reading a case's material as staff: every opening is audited (the files are ID cards,
certificates, contracts — personal information whose access is logged, 个人信息保护法 第五十一条
(五)/GB/T 35273-2020 9.1: records of who processed personal information)."""

from __future__ import annotations

from django.db import transaction

from yiwang.cases import selectors
from yiwang.cases.models import StoredFile
from yiwang.core import audit
from yiwang.core.errors import NotFound

__all__ = ["open_material_as_staff"]


@transaction.atomic
def open_material_as_staff(user, case_id: int, case_material_id: int, *, ip=None) -> StoredFile:
    """The file of material ``case_material_id`` of a case ``user`` may see as staff, audited;
    :class:`NotFound` for a case or material outside their organisations."""
    case = selectors.case_for_staff(user, case_id)
    used = case.materials.select_related("file").filter(pk=case_material_id).first()
    if used is None:
        raise NotFound("没有这份材料")
    audit.record(
        "cases.material.viewed",
        actor=f"user:{user.pk}",
        actor_label=user.name or user.username,
        object_type="cases.casematerial",
        object_id=used.pk,
        after={"case": case.number or "", "material": used.name, "file": used.file_id},
        ip=ip,
    )
    return used.file
