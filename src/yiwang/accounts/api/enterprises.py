"""/api/v1/me/enterprises, /api/v1/enterprises/…: legal-person accounts and delegation.

For signed-in persons (session; CSRF-checked on writes). Handlers parse, call one service or
selector and return a schema; refusals are RFC 9457 problem+json with the service's Chinese
message. An enterprise the caller neither represents nor holds a grant for is a 404, exactly like
one that is not registered. People appear masked (name, ID number, phone). Staff access to
enterprises is not here but in the back-office API.

No ``from __future__ import annotations``: ninja reads the annotations at import time.
"""

from datetime import date

from django.http import HttpRequest
from ninja import Field, Router, Schema
from ninja.responses import Status

from yiwang.accounts import selectors, services
from yiwang.accounts.api.sessions import PersonSession
from yiwang.accounts.constants import DelegationRole
from yiwang.accounts.models import Enterprise, Grant, GrantScope, User
from yiwang.core.errors import NotFound
from yiwang.core.http import client_ip
from yiwang.core.problems import Problem

router = Router(tags=["法人用户与授权"], auth=PersonSession())

ERRORS = {400: Problem, 401: Problem, 403: Problem, 404: Problem, 409: Problem, 422: Problem}


# --- schemas ---------------------------------------------------------------------------------


class EnterpriseAccessOut(Schema):
    uscc: str = Field(description="统一社会信用代码")
    name: str = Field(examples=["宁波海曙示例贸易有限公司"])
    role: str = Field(description="legal_representative / manager / handler")
    role_display: str = Field(examples=["法定代表人"])
    level: int = Field(description="授权层级：法定代表人 1，其被授权人 2，再授权 3")
    can_delegate: bool = Field(description="可否授权他人（法定代表人、第二级管理者）")
    acting: bool = Field(description="当前会话是否以该企业身份办事")


class EnterpriseIn(Schema):
    uscc: str = Field(..., max_length=40, description="统一社会信用代码")
    name: str = Field(..., max_length=200, description="企业名称（与营业执照一致）")
    legal_representative_name: str = Field(..., max_length=50, description="法定代表人姓名")


class EnterpriseOut(Schema):
    uscc: str
    name: str
    entity_type: str
    status: str


class PersonRef(Schema):
    name: str = Field(description="姓名（脱敏）", examples=["张*"])
    id_number: str = Field(description="公民身份号码（脱敏）")
    phone: str = Field(description="手机号（脱敏）", examples=["138****5678"])


def _person(user: User | None) -> dict | None:
    if user is None:
        return None
    return {
        "name": user.display_name,
        "id_number": user.masked_id_number,
        "phone": user.masked_phone,
    }


class GrantOut(Schema):
    id: int
    level: int = Field(description="授权层级（2 或 3）")
    role: str = Field(description="manager / handler")
    role_display: str = Field(examples=["经办人"])
    status: str = Field(description="requested / active / rejected / revoked")
    in_effect: bool = Field(description="当前是否生效（有效且在有效期内，上级授权亦然）")
    grantee: PersonRef
    grantor: PersonRef | None
    parent_id: int | None
    all_items: bool
    item_codes: list[str] = Field(description="授权的事项（实施编码）")
    theme_codes: list[str] = Field(description="授权的主题编码")
    valid_from: date
    valid_until: date
    revoke_reason: str

    @staticmethod
    def resolve_role_display(obj: Grant) -> str:
        return obj.get_role_display()

    @staticmethod
    def resolve_in_effect(obj: Grant) -> bool:
        return selectors.grant_in_effect(obj)

    @staticmethod
    def resolve_grantee(obj: Grant) -> dict:
        return _person(obj.grantee)

    @staticmethod
    def resolve_grantor(obj: Grant) -> dict | None:
        return _person(obj.grantor)

    @staticmethod
    def resolve_item_codes(obj: Grant) -> list[str]:
        return sorted(s.code for s in obj.scopes.all() if s.kind == GrantScope.Kind.ITEM)

    @staticmethod
    def resolve_theme_codes(obj: Grant) -> list[str]:
        return sorted(s.code for s in obj.scopes.all() if s.kind == GrantScope.Kind.THEME)


class GrantIn(Schema):
    grantee: str = Field(..., max_length=40, description="被授权人的身份证号或绑定手机号")
    role: DelegationRole = Field(description="manager 管理者（可再授权）/ handler 经办人")
    valid_from: date
    valid_until: date
    all_items: bool = True
    item_codes: list[str] = Field(default_factory=list, max_length=200)
    theme_codes: list[str] = Field(default_factory=list, max_length=100)


class RevokeIn(Schema):
    reason: str = Field(..., max_length=200, description="撤销原因")


class ActingIn(Schema):
    uscc: str = Field(..., max_length=40)


class ActingOut(Schema):
    acting: bool
    uscc: str | None = None
    name: str | None = None
    role_display: str | None = None


# --- helpers ---------------------------------------------------------------------------------


