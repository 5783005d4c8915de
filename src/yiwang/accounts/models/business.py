"""Which organisations a person has business with: the scope of a clerk's access to persons."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

__all__ = ["PersonBusiness"]


class PersonBusiness(models.Model):
    """``person`` has business with ``organization``: registered at one of its windows, or (once
    the cases app exists) applied for one of its service items.

    This is what "a clerk's organisation data" means for persons (DESIGN §3.8, default deny): a
    窗口受理员 or 部门管理员 of an organisation may look up, and with a reason unmask, only the
    persons linked to that organisation here. Every link names its basis and a reference (the
    window, a case number), so the citizen's page "谁查看了我的信息" can be explained.
    """

    class Basis(models.TextChoices):
        WINDOW_REGISTRATION = "window_registration", "窗口注册"
        CASE = "case", "办件"

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="business_links",
        verbose_name="用户",
    )
    organization = models.ForeignKey(
        "regions.Organization",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="机构",
    )
    basis = models.CharField("依据", max_length=30, choices=Basis)
    reference = models.CharField("关联编号", max_length=64, blank=True)
    created_at = models.DateTimeField("建立时间", default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="经办人",
    )

    class Meta:
        verbose_name = "办事关联"
        verbose_name_plural = "办事关联"
        constraints = (
            models.UniqueConstraint(
                fields=["person", "organization", "basis", "reference"],
                name="person_business_unique",
            ),
        )
        indexes = (models.Index(fields=["organization", "person"]),)

    def __str__(self) -> str:
        return f"{self.get_basis_display()} {self.reference}".strip()
