"""Code lists of the accounts app: user kinds, staff roles, delegation roles."""

from __future__ import annotations

from django.db import models

__all__ = [
    "ACTING_ENTERPRISE_SESSION_KEY",
    "MAX_DELEGATION_LEVEL",
    "DelegationRole",
    "GrantStatus",
    "RegistrationChannel",
    "Role",
    "UserKind",
]


class UserKind(models.TextChoices):
    PERSON = "person", "自然人"
    STAFF = "staff", "工作人员"


class RegistrationChannel(models.TextChoices):
    ONLINE = "online", "网上注册"
    WINDOW = "window", "窗口注册"
    ADMIN = "admin", "后台开通"
    IMPORT = "import", "批量导入"


class Role(models.TextChoices):
    """Staff roles (REQUIREMENTS §2 accounts, §4 review roles; seed 001 ch. 5 §(一)2).

    System, security and audit duties are separated (三员分立, GB/T 22239-2019 等级保护 8.1.4.2
    "应对系统管理员、安全管理员、审计管理员进行身份鉴别…"): 平台管理员 manages configuration and
    accounts, 安全管理员 roles and unbans, 审计员 only reads the audit trail.
    """

    WINDOW_CLERK = "window_clerk", "窗口受理员"
    REVIEWER = "reviewer", "审查人"
    DECIDER = "decider", "决定人"
    CATALOG_EDITOR = "catalog_editor", "事项编制员"
    CATALOG_REVIEWER = "catalog_reviewer", "事项审核员"
    DEPARTMENT_ADMIN = "department_admin", "部门管理员"
    SUPERVISOR = "supervisor", "监察员"
    PLATFORM_ADMIN = "platform_admin", "平台管理员"
    SECURITY_ADMIN = "security_admin", "安全管理员"
    AUDITOR = "auditor", "审计员"


class DelegationRole(models.TextChoices):
    """Nanjing's 法人代表 → 管理者 → 经办人 (seed 002): a manager may re-delegate, a handler not."""

    MANAGER = "manager", "管理者"
    HANDLER = "handler", "经办人"


class GrantStatus(models.TextChoices):
    REQUESTED = "requested", "待授权"
    ACTIVE = "active", "有效"
    REJECTED = "rejected", "已拒绝"
    REVOKED = "revoked", "已撤销"


# 法人用户授权 "最多三级" (seed 001 ch. 5 §(一)2; REQUIREMENTS §2): the legal representative is
# level 1, the person they grant level 2, that person's grantee level 3; level 4 is refused.
MAX_DELEGATION_LEVEL = 3

# The enterprise a signed-in person currently acts for (法人办事), kept in the session; read
# through yiwang.accounts.selectors, and put into the OIDC ID token.
ACTING_ENTERPRISE_SESSION_KEY = "yiwang.acting_enterprise"
