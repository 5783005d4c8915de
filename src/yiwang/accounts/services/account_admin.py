"""Back-office account management: open staff accounts, roles, disable, two-person unban, audit log.

Basis: seed 001 ch. 5 §(一)2 ② 后台管理 — "提供帐号的开通、禁用和解禁、操作审计功能";
"禁用账号应短信通知用户"; "账号解禁需经过管理部门负责人审核，并通过短信告知用户";
"具备用户管理过程的操作日志审计功能，实现可追溯". Separation of duties (三员分立, GB/T 22239-2019
8.1.4.2 / 8.1.10.4): the system administrator (平台管理员, and 部门管理员 for one organisation)
manages accounts, the security administrator (安全管理员) grants and revokes roles, the auditor
(审计员) only reads the audit trail; the three are never held by one person, nobody changes their
own roles or their own account, and an unban needs a second administrator.

Which accounts an administrator manages ("accounts of my organisation"):

* a staff account belongs to each organisation it holds an active role for;
* a person account belongs to each organisation it has business with
  (:class:`~yiwang.accounts.models.PersonBusiness`, see ``personal_data``);
* a 部门管理员 manages the accounts of the organisations of its role (or of its region); a
  平台管理员 with a platform-wide role manages every account, including the staff accounts that
  hold only region-wide or platform-wide roles.
"""

from __future__ import annotations

import re
import secrets
from datetime import date, datetime, time

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from yiwang.accounts.constants import RegistrationChannel, Role, UserKind
from yiwang.accounts.models import PersonBusiness, RoleAssignment, UnbanRequest, User
from yiwang.accounts.permissions import (
    PermissionDenied,
    grant_role,
    has_role,
    organizations_for,
    revoke_role,
)
from yiwang.core import audit
from yiwang.core.errors import Conflict, DomainError
from yiwang.core.models import AuditEvent
from yiwang.notifications import services as notifications
from yiwang.regions.models import Organization, Region

__all__ = [
    "EXCLUSIVE_ROLES",
    "OPERATIONAL_ROLES",
    "READABLE_ALPHABET",
    "account_organizations",
    "accounts_for",
    "approve_unban",
    "audit_events",
    "can_decide_unban",
    "can_manage_account",
    "disable_account",
    "grant_staff_role",
    "manageable_organizations",
    "open_staff_account",
    "pending_unban_requests",
    "random_password",
    "reject_unban",
    "request_unban",
    "revoke_staff_role",
    "users_by_pk",
]

# Roles of everyday work, which a 部门管理员 may hand out inside its own organisation.
OPERATIONAL_ROLES = frozenset(
    {Role.WINDOW_CLERK, Role.REVIEWER, Role.DECIDER, Role.CATALOG_EDITOR, Role.CATALOG_REVIEWER}
)
# 三员分立: system, security and audit administrators are three different people.
EXCLUSIVE_ROLES = frozenset({Role.PLATFORM_ADMIN, Role.SECURITY_ADMIN, Role.AUDITOR})
ACCOUNT_ADMIN_ROLES = (Role.DEPARTMENT_ADMIN, Role.PLATFORM_ADMIN)

_USERNAME = re.compile(r"[a-z][a-z0-9_.-]{2,29}")
_PHONE = re.compile(r"1\d{10}")


def _actor(user: User) -> dict:
    return {"actor": f"user:{user.pk}", "actor_label": user.username}


def _platform_wide(user: User, role: Role) -> bool:
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    return RoleAssignment.objects.filter(
        user=user, role=role, revoked_at__isnull=True, organization=None, region=None
    ).exists()


# Initial passwords go by SMS to people who often read them off a phone held at arm's length
# and type them with one finger (many are elderly): lower case only (no Shift) and none of the
# characters that look alike — l/1/I and o/0/O. 24 letters + 8 digits = 32 symbols, 5 bits
# each; 13 of them give 65 bits, above the ~60 bits wanted of a random password (it is also
# changed at the first sign-in). Upper case would add little strength and cost a Shift.
READABLE_ALPHABET = "abcdefghijkmnpqrstuvwxyz23456789"
INITIAL_PASSWORD_LENGTH = 13


