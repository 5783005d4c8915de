"""Legal-person delegation (法人用户授权): grant, request, decide, change, revoke.

Seed 001 ch. 5 §(一)2 【法人用户授权】: "法人用户应具有多级授权，可设定被授权人、授权有效期、
服务事项范围，被授权人可进行再次授权，授权层级最多三层，具备授权、申请授权、变更授权、取消授权、
授权查看等功能" (REQUIREMENTS §2). Nanjing's model (seed 002) names the three levels
法人代表 → 管理者 → 经办人:

* level 1 is the legal representative, who holds no grant: the enterprise is bound to them;
* level 2 is a person the legal representative grants to, as 管理者 (may re-delegate) or
  经办人 (may not);
* level 3 is a person a level-2 管理者 re-delegates to; a fourth level is refused.

A re-delegation stays inside its grantor's own grant: validity, scope (all items, or listed
service items by 实施编码 and themes by code) and — through the level — the right to delegate.
Validity is checked every time a grant is used (:func:`yiwang.accounts.selectors.grant_in_effect`),
so expiry takes effect at once. Every change is audited with ``acting_for="enterprise:<USCC>"``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.utils import timezone

from yiwang.accounts import selectors
from yiwang.accounts.constants import MAX_DELEGATION_LEVEL, DelegationRole, GrantStatus, UserKind
from yiwang.accounts.models import Enterprise, Grant, GrantScope, User
from yiwang.accounts.selectors import grants_for_enterprise, grants_of
from yiwang.catalog.models import ServiceItem, Theme
from yiwang.core import audit
from yiwang.core.errors import Conflict, DomainError, Forbidden, NotFound
from yiwang.core.identifiers import IdentifierError, validate_uscc

__all__ = [
    "LEVEL_LIMIT_MESSAGE",
    "change_grant",
    "decide_request",
    "grant",
    "grants_for_enterprise",
    "grants_of",
    "request_grant",
    "revoke",
]

LEVEL_LIMIT_MESSAGE = "授权层级不能超过三级"
MAX_CODE_LENGTH = 40


# --- helpers ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Authority:
    """Where a person stands in an enterprise: level 1 (legal representative, ``grant`` None)
    or the level of the grant in effect they hold."""

    level: int
    grant: Grant | None

    @property
    def may_delegate(self) -> bool:
        return self.grant is None or self.grant.role == DelegationRole.MANAGER


def _authority(user: User, enterprise: Enterprise) -> _Authority | None:
    if enterprise.legal_representative_id == user.pk:
        return _Authority(1, None)
    held = selectors.active_grant(user, enterprise)
    return _Authority(held.level, held) if held is not None else None


def _delegating_authority(user: User, enterprise: Enterprise, *, verb: str) -> _Authority:
    """The grantor's authority, refusing a handler and a grant that would be a fourth level."""
    if enterprise.status != Enterprise.Status.ACTIVE:
        raise DomainError("该法人用户已停用，不能办理授权")
    authority = _authority(user, enterprise)
    if authority is None:
        raise Forbidden(f"您不是该企业的法定代表人，也没有有效的授权，不能{verb}")
    if not authority.may_delegate:
        raise Forbidden(f"经办人不能再授权他人，不能{verb}")
    if authority.level >= MAX_DELEGATION_LEVEL:
        # level 3 + 1 = 4: seed 001 "授权层级最多三层"
        raise DomainError(LEVEL_LIMIT_MESSAGE)
    return authority


def _today() -> date:
    return timezone.localdate()


def _actor(user: User) -> str:
    return f"user:{user.pk}"


def _acting_for(enterprise: Enterprise) -> str:
    return f"enterprise:{enterprise.uscc}"


def _codes(values: Iterable[str], field: str) -> list[str]:
    cleaned: list[str] = []
    for value in values or ():
        code = str(value).strip().upper()
        if not code:
            continue
        if len(code) > MAX_CODE_LENGTH:
            raise DomainError(f"编码“{code[:20]}…”过长：不超过{MAX_CODE_LENGTH}个字符", field=field)
        if code not in cleaned:
            cleaned.append(code)
    _check_known(cleaned, field)
    return cleaned


def _check_known(codes: list[str], field: str) -> None:
    """A scope names service items (实施编码) and themes of the catalogue: a mistyped code would
    make a grant that silently covers nothing."""
    if not codes:
        return
    if field == "item_codes":
        known = set(ServiceItem.objects.filter(code__in=codes).values_list("code", flat=True))
        label = "事项实施编码"
    else:
        known = set(Theme.objects.filter(code__in=codes).values_list("code", flat=True))
        label = "主题代码"
    unknown = [code for code in codes if code not in known]
    if unknown:
        shown = "、".join(unknown[:5]) + ("等" if len(unknown) > 5 else "")
        raise DomainError(f"以下{label}在事项目录中不存在：{shown}", field=field)


