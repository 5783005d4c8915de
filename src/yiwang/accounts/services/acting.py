"""Acting for an enterprise (以企业身份办事): the session's current enterprise, and who acted.

A signed-in person switches to an enterprise they represent or hold a grant for; from then on the
pages and the API act for that enterprise until they switch back. The session stores only the
enterprise's id under :data:`~yiwang.accounts.constants.ACTING_ENTERPRISE_SESSION_KEY`; the right to
act is checked again on every read (:func:`acting_enterprise`), so a grant that expires or is
revoked — or a change of legal representative — ends acting on the very next request, not at the
next sign-in.

How other apps use it (cases, appointments, interactions, …)::

    from yiwang.accounts.services import actor_context, acting_enterprise, can_act_for

    actor, acting_for = actor_context(request)          # "user:42", "enterprise:9133…" or ""
    enterprise = acting_enterprise(request.session, request.user)   # Enterprise or None
    if enterprise and not can_act_for(request.user, enterprise, item_code=item.code):
        raise Forbidden("您的授权范围不包括该事项")
    audit.record("cases.case.submitted", actor=actor, acting_for=acting_for, …)

so every audit event of an action done for an enterprise names both the person and the
enterprise, and the applicant of a case submitted while acting is the enterprise.
"""

from __future__ import annotations

from django.http import HttpRequest

from yiwang.accounts import selectors
from yiwang.accounts.constants import ACTING_ENTERPRISE_SESSION_KEY
from yiwang.accounts.models import Enterprise, GrantScope, User
from yiwang.core import audit
from yiwang.core.errors import Forbidden

__all__ = [
    "acting_enterprise",
    "acting_role_label",
    "actor_context",
    "can_act_for",
    "stop_acting",
    "switch_to_enterprise",
]


def _may_act(user: User, enterprise: Enterprise) -> bool:
    if enterprise.status != Enterprise.Status.ACTIVE:
        return False
    if enterprise.legal_representative_id == user.pk:
        return True
    return selectors.active_grant(user, enterprise) is not None


def can_act_for(
    user: User | None,
    enterprise: Enterprise,
    *,
    item_code: str | None = None,
    theme_code: str | None = None,
) -> bool:
    """Whether ``user`` may act for ``enterprise`` now, for ``item_code`` / ``theme_code`` if
    given (授权范围, seed 001 ch. 5 §(一)2 "可设定……服务事项范围").

    The legal representative may do everything. A grantee needs a grant in effect (active,
    inside its validity, its parent too) that covers all items, or lists the item, or lists the
    theme. Give both codes when an item belongs to a theme: either listed is enough.
    """
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if enterprise.status != Enterprise.Status.ACTIVE:
        return False
    if enterprise.legal_representative_id == user.pk:
        return True
    held = selectors.active_grant(user, enterprise)
    if held is None:
        return False
    if held.all_items or (item_code is None and theme_code is None):
        return True
    wanted = set()
    if item_code:
        wanted.add((GrantScope.Kind.ITEM, item_code.strip().upper()))
    if theme_code:
        wanted.add((GrantScope.Kind.THEME, theme_code.strip().upper()))
    return any((scope.kind, scope.code) in wanted for scope in held.scopes.all())


def switch_to_enterprise(
    session, user: User, enterprise: Enterprise, *, ip: str | None = None
) -> Enterprise:
    """Act for ``enterprise`` from now on in this session (以企业身份办事).

    Rule: ``user`` is its legal representative or holds a grant in effect; otherwise 403 and the
    session is unchanged. Audited, so the trail shows when somebody began acting for whom.
    """
    if not getattr(user, "is_authenticated", False) or not _may_act(user, enterprise):
        raise Forbidden("您不是该企业的法定代表人，也没有有效的授权，不能以该企业身份办事")
    session[ACTING_ENTERPRISE_SESSION_KEY] = enterprise.pk
    audit.record(
        "accounts.acting.started",
        actor=f"user:{user.pk}",
        acting_for=f"enterprise:{enterprise.uscc}",
        object_type="accounts.enterprise",
        object_id=enterprise.pk,
        ip=ip,
    )
    return enterprise


def stop_acting(session, user: User, *, ip: str | None = None) -> None:
    """Act as oneself again (切换回个人); nothing happens if no enterprise was chosen."""
    enterprise_id = session.pop(ACTING_ENTERPRISE_SESSION_KEY, None)
    if enterprise_id is None:
        return
    enterprise = Enterprise.objects.filter(pk=enterprise_id).first()
    audit.record(
        "accounts.acting.stopped",
        actor=f"user:{user.pk}",
        acting_for=f"enterprise:{enterprise.uscc}" if enterprise else "",
        object_type="accounts.enterprise",
        object_id=enterprise_id,
        ip=ip,
    )


def acting_enterprise(session, user: User | None) -> Enterprise | None:
    """The enterprise this session acts for, checked again now; None when acting as oneself.

    When the right has gone (grant expired or revoked, legal representative changed, enterprise
    disabled, user signed out) the key is removed and None returned: acting ends at once.
    Not cached: two or three indexed queries per request buy an immediate end.
    """
    enterprise_id = session.get(ACTING_ENTERPRISE_SESSION_KEY) if session is not None else None
    if enterprise_id is None:
        return None
    enterprise = (
        Enterprise.objects.select_related("legal_representative").filter(pk=enterprise_id).first()
    )
    if (
        enterprise is None
        or user is None
        or not getattr(user, "is_authenticated", False)
        or not _may_act(user, enterprise)
    ):
        session.pop(ACTING_ENTERPRISE_SESSION_KEY, None)
        enterprise = None
    return enterprise


def acting_role_label(user: User, enterprise: Enterprise) -> str:
    """What the header says the person is for the enterprise: 法定代表人, 管理者 or 经办人."""
    if enterprise.legal_representative_id == user.pk:
        return selectors.LEGAL_REPRESENTATIVE_LABEL
    held = selectors.active_grant(user, enterprise)
    return held.get_role_display() if held is not None else ""


def actor_context(request: HttpRequest) -> tuple[str, str]:
    """``(actor, acting_for)`` for :func:`yiwang.core.audit.record`: ``"user:<pk>"`` (or
    ``"anonymous"``) and ``"enterprise:<USCC>"`` when the session acts for an enterprise, else
    ``""``."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return "anonymous", ""
    enterprise = acting_enterprise(getattr(request, "session", None), user)
    return f"user:{user.pk}", f"enterprise:{enterprise.uscc}" if enterprise else ""