def random_password(length: int = INITIAL_PASSWORD_LENGTH) -> str:
    """An initial password from ``secrets`` over :data:`READABLE_ALPHABET`, with at least one
    letter and one digit: Django's validators refuse all-digit passwords, and a password of
    letters and digits meets the usual "two kinds of characters" complexity rule."""
    alphabet = READABLE_ALPHABET
    while True:
        value = "".join(secrets.choice(alphabet) for _ in range(length))
        if any(c.isdigit() for c in value) and any(c.isalpha() for c in value):
            return value


# --- scope -----------------------------------------------------------------------------------


def account_organizations(user: User) -> QuerySet[Organization]:
    """The organisations ``user``'s account belongs to (see the module docstring)."""
    if user.kind == UserKind.STAFF:
        ids = RoleAssignment.objects.filter(
            user=user, revoked_at__isnull=True, organization__isnull=False
        ).values("organization_id")
    else:
        ids = PersonBusiness.objects.filter(person=user).values("organization_id")
    return Organization.objects.filter(pk__in=ids)


def manageable_organizations(actor: User) -> QuerySet[Organization]:
    """The organisations whose accounts ``actor`` manages."""
    found = Organization.objects.none()
    for role in ACCOUNT_ADMIN_ROLES:
        found = found | organizations_for(actor, role)
    return found


def accounts_for(actor: User) -> QuerySet[User]:
    """Every account ``actor`` may see in account management; 403 without an administrator
    role. A 安全管理员 sees the staff accounts of its scope too (to grant roles), but manages
    none of them (:func:`can_manage_account`)."""
    if _platform_wide(actor, Role.PLATFORM_ADMIN):
        return User.objects.all()
    if not any(has_role(actor, role) for role in (*ACCOUNT_ADMIN_ROLES, Role.SECURITY_ADMIN)):
        raise PermissionDenied("您没有账号管理权限（需部门管理员、平台管理员或安全管理员角色）")
    organizations = manageable_organizations(actor)
    staff = RoleAssignment.objects.filter(
        revoked_at__isnull=True, organization__in=organizations
    ).values("user_id")
    persons = PersonBusiness.objects.filter(organization__in=organizations).values("person_id")
    scope = Q(pk__in=staff) | Q(pk__in=persons)
    if _platform_wide(actor, Role.SECURITY_ADMIN):
        scope |= Q(kind=UserKind.STAFF)
    elif has_role(actor, Role.SECURITY_ADMIN):
        scope |= Q(
            pk__in=RoleAssignment.objects.filter(
                revoked_at__isnull=True,
                organization__in=organizations_for(actor, Role.SECURITY_ADMIN),
            ).values("user_id")
        )
    return User.objects.filter(scope)


def can_manage_account(actor: User, user: User) -> bool:
    if actor is None or user is None or actor.pk == user.pk:
        return False
    if _platform_wide(actor, Role.PLATFORM_ADMIN):
        return True
    return account_organizations(user).filter(pk__in=manageable_organizations(actor)).exists()


def _require_manage(actor: User, user: User) -> None:
    if actor.pk == user.pk:
        raise PermissionDenied("不能管理自己的账号")
    if not can_manage_account(actor, user):
        raise PermissionDenied("该账号不在您的管理范围内")


# --- opening staff accounts ------------------------------------------------------------------