def _scope_codes(grant: Grant) -> tuple[set[str], set[str]]:
    scopes = list(grant.scopes.all())
    return (
        {s.code for s in scopes if s.kind == GrantScope.Kind.ITEM},
        {s.code for s in scopes if s.kind == GrantScope.Kind.THEME},
    )


def _check_role(role: str) -> str:
    if role not in DelegationRole.values:
        raise DomainError("请选择角色：管理者或经办人", field="role")
    return role


def _check_validity(valid_from: date, valid_until: date, bound: Grant | None) -> None:
    if valid_from is None:
        raise DomainError("请填写生效日期", field="valid_from")
    if valid_until is None:
        raise DomainError("请填写截止日期", field="valid_until")
    if valid_until < valid_from:
        raise DomainError("截止日期不能早于生效日期", field="valid_until")
    if valid_until < _today():
        raise DomainError("截止日期不能早于今天", field="valid_until")
    if bound is not None and (valid_from < bound.valid_from or valid_until > bound.valid_until):
        raise DomainError(
            f"授权有效期不能超出上级授权的有效期（{bound.valid_from:%Y-%m-%d} 至 "
            f"{bound.valid_until:%Y-%m-%d}）",
            field="valid_from" if valid_from < bound.valid_from else "valid_until",
        )


def _check_scope(all_items: bool, items: list[str], themes: list[str], bound: Grant | None) -> None:
    if not all_items and not items and not themes:
        raise DomainError("请选择授权范围：全部事项，或至少一个事项或主题", field="item_codes")
    if bound is None or bound.all_items:
        return
    if all_items:
        raise DomainError("授权范围不能超出上级授权的范围：上级授权不是全部事项", field="all_items")
    bound_items, bound_themes = _scope_codes(bound)
    # Codes are compared as codes: an item inside a theme the grantor holds is not inferred,
    # because accounts does not read the catalogue; the grantor lists the theme itself instead.
    outside_items = [c for c in items if c not in bound_items]
    if outside_items:
        raise DomainError(
            f"以下事项不在上级授权的范围内：{'、'.join(outside_items)}", field="item_codes"
        )
    outside_themes = [c for c in themes if c not in bound_themes]
    if outside_themes:
        raise DomainError(
            f"以下主题不在上级授权的范围内：{'、'.join(outside_themes)}", field="theme_codes"
        )


def _set_scopes(grant: Grant, all_items: bool, items: list[str], themes: list[str]) -> None:
    grant.scopes.all().delete()
    if all_items:
        return
    GrantScope.objects.bulk_create(
        [GrantScope(grant=grant, kind=GrantScope.Kind.ITEM, code=c) for c in items]
        + [GrantScope(grant=grant, kind=GrantScope.Kind.THEME, code=c) for c in themes]
    )


def snapshot(grant: Grant) -> dict:
    """What the audit trail keeps of a grant (people by their ``user:<pk>``, never their data)."""
    items, themes = _scope_codes(grant)
    return {
        "enterprise": grant.enterprise.uscc,
        "grantor": f"user:{grant.grantor_id}" if grant.grantor_id else None,
        "grantee": f"user:{grant.grantee_id}",
        "parent": grant.parent_id,
        "level": grant.level,
        "role": grant.role,
        "all_items": grant.all_items,
        "item_codes": sorted(items),
        "theme_codes": sorted(themes),
        "valid_from": grant.valid_from,
        "valid_until": grant.valid_until,
        "status": grant.status,
    }


def _record(action: str, grant: Grant, actor: User, *, before=None, ip=None) -> None:
    audit.record(
        action,
        actor=_actor(actor),
        acting_for=_acting_for(grant.enterprise),
        object_type="accounts.grant",
        object_id=grant.pk,
        before=before,
        after=snapshot(grant),
        ip=ip,
    )


def _find_grantee(identifier: str) -> User:
    person = selectors.person_by_identifier(identifier)
    if person is None:
        raise DomainError(
            "未找到该实名用户：被授权人须先完成个人实名注册（请核对身份证号或手机号）",
            field="grantee",
        )
    return person


