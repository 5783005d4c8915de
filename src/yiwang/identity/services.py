"""Public API of the identity app: department systems as OIDC clients, and the consent audit.

Department systems (部门业务系统) sign their users in through yiwang (统一身份认证, one login for
every department — DESIGN §1). Each is registered as a confidential OAuth 2.0 client that may
only use the authorization code flow with PKCE and receives ID tokens signed with RS256.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.db import transaction
from oauth2_provider.models import get_application_model

from yiwang.core import audit
from yiwang.core.errors import DomainError
from yiwang.core.masking import mask_person_id

__all__ = [
    "RegisteredClient",
    "record_authorization",
    "register_client",
    "released_claims",
]

Application = get_application_model()


@dataclass(frozen=True)
class RegisteredClient:
    application: object
    client_id: str
    client_secret: str  # shown once: only its hash is stored


def _check_redirect_uri(uri: str) -> str:
    uri = uri.strip()
    parts = urlsplit(uri)
    if parts.scheme not in ("https", "http") or not parts.netloc:
        raise DomainError(
            f"回调地址“{uri}”无效：应为 https:// 开头的完整地址", field="redirect_uri"
        )
    if parts.fragment:
        # RFC 6749 §3.1.2: the redirection endpoint URI must not include a fragment.
        raise DomainError(f"回调地址“{uri}”不能包含 # 片段", field="redirect_uri")
    return uri


@transaction.atomic
def register_client(
    *, name: str, redirect_uris: list[str], actor: str = "system", actor_label: str = ""
) -> RegisteredClient:
    """Register a department system as a client (authorization code + PKCE, RS256 ID tokens).

    Redirect URIs are compared exactly at authorization (RFC 6749 §3.1.2.3), so list every one
    the system uses. The client secret is generated here and returned once; it is stored hashed.
    """
    name = (name or "").strip()
    if not name:
        raise DomainError("请填写系统名称", field="name")
    uris = [_check_redirect_uri(u) for u in redirect_uris if u.strip()]
    if not uris:
        raise DomainError("请至少填写一个回调地址", field="redirect_uri")
    secret = secrets.token_urlsafe(32)
    application = Application.objects.create(
        name=name,
        client_type=Application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
        redirect_uris=" ".join(uris),
        client_secret=secret,
        algorithm=Application.RS256_ALGORITHM,
        skip_authorization=False,
    )
    audit.record(
        "identity.client.register",
        actor=actor,
        actor_label=actor_label,
        object_type="oauth_application",
        object_id=application.pk,
        after={"name": name, "client_id": application.client_id, "redirect_uris": uris},
    )
    return RegisteredClient(application, application.client_id, secret)


def released_claims(user, enterprise, scopes) -> list[tuple[str, str]]:
    """What the consent page lists: (label, value) of every claim the client will receive."""
    rows = [("用户标识", "平台分配的唯一编号（不含个人信息）")]
    if "profile" in scopes:
        rows += [
            ("姓名", user.name),
            ("身份证号（脱敏）", mask_person_id(user.id_number) if user.id_number else "无"),
            ("办事身份", f"法人（代表{enterprise.name}）" if enterprise else "个人"),
        ]
        if enterprise is not None:
            rows.append(("统一社会信用代码", enterprise.uscc))
    return rows


def record_authorization(
    user, *, client_id: str, scopes, enterprise, allowed: bool, ip: str | None
) -> None:
    """Audit one decision on the consent page (``identity.authorize``)."""
    application = Application.objects.filter(client_id=client_id).first()
    if isinstance(scopes, str):
        scopes = scopes.split()
    audit.record(
        "identity.authorize",
        actor=f"user:{user.pk}",
        acting_for=f"enterprise:{enterprise.uscc}" if enterprise is not None else "",
        object_type="oauth_application",
        object_id=application.pk if application else "",
        after={
            "client": application.name if application else client_id,
            "scopes": sorted(scopes or []),
            "allowed": allowed,
        },
        ip=ip,
    )