def _access_out(access: selectors.EnterpriseAccess, acting: Enterprise | None) -> dict:
    role = "legal_representative" if access.level == 1 else access.grant.role
    return {
        "uscc": access.enterprise.uscc,
        "name": access.enterprise.name,
        "role": role,
        "role_display": access.role_label,
        "level": access.level,
        "can_delegate": access.can_delegate,
        "acting": acting is not None and acting.pk == access.enterprise.pk,
    }


def _my_enterprise(user: User, uscc: str) -> Enterprise:
    """The enterprise if ``user`` may act for it; 404 otherwise (not registered looks the same)."""
    enterprise = selectors.enterprise_by_uscc(uscc)
    if enterprise is None or not services.can_act_for(user, enterprise):
        raise NotFound("未找到该企业，或您没有该企业的授权", field="uscc")
    return enterprise


def _flatten(nodes) -> list[Grant]:
    flat: list[Grant] = []
    for node in nodes:
        flat.append(node.grant)
        flat.extend(_flatten(node.children))
    return flat


def _acting_out(request: HttpRequest) -> dict:
    enterprise = services.acting_enterprise(request.session, request.auth)
    if enterprise is None:
        return {"acting": False}
    return {
        "acting": True,
        "uscc": enterprise.uscc,
        "name": enterprise.name,
        "role_display": services.acting_role_label(request.auth, enterprise),
    }


# --- endpoints -------------------------------------------------------------------------------


@router.get(
    "/me/enterprises", response={200: list[EnterpriseAccessOut], **ERRORS}, summary="我的企业"
)
def my_enterprises(request: HttpRequest):
    """Enterprises the caller represents or holds a grant in effect for, by name."""
    acting = services.acting_enterprise(request.session, request.auth)
    return [_access_out(a, acting) for a in selectors.enterprises_for(request.auth)]


@router.post("/enterprises", response={201: EnterpriseOut, **ERRORS}, summary="法人注册")
def register_enterprise(request: HttpRequest, payload: EnterpriseIn):
    """Register the caller's enterprise by USCC; the caller must be its legal representative.
    A mismatch with the legal-entity library is one generic 400; too many are a 429."""
    enterprise = services.register_enterprise(
        request.auth,
        uscc=payload.uscc,
        name=payload.name,
        legal_representative_name=payload.legal_representative_name,
        ip=client_ip(request),
    )
    return Status(201, enterprise)


@router.get(
    "/enterprises/{uscc}/grants", response={200: list[GrantOut], **ERRORS}, summary="授权列表"
)
def list_grants(request: HttpRequest, uscc: str):
    """The active grants the caller may see, tree order (each grant followed by those made
    under it): all of them for the legal representative, one's own branch for a grantee."""
    enterprise = _my_enterprise(request.auth, uscc)
    return _flatten(selectors.visible_grant_tree(request.auth, enterprise))


@router.post("/enterprises/{uscc}/grants", response={201: GrantOut, **ERRORS}, summary="授权给他人")
def create_grant(request: HttpRequest, uscc: str, payload: GrantIn):
    """Grant a real-name person the right to act for the enterprise (level 2 from the legal
    representative, level 3 from a level-2 manager; a fourth level is refused)."""
    enterprise = _my_enterprise(request.auth, uscc)
    made = services.grant(
        enterprise,
        request.auth,
        payload.grantee,
        role=payload.role,
        valid_from=payload.valid_from,
        valid_until=payload.valid_until,
        all_items=payload.all_items,
        item_codes=payload.item_codes,
        theme_codes=payload.theme_codes,
        ip=client_ip(request),
    )
    return Status(201, made)


@router.post(
    "/enterprises/{uscc}/grants/{id:grant_id}/revoke",
    response={200: list[GrantOut], **ERRORS},
    summary="撤销授权",
)
def revoke_grant(request: HttpRequest, uscc: str, grant_id: int, payload: RevokeIn):
    """Revoke a grant and every grant made under it; returns all revoked grants."""
    enterprise = _my_enterprise(request.auth, uscc)
    visible = {g.pk: g for g in _flatten(selectors.visible_grant_tree(request.auth, enterprise))}
    if grant_id not in visible:
        raise NotFound("未找到该授权", field="grant_id")
    return services.revoke(visible[grant_id], request.auth, payload.reason, ip=client_ip(request))


@router.get("/me/acting-enterprise", response={200: ActingOut, **ERRORS}, summary="当前办事身份")
def get_acting(request: HttpRequest):
    """The enterprise this session acts for (checked again now), or ``acting: false``."""
    return _acting_out(request)


@router.put("/me/acting-enterprise", response={200: ActingOut, **ERRORS}, summary="以企业身份办事")
def switch_acting(request: HttpRequest, payload: ActingIn):
    """Act for the enterprise from now on in this session (legal representative or a grant in
    effect; 404 otherwise)."""
    enterprise = _my_enterprise(request.auth, payload.uscc)
    services.switch_to_enterprise(request.session, request.auth, enterprise, ip=client_ip(request))
    return _acting_out(request)


@router.delete("/me/acting-enterprise", response={204: None, **ERRORS}, summary="切换回个人")
def stop_acting(request: HttpRequest):
    """Act as oneself again."""
    services.stop_acting(request.session, request.auth, ip=client_ip(request))
    return Status(204, None)