def _refuse_second_grant(enterprise: Enterprise, person: User, *, own: bool = False) -> None:
    """One person, one grant (or one pending request) per enterprise: a second would make
    "as what does this person act" ambiguous. An expired grant is extended by changing it."""
    existing = (
        Grant.objects.filter(
            enterprise=enterprise,
            grantee=person,
            status__in=(GrantStatus.ACTIVE, GrantStatus.REQUESTED),
        )
        .order_by("pk")
        .first()
    )
    if existing is None:
        return
    if existing.status == GrantStatus.REQUESTED:
        message = (
            "您已申请过该企业的授权，请等待审批"
            if own
            else "该人员已申请本企业授权，请在待审批申请中处理"
        )
    elif own:
        message = "您已获得该企业的授权；授权已过期的，请联系授权人变更有效期"
    else:
        message = "该人员已获得本企业的授权；如需调整或延长有效期，请变更原授权"
    raise Conflict(message, field=None if own else "grantee")


def _lock(enterprise: Enterprise) -> Enterprise:
    # Serialises grants of one enterprise, so "one grant per person" and the tree cannot be
    # broken by two requests at the same moment.
    return Enterprise.objects.select_for_update().get(pk=enterprise.pk)


# --- use cases -------------------------------------------------------------------------------


def grant(
    enterprise: Enterprise,
    grantor: User,
    grantee_identifier: str,
    *,
    role: str,
    valid_from: date,
    valid_until: date,
    all_items: bool = True,
    item_codes: Iterable[str] = (),
    theme_codes: Iterable[str] = (),
    ip: str | None = None,
) -> Grant:
    """Grant a person the right to act for ``enterprise`` (授权).

    Rules: the grantor is the legal representative (the grant is level 2) or holds a level-2
    管理者 grant in effect (the grant is level 3, made under it); a 经办人 cannot re-delegate and a
    level-3 holder cannot grant ("授权层级不能超过三级", seed 001); the grantee is a registered,
    real-name person found by ID number or mobile number, not the grantor, not the legal
    representative, without another grant or request in this enterprise; validity and scope stay
    within the grantor's own grant; the end date is not in the past.
    """
    authority = _delegating_authority(grantor, enterprise, verb="授权")
    role = _check_role(role)
    grantee = _find_grantee(grantee_identifier)
    if grantee.pk == grantor.pk:
        raise DomainError("不能授权给自己", field="grantee")
    if grantee.pk == enterprise.legal_representative_id:
        raise DomainError("法定代表人无需授权", field="grantee")
    items = _codes(item_codes, "item_codes")
    themes = _codes(theme_codes, "theme_codes")
    if all_items:
        items, themes = [], []
    _check_validity(valid_from, valid_until, authority.grant)
    _check_scope(all_items, items, themes, authority.grant)
    with transaction.atomic():
        _lock(enterprise)
        _refuse_second_grant(enterprise, grantee)
        now = timezone.now()
        made = Grant.objects.create(
            enterprise=enterprise,
            grantor=grantor,
            grantee=grantee,
            parent=authority.grant,
            level=authority.level + 1,
            role=role,
            all_items=all_items,
            valid_from=valid_from,
            valid_until=valid_until,
            status=GrantStatus.ACTIVE,
            created_at=now,
            decided_at=now,
        )
        _set_scopes(made, all_items, items, themes)
        _record("accounts.grant.created", made, grantor, ip=ip)
    return made


