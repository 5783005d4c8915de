"""行政区划, organisations (实施机构/部门), service halls, windows and village stations.

Regions are keyed by their 12-digit platform code (REQUIREMENTS §5): other apps store and
exchange that code, so it is the primary key rather than a surrogate id. Everything else has a
surrogate id and a natural key (region + name, hall + window number) that imports and the demo
upsert by.

Writes go through :mod:`yiwang.regions.services`; the rules they enforce live in
:mod:`yiwang.regions.rules` so the admin's ``clean()`` applies the same ones.
"""

from __future__ import annotations

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models
from django.db.models import Q

from yiwang.core.errors import DomainError
from yiwang.core.identifiers import REGION_LEVEL_LABELS


class RegionLevel(models.TextChoices):
    # Labels from core.identifiers so the validator's messages and the UI say the same thing.
    PROVINCE = "province", REGION_LEVEL_LABELS["province"]
    CITY = "city", REGION_LEVEL_LABELS["city"]
    COUNTY = "county", REGION_LEVEL_LABELS["county"]
    TOWNSHIP = "township", REGION_LEVEL_LABELS["township"]
    VILLAGE = "village", REGION_LEVEL_LABELS["village"]


class OrganizationLevel(models.TextChoices):
    """The level a body belongs to: the region levels plus the central (national) level."""

    NATIONAL = "national", "国家级"
    PROVINCE = "province", REGION_LEVEL_LABELS["province"]
    CITY = "city", REGION_LEVEL_LABELS["city"]
    COUNTY = "county", REGION_LEVEL_LABELS["county"]
    TOWNSHIP = "township", REGION_LEVEL_LABELS["township"]
    VILLAGE = "village", REGION_LEVEL_LABELS["village"]


class OrganizationKind(models.TextChoices):
    GOVERNMENT = "government", "人民政府"
    SUBDISTRICT_OFFICE = "subdistrict_office", "街道办事处"
    DEPARTMENT = "department", "政府工作部门"
    BRANCH = "branch", "派出机构（分局）"
    VERTICAL = "vertical", "垂直管理机构"
    HALL_MANAGEMENT = "hall_management", "政务服务管理机构"
    VILLAGE_COMMITTEE = "village_committee", "村（居）民委员会"


class WindowKind(models.TextChoices):
    COMPREHENSIVE = "comprehensive", "综合受理"
    DEPARTMENT = "department", "部门专窗"
    HELP = "help", "帮办代办"
    DELIVERY = "delivery", "出件"
    CONSULTATION = "consultation", "咨询导办"


def _clean(*checks, obj) -> None:
    """Run rules from ``rules`` and hand their Chinese messages to the admin form.

    Every check runs — the uniqueness rules too when the form has another mistake, otherwise
    Django would report a duplicate name in its own generic words — and each one's message is
    kept, unless an earlier one already said something about the same field.
    """
    errors: dict[str, str] = {}
    for check in checks:
        try:
            check(obj)
        except DomainError as exc:
            errors.setdefault(exc.field or NON_FIELD_ERRORS, exc.message)
    if errors:
        raise ValidationError(errors)


