"""Legal persons (法人) and the delegation grants through which people act for them."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from yiwang.accounts.constants import MAX_DELEGATION_LEVEL, DelegationRole, GrantStatus

__all__ = ["Enterprise", "Grant", "GrantScope"]


class Enterprise(models.Model):
    """An enterprise or other organisation account, always bound to its legal representative's
    personal account (seed 001 ch. 5 §(一)2: 法人用户 "与法定代表人的自然人账号绑定")."""

    class Status(models.TextChoices):
        ACTIVE = "active", "正常"
        DISABLED = "disabled", "停用"

    uscc = models.CharField("统一社会信用代码", max_length=18, unique=True)
    name = models.CharField("名称", max_length=200)
    entity_type = models.CharField("主体类型", max_length=50, blank=True)
    legal_representative = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="represented_enterprises",
        verbose_name="法定代表人",
    )
    status = models.CharField("状态", max_length=10, choices=Status, default=Status.ACTIVE)
    registered_at = models.DateTimeField("注册时间", default=timezone.now)
    verified_at = models.DateTimeField("核验时间", null=True, blank=True)

    class Meta:
        verbose_name = "法人用户"
        verbose_name_plural = "法人用户"

    def __str__(self) -> str:
        return self.name


class Grant(models.Model):
    """One delegation: ``grantee`` may act for ``enterprise`` in ``role`` within the scope and
    validity, granted by the legal representative (level 2) or re-delegated by a manager
    (level 3). Revoking a grant revokes every grant made under it (``parent``)."""

    enterprise = models.ForeignKey(
        Enterprise, on_delete=models.CASCADE, related_name="grants", verbose_name="法人用户"
    )
    grantor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="grants_given",
        verbose_name="授权人",
    )
    grantee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="grants_received",
        verbose_name="被授权人",
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name="上级授权",
    )
    level = models.PositiveSmallIntegerField("授权层级")
    role = models.CharField("角色", max_length=10, choices=DelegationRole)
    all_items = models.BooleanField("全部事项", default=True)
    valid_from = models.DateField("生效日期")
    valid_until = models.DateField("截止日期")
    status = models.CharField(
        "状态", max_length=10, choices=GrantStatus, default=GrantStatus.ACTIVE
    )
    note = models.CharField("说明", max_length=200, blank=True)
    created_at = models.DateTimeField("申请/创建时间", default=timezone.now)
    decided_at = models.DateTimeField("授权时间", null=True, blank=True)
    revoked_at = models.DateTimeField("撤销时间", null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="撤销人",
    )
    revoke_reason = models.CharField("撤销原因", max_length=200, blank=True)

    class Meta:
        verbose_name = "授权"
        verbose_name_plural = "授权"
        indexes = (
            models.Index(fields=["grantee", "status"]),
            models.Index(fields=["enterprise", "status"]),
        )
        constraints = (
            models.CheckConstraint(
                condition=Q(level__gte=2, level__lte=MAX_DELEGATION_LEVEL),
                name="grant_level_2_to_max",
            ),
            models.CheckConstraint(
                condition=Q(valid_until__gte=models.F("valid_from")),
                name="grant_valid_until_after_from",
            ),
        )

    def __str__(self) -> str:
        return f"{self.enterprise} → {self.grantee}（{self.get_role_display()}）"


class GrantScope(models.Model):
    """When a grant is not for all items: one service item (by 实施编码) or one theme (by code)
    it covers. Codes, not foreign keys, so accounts does not depend on the catalogue's tables."""

    class Kind(models.TextChoices):
        ITEM = "item", "事项"
        THEME = "theme", "主题"

    grant = models.ForeignKey(Grant, on_delete=models.CASCADE, related_name="scopes")
    kind = models.CharField("类型", max_length=10, choices=Kind)
    code = models.CharField("编码", max_length=40)

    class Meta:
        verbose_name = "授权范围"
        verbose_name_plural = "授权范围"
        constraints = (
            models.UniqueConstraint(fields=["grant", "kind", "code"], name="grant_scope_unique"),
        )

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.code}"
