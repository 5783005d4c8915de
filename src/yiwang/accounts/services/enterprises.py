"""Legal-person accounts (法人用户): registration by USCC, change of legal representative.

An enterprise account is always bound to its legal representative's personal, real-name account
(seed 001 ch. 5 §(一)2 【法人远程比对注册】: "验证通过后……开通法人账号，并与法定代表人个人实名
账号绑定"; REQUIREMENTS §2 "always bound to the legal representative's personal account"). The
registrant is therefore the signed-in legal representative, and what they type is compared with
the legal-entity library (法人库) through :func:`yiwang.accounts.verification.get_verifier`.

"法人用户变更流程与上述流程相同" (same section): a change of legal representative is checked
against the library the same way before the binding moves.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from yiwang.accounts.constants import GrantStatus, UserKind
from yiwang.accounts.models import Enterprise, Grant, User
from yiwang.accounts.services import throttle
from yiwang.accounts.services.delegation import revoke_subtree
from yiwang.accounts.verification import get_verifier
from yiwang.core import audit
from yiwang.core.errors import Conflict, DomainError, Forbidden, RateLimited
from yiwang.core.identifiers import IdentifierError, validate_person_id, validate_uscc

__all__ = [
    "ENTERPRISE_MISMATCH_MESSAGE",
    "change_legal_representative",
    "register_enterprise",
]

# One message for every kind of mismatch (unknown USCC, wrong name, wrong representative):
# telling which one failed would let anybody probe the legal-entity library field by field.
ENTERPRISE_MISMATCH_MESSAGE = (
    "企业信息核验未通过：请核对统一社会信用代码、企业名称和法定代表人信息是否与营业执照一致"
)

# At most 5 failed comparisons per person and per USCC in 15 minutes; the same figures as the
# person registration, so a mistyped form can be corrected but the library cannot be searched.
VERIFY_LIMIT = 5
VERIFY_WINDOW = 15 * 60

_STATUS_LABELS = {"revoked": "吊销", "cancelled": "注销"}


def _actor(user: User) -> str:
    return f"user:{user.pk}"


def _clean_uscc(value: str) -> str:
    try:
        return validate_uscc(value)
    except IdentifierError as exc:
        exc.field = "uscc"
        raise


def _require_real_name_person(user: User, action: str) -> None:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        raise Forbidden("请先登录")
    if user.kind != UserKind.PERSON or user.real_name_verified_at is None:
        raise Forbidden(f"{action}须由完成个人实名注册的法定代表人本人办理")


def _throttle_keys(user: User, uscc: str) -> tuple[str, str]:
    return (f"enterprise-verify:user:{user.pk}", f"enterprise-verify:uscc:{uscc}")


def _wait_text(seconds: int) -> str:
    return f"{max(1, -(-seconds // 60))}分钟"


def _check_with_library(
    *, user: User, uscc: str, name: str, representative_name: str, representative_id: str
):
    """Compare with the legal-entity library, under a limit on failures per person and per USCC.

    The limit is checked before the comparison, so a correct guess made after too many wrong
    ones is refused like any other; failures are counted in their own transaction before the
    refusal is raised, so a caller's rollback does not undo the count (throttle.py).
    """
    keys = _throttle_keys(user, uscc)
    for key in keys:
        state = throttle.peek(key, VERIFY_LIMIT, VERIFY_WINDOW)
        if not state.allowed:
            raise RateLimited(
                f"企业信息核验未通过次数过多，请{_wait_text(state.retry_after)}后再试，"
                "或由法定代表人携带营业执照到政务服务大厅窗口办理",
                retry_after=state.retry_after,
            )
    result = get_verifier().verify_enterprise(
        uscc=uscc,
        name=name,
        legal_representative_name=representative_name,
        legal_representative_id_number=representative_id,
    )
    if not result.matched:
        with transaction.atomic():
            for key in keys:
                throttle.hit(key, VERIFY_LIMIT, VERIFY_WINDOW)
        raise DomainError(ENTERPRISE_MISMATCH_MESSAGE)
    if result.status != "active":
        label = _STATUS_LABELS.get(result.status, result.status or "非存续")
        raise DomainError(f"该企业登记状态为“{label}”，不是存续状态，不能办理法人用户业务")
    return result


def register_enterprise(
    user: User,
    *,
    uscc: str,
    name: str,
    legal_representative_name: str,
    ip: str | None = None,
) -> Enterprise:
    """Register a legal-person account (法人用户注册) for the signed-in legal representative.

    Rules (seed 001 ch. 5 §(一)2 【法人远程比对注册】): the registrant is a real-name person and the
    enterprise's legal representative; the USCC is valid (GB 32100-2015, the validator's message
    for field ``uscc``); USCC, name, representative's name and the registrant's own ID number match
    the legal-entity library, else one generic message and a rate limit (429 after
    ``VERIFY_LIMIT`` failures per person or per USCC in 15 minutes); the entity is 存续 (an
    enterprise that is 吊销 or 注销 cannot do business and cannot register); a USCC registers
    once (409). The account is bound to ``user`` as legal representative.
    """
    _require_real_name_person(user, "法人注册")
    uscc = _clean_uscc(uscc)
    name = (name or "").strip()
    if not name:
        raise DomainError("请填写企业名称", field="name")
    representative_name = (legal_representative_name or "").strip()
    if not representative_name:
        raise DomainError("请填写法定代表人姓名", field="legal_representative_name")
    if representative_name != user.name:
        # Only about the signed-in person themself, so a precise message reveals nothing.
        raise DomainError(
            "法定代表人姓名与您的实名信息不一致：法人注册须由法定代表人本人办理",
            field="legal_representative_name",
        )
    if Enterprise.objects.filter(uscc=uscc).exists():
        raise Conflict(
            "该统一社会信用代码已注册法人用户；法定代表人已变更的，请办理法定代表人变更",
            field="uscc",
        )
    result = _check_with_library(
        user=user,
        uscc=uscc,
        name=name,
        representative_name=representative_name,
        representative_id=user.id_number,
    )
    now = timezone.now()
    with transaction.atomic():
        enterprise = Enterprise.objects.create(
            uscc=uscc,
            name=name,
            entity_type=getattr(result, "entity_type", "") or "",
            legal_representative=user,
            registered_at=now,
            verified_at=now,
        )
        audit.record(
            "accounts.enterprise.registered",
            actor=_actor(user),
            acting_for=f"enterprise:{uscc}",
            object_type="accounts.enterprise",
            object_id=enterprise.pk,
            after={
                "uscc": uscc,
                "name": name,
                "entity_type": enterprise.entity_type,
                "legal_representative": _actor(user),
            },
            ip=ip,
        )
    return enterprise


def change_legal_representative(
    enterprise: Enterprise,
    *,
    new_representative_id_number: str,
    new_name: str,
    actor: User,
    ip: str | None = None,
) -> list[Grant]:
    """Move the enterprise's binding to its new legal representative (法定代表人变更).

    Rules: the actor is the current legal representative or the new one (both real-name
    persons); the new representative is a registered real-name person and the legal-entity
    library shows them as the representative of this USCC and name, entity 存续 ("法人用户变更
    流程与上述流程相同", seed 001 ch. 5 §(一)2: the same comparison as registration, the same
    generic message and rate limit).

    Every grant the old representative made is revoked, with everything re-delegated under it
    (pending requests stay: they are addressed to the enterprise, and the new representative
    decides them). The rate limit counts against the actor and the USCC.

    Why revoke: a legal representative acts for the legal person by virtue of the office
    (民法典 第六十一条), and the online grants were their choice of whom to trust. A power of
    attorney given in the company's name may in law survive a change of representative, but
    民法典 第一百七十三条(二) lets the principal withdraw it at any time, and the platform cannot
    know whether the new representative does. Keeping the grants would let people chosen by
    someone who no longer represents the enterprise act for it before the new representative
    has decided; revoking them is the safe default, and the new representative grants again to
    whom they trust (a platform rule, written here so that it can be revisited).

    Returns the revoked grants.
    """
    _require_real_name_person(actor, "法定代表人变更")
    try:
        id_number = validate_person_id(new_representative_id_number)
    except IdentifierError as exc:
        exc.field = "new_representative_id_number"
        raise
    new_name = (new_name or "").strip()
    if not new_name:
        raise DomainError("请填写新法定代表人姓名", field="new_name")
    old = enterprise.legal_representative
    new = (
        User.objects.by_id_number(id_number)
        .filter(kind=UserKind.PERSON, is_active=True, real_name_verified_at__isnull=False)
        .first()
    )
    if actor.pk != old.pk and (new is None or actor.pk != new.pk):
        raise Forbidden("法定代表人变更须由原法定代表人或新法定代表人本人办理")
    if new is None:
        raise DomainError(
            "新法定代表人尚未完成个人实名注册：请其先注册个人账号，再办理变更",
            field="new_representative_id_number",
        )
    if new.pk == old.pk:
        raise Conflict("该人员已是本企业的法定代表人", field="new_representative_id_number")
    _check_with_library(
        user=actor,
        uscc=enterprise.uscc,
        name=enterprise.name,
        representative_name=new_name,
        representative_id=id_number,
    )
    if new.name != new_name:
        # the library knows the typed name, but the account found by the ID number has another
        raise DomainError(ENTERPRISE_MISMATCH_MESSAGE)
    acting_for = f"enterprise:{enterprise.uscc}"
    reason = "法定代表人变更，原法定代表人所作授权失效"
    with transaction.atomic():
        enterprise = Enterprise.objects.select_for_update().get(pk=enterprise.pk)
        if enterprise.legal_representative_id != old.pk:
            raise Conflict("法定代表人已被他人变更，请刷新后重试")
        revoked: list[Grant] = []
        made_by_old = Grant.objects.filter(
            enterprise=enterprise, grantor=old, parent__isnull=True, status=GrantStatus.ACTIVE
        ).order_by("pk")
        for grant in made_by_old:
            revoked.extend(revoke_subtree(grant, actor=actor, reason=reason, ip=ip))
        enterprise.legal_representative = new
        enterprise.verified_at = timezone.now()
        enterprise.save(update_fields=["legal_representative", "verified_at"])
        audit.record(
            "accounts.enterprise.legal_representative_changed",
            actor=_actor(actor),
            acting_for=acting_for,
            object_type="accounts.enterprise",
            object_id=enterprise.pk,
            before={"legal_representative": _actor(old)},
            after={
                "legal_representative": _actor(new),
                "revoked_grants": [g.pk for g in revoked],
            },
            ip=ip,
        )
    return revoked