class Region(models.Model):
    """One administrative division, identified by its 12-digit code.

    ``parent`` is the division the data source names as the parent (usually the code with its
    lowest non-zero part zeroed; for 东莞 or 中山, which have no county level, the township's
    parent is the city). ``full_name`` is the names from the province down, without the
    placeholder rows of the statistics (``市辖区``, ``县``, ``省直辖县级行政区划``), e.g.
    "浙江省宁波市海曙区".
    """

    code = models.CharField("行政区划代码", max_length=12, primary_key=True)
    name = models.CharField("名称", max_length=100)
    level = models.CharField("层级", max_length=16, choices=RegionLevel.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name="上级区划",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    full_name = models.CharField("全称", max_length=255, blank=True)
    is_active = models.BooleanField("有效", default=True)

    class Meta:
        verbose_name = "行政区划"
        verbose_name_plural = "行政区划"
        ordering = ("code",)
        indexes = (
            # region_children(): WHERE parent = ? ORDER BY code
            models.Index(fields=["parent", "code"], name="region_parent_code_idx"),
            models.Index(fields=["level", "code"], name="region_level_code_idx"),
        )

    def __str__(self) -> str:
        return f"{self.full_name or self.name}（{self.code}）"


class Organization(models.Model):
    """A body that implements service items (实施机构): a government, a department, a branch.

    ``parent`` is the administrative superior *body*, decided as follows:

    - a people's government → the government one level up (海曙区人民政府 → 宁波市人民政府);
    - a department or 政务服务管理机构 → the people's government of its own region
      (宁波市海曙区市场监督管理局 → 宁波市海曙区人民政府), because that government sets it up
      and directs it, whatever the professional guidance from the bureau one level up;
    - a branch (派出机构, e.g. 宁波市公安局海曙分局) → the body that dispatched it
      (宁波市公安局), although its region is the district it serves;
    - a vertically managed body (国家税务总局…税务局) → the body one level up in its system,
      or none when that body is outside the platform;
    - a street office or township government → the county government.

    National bodies have no region (the platform's regions start at the province).
    """

    name = models.CharField("名称", max_length=100)
    short_name = models.CharField("简称", max_length=50, blank=True)
    uscc = models.CharField("统一社会信用代码", max_length=18, unique=True)
    level = models.CharField("层级", max_length=16, choices=OrganizationLevel.choices)
    kind = models.CharField("类型", max_length=32, choices=OrganizationKind.choices)
    region = models.ForeignKey(
        Region,
        verbose_name="所在行政区划",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="organizations",
    )
    parent = models.ForeignKey(
        "self",
        verbose_name="上级机构",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="subordinates",
    )
    phone = models.CharField("咨询电话", max_length=32, blank=True)
    address = models.CharField("地址", max_length=200, blank=True)
    is_active = models.BooleanField("有效", default=True)

    class Meta:
        verbose_name = "实施机构"
        verbose_name_plural = "实施机构"
        ordering = (
            "region_id",
            "id",
        )
        constraints = (
            models.UniqueConstraint(fields=["region", "name"], name="organization_region_name"),
            # NULL regions are distinct in a unique constraint: national names need their own.
            models.UniqueConstraint(
                fields=["name"],
                condition=Q(region__isnull=True),
                name="organization_national_name",
            ),
        )
        indexes = (models.Index(fields=["level", "region"], name="organization_level_region_idx"),)

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        from yiwang.regions import rules

        _clean(rules.check_organization, rules.check_organization_unique, obj=self)


class ServiceHall(models.Model):
    """A 政务服务中心 / 行政服务中心 (city, county) or 便民服务中心 (township)."""

    name = models.CharField("名称", max_length=100)
    region = models.ForeignKey(
        Region, verbose_name="所在行政区划", on_delete=models.PROTECT, related_name="halls"
    )
    level = models.CharField("层级", max_length=16, choices=RegionLevel.choices)
    organization = models.ForeignKey(
        Organization,
        verbose_name="管理机构",
        on_delete=models.PROTECT,
        related_name="managed_halls",
    )
    address = models.CharField("地址", max_length=200, blank=True)
    phone = models.CharField("咨询电话", max_length=32, blank=True)
    opening_hours = models.CharField("办公时间", max_length=200, blank=True)
    is_active = models.BooleanField("有效", default=True)

    class Meta:
        verbose_name = "政务服务大厅"
        verbose_name_plural = "政务服务大厅"
        ordering = (
            "region_id",
            "name",
        )
        constraints = (
            models.UniqueConstraint(fields=["region", "name"], name="servicehall_region_name"),
        )
        indexes = (models.Index(fields=["level", "region"], name="servicehall_level_region_idx"),)

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        from yiwang.regions import rules

        _clean(rules.check_hall, rules.check_hall_unique, obj=self)


class Window(models.Model):
    """A counter in a hall; a 综合受理窗口 accepts applications for many departments."""

    hall = models.ForeignKey(
        ServiceHall, verbose_name="所属大厅", on_delete=models.CASCADE, related_name="windows"
    )
    number = models.CharField("窗口号", max_length=8)
    name = models.CharField("名称", max_length=100)
    kind = models.CharField("类型", max_length=16, choices=WindowKind.choices)
    organizations = models.ManyToManyField(
        Organization, verbose_name="受理部门", blank=True, related_name="windows"
    )
    is_active = models.BooleanField("有效", default=True)

    class Meta:
        verbose_name = "窗口"
        verbose_name_plural = "窗口"
        ordering = (
            "hall_id",
            "number",
        )
        constraints = (
            models.UniqueConstraint(fields=["hall", "number"], name="window_hall_number"),
        )

    def __str__(self) -> str:
        return f"{self.number} {self.name}"

    def clean(self) -> None:
        from yiwang.regions import rules

        _clean(rules.check_window, rules.check_window_unique, obj=self)


class ServiceStation(models.Model):
    """A village (community) 便民服务站 / 代办点, attached to its township's hall."""

    name = models.CharField("名称", max_length=100)
    region = models.ForeignKey(
        Region, verbose_name="所在行政区划", on_delete=models.PROTECT, related_name="stations"
    )
    hall = models.ForeignKey(
        ServiceHall,
        verbose_name="所属便民服务中心",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="stations",
    )
    address = models.CharField("地址", max_length=200, blank=True)
    phone = models.CharField("联系电话", max_length=32, blank=True)
    is_active = models.BooleanField("有效", default=True)

    class Meta:
        verbose_name = "便民服务站"
        verbose_name_plural = "便民服务站"
        ordering = (
            "region_id",
            "name",
        )
        constraints = (
            models.UniqueConstraint(fields=["region", "name"], name="servicestation_region_name"),
        )

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        from yiwang.regions import rules

        _clean(rules.check_station, rules.check_station_unique, obj=self)