@transaction.atomic
def open_staff_account(
    actor: User,
    *,
    username: str,
    name: str,
    phone: str,
    organization: Organization,
    roles: tuple[str, ...] | list[str] = (),
    ip: str | None = None,
) -> User:
    """Open a staff account in ``organization`` (账号开通) with operational ``roles`` there.

    A 部门管理员 opens accounts for its own organisation, a 平台管理员 for any it covers. The
    initial password is random, sent by SMS to the staff member's phone, and must be changed at
    the first sign-in; the TOTP second factor is enrolled at that sign-in too. Privileged roles
    (部门管理员, 安全管理员, …) are granted afterwards by a 安全管理员 (:func:`grant_staff_role`).
    """
    if not any(has_role(actor, role, organization) for role in ACCOUNT_ADMIN_ROLES):
        raise PermissionDenied(f"您不能为{organization.name}开通账号")
    username = (username or "").strip().lower()
    name = (name or "").strip()
    phone = (phone or "").strip()
    if not _USERNAME.fullmatch(username):
        raise DomainError(
            "账号名须以字母开头，由 3–30 位小写字母、数字、点、横线或下划线组成", field="username"
        )
    if not name:
        raise DomainError("请填写姓名", field="name")
    if not _PHONE.fullmatch(phone):
        raise DomainError("请填写 11 位手机号码", field="phone")
    roles = [Role(r) for r in roles]
    extra = [r for r in roles if r not in OPERATIONAL_ROLES]
    if extra:
        raise PermissionDenied(f"{extra[0].label}角色须由安全管理员授予")
    if User.objects.filter(username=username).exists():
        raise Conflict("该账号名已被使用", field="username")
    if User.objects.by_phone(phone).exists():
        raise Conflict("该手机号已绑定其他账号", field="phone")
    password = random_password()
    user = User.objects.create_user(
        username,
        password,
        kind=UserKind.STAFF,
        name=name,
        phone=phone,
        is_staff=False,  # the Django admin stays closed; the back office checks roles
        registration_channel=RegistrationChannel.ADMIN,
        must_change_password=True,
    )
    audit.record(
        "account.open",
        **_actor(actor),
        object_type="user",
        object_id=user.pk,
        after={
            "username": username,
            "kind": UserKind.STAFF.value,
            "organization": organization.pk,
            "roles": [r.value for r in roles],
        },
        ip=ip,
    )
    for role in roles:
        grant_role(user, role, organization=organization, granted_by=actor)
    notifications.send_sms(
        phone,
        "sms/initial_password",
        {"username": username, "password": password},
        purpose="staff_account_open",
    )
    return user


# --- roles -----------------------------------------------------------------------------------


def _may_grant(
    actor: User, role: Role, organization: Organization | None, region: Region | None
) -> bool:
    if organization is None and region is None:
        return _platform_wide(actor, Role.SECURITY_ADMIN)
    if has_role(actor, Role.SECURITY_ADMIN, organization, region=region):
        return True
    # A 部门管理员 staffs its own organisation with everyday roles, nothing more.
    return (
        role in OPERATIONAL_ROLES
        and organization is not None
        and has_role(actor, Role.DEPARTMENT_ADMIN, organization)
    )


@transaction.atomic
def grant_staff_role(
    actor: User,
    user: User,
    role: str,
    *,
    organization: Organization | None = None,
    region: Region | None = None,
    ip: str | None = None,
) -> RoleAssignment:
    """Grant ``role`` to the staff account ``user`` (for one organisation, a region, or — with
    neither — platform-wide). 安全管理员 grant any role in their scope; 部门管理员 only the
    operational roles in their organisation; nobody grants to themselves; the three
    administrator roles are never combined in one person (三员分立)."""
    role = Role(role)
    if actor.pk == user.pk:
        raise PermissionDenied("不能给自己授予角色")
    if user.kind != UserKind.STAFF:
        raise DomainError("只能给工作人员账号授予角色")
    if organization is not None and region is not None:
        raise DomainError("角色只能限定于一个机构或一个区划")
    if not _may_grant(actor, role, organization, region):
        raise PermissionDenied(f"您不能授予{role.label}角色")
    if role in EXCLUSIVE_ROLES:
        held = (
            RoleAssignment.objects.filter(
                user=user, revoked_at__isnull=True, role__in=EXCLUSIVE_ROLES
            )
            .exclude(role=role)
            .first()
        )
        if held is not None:
            raise Conflict(
                f"该人员已是{held.get_role_display()}，平台管理员、安全管理员、审计员"
                "不能由同一人兼任（三员分立）"
            )
    # permissions.grant_role writes the audit event (account.role_grant).
    assignment = grant_role(user, role, organization=organization, region=region, granted_by=actor)
    return assignment


@transaction.atomic
def revoke_staff_role(actor: User, assignment: RoleAssignment, *, ip: str | None = None) -> None:
    """Revoke a role (收回角色); the same people who may grant it may revoke it."""
    if actor.pk == assignment.user_id:
        raise PermissionDenied("不能收回自己的角色")
    if not _may_grant(actor, Role(assignment.role), assignment.organization, assignment.region):
        raise PermissionDenied(f"您不能收回{assignment.get_role_display()}角色")
    revoke_role(assignment, revoked_by=actor)


