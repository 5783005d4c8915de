"""Read queries of the accounts app, for pages, API handlers and other apps.

Reads never change anything and never raise for "nothing there": they return ``None`` or an empty
queryset. Writes go through :mod:`yiwang.accounts.services`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db.models import QuerySet
from django.utils import timezone

from yiwang.accounts.constants import DelegationRole, GrantStatus, UserKind
from yiwang.accounts.models import Enterprise, Grant, GrantScope, User

__all__ = [
    "EnterpriseAccess",
    "GrantNode",
    "active_grant",
    "descendants",
    "enterprise_by_uscc",
    "enterprises_for",
    "grant_in_effect",
    "grant_requests_of",
    "grant_tree",
    "grants_for_enterprise",
    "grants_of",
    "pending_requests",
    "person_by_identifier",
    "visible_grant_tree",
]

# --- enterprises and delegation --------------------------------------------------------------

LEGAL_REPRESENTATIVE_LABEL = "法定代表人"


def _today() -> date:
    # Validity dates are calendar dates in the deployment's time zone (Asia/Shanghai): a grant
    # "valid until 30 June" ends at midnight Beijing time, whatever the server's clock zone.
    return timezone.localdate()


def enterprise_by_uscc(uscc: str) -> Enterprise | None:
    """The registered enterprise with this USCC (upper-cased, stripped), or None."""
    value = (uscc or "").strip().upper()
    if not value:
        return None
    return Enterprise.objects.select_related("legal_representative").filter(uscc=value).first()


def person_by_identifier(identifier: str) -> User | None:
    """A real-name verified, active person found by 公民身份号码 or bound mobile number.

    Eleven digits starting with 1 is a mainland mobile number; anything else is looked up as an
    ID number (upper-cased, so a typed lower-case ``x`` check character matches).
    """
    value = (identifier or "").strip()
    if not value:
        return None
    if len(value) == 11 and value.isdigit() and value.startswith("1"):
        people = User.objects.by_phone(value)
    else:
        people = User.objects.by_id_number(value.upper())
    return people.filter(
        kind=UserKind.PERSON, is_active=True, real_name_verified_at__isnull=False
    ).first()


def grant_in_effect(grant: Grant | None, *, today: date | None = None) -> bool:
    """Whether ``grant`` lets its grantee act now: active, inside its validity, the enterprise
    not disabled, and — for a re-delegated grant — its parent in effect too.

    Checked on every use rather than by a nightly job, so a grant stops working the moment its
    validity ends or it is revoked (REQUIREMENTS §2: each grant has a validity period;
    民法典 第一百七十三条(一): a delegated authority ends when its term expires).
    """
    if grant is None:
        return False
    today = today or _today()
    current: Grant | None = grant
    while current is not None:
        if current.status != GrantStatus.ACTIVE:
            return False
        if not (current.valid_from <= today <= current.valid_until):
            return False
        current = current.parent
    return grant.enterprise.status == Enterprise.Status.ACTIVE


def active_grant(user: User | None, enterprise: Enterprise) -> Grant | None:
    """The grant in effect through which ``user`` acts for ``enterprise``, or None.

    A person holds at most one active grant per enterprise (the delegation services refuse a
    second one), so ``first()`` is the grant, not a choice among several.
    """
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    grant = (
        Grant.objects.select_related("enterprise", "parent", "parent__parent")
        .prefetch_related("scopes")
        .filter(enterprise=enterprise, grantee=user, status=GrantStatus.ACTIVE)
        .order_by("level")
        .first()
    )
    return grant if grant_in_effect(grant) else None


@dataclass(frozen=True)
class EnterpriseAccess:
    """One enterprise a person may act for, and as what (法定代表人, 管理者 or 经办人)."""

    enterprise: Enterprise
    role_label: str
    level: int
    grant: Grant | None = None

    @property
    def is_legal_representative(self) -> bool:
        return self.level == 1

    @property
    def can_delegate(self) -> bool:
        """Whether this person may grant to others (legal representative, level-2 manager)."""
        if self.level == 1:
            return True
        return self.grant is not None and self.grant.role == DelegationRole.MANAGER


def enterprises_for(user: User | None) -> list[EnterpriseAccess]:
    """Every active enterprise ``user`` represents or holds a grant in effect for, by name."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return []
    found: dict[int, EnterpriseAccess] = {}
    for enterprise in Enterprise.objects.filter(
        legal_representative=user, status=Enterprise.Status.ACTIVE
    ):
        found[enterprise.pk] = EnterpriseAccess(enterprise, LEGAL_REPRESENTATIVE_LABEL, 1)
    grants = (
        Grant.objects.select_related("enterprise", "parent", "parent__parent")
        .prefetch_related("scopes")
        .filter(grantee=user, status=GrantStatus.ACTIVE)
    )
    today = _today()
    for grant in grants:
        if grant.enterprise_id in found or not grant_in_effect(grant, today=today):
            continue
        found[grant.enterprise_id] = EnterpriseAccess(
            grant.enterprise, grant.get_role_display(), grant.level, grant
        )
    return sorted(found.values(), key=lambda access: access.enterprise.name)


