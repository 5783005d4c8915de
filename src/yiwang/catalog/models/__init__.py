"""Tables of the catalogue. Writes go through :mod:`yiwang.catalog.services`."""

from yiwang.catalog.models.codes import ItemType, Theme
from yiwang.catalog.models.guide import Fee, HandlingItem, Material, ProcessStep
from yiwang.catalog.models.items import BasicItem, ServiceItem
from yiwang.catalog.models.versions import ItemVersion

__all__ = [
    "BasicItem",
    "Fee",
    "HandlingItem",
    "ItemType",
    "ItemVersion",
    "Material",
    "ProcessStep",
    "ServiceItem",
    "Theme",
]
