"""Personal data in the back office: who may see a person, unmasking, and the citizen's view of it.

Rule (DESIGN §3.8; 《个人信息保护法》第十条、第五十一条; REQUIREMENTS §2 "personal data encrypted,
masked everywhere, unmasking a permission that is audited"):

* A person's data belongs to an organisation's staff only when the person **has business with
  that organisation** — a :class:`~yiwang.accounts.models.PersonBusiness` link: registered at one
  of its windows, or (cases app) applied for one of its items. That is "a clerk's organisation
  data" for persons; nothing else opens access, not even a region-wide role.
* Who: a 窗口受理员 or 部门管理员 holding the role for such an organisation (or for a region
  containing it). Everyone else is refused (default deny).
* What they see by default: the masked values (``display_name``, ``masked_id_number``,
  ``masked_phone``). The full value of one field is shown only through :func:`unmask`, with a
  reason, and every unmasked read is written to the audit trail — which the citizen reads on the
  page "谁查看了我的信息" (:func:`access_log`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.db.models import QuerySet

from yiwang.accounts.constants import Role, UserKind
from yiwang.accounts.models import PersonBusiness, User
from yiwang.accounts.permissions import PermissionDenied, organizations_for
from yiwang.core import audit
from yiwang.core.errors import DomainError, NotFound
from yiwang.core.identifiers import validate_person_id
from yiwang.core.masking import mask_name
from yiwang.core.models import AuditEvent
from yiwang.regions.models import Organization

__all__ = [
    "PERSON_DATA_ROLES",
    "UNMASKABLE_FIELDS",
    "AccessEntry",
    "access_log",
    "access_organization",
    "find_person_for_window",
    "organizations_with_business",
    "persons_in_scope",
    "record_person_business",
    "unmask",
]

# The roles that serve persons face to face or administer an organisation's accounts.
PERSON_DATA_ROLES = (Role.WINDOW_CLERK, Role.DEPARTMENT_ADMIN)

UNMASKABLE_FIELDS = {"name": "姓名", "id_number": "公民身份号码", "phone": "手机号码"}

LOOKUP_ACTION = "person.lookup"
UNMASK_ACTION = "person.unmask"
MIN_REASON_LENGTH = 4

NOT_IN_SCOPE = "未找到该用户，或该用户不在本机构的服务范围内"


def viewer_organizations(viewer: User) -> QuerySet[Organization]:
    """The organisations for which ``viewer`` may see persons (union over the roles)."""
    found = Organization.objects.none()
    for role in PERSON_DATA_ROLES:
        found = found | organizations_for(viewer, role)
    return found


def organizations_with_business(person: User) -> QuerySet[Organization]:
    return Organization.objects.filter(
        pk__in=PersonBusiness.objects.filter(person=person).values("organization_id")
    )


def access_organization(viewer: User, person: User) -> Organization | None:
    """The organisation through which ``viewer`` may see ``person``, or None (no access).

    When several qualify, the one with the lowest id is taken, so the audit trail names the same
    organisation for the same pair every time.
    """
    if person.kind != UserKind.PERSON:
        return None
    return (
        viewer_organizations(viewer)
        .filter(pk__in=PersonBusiness.objects.filter(person=person).values("organization_id"))
        .order_by("pk")
        .first()
    )


def persons_in_scope(viewer: User) -> QuerySet[User]:
    """Every person ``viewer`` may see: those with business at one of its organisations."""
    organizations = viewer_organizations(viewer)
    return User.objects.filter(
        kind=UserKind.PERSON,
        pk__in=PersonBusiness.objects.filter(organization__in=organizations).values("person_id"),
    )


def _require_person_role(viewer: User) -> None:
    if not viewer_organizations(viewer).exists():
        raise PermissionDenied("您没有查询用户信息的权限（需窗口受理员或部门管理员角色）")


@transaction.atomic
def record_person_business(
    person: User,
    organization: Organization,
    *,
    basis: str,
    reference: str = "",
    created_by: User | None = None,
    ip: str | None = None,
) -> PersonBusiness:
    """Note that ``person`` has business with ``organization`` (idempotent). This opens the
    person's data to that organisation's clerks; the cases app calls it when a case is filed."""
    link, created = PersonBusiness.objects.get_or_create(
        person=person,
        organization=organization,
        basis=PersonBusiness.Basis(basis),
        reference=reference,
        defaults={"created_by": created_by},
    )
    if created:
        audit.record(
            "person.business_link",
            actor=f"user:{created_by.pk}" if created_by else "system",
            actor_label=created_by.username if created_by else "",
            object_type="person",
            object_id=person.pk,
            after={"organization": organization.pk, "basis": link.basis, "reference": reference},
            ip=ip,
        )
    return link


def find_person_for_window(viewer: User, id_number: str, *, ip: str | None = None) -> User:
    """The person with this ID number, if ``viewer`` may see them (window work).

    Refused with 403 for a viewer without a clerk or department-admin role; a person who does not
    exist and one outside the viewer's organisations get the same 404, so the answer does not
    tell a clerk of another county that the person is registered. Found persons are audited as a
    (masked) lookup.
    """
    _require_person_role(viewer)
    value = validate_person_id(id_number)
    person = User.objects.by_id_number(value).filter(kind=UserKind.PERSON).first()
    organization = access_organization(viewer, person) if person is not None else None
    if organization is None:
        raise NotFound(NOT_IN_SCOPE)
    audit.record(
        LOOKUP_ACTION,
        actor=f"user:{viewer.pk}",
        actor_label=viewer.username,
        object_type="person",
        object_id=person.pk,
        after={"organization_id": organization.pk, "organization": organization.name},
        ip=ip,
    )
    return person


def unmask(viewer: User, person: User, field: str, *, reason: str, ip: str | None = None) -> str:
    """Return the full value of ``person``'s ``field`` (name, id_number, phone) to ``viewer``.

    Allowed only to a 窗口受理员 or 部门管理员 of an organisation the person has business with,
    with a reason; every call that returns a value is audited with the field, the reason and the
    organisation (``person.unmask``), and shown to the person on "谁查看了我的信息".
    """
    if field not in UNMASKABLE_FIELDS:
        raise DomainError("不支持查看该项信息", field="field")
    reason = (reason or "").strip()
    if len(reason) < MIN_REASON_LENGTH:
        raise DomainError(
            f"请填写查看原因（至少 {MIN_REASON_LENGTH} 个字），该原因将告知用户本人",
            field="reason",
        )
    _require_person_role(viewer)
    organization = access_organization(viewer, person)
    if organization is None:
        raise NotFound(NOT_IN_SCOPE)
    audit.record(
        UNMASK_ACTION,
        actor=f"user:{viewer.pk}",
        actor_label=viewer.username,
        object_type="person",
        object_id=person.pk,
        after={
            "field": field,
            "reason": reason[:200],
            "organization_id": organization.pk,
            "organization": organization.name,
        },
        ip=ip,
    )
    return getattr(person, field)


@dataclass(frozen=True)
class AccessEntry:
    """One line of "谁查看了我的信息"."""

    occurred_at: datetime
    organization: str
    staff: str  # masked name: the citizen learns which office, not the clerk's full name
    what: str
    reason: str


def access_log(person: User, *, limit: int = 200) -> list[AccessEntry]:
    """Who looked at ``person``'s data, newest first: unmasked fields and masked look-ups."""
    events = list(
        AuditEvent.objects.filter(
            object_type="person",
            object_id=str(person.pk),
            action__in=(UNMASK_ACTION, LOOKUP_ACTION),
        ).order_by("-id")[:limit]
    )
    staff_ids = {int(e.actor.split(":", 1)[1]) for e in events if e.actor.startswith("user:")}
    names = dict(User.objects.filter(pk__in=staff_ids).values_list("pk", "name"))
    entries = []
    for event in events:
        after = event.after or {}
        staff_id = int(event.actor.split(":", 1)[1]) if event.actor.startswith("user:") else None
        if event.action == UNMASK_ACTION:
            what = f"查看完整{UNMASKABLE_FIELDS.get(after.get('field'), '信息')}"
        else:
            what = "查询（仅脱敏信息）"
        entries.append(
            AccessEntry(
                occurred_at=event.occurred_at,
                organization=after.get("organization", ""),
                staff=mask_name(names.get(staff_id, "")) or "工作人员",
                what=what,
                reason=after.get("reason", "窗口业务查询"),
            )
        )
    return entries