def grants_for_enterprise(
    enterprise: Enterprise, *, statuses: tuple[str, ...] = (GrantStatus.ACTIVE,)
) -> QuerySet[Grant]:
    """The enterprise's grants with the given statuses, level by level, oldest first."""
    return (
        Grant.objects.filter(enterprise=enterprise, status__in=statuses)
        .select_related("grantor", "grantee", "parent")
        .prefetch_related("scopes")
        .order_by("level", "created_at", "pk")
    )


def grants_of(person: User) -> QuerySet[Grant]:
    """The active grants ``person`` has received, in every enterprise (expired ones included:
    the page shows them as 已过期 so the holder knows why they can no longer act)."""
    return (
        Grant.objects.filter(grantee=person, status=GrantStatus.ACTIVE)
        .select_related("enterprise", "grantor", "parent")
        .prefetch_related("scopes")
        .order_by("enterprise__name", "level", "pk")
    )


def pending_requests(enterprise: Enterprise) -> QuerySet[Grant]:
    """Requests for a grant (申请授权) awaiting the legal representative's or a manager's word."""
    return grants_for_enterprise(enterprise, statuses=(GrantStatus.REQUESTED,)).select_related(
        "grantee"
    )


def descendants(grant: Grant, *, statuses: tuple[str, ...] = (GrantStatus.ACTIVE,)) -> list[Grant]:
    """Every grant made under ``grant`` (children, their children, …), depth first.

    Walks level by level with one query per level; there are at most two levels below a grant
    (MAX_DELEGATION_LEVEL), but the walk does not rely on that.
    """
    found: list[Grant] = []
    frontier = [grant.pk]
    while frontier:
        children = list(
            Grant.objects.filter(parent_id__in=frontier, status__in=statuses)
            .select_related("grantee", "grantor")
            .order_by("level", "pk")
        )
        found.extend(children)
        frontier = [child.pk for child in children]
    # depth first: each child right after its parent, as the confirmation page lists them
    by_parent: dict[int, list[Grant]] = {}
    for child in found:
        by_parent.setdefault(child.parent_id, []).append(child)
    ordered: list[Grant] = []

    def walk(parent_id: int) -> None:
        for child in by_parent.get(parent_id, []):
            ordered.append(child)
            walk(child.pk)

    walk(grant.pk)
    return ordered


@dataclass
class GrantNode:
    """A grant and the grants made under it, for the 授权管理 tree."""

    grant: Grant
    children: list[GrantNode] = field(default_factory=list)
    in_effect: bool = True

    @property
    def item_codes(self) -> list[str]:
        return [s.code for s in self.grant.scopes.all() if s.kind == GrantScope.Kind.ITEM]

    @property
    def theme_codes(self) -> list[str]:
        return [s.code for s in self.grant.scopes.all() if s.kind == GrantScope.Kind.THEME]


def grant_tree(enterprise: Enterprise, *, under: Grant | None = None) -> list[GrantNode]:
    """The enterprise's active grants as a tree: level-2 grants at the top, their re-delegations
    below. With ``under``, only the subtree below that grant (what a manager may manage)."""
    grants = list(grants_for_enterprise(enterprise))
    today = _today()
    nodes = {g.pk: GrantNode(g) for g in grants}
    roots: list[GrantNode] = []
    for g in grants:
        node = nodes[g.pk]
        parent = nodes.get(g.parent_id) if g.parent_id else None
        node.in_effect = g.valid_from <= today <= g.valid_until and (
            parent is None or parent.in_effect
        )
        if parent is not None:
            parent.children.append(node)
        elif g.parent_id is None:
            roots.append(node)
    if under is not None:
        return nodes[under.pk].children if under.pk in nodes else []
    return roots


def grant_requests_of(person: User) -> QuerySet[Grant]:
    """The requests ``person`` made that are pending or were rejected, newest first, for the
    申请授权 page (an approved request is an active grant and shows under 我的企业)."""
    return (
        Grant.objects.filter(
            grantee=person, status__in=(GrantStatus.REQUESTED, GrantStatus.REJECTED)
        )
        .select_related("enterprise")
        .order_by("-created_at", "-pk")
    )


def visible_grant_tree(user: User, enterprise: Enterprise) -> list[GrantNode]:
    """The part of the grant tree ``user`` may see: all of it for the legal representative; for
    a grantee, their own grant with what was re-delegated under it (a handler sees only their
    own). People outside the enterprise see nothing."""
    if enterprise.legal_representative_id == user.pk:
        return grant_tree(enterprise)
    held = active_grant(user, enterprise)
    if held is None:
        return []
    for node in _walk(grant_tree(enterprise)):
        if node.grant.pk == held.pk:
            return [node]
    return []


def _walk(nodes: list[GrantNode]):
    for node in nodes:
        yield node
        yield from _walk(node.children)