# --- disable and unban -----------------------------------------------------------------------


def _end_sessions(user: User) -> None:
    # An inactive user is refused by the auth backend on the next request already; removing the
    # OAuth tokens also stops department systems acting with tokens issued before.
    from oauth2_provider.models import get_access_token_model, get_refresh_token_model

    get_refresh_token_model().objects.filter(user=user).delete()
    get_access_token_model().objects.filter(user=user).delete()
    from django.contrib.sessions.models import Session

    now = timezone.now()
    for session in Session.objects.filter(expire_date__gt=now).iterator():
        if str(session.get_decoded().get("_auth_user_id")) == str(user.pk):
            session.delete()


@transaction.atomic
def disable_account(actor: User, user: User, *, reason: str, ip: str | None = None) -> User:
    """Disable an account (账号禁用) with a reason: sign-ins are refused, sessions and tokens end,
    and the user is told by SMS (seed 001: "禁用账号应短信通知用户") and in the site."""
    _require_manage(actor, user)
    reason = (reason or "").strip()
    if not reason:
        raise DomainError("请填写停用原因", field="reason")
    if len(reason) > 60:
        raise DomainError("停用原因不超过 60 个字（将以短信告知用户）", field="reason")
    if not user.is_active:
        raise Conflict("该账号已停用")
    user.is_active = False
    user.disabled_at = timezone.now()
    user.disabled_reason = reason
    user.save(update_fields=["is_active", "disabled_at", "disabled_reason"])
    audit.record(
        "account.disable",
        **_actor(actor),
        object_type="user",
        object_id=user.pk,
        before={"is_active": True},
        after={"is_active": False, "reason": reason},
        ip=ip,
    )
    _end_sessions(user)
    if user.phone:
        notifications.send_sms(
            user.phone, "sms/account_disabled", {"reason": reason}, purpose="account_disable"
        )
    notifications.notify_user(user, "site/account_disabled", {"reason": reason})
    return user


@transaction.atomic
def request_unban(actor: User, user: User, *, reason: str, ip: str | None = None) -> UnbanRequest:
    """Ask for a disabled account to be restored (解封申请); a second administrator decides."""
    _require_manage(actor, user)
    reason = (reason or "").strip()
    if not reason:
        raise DomainError("请填写解封理由", field="reason")
    if user.is_active:
        raise Conflict("该账号未被停用")
    if UnbanRequest.objects.filter(user=user, status=UnbanRequest.Status.PENDING).exists():
        raise Conflict("该账号已有待审批的解封申请")
    request = UnbanRequest.objects.create(user=user, reason=reason[:200], requested_by=actor)
    audit.record(
        "account.unban_request",
        **_actor(actor),
        object_type="user",
        object_id=user.pk,
        after={"unban_request": request.pk, "reason": request.reason},
        ip=ip,
    )
    return request


def _may_approve(actor: User, user: User) -> bool:
    if can_manage_account(actor, user):
        return True
    if _platform_wide(actor, Role.SECURITY_ADMIN):
        return True
    organizations = account_organizations(user)
    return organizations.filter(pk__in=organizations_for(actor, Role.SECURITY_ADMIN)).exists()


def can_decide_unban(actor: User, request: UnbanRequest) -> bool:
    """Whether ``request`` is within ``actor``'s reach: its requester (who will be told that a
    second administrator must decide) or an administrator who may approve it."""
    if request.user_id == actor.pk:
        return False
    return request.requested_by_id == actor.pk or _may_approve(actor, request.user)


def pending_unban_requests(actor: User) -> list[UnbanRequest]:
    """The pending requests ``actor`` may decide (not their own)."""
    pending = (
        UnbanRequest.objects.filter(status=UnbanRequest.Status.PENDING)
        .exclude(requested_by=actor)
        .select_related("user", "requested_by")
        .order_by("requested_at")
    )
    return [r for r in pending if r.user_id != actor.pk and _may_approve(actor, r.user)]


