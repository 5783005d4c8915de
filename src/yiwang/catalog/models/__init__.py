"""Tables of the catalogue. Writes go through :mod:`yiwang.catalog.services`."""

from yiwang.catalog.models.codes import ItemType, Theme
from yiwang.catalog.models.guide import Fee, HandlingItem, Material, ProcessStep
from yiwang.catalog.models.items import BasicItem, ServiceItem
from yiwang.catalog.models.versions import ItemVersion

# The search engine's tables belong to this app too; importing them here registers them with
# Django whatever imports the app first (and loads jieba's dictionary at start-up, not in a
# request).
from yiwang.catalog.search.models import (  # noqa: F401
    ItemClickDay,
    NoResultQuery,
    SearchClick,
    SearchEntry,
    SearchLog,
    SearchQueryDay,
    SearchTerm,
    Synonym,
)

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
