"""Versions of an item's 办事指南 (:class:`ItemVersion`): what the guide says, and when.

Every guide element lives on a version, never on the item, so that a published guide stays
exactly as it was published (the public and a case decided under it may need it later), and
a change is a new draft that goes through review (动态管理, 谁编制谁维护; guide ch. 4 (二) 5).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from yiwang.catalog.constants import (
    FULLY_ONLINE_DEPTH,
    OPEN_STATUSES,
    Audience,
    HandlingForm,
    HandlingScope,
    OnlineDepth,
    ResultType,
    VersionStatus,
    depth_level,
)
from yiwang.catalog.fields import MultiChoiceField
from yiwang.core.errors import DomainError

FROZEN_STATUSES = (VersionStatus.PUBLISHED, VersionStatus.SUPERSEDED)
# The only write a frozen version accepts: the publication of its successor supersedes it.
_SUPERSEDE_FIELDS = frozenset({"status", "superseded_at"})


class ItemVersion(models.Model):
    """One version of an item's guide, numbered 1, 2, … per item.

    draft / returned (editable by the drafter) → submitted → published (the public guide) →
    superseded (when the next version is published; still readable with its diff). Published
    and superseded versions are immutable: the services refuse, and :meth:`save` refuses too.
    """

    item = models.ForeignKey(
        "catalog.ServiceItem",
        verbose_name="事项",
        on_delete=models.CASCADE,
        related_name="versions",
    )
    number = models.PositiveIntegerField("版本号")
    status = models.CharField(
        "状态", max_length=16, choices=VersionStatus.choices, default=VersionStatus.DRAFT
    )

    # --- 基本信息 ---
    name = models.CharField("事项名称", max_length=200)
    # 事项类型 and 设定依据 belong to the 目录清单 (BasicItem) but are part of the guide: publish()
    # copies them here, so that a later change of the catalogue reaches the guide only through
    # its next reviewed publication, and history and diffs show what each version said. Empty
    # on drafts (they show the catalogue's current values, see guide_item_type).
    item_type = models.ForeignKey(
        "catalog.ItemType",
        verbose_name="事项类型",
        null=True,
        blank=True,
        editable=False,
        on_delete=models.PROTECT,
        related_name="+",
    )
    basic_legal_basis = models.TextField("设定依据", blank=True, editable=False)
    service_objects = MultiChoiceField("服务对象", item_choices=Audience.choices)
    themes = models.ManyToManyField(
        "catalog.Theme", verbose_name="服务主题", blank=True, related_name="versions"
    )
    legal_basis = models.TextField("实施依据", blank=True)
    conditions = models.TextField("受理条件", blank=True)
    review_criteria = models.TextField("审查标准", blank=True)

    # --- 办理方式 ---
    handling_forms = MultiChoiceField("办理形式", item_choices=HandlingForm.choices)
    online_depth = MultiChoiceField("网上办理深度", item_choices=OnlineDepth.choices)
    is_fully_online = models.BooleanField(
        "全程网办",
        default=False,
        editable=False,
        help_text="由网上办理深度得出：网上收件、受理、办理并反馈结果（深度Ⅳ）",
    )
    max_visits = models.PositiveSmallIntegerField(
        "到办事现场次数", default=1, help_text="最多跑一次为1，零跑动为0"
    )
    handling_scope = models.CharField(
        "通办范围", max_length=16, choices=HandlingScope.choices, default=HandlingScope.NONE
    )
    appointment_supported = models.BooleanField("支持预约办理", default=False)
    online_payment_supported = models.BooleanField("支持网上支付", default=False)
    express_delivery_supported = models.BooleanField("支持物流快递", default=False)

    # --- 时限 (working days, counted by core.workdays) ---
    statutory_time_limit = models.PositiveSmallIntegerField(
        "法定办结时限（工作日）", null=True, blank=True, help_text="法律未规定时限的留空"
    )
    promised_time_limit = models.PositiveSmallIntegerField(
        "承诺办结时限（工作日）", default=0, help_text="0 为即办件"
    )

    # --- 收费 (the fees themselves are Fee rows) ---
    is_free = models.BooleanField("不收费", default=False)

    # --- 办理结果 ---
    result_name = models.CharField("结果名称", max_length=200, blank=True)
    result_type = models.CharField(
        "结果类型", max_length=16, choices=ResultType.choices, default=ResultType.OTHER
    )
    result_sample = models.FileField(
        "结果样本", upload_to="catalog/results/%Y/", blank=True, max_length=255
    )

    # --- 申请材料 (Material rows) ---
    no_materials_required = models.BooleanField(
        "无需申请材料", default=False, help_text="确实不需要任何材料时勾选"
    )

    # --- 申请表单 (yiwang.catalog.application_forms): part of the guide like the materials, so
    # it is reviewed with them and a case keeps the form it was applied with.
    application_form = models.JSONField(
        "申请表单",
        default=dict,
        blank=True,
        help_text=(
            "网上申请时填写的表单，以 JSON Schema（2020-12）的子集定义：每一项须有中文标题"
            "（title），类型为 string、integer、number 或 boolean；x-prefill 从申请人或企业"
            "信息预填，x-order 为显示顺序。留空则使用默认表单（申请人姓名、联系电话、联系地址、"
            "申请事由）。"
        ),
    )

    # --- 办理地点与联系方式 ---
    halls = models.ManyToManyField(
        "regions.ServiceHall", verbose_name="办理大厅", blank=True, related_name="item_versions"
    )
    windows = models.ManyToManyField(
        "regions.Window", verbose_name="办理窗口", blank=True, related_name="item_versions"
    )
    handling_address = models.CharField("办理地点", max_length=300, blank=True)
    working_hours = models.CharField("办理时间", max_length=200, blank=True)
    consultation_phone = models.CharField("咨询电话", max_length=64, blank=True)
    supervision_phone = models.CharField("监督电话", max_length=64, blank=True)

    # --- history: who and when (DESIGN §3.4); names kept in case an account is removed ---
    drafted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="编制人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    drafted_by_name = models.CharField("编制人姓名", max_length=150, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("修改时间", auto_now=True)
    submitted_at = models.DateTimeField("提交审核时间", null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="审核人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reviewed_by_name = models.CharField("审核人姓名", max_length=150, blank=True)
    reviewed_at = models.DateTimeField("审核时间", null=True, blank=True)
    review_opinion = models.TextField("审核意见", blank=True)
    published_at = models.DateTimeField("发布时间", null=True, blank=True)
    superseded_at = models.DateTimeField("被替代时间", null=True, blank=True)

    class Meta:
        verbose_name = "办事指南版本"
        verbose_name_plural = "办事指南版本"
        ordering = ("item_id", "-number")
        constraints = (
            models.UniqueConstraint(fields=["item", "number"], name="itemversion_item_number"),
            # One change at a time per item: a second draft would be reviewed against a guide
            # the first one is about to replace.
            models.UniqueConstraint(
                fields=["item"],
                condition=Q(status__in=[s.value for s in OPEN_STATUSES]),
                name="itemversion_one_open",
            ),
            models.UniqueConstraint(
                fields=["item"],
                condition=Q(status=VersionStatus.PUBLISHED),
                name="itemversion_one_published",
            ),
        )
        indexes = (models.Index(fields=["status", "item"], name="itemversion_status_item_idx"),)

    def __str__(self) -> str:
        return f"{self.name} 第{self.number}版"

    def save(self, *args, **kwargs) -> None:
        # 全程网办 is derived, never typed: it must agree with the depth it summarises.
        self.is_fully_online = set(self.online_depth) >= FULLY_ONLINE_DEPTH
        if self.pk is not None:
            stored = type(self).objects.filter(pk=self.pk).values_list("status", flat=True).first()
            if stored in FROZEN_STATUSES and not _is_supersession(stored, self, kwargs):
                raise DomainError(
                    f"{self}已发布，不能修改；请新建草稿后修改并重新发布", field="status"
                )
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if self.is_frozen:
            raise DomainError(f"{self}已发布，不能删除", field="status")
        return super().delete(*args, **kwargs)

    @property
    def depth_level(self) -> int:
        return depth_level(self.online_depth)

    @property
    def is_frozen(self) -> bool:
        return self.status in FROZEN_STATUSES

    @property
    def guide_item_type(self):
        """The 事项类型 this version's guide shows: the copy taken when it was published, or,
        for a draft, the catalogue's current one (which its publication will copy)."""
        return self.item_type if self.is_frozen else self.item.basic_item.item_type

    @property
    def guide_basic_legal_basis(self) -> str:
        """The 设定依据 this version's guide shows (as :attr:`guide_item_type`)."""
        return self.basic_legal_basis if self.is_frozen else self.item.basic_item.legal_basis

    def take_catalogue_facts(self) -> None:
        """Copy 事项类型 and 设定依据 from the 目录清单 item (publish() does, before saving)."""
        basic = self.item.basic_item
        self.item_type_id = basic.item_type_id
        self.basic_legal_basis = basic.legal_basis


def _is_supersession(stored: str, version: ItemVersion, kwargs: dict) -> bool:
    fields = kwargs.get("update_fields")
    return (
        stored == VersionStatus.PUBLISHED
        and version.status == VersionStatus.SUPERSEDED
        and fields is not None
        and set(fields) <= _SUPERSEDE_FIELDS
    )
