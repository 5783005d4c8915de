"""Implementing bodies (实施机构): create, upsert."""

from __future__ import annotations

from yiwang.regions.models import (
    Organization,
    Region,
)
from yiwang.regions.services._write import UpsertResult, _region, _save

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
