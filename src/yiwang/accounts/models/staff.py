"""Staff roles, scoped to an organisation or a region (default deny)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from yiwang.accounts.constants import Role

__all__ = ["RoleAssignment", "UnbanRequest"]


class RoleAssignment(models.Model):
    """``user`` holds ``role`` for one organisation, or for every organisation of a region (and
    the regions below it), or platform-wide when both are empty (平台管理员 and the like)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="role_assignments",
        verbose_name="工作人员",
    )
    role = models.CharField("角色", max_length=20, choices=Role)
    organization = models.ForeignKey(
        "regions.Organization",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="所属机构",
    )
    region = models.ForeignKey(
        "regions.Region",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="管辖区划",
    )
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="授予人",
    )
    granted_at = models.DateTimeField("授予时间", default=timezone.now)
    revoked_at = models.DateTimeField("收回时间", null=True, blank=True)

    class Meta:
        verbose_name = "角色"
        verbose_name_plural = "角色"
        indexes = (models.Index(fields=["user", "role"]),)
        constraints = (
            models.CheckConstraint(
                condition=Q(organization__isnull=True) | Q(region__isnull=True),
                name="role_scope_one_of_organization_or_region",
            ),
        )

    def __str__(self) -> str:
        scope = self.organization or self.region or "全平台"
        return f"{self.get_role_display()}（{scope}）"


class UnbanRequest(models.Model):
    """Unbanning a disabled account needs a second administrator (REQUIREMENTS §2: "unban
    (needs a supervisor's approval, SMS to user)")."""

    class Status(models.TextChoices):
        PENDING = "pending", "待审批"
        APPROVED = "approved", "已批准"
        REJECTED = "rejected", "已驳回"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="unban_requests"
    )
    reason = models.CharField("解封理由", max_length=200)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField("申请时间", default=timezone.now)
    status = models.CharField("状态", max_length=10, choices=Status, default=Status.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField("审批时间", null=True, blank=True)

    class Meta:
        verbose_name = "解封申请"
        verbose_name_plural = "解封申请"

    def __str__(self) -> str:
        return f"解封 {self.user}（{self.get_status_display()}）"
