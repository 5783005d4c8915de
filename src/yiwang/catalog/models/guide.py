"""The parts of a guide version that are lists: fees, materials, steps, handling items.

Each row belongs to one :class:`~yiwang.catalog.models.ItemVersion` and is frozen with it:
once the version is published its rows refuse to be saved or deleted.
"""

from __future__ import annotations

from django.db import models

from yiwang.catalog.constants import (
    EDITABLE_STATUSES,
    MaterialKind,
    MaterialRequirement,
    MaterialSource,
    ReviewMethod,
    StepRole,
)
from yiwang.core.errors import DomainError


class GuidePart(models.Model):
    """A row of a version's guide, named uniquely within the version (the diff pairs old and
    new rows by name), ordered by ``order``."""

    # each subclass declares ``version`` with its own related_name
    order = models.PositiveSmallIntegerField("排序", default=0)

    class Meta:
        abstract = True
        ordering = ("order", "id")

    def save(self, *args, **kwargs) -> None:
        self._check_editable()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        self._check_editable()
        return super().delete(*args, **kwargs)

    def _check_editable(self) -> None:
        # Read the status from the database: the version instance in hand may be stale.
        from yiwang.catalog.models.versions import ItemVersion

        status = (
            ItemVersion.objects.filter(pk=self.version_id).values_list("status", flat=True).first()
        )
        if status is not None and status not in EDITABLE_STATUSES:
            raise DomainError(
                f"该版本{'已发布' if status != 'submitted' else '正在审核'}，不能修改其"
                f"{self._meta.verbose_name}",
                field="version",
            )


class Fee(GuidePart):
    """收费标准 and 收费依据; a guide without fees says 不收费 (``ItemVersion.is_free``)."""

    version = models.ForeignKey(
        "catalog.ItemVersion", verbose_name="版本", on_delete=models.CASCADE, related_name="fees"
    )
    name = models.CharField("收费项目", max_length=200)
    standard = models.CharField("收费标准", max_length=300)
    legal_basis = models.TextField("收费依据", blank=True)

    class Meta(GuidePart.Meta):
        verbose_name = "收费项目"
        verbose_name_plural = "收费项目"
        constraints = (
            models.UniqueConstraint(fields=["version", "name"], name="fee_version_name"),
        )

    def __str__(self) -> str:
        return self.name


class Material(GuidePart):
    """申请材料 with what the guide asks of each (seed 001 ch. 4 (二) 2 ①): type, sample and
    blank form, source channel (and who issues a document of another department), paper
    copies and format, notes, acceptance standard, whether an electronic copy is needed — and
    the legal basis that allows asking for it."""

    version = models.ForeignKey(
        "catalog.ItemVersion",
        verbose_name="版本",
        on_delete=models.CASCADE,
        related_name="materials",
    )
    name = models.CharField("材料名称", max_length=200)
    kind = models.CharField(
        "材料类型", max_length=16, choices=MaterialKind.choices, default=MaterialKind.ORIGINAL
    )
    source = models.CharField(
        "来源渠道", max_length=16, choices=MaterialSource.choices, default=MaterialSource.APPLICANT
    )
    issuing_department = models.CharField(
        "核发部门", max_length=200, blank=True, help_text="政府部门核发的材料须注明核发部门"
    )
    copies = models.PositiveSmallIntegerField("纸质材料份数", default=1)
    paper_format = models.CharField("纸质材料规格", max_length=50, blank=True)
    blank_form = models.FileField(
        "空白表格", upload_to="catalog/forms/%Y/", blank=True, max_length=255
    )
    sample = models.FileField(
        "示例样表", upload_to="catalog/samples/%Y/", blank=True, max_length=255
    )
    electronic_required = models.BooleanField("需提供电子材料", default=False)
    requirement = models.CharField(
        "必要性",
        max_length=16,
        choices=MaterialRequirement.choices,
        default=MaterialRequirement.ALWAYS,
    )
    condition = models.CharField("提供情形", max_length=300, blank=True)
    acceptance_standard = models.TextField("受理标准", blank=True)
    notes = models.TextField("填报须知", blank=True)
    legal_basis = models.TextField("要求依据", blank=True)

    class Meta(GuidePart.Meta):
        verbose_name = "申请材料"
        verbose_name_plural = "申请材料"
        constraints = (
            models.UniqueConstraint(fields=["version", "name"], name="material_version_name"),
        )

    def __str__(self) -> str:
        return self.name


class ProcessStep(GuidePart):
    """办理环节 with its role in the 审查工作细则, time limit and review method."""

    version = models.ForeignKey(
        "catalog.ItemVersion", verbose_name="版本", on_delete=models.CASCADE, related_name="steps"
    )
    name = models.CharField("环节名称", max_length=100)
    role = models.CharField("环节角色", max_length=16, choices=StepRole.choices)
    time_limit = models.PositiveSmallIntegerField("环节时限（工作日）", default=0)
    description = models.TextField("办理内容", blank=True)
    review_method = models.CharField(
        "审查方式", max_length=16, choices=ReviewMethod.choices, blank=True
    )
    on_the_spot = models.BooleanField(
        "可当场决定", default=False, help_text="受理人或审查人能够当场作出决定"
    )

    class Meta(GuidePart.Meta):
        verbose_name = "办理环节"
        verbose_name_plural = "办理环节"
        constraints = (
            models.UniqueConstraint(fields=["version", "name"], name="processstep_version_name"),
        )

    def __str__(self) -> str:
        return self.name


class HandlingItem(GuidePart):
    """办理项: one situation of the item (新办/变更/注销, 本人/代办) with its own material list,
    chosen among the version's materials (guide ch. 4 (二) 1 (1) 便于应用)."""

    version = models.ForeignKey(
        "catalog.ItemVersion",
        verbose_name="版本",
        on_delete=models.CASCADE,
        related_name="handling_items",
    )
    name = models.CharField("办理情形", max_length=200)
    description = models.TextField("说明", blank=True)
    materials = models.ManyToManyField(
        Material, verbose_name="所需材料", blank=True, related_name="handling_items"
    )

    class Meta(GuidePart.Meta):
        verbose_name = "办理项"
        verbose_name_plural = "办理项"
        constraints = (
            models.UniqueConstraint(fields=["version", "name"], name="handlingitem_version_name"),
        )

    def __str__(self) -> str:
        return self.name
