"""Read queries of the catalogue; pages, the API and other apps read it through here.

The public sees an item when it is active and has a published version (its current version);
drafts are seen only through the admin. Item lists load the current version, organisation,
region, basic item and type with the item and prefetch the themes, so a page of items costs a
fixed number of queries.
"""

from __future__ import annotations

from django.db.models import Count, F, Prefetch, Q, QuerySet
from django.utils import timezone

from yiwang.catalog import rules
from yiwang.catalog.constants import PUBLIC_STATUSES, ItemStatus, VersionStatus
from yiwang.catalog.diff import Change, diff_versions
from yiwang.catalog.models import (
    BasicItem,
    HandlingItem,
    ItemType,
    ItemVersion,
    ServiceItem,
    Theme,
)
from yiwang.core.errors import NotFound
from yiwang.regions.models import Organization, Region
from yiwang.regions.selectors import get_region, region_ancestors

__all__ = [
    "basic_items",
    "current_versions",
    "departments",
    "get_item",
    "get_version",
    "item_types",
    "item_versions",
    "popular_items",
    "previous_version",
    "public_items",
    "published_versions",
    "themes",
    "version_with_diff",
    "visible_region_codes",
]

_ITEM_RELATED = (
    "current_version",
    "organization",
    "region",
    "basic_item__item_type",
    "current_version__item_type",
)


def visible_region_codes(region: str | Region) -> list[str]:
    """The region and every region above it: an item of 海曙区 is offered in 海曙区, and so
    are the items of 宁波市 and 浙江省 (one platform for all levels, REQUIREMENTS §1)."""
    region = get_region(region)
    return [r.code for r in region_ancestors(region)] + [region.code]


def _public() -> QuerySet[ServiceItem]:
    return ServiceItem.objects.filter(status=ItemStatus.ACTIVE, current_version__isnull=False)


def public_items(
    *,
    region: str | Region | None = None,
    service_object: str | None = None,
    theme: str | Theme | None = None,
    department: int | Organization | None = None,
    item_type: str | ItemType | None = None,
) -> QuerySet[ServiceItem]:
    """Published, active items, ordered by 实施编码.

    ``region`` keeps the items of that region and of the regions above it, national items
    (no region) included; ``service_object`` is ``person``/``enterprise``; ``theme`` a theme
    code; ``department`` an organisation (or id); ``item_type`` a type code (``XK``). Filters on
    the guide read the current version.
    """
    queryset = _public()
    if region is not None:
        queryset = queryset.filter(
            Q(region__in=visible_region_codes(region)) | Q(region__isnull=True)
        )
    if service_object:
        queryset = queryset.filter(current_version__service_objects__has=service_object)
    if theme is not None:
        code = theme.code if isinstance(theme, Theme) else theme
        queryset = queryset.filter(current_version__themes__code=code)
    if department is not None:
        queryset = queryset.filter(organization=department)
    if item_type is not None:
        code = item_type.code if isinstance(item_type, ItemType) else item_type
        queryset = queryset.filter(basic_item__item_type__code=code)
    return (
        queryset.select_related(*_ITEM_RELATED)
        .prefetch_related("current_version__themes")
        .order_by("code")
    )


def popular_items(region: str | Region | None = None, limit: int = 10) -> list[ServiceItem]:
    """The most applied-for items visible in ``region`` (热门服务)."""
    return list(
        public_items(region=region).order_by("-application_count", "-view_count", "code")[:limit]
    )


def _version_prefetch(prefix: str = "") -> list:
    """Every list of a guide; ``prefix`` reaches the version from another model."""
    names = ["themes", "halls", "windows", "fees", "steps", "materials"]
    return [f"{prefix}{name}" for name in names] + [
        Prefetch(f"{prefix}handling_items", HandlingItem.objects.prefetch_related("materials"))
    ]


def get_item(code: str, *, include_retired: bool = False) -> ServiceItem:
    """A public item by its 实施编码, with its current version and every list of the guide
    loaded; NotFound for an unknown, unpublished or retired item — saying when and why a
    retired one was retired. ``include_retired`` also returns a retired item with its last
    published guide (``item.is_public`` is then False: no application, no downloads)."""
    code = (code or "").strip().upper()
    found = ServiceItem.objects.filter(current_version__isnull=False)
    item = (
        (found if include_retired else _public())
        .filter(code=code)
        .select_related(*_ITEM_RELATED)
        .prefetch_related(*_version_prefetch("current_version__"))
        .first()
    )
    if item is None:
        retired = found.filter(code=code, status=ItemStatus.RETIRED).first()
        if retired is not None:
            raise NotFound(_retired_message(retired), field="code")
        raise NotFound(f"实施编码为 {code} 的事项不存在或未发布", field="code")
    return item


