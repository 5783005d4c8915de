"""/api/v1/staff/…: window look-up of persons, unmasking, account management, unban approval.

Only staff sessions that passed the TOTP step are admitted (401 otherwise); every handler then
checks the caller's role *for the object* in the services (default deny, 403). An object outside
the caller's organisations is answered 404, exactly like one that does not exist, so a clerk of
one county learns nothing about another's persons or accounts. Every response shows personal
data masked, except the one value returned by ``…/unmask`` (audited).

No ``from __future__ import annotations``: ninja reads the annotations at import time.
"""

from datetime import datetime
from typing import Literal
from uuid import UUID

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status
from ninja.security import SessionAuth

from yiwang.accounts.models import UnbanRequest, User
from yiwang.accounts.services import account_admin, personal_data
from yiwang.accounts.services.staff_auth import staff_session_verified
from yiwang.core.errors import NotFound
from yiwang.core.http import client_ip
from yiwang.core.problems import Problem


class StaffSession(SessionAuth):
    """A back-office session with both factors (password + TOTP); CSRF-checked on writes."""

    def authenticate(self, request: HttpRequest, key):
        return request.user if staff_session_verified(request) else None


router = Router(tags=["工作人员"], auth=StaffSession())

ERRORS = {400: Problem, 401: Problem, 403: Problem, 404: Problem, 409: Problem, 422: Problem}


class PersonOut(Schema):
    uid: UUID = Field(description="用户标识（OIDC sub）")
    name: str = Field(description="姓名（脱敏）", examples=["张*"])
    id_number: str = Field(description="公民身份号码（脱敏，隐去出生日期）")
    phone: str = Field(description="绑定手机号（脱敏）", examples=["138****5678"])
    registration_channel: str = Field(examples=["window"])
    is_active: bool

    @staticmethod
    def resolve_name(obj: User) -> str:
        return obj.display_name

    @staticmethod
    def resolve_id_number(obj: User) -> str:
        return obj.masked_id_number

    @staticmethod
    def resolve_phone(obj: User) -> str:
        return obj.masked_phone


class AccountOut(PersonOut):
    username: str = Field(description="工作人员账号名；自然人为系统生成的标识")
    kind: str = Field(description="person / staff")
    disabled_reason: str = Field(description="停用原因")

    @staticmethod
    def resolve_username(obj: User) -> str:
        # A person's generated login name means nothing to a clerk and is not needed.
        return obj.username if obj.kind == "staff" else ""


class PersonQuery(Schema):
    id_number: str = Field(..., description="公民身份号码（18 位）", max_length=40)


class UnmaskIn(Schema):
    field: Literal["name", "id_number", "phone"] = Field(description="要查看的完整字段")
    reason: str = Field(..., description="查看原因（将告知用户本人）", max_length=200)


class UnmaskOut(Schema):
    field: str
    value: str = Field(description="完整值：本次查看已记入审计日志")


class ReasonIn(Schema):
    reason: str = Field(..., max_length=200)


class AccountFilter(Schema):
    kind: Literal["person", "staff"] | None = Field(None, description="账号类型")
    disabled: bool | None = Field(None, description="只列已停用（true）或正常（false）的账号")


class UnbanRequestOut(Schema):
    id: int
    account: AccountOut
    reason: str
    status: str
    requested_by: str = Field(description="申请人账号名")
    requested_at: datetime

    @staticmethod
    def resolve_account(obj: UnbanRequest) -> User:
        return obj.user

    @staticmethod
    def resolve_requested_by(obj: UnbanRequest) -> str:
        return obj.requested_by.username


def _account(actor: User, uid: UUID) -> User:
    # Looked up inside the caller's scope: outside it, the account "does not exist".
    user = account_admin.accounts_for(actor).filter(uid=uid).first()
    if user is None:
        raise NotFound("账号不存在，或不在您的管理范围内")
    return user


def _person(actor: User, uid: UUID) -> User:
    person = personal_data.persons_in_scope(actor).filter(uid=uid).first()
    if person is None:
        raise NotFound(personal_data.NOT_IN_SCOPE)
    return person


