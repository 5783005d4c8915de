"""目录清单 (:class:`BasicItem`) and 实施清单 (:class:`ServiceItem`)."""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from yiwang.catalog.constants import CatalogueLevel, ExerciseLevel, ItemStatus


class BasicItem(models.Model):
    """An item of the 目录清单, compiled by the 编制/法制 departments: name, 基本编码, 设定依据,
    事项类型 (guide ch. 4 (二) 1). The same item keeps the same name, type, basis and code at
    every level and in every area (三级四同), which ``yiwang catalog check`` verifies.

    ``parent`` links a 子项 to its 主项.
    """

    code = models.CharField("基本编码", max_length=12, unique=True)
    name = models.CharField("事项名称", max_length=200)
    item_type = models.ForeignKey(
        "catalog.ItemType", verbose_name="事项类型", on_delete=models.PROTECT, related_name="+"
    )
    legal_basis = models.TextField("设定依据")
    level = models.CharField("目录层级", max_length=16, choices=CatalogueLevel.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name="主项",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="sub_items",
    )
    is_active = models.BooleanField("有效", default=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "目录清单事项"
        verbose_name_plural = "目录清单"
        ordering = ("code",)
        indexes = (models.Index(fields=["name"], name="basicitem_name_idx"),)

    def __str__(self) -> str:
        return f"{self.name}（{self.code}）"


class ServiceItem(models.Model):
    """An item of an organisation's 实施清单: the stable identity people apply for.

    ``code`` is the 31-character 实施编码 = organisation USCC + 行使层级 + 基本编码. What the guide
    says lives on :class:`~yiwang.catalog.models.ItemVersion`; ``current_version`` points at the
    published one. ``region`` repeats the organisation's region (None for national bodies) so
    the public list filters by region without a join.
    """

    code = models.CharField("实施编码", max_length=31, unique=True)
    basic_item = models.ForeignKey(
        BasicItem,
        verbose_name="目录清单事项",
        on_delete=models.PROTECT,
        related_name="service_items",
    )
    organization = models.ForeignKey(
        "regions.Organization",
        verbose_name="实施机构",
        on_delete=models.PROTECT,
        related_name="service_items",
    )
    region = models.ForeignKey(
        "regions.Region",
        verbose_name="实施区划",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="service_items",
    )
    exercise_level = models.CharField("行使层级", max_length=1, choices=ExerciseLevel.choices)
    current_version = models.ForeignKey(
        "catalog.ItemVersion",
        verbose_name="当前发布版本",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    status = models.CharField(
        "状态", max_length=16, choices=ItemStatus.choices, default=ItemStatus.ACTIVE
    )
    # Popularity for search ranking and the 热门服务 channel; incremented with F() by the
    # portal and the cases app, never read-modify-written.
    view_count = models.PositiveIntegerField("浏览次数", default=0)
    application_count = models.PositiveIntegerField("申请次数", default=0)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    retired_at = models.DateTimeField("取消时间", null=True, blank=True)
    retirement_reason = models.TextField("取消原因", blank=True)

    class Meta:
        verbose_name = "实施清单事项"
        verbose_name_plural = "实施清单"
        ordering = ("code",)
        constraints = (
            # One implementation of a catalogue item per organisation.
            models.UniqueConstraint(
                fields=["organization", "basic_item"], name="serviceitem_organization_basic"
            ),
        )
        indexes = (
            # public_items(): active items with a published version, by region
            models.Index(
                fields=["region", "code"],
                condition=Q(status="active", current_version__isnull=False),
                name="serviceitem_public_region_idx",
            ),
            models.Index(fields=["-application_count", "code"], name="serviceitem_popular_idx"),
        )

    def __str__(self) -> str:
        # The basic item's name: a published guide must carry it (三级四同), and the admin's
        # lists select the basic item already.
        return f"{self.basic_item.name}（{self.code}）"

    @property
    def is_public(self) -> bool:
        return self.status == ItemStatus.ACTIVE and self.current_version_id is not None
