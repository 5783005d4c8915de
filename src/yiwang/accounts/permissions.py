"""Staff roles and object-level checks: who may do what for which organisation.

Default deny: a staff member may act for an organisation only through an active
:class:`~yiwang.accounts.models.RoleAssignment` of that role for the organisation itself, for a
region containing the organisation's region, or platform-wide. Being a Django superuser grants
no role: the separation of system, security and audit duties (三员分立) would otherwise be a
formality.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from yiwang.accounts.constants import Role
from yiwang.accounts.models import RoleAssignment, User
from yiwang.core import audit
from yiwang.core.errors import Forbidden
from yiwang.regions.models import Organization, Region
from yiwang.regions.selectors import region_ancestors

__all__ = [
    "PermissionDenied",
    "Role",
    "grant_role",
    "has_role",
    "organizations_for",
    "require_role",
    "revoke_role",
    "roles_of",
]


class PermissionDenied(Forbidden):
    """Refused for lack of a role; the API renders it as 403."""


def _active(user: User) -> QuerySet[RoleAssignment]:
    return RoleAssignment.objects.filter(user=user, revoked_at__isnull=True)


def _region_codes(region: Region | str | None) -> list[str]:
    if region is None:
        return []
    return [r.code for r in region_ancestors(region)] + [getattr(region, "code", region)]


def has_role(
    user: User | None,
    role: Role | str,
    organization: Organization | None = None,
    *,
    region: Region | str | None = None,
) -> bool:
    """Whether ``user`` holds ``role`` for ``organization`` (or for ``region``; with neither,
    anywhere at all)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    assignments = _active(user).filter(role=role)
    if organization is None and region is None:
        return assignments.exists()
    scope = Q(organization__isnull=True, region__isnull=True)
    if organization is not None:
        scope |= Q(organization=organization)
        region = organization.region_id
    scope |= Q(region__in=_region_codes(region))
    return assignments.filter(scope).exists()


def require_role(user, role, organization=None, *, region=None) -> None:
    """Raise :class:`PermissionDenied` unless :func:`has_role`."""
    if not has_role(user, role, organization, region=region):
        label = Role(role).label
        where = f"（{organization.name}）" if organization is not None else ""
        raise PermissionDenied(f"您没有{label}权限{where}")


def organizations_for(user: User | None, role: Role | str) -> QuerySet[Organization]:
    """Every organisation ``user`` may act for in ``role`` — for scoping querysets (a clerk sees
    only its organisation's data)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return Organization.objects.none()
    assignments = list(_active(user).filter(role=role).values_list("organization_id", "region_id"))
    if any(org is None and reg is None for org, reg in assignments):
        return Organization.objects.all()
    scope = Q(pk__in=[org for org, _ in assignments if org is not None])
    for _, region_code in assignments:
        if region_code is not None:
            scope |= Q(region__code__startswith=_region_prefix(region_code))
    return Organization.objects.filter(scope)


def _region_prefix(code12: str) -> str:
    # 330203000000 → 330203: every region below it shares the non-zero prefix of its level.
    stripped = code12.rstrip("0")
    for length in (2, 4, 6, 9, 12):
        if len(stripped) <= length:
            return code12[:length]
    return code12


def roles_of(user: User) -> list[RoleAssignment]:
    return list(_active(user).select_related("organization", "region"))


# Roles whose work is done in the Django admin (the catalogue's draft → review → publish).
ADMIN_SITE_ROLES = frozenset({Role.CATALOG_EDITOR, Role.CATALOG_REVIEWER})


@transaction.atomic
def grant_role(
    user: User,
    role: Role | str,
    *,
    organization: Organization | None = None,
    region: Region | None = None,
    granted_by: User | None = None,
) -> RoleAssignment:
    """Give ``user`` a role (idempotent: an identical active assignment is returned as is)."""
    role = Role(role)
    existing = _active(user).filter(role=role, organization=organization, region=region).first()
    if existing is not None:
        return existing
    assignment = RoleAssignment.objects.create(
        user=user, role=role, organization=organization, region=region, granted_by=granted_by
    )
    if role in ADMIN_SITE_ROLES and not user.is_staff:
        # The catalogue is edited in the admin (behind the back office's two-factor sign-in):
        # its roles open it; what each may see and do there is still decided by the role.
        user.is_staff = True
        user.save(update_fields=["is_staff"])
    audit.record(
        "account.role_grant",
        actor=f"user:{granted_by.pk}" if granted_by else "system",
        object_type="user",
        object_id=user.pk,
        after={
            "role": role.value,
            "organization": organization.pk if organization else None,
            "region": region.pk if region else None,
        },
    )
    return assignment


@transaction.atomic
def revoke_role(assignment: RoleAssignment, *, revoked_by: User | None = None) -> None:
    if assignment.revoked_at is not None:
        return
    assignment.revoked_at = timezone.now()
    assignment.save(update_fields=["revoked_at"])
    audit.record(
        "account.role_revoke",
        actor=f"user:{revoked_by.pk}" if revoked_by else "system",
        object_type="user",
        object_id=assignment.user_id,
        before={"role": assignment.role, "assignment": assignment.pk},
    )