def _decide(actor: User, request: UnbanRequest) -> UnbanRequest:
    request = UnbanRequest.objects.select_for_update().select_related("user").get(pk=request.pk)
    if request.requested_by_id == actor.pk:
        raise PermissionDenied("解封须由另一名管理员审批，申请人不能审批自己的申请")
    if request.user_id == actor.pk or not _may_approve(actor, request.user):
        raise PermissionDenied("该账号不在您的审批范围内")
    if request.status != UnbanRequest.Status.PENDING:
        raise Conflict(f"该申请已{request.get_status_display()}")
    return request


@transaction.atomic
def approve_unban(actor: User, request: UnbanRequest, *, ip: str | None = None) -> User:
    """Approve an unban (账号解禁): a second administrator — a 安全管理员, or an account
    administrator of the account, never the requester — restores the account; the user is told
    by SMS (seed 001: "账号解禁需经过管理部门负责人审核，并通过短信告知用户")."""
    request = _decide(actor, request)
    user = request.user
    request.status = UnbanRequest.Status.APPROVED
    request.decided_by = actor
    request.decided_at = timezone.now()
    request.save(update_fields=["status", "decided_by", "decided_at"])
    before = {"is_active": user.is_active, "reason": user.disabled_reason}
    user.is_active = True
    user.disabled_at = None
    user.disabled_reason = ""
    user.save(update_fields=["is_active", "disabled_at", "disabled_reason"])
    audit.record(
        "account.unban_approve",
        **_actor(actor),
        object_type="user",
        object_id=user.pk,
        before=before,
        after={
            "is_active": True,
            "unban_request": request.pk,
            "requested_by": request.requested_by_id,
        },
        ip=ip,
    )
    if user.phone:
        notifications.send_sms(user.phone, "sms/account_enabled", {}, purpose="account_enable")
    notifications.notify_user(user, "site/account_enabled", {})
    return user


@transaction.atomic
def reject_unban(
    actor: User, request: UnbanRequest, *, reason: str, ip: str | None = None
) -> UnbanRequest:
    """Reject an unban request; the account stays disabled. A rejection says why (1–200
    characters); the reason is kept in the audit trail (``account.unban_reject``)."""
    request = _decide(actor, request)
    reason = (reason or "").strip()
    if not reason:
        raise DomainError("请填写驳回理由", field="reason")
    if len(reason) > 200:
        raise DomainError("驳回理由不超过 200 个字", field="reason")
    request.status = UnbanRequest.Status.REJECTED
    request.decided_by = actor
    request.decided_at = timezone.now()
    request.save(update_fields=["status", "decided_by", "decided_at"])
    audit.record(
        "account.unban_reject",
        **_actor(actor),
        object_type="user",
        object_id=request.user_id,
        after={"unban_request": request.pk, "reason": reason},
        ip=ip,
    )
    return request


# --- audit trail (read only) -------------------------------------------------------------------


def audit_events(
    actor: User,
    *,
    action: str = "",
    actor_filter: str = "",
    date_from: date | None = None,
    date_to: date | None = None,
) -> QuerySet[AuditEvent]:
    """The audit trail for a 审计员 (read only, newest first), filtered by action prefix, actor
    (``user:42`` or a user name) and dates (inclusive, Beijing time)."""
    if not has_role(actor, Role.AUDITOR):
        raise PermissionDenied("只有审计员可以查看审计日志")
    events = AuditEvent.objects.order_by("-id")
    if action:
        events = events.filter(action__startswith=action.strip())
    if actor_filter:
        value = actor_filter.strip()
        events = events.filter(Q(actor=value) | Q(actor_label=value))
    zone = timezone.get_current_timezone()
    if date_from:
        events = events.filter(occurred_at__gte=datetime.combine(date_from, time.min, zone))
    if date_to:
        events = events.filter(occurred_at__lte=datetime.combine(date_to, time.max, zone))
    return events


def users_by_pk(pks) -> dict[int, User]:
    """The accounts with these primary keys, by key: what the audit page needs to say who an
    event's ``user:<pk>`` actor or ``user`` object is (one query for a whole page)."""
    return {u.pk: u for u in User.objects.filter(pk__in=list(pks))}