def _retired_message(item: ServiceItem) -> str:
    day = f"于{timezone.localtime(item.retired_at):%Y年%m月%d日}" if item.retired_at else ""
    reason = f"（取消原因：{item.retirement_reason}）" if item.retirement_reason else ""
    return f"实施编码为 {item.code} 的事项已{day}取消，不再受理{reason}"


def _public_versions(code: str) -> QuerySet[ItemVersion]:
    """The published guides of an item that was ever published, retired ones included: a
    retired item's guides stay readable as history (a case decided under one may cite it)."""
    code = (code or "").strip().upper()
    if not ServiceItem.objects.filter(code=code, current_version__isnull=False).exists():
        raise NotFound(f"实施编码为 {code} 的事项不存在或未发布", field="code")
    return ItemVersion.objects.filter(item__code=code, status__in=PUBLIC_STATUSES)


def item_versions(code: str) -> list[ItemVersion]:
    """The published guides of a published item (retired ones included), newest first (the
    current or last one and those it replaced); drafts are not public."""
    return list(_public_versions(code).order_by("-number"))


def published_versions(item: ServiceItem) -> list[ItemVersion]:
    """The published guides of an item already known to be public, newest first (one query)."""
    return list(
        ItemVersion.objects.filter(item=item, status__in=PUBLIC_STATUSES)
        .only("id", "item_id", "number", "status", "published_at")
        .order_by("-number")
    )


def get_version(code: str, number: int) -> ItemVersion:
    """One published (or superseded) version of a published item (retired ones included; the
    page says so), its lists loaded."""
    version = (
        _public_versions(code)
        .filter(number=number)
        .select_related(
            "item__organization", "item__basic_item__item_type", "item__region", "item_type"
        )
        .prefetch_related(*_version_prefetch())
        .first()
    )
    if version is None:
        raise NotFound(f"事项 {code} 没有已发布的第{number}版", field="number")
    return version


def previous_version(version: ItemVersion) -> ItemVersion | None:
    """The published version before ``version`` (drafts that were never published skipped)."""
    return (
        ItemVersion.objects.filter(
            item=version.item_id, status__in=PUBLIC_STATUSES, number__lt=version.number
        )
        .select_related("item_type")
        .prefetch_related(*_version_prefetch())
        .order_by("-number")
        .first()
    )


def version_with_diff(version: ItemVersion) -> tuple[ItemVersion | None, list[Change]]:
    """The previous published version and the changes from it to ``version``."""
    previous = previous_version(version)
    return previous, diff_versions(previous, version)


def current_versions() -> QuerySet[ItemVersion]:
    """The current (published) versions of active items, with what the rules and the
    三级四同 check read, ordered by 实施编码 (``yiwang catalog check``)."""
    return (
        ItemVersion.objects.filter(status=VersionStatus.PUBLISHED, item__status=ItemStatus.ACTIVE)
        .select_related("item__basic_item", "item__organization")
        .prefetch_related(*rules.VERSION_PREFETCH)
        .order_by("item__code")
    )


def basic_items() -> QuerySet[BasicItem]:
    return BasicItem.objects.select_related("item_type").order_by("code")


def themes(audience: str | None = None) -> QuerySet[Theme]:
    """The themes for ``person`` or ``enterprise`` (both when None) in life-cycle order."""
    queryset = Theme.objects.all()
    if audience:
        queryset = queryset.filter(audience=audience)
    return queryset.order_by("audience", "order", "code")


def item_types() -> QuerySet[ItemType]:
    return ItemType.objects.order_by("order", "code")


def departments(region: str | Region | None = None) -> QuerySet[Organization]:
    """The organisations with public items visible in ``region`` (that region and those above
    it), each with ``item_count``, ordered by region code (national first) then name."""
    public = Q(
        service_items__status=ItemStatus.ACTIVE,
        service_items__current_version__isnull=False,
    )
    queryset = Organization.objects.annotate(
        item_count=Count("service_items", filter=public)
    ).filter(item_count__gt=0)
    if region is not None:
        queryset = queryset.filter(
            Q(region__in=visible_region_codes(region)) | Q(region__isnull=True)
        )
    return queryset.select_related("region").order_by(F("region_id").asc(nulls_first=True), "name")