def request_grant(
    enterprise_uscc: str,
    requester: User,
    *,
    role: str,
    valid_from: date,
    valid_until: date,
    all_items: bool = True,
    item_codes: Iterable[str] = (),
    theme_codes: Iterable[str] = (),
    note: str = "",
    ip: str | None = None,
) -> Grant:
    """Ask an enterprise for a grant (申请授权); its legal representative or a 管理者 decides.

    Rules: the requester is a real-name person, not the legal representative, without a grant
    or pending request in the enterprise; the enterprise is registered and not disabled; the
    validity and scope asked for are well-formed (they are bounded by the decider's own grant
    when decided). The request is stored as a grant with status 待授权 and no grantor.
    """
    if requester.kind != UserKind.PERSON or requester.real_name_verified_at is None:
        raise Forbidden("申请授权须先完成个人实名注册")
    try:
        uscc = validate_uscc(enterprise_uscc)
    except IdentifierError as exc:
        exc.field = "uscc"
        raise
    enterprise = selectors.enterprise_by_uscc(uscc)
    if enterprise is None:
        raise NotFound("该企业尚未注册法人用户，请联系企业法定代表人先行注册", field="uscc")
    if enterprise.status != Enterprise.Status.ACTIVE:
        raise DomainError("该法人用户已停用，不能申请授权", field="uscc")
    if enterprise.legal_representative_id == requester.pk:
        raise Conflict("您是该企业的法定代表人，无需申请授权", field="uscc")
    role = _check_role(role)
    items = _codes(item_codes, "item_codes")
    themes = _codes(theme_codes, "theme_codes")
    if all_items:
        items, themes = [], []
    _check_validity(valid_from, valid_until, None)
    _check_scope(all_items, items, themes, None)
    with transaction.atomic():
        _lock(enterprise)
        _refuse_second_grant(enterprise, requester, own=True)
        request = Grant.objects.create(
            enterprise=enterprise,
            grantor=None,
            grantee=requester,
            parent=None,
            # provisional: the level is fixed by whoever approves (2 under the legal
            # representative, 3 under a 管理者); the column must hold a valid level meanwhile
            level=2,
            role=role,
            all_items=all_items,
            valid_from=valid_from,
            valid_until=valid_until,
            status=GrantStatus.REQUESTED,
            note=(note or "").strip()[:200],
        )
        _set_scopes(request, all_items, items, themes)
        _record("accounts.grant.requested", request, requester, ip=ip)
    return request


def decide_request(
    request: Grant,
    decider: User,
    *,
    approve: bool,
    reason: str = "",
    ip: str | None = None,
) -> Grant:
    """Approve or reject a request for a grant.

    Rules: the decider is the legal representative (an approved request becomes a level-2 grant)
    or a level-2 管理者 in effect (level 3, made under the manager's grant, so validity and scope
    must lie within it; otherwise reject and grant directly with narrower terms); handlers and
    level-3 holders cannot approve; only pending requests are decided; a rejection may give a
    reason, which the requester sees.
    """
    if request.status != GrantStatus.REQUESTED:
        raise Conflict("该申请已处理")
    enterprise = request.enterprise
    authority = _delegating_authority(decider, enterprise, verb="审批授权申请")
    before = snapshot(request)
    with transaction.atomic():
        _lock(enterprise)
        request = Grant.objects.select_for_update().get(pk=request.pk)
        if request.status != GrantStatus.REQUESTED:
            raise Conflict("该申请已处理")
        now = timezone.now()
        if not approve:
            request.status = GrantStatus.REJECTED
            request.decided_at = now
            # the grant's "reason for ending" column also holds the reason for refusing it
            request.revoke_reason = (reason or "").strip()[:200]
            request.grantor = decider
            request.save(update_fields=["status", "decided_at", "revoke_reason", "grantor"])
            _record("accounts.grant.rejected", request, decider, before=before, ip=ip)
            return request
        items, themes = _scope_codes(request)
        _check_validity(request.valid_from, request.valid_until, authority.grant)
        _check_scope(request.all_items, sorted(items), sorted(themes), authority.grant)
        request.status = GrantStatus.ACTIVE
        request.grantor = decider
        request.parent = authority.grant
        request.level = authority.level + 1
        request.decided_at = now
        request.save(update_fields=["status", "grantor", "parent", "level", "decided_at"])
        _record("accounts.grant.approved", request, decider, before=before, ip=ip)
    return request


def can_manage(user: User, grant_: Grant) -> bool:
    """Whether ``user`` may change or revoke ``grant_``: the enterprise's legal representative,
    or the holder of a grant in effect above it (the 管理者 who made it)."""
    enterprise = grant_.enterprise
    if enterprise.legal_representative_id == user.pk:
        return True
    held = selectors.active_grant(user, enterprise)
    if held is None or held.role != DelegationRole.MANAGER:
        return False
    ancestor = grant_.parent
    while ancestor is not None:
        if ancestor.pk == held.pk:
            return True
        ancestor = ancestor.parent
    return False