@router.get("/staff/persons", response={200: PersonOut, **ERRORS}, summary="窗口查询自然人")
def find_person(request: HttpRequest, query: Query[PersonQuery]):
    """A person by ID number, masked, for window work: only 窗口受理员 / 部门管理员 of an
    organisation the person has business with (registered at its window, a case there)."""
    return personal_data.find_person_for_window(
        request.auth, query.id_number, ip=client_ip(request)
    )


@router.post(
    "/staff/persons/{uid}/unmask", response={200: UnmaskOut, **ERRORS}, summary="查看完整信息"
)
def unmask_person(request: HttpRequest, uid: UUID, body: UnmaskIn):
    """The full value of one field, with a reason; audited and shown to the person on
    "谁查看了我的信息"."""
    person = _person(request.auth, uid)
    value = personal_data.unmask(
        request.auth, person, body.field, reason=body.reason, ip=client_ip(request)
    )
    return {"field": body.field, "value": value}


@router.get("/staff/accounts", response={200: list[AccountOut], **ERRORS}, summary="本机构账号")
def list_accounts(request: HttpRequest, filters: Query[AccountFilter]):
    """The accounts of the caller's organisations (部门管理员) or of the platform (平台管理员),
    newest first, at most 200."""
    accounts = account_admin.accounts_for(request.auth)
    if filters.kind:
        accounts = accounts.filter(kind=filters.kind)
    if filters.disabled is not None:
        accounts = accounts.filter(is_active=not filters.disabled)
    return list(accounts.order_by("-date_joined", "-pk")[:200])


@router.post(
    "/staff/accounts/{uid}/disable", response={200: AccountOut, **ERRORS}, summary="停用账号"
)
def disable(request: HttpRequest, uid: UUID, body: ReasonIn):
    """Disable an account with a reason; the user is told by SMS."""
    user = _account(request.auth, uid)
    return account_admin.disable_account(
        request.auth, user, reason=body.reason, ip=client_ip(request)
    )


@router.post(
    "/staff/accounts/{uid}/unban-requests",
    response={201: UnbanRequestOut, **ERRORS},
    summary="申请解封",
)
def request_unban(request: HttpRequest, uid: UUID, body: ReasonIn):
    """Ask for a disabled account to be restored; another administrator approves."""
    user = _account(request.auth, uid)
    unban = account_admin.request_unban(
        request.auth, user, reason=body.reason, ip=client_ip(request)
    )
    return Status(201, unban)


@router.get(
    "/staff/unban-requests", response={200: list[UnbanRequestOut], **ERRORS}, summary="待审批解封"
)
def pending_unbans(request: HttpRequest):
    """Pending unban requests the caller may decide (never their own)."""
    return account_admin.pending_unban_requests(request.auth)


def _unban_request(actor: User, request_id: int) -> UnbanRequest:
    for item in account_admin.pending_unban_requests(actor):
        if item.pk == request_id:
            return item
    # Decided ones are still reachable for a clear 409, if in scope.
    item = UnbanRequest.objects.select_related("user", "requested_by").filter(pk=request_id).first()
    if item is None or not account_admin.can_decide_unban(actor, item):
        raise NotFound("解封申请不存在，或不在您的审批范围内")
    return item


@router.post(
    "/staff/unban-requests/{id:request_id}/approve",
    response={200: AccountOut, **ERRORS},
    summary="批准解封",
)
def approve_unban(request: HttpRequest, request_id: int):
    """Approve: the account is restored and the user told by SMS. The requester cannot."""
    item = _unban_request(request.auth, request_id)
    return account_admin.approve_unban(request.auth, item, ip=client_ip(request))


@router.post(
    "/staff/unban-requests/{id:request_id}/reject",
    response={200: UnbanRequestOut, **ERRORS},
    summary="驳回解封",
)
def reject_unban(request: HttpRequest, request_id: int, payload: ReasonIn):
    """Reject: the account stays disabled; the reason is kept in the audit trail."""
    item = _unban_request(request.auth, request_id)
    return account_admin.reject_unban(
        request.auth, item, reason=payload.reason, ip=client_ip(request)
    )