def change_grant(
    grant_: Grant,
    actor: User,
    *,
    role: str | None = None,
    valid_from: date | None = None,
    valid_until: date | None = None,
    all_items: bool | None = None,
    item_codes: Iterable[str] | None = None,
    theme_codes: Iterable[str] | None = None,
    ip: str | None = None,
) -> Grant:
    """Change a grant's role, validity or scope (变更授权); ``None`` keeps a value.

    Rules: only active grants change; the actor may manage the grant (:func:`can_manage`); the
    new terms stay within the grant it was made under (never beyond the grantor's own); and
    they still cover every grant made under it — a 管理者 with re-delegations cannot become a
    经办人, nor be narrowed below them, until those are changed or revoked (the page says which).
    """
    if grant_.status != GrantStatus.ACTIVE:
        raise Conflict("只能变更有效的授权")
    if not can_manage(actor, grant_):
        raise Forbidden("您无权变更这项授权")
    before = snapshot(grant_)
    current_items, current_themes = _scope_codes(grant_)
    role = _check_role(role) if role is not None else grant_.role
    valid_from = valid_from if valid_from is not None else grant_.valid_from
    valid_until = valid_until if valid_until is not None else grant_.valid_until
    all_items = grant_.all_items if all_items is None else all_items
    items = _codes(item_codes, "item_codes") if item_codes is not None else sorted(current_items)
    themes = (
        _codes(theme_codes, "theme_codes") if theme_codes is not None else sorted(current_themes)
    )
    if all_items:
        items, themes = [], []
    _check_validity(valid_from, valid_until, grant_.parent)
    _check_scope(all_items, items, themes, grant_.parent)
    children = selectors.descendants(grant_)
    direct = [c for c in children if c.parent_id == grant_.pk]
    if direct and role != DelegationRole.MANAGER:
        names = "、".join(c.grantee.display_name for c in direct)
        raise DomainError(
            f"该人员已再授权给{names}：请先撤销这些下级授权，再改为经办人", field="role"
        )
    for child in direct:
        outside_validity = child.valid_from < valid_from or child.valid_until > valid_until
        child_items, child_themes = _scope_codes(child)
        outside_scope = not all_items and (
            child.all_items or not child_items <= set(items) or not child_themes <= set(themes)
        )
        if outside_validity or outside_scope:
            raise DomainError(
                f"变更后将小于下级授权（{child.grantee.display_name}）的"
                f"{'有效期' if outside_validity else '范围'}：请先变更或撤销该下级授权",
                field="valid_until" if outside_validity else "item_codes",
            )
    with transaction.atomic():
        _lock(grant_.enterprise)
        grant_.role = role
        grant_.valid_from = valid_from
        grant_.valid_until = valid_until
        grant_.all_items = all_items
        grant_.save(update_fields=["role", "valid_from", "valid_until", "all_items"])
        _set_scopes(grant_, all_items, items, themes)
        _record("accounts.grant.changed", grant_, actor, before=before, ip=ip)
    return grant_


def revoke_subtree(grant_: Grant, *, actor: User, reason: str, ip: str | None) -> list[Grant]:
    """Revoke ``grant_`` and every active grant below it; the caller holds the transaction.

    A re-delegation is made out of the grantor's own authority (seed 001: "被授权人可进行再次
    授权"; 民法典 第一百六十九条 on 转委托), so it cannot outlive the grant it was made under: a
    revoked manager's handlers stop at the same moment, in the same transaction.
    """
    now = timezone.now()
    revoked: list[Grant] = []
    for index, current in enumerate([grant_, *selectors.descendants(grant_)]):
        before = snapshot(current)
        current.status = GrantStatus.REVOKED
        current.revoked_at = now
        current.revoked_by = actor
        current.revoke_reason = (reason if index == 0 else f"上级授权已撤销：{reason}")[:200]
        current.save(update_fields=["status", "revoked_at", "revoked_by", "revoke_reason"])
        _record("accounts.grant.revoked", current, actor, before=before, ip=ip)
        revoked.append(current)
    return revoked


def revoke(grant_: Grant, actor: User, reason: str, *, ip: str | None = None) -> list[Grant]:
    """Revoke a grant (取消授权) and, in the same transaction, every grant made under it.

    Rules: the actor may manage the grant (legal representative, or the 管理者 above it), or is
    the grantee giving it up (民法典 第一百七十三条: 代理人辞去委托 ends the authority); only an
    active grant is revoked (a pending request is rejected instead). Returns every revoked grant,
    the given one first.
    """
    if grant_.status != GrantStatus.ACTIVE:
        raise Conflict("该授权已不是有效状态，无需撤销")
    if grant_.grantee_id != actor.pk and not can_manage(actor, grant_):
        raise Forbidden("您无权撤销这项授权")
    reason = (reason or "").strip()
    if not reason:
        raise DomainError("请填写撤销原因", field="reason")
    with transaction.atomic():
        _lock(grant_.enterprise)
        grant_ = Grant.objects.select_for_update().get(pk=grant_.pk)
        if grant_.status != GrantStatus.ACTIVE:
            raise Conflict("该授权已不是有效状态，无需撤销")
        return revoke_subtree(grant_, actor=actor, reason=reason, ip=ip)
