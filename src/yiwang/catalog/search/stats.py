"""Clicks, hot searches and hot items.

Searches and clicks are appended as raw rows (one INSERT each, nothing read). ``yiwang search
hot`` (:func:`refresh`) turns them into small daily aggregates and refreshes the counters of the
index; the selectors read only those aggregates, through the cache, so a page view never scans
a log.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.core.cache import cache
from django.db import transaction
from django.db.models import Count, F, Sum
from django.db.models.functions import TruncDate
from django.utils import timezone

from yiwang.catalog.search.indexing import popularity_score
from yiwang.catalog.search.models import (
    ItemClickDay,
    SearchClick,
    SearchEntry,
    SearchLog,
    SearchQueryDay,
)

__all__ = [
    "HOT_DAYS",
    "HotItem",
    "HotSearch",
    "RefreshReport",
    "hot_items",
    "hot_searches",
    "record_click",
    "refresh",
]

HOT_DAYS = 7
HOT_ITEM_DAYS = 30
# Applications weigh more than clicks: someone applied, not just looked.
APPLICATION_WEIGHT = 3
CACHE_SECONDS = 600
_CACHE_VERSION_KEY = "catalog.search.hot.version"


@dataclass(frozen=True)
class HotSearch:
    query: str
    searches: int


@dataclass(frozen=True)
class HotItem:
    item_id: int
    code: str
    name: str
    organization_name: str
    region_code: str
    region_name: str
    hot_score: int


def record_click(item_id: int) -> None:
    """A citizen opened this item from a search result or a list (one INSERT)."""
    SearchClick.objects.create(item_id=item_id, at=timezone.now())


def _version() -> int:
    return cache.get_or_set(_CACHE_VERSION_KEY, 1, None)


def hot_searches(limit: int = 10, *, days: int = HOT_DAYS) -> list[HotSearch]:
    """The most searched queries of the last ``days`` days that found something."""
    key = f"catalog.search.hot_searches.{_version()}.{limit}.{days}"
    cached = cache.get(key)
    if cached is not None:
        return cached
    since = timezone.localdate() - timedelta(days=days - 1)
    rows = (
        SearchQueryDay.objects.filter(day__gte=since)
        .values("normalized")
        .annotate(total=Sum("searches"), empty=Sum("no_result_searches"))
        .filter(total__gt=F("empty"))
        .order_by("-total", "normalized")[:limit]
    )
    rows = list(rows)
    shown = dict(
        SearchQueryDay.objects.filter(
            day__gte=since, normalized__in=[r["normalized"] for r in rows]
        ).values_list("normalized", "query")
    )
    result = [HotSearch(shown.get(r["normalized"], r["normalized"]), r["total"]) for r in rows]
    cache.set(key, result, CACHE_SECONDS)
    return result


def hot_items(
    region: str | None = None, audience: str | None = None, limit: int = 10
) -> list[HotItem]:
    """The items most clicked (last 30 days) and applied for, of ``region`` and the regions above
    it (and national ones), optionally for one audience (person/enterprise)."""
    from yiwang.catalog.search.engine import region_chain

    key = f"catalog.search.hot_items.{_version()}.{region}.{audience}.{limit}"
    cached = cache.get(key)
    if cached is not None:
        return cached
    entries = SearchEntry.objects.all()
    if region:
        entries = entries.filter(region_code__in=[*region_chain(region), ""])
    if audience:
        entries = entries.filter(audiences__contains=f" {audience} ")
    rows = entries.order_by("-hot_score", "-popularity", "id").values_list(
        "item_id", "code", "name", "organization_name", "region_code", "region_name", "hot_score"
    )[:limit]
    result = [HotItem(*row) for row in rows]
    cache.set(key, result, CACHE_SECONDS)
    return result


@dataclass
class RefreshReport:
    days: int
    queries: int
    items: int


def _day_bounds(day: date) -> tuple[datetime, datetime]:
    tz = timezone.get_current_timezone()
    start = datetime.combine(day, datetime.min.time(), tzinfo=tz)
    return start, start + timedelta(days=1)


@transaction.atomic
def refresh(*, days: int = 2) -> RefreshReport:
    """Aggregate the last ``days`` days of logs (today included; re-running is harmless: the
    days are recomputed, not added to) and refresh the index's counters and hot scores."""
    today = timezone.localdate()
    first = today - timedelta(days=days - 1)
    start, _ = _day_bounds(first)
    _, end = _day_bounds(today)
    tz = timezone.get_current_timezone()

    logs = SearchLog.objects.filter(at__gte=start, at__lt=end).annotate(
        day=TruncDate("at", tzinfo=tz)
    )
    counts: dict[tuple[date, str], list] = {}
    spellings: dict[tuple[date, str], dict[str, int]] = {}
    for day, normalized, query, results, n in (
        logs.values("day", "normalized", "query", "result_count")
        .annotate(n=Count("id"))
        .values_list("day", "normalized", "query", "result_count", "n")
    ):
        slot = counts.setdefault((day, normalized), [0, 0])
        slot[0] += n
        if results == 0:
            slot[1] += n
        spelled = spellings.setdefault((day, normalized), {})
        spelled[query] = spelled.get(query, 0) + n
    SearchQueryDay.objects.filter(day__gte=first, day__lte=today).delete()
    SearchQueryDay.objects.bulk_create(
        [
            SearchQueryDay(
                day=day,
                normalized=normalized,
                query=max(spellings[(day, normalized)].items(), key=lambda kv: (kv[1], kv[0]))[0],
                searches=searches,
                no_result_searches=empty,
            )
            for (day, normalized), (searches, empty) in counts.items()
        ],
        batch_size=1000,
    )

    clicks = (
        SearchClick.objects.filter(at__gte=start, at__lt=end)
        .annotate(day=TruncDate("at", tzinfo=tz))
        .values("day", "item_id")
        .annotate(n=Count("id"))
        .values_list("day", "item_id", "n")
    )
    ItemClickDay.objects.filter(day__gte=first, day__lte=today).delete()
    ItemClickDay.objects.bulk_create(
        [ItemClickDay(day=day, item_id=item_id, clicks=n) for day, item_id, n in clicks],
        batch_size=1000,
    )
    items = _refresh_entries(today)
    cache.set(_CACHE_VERSION_KEY, _version() + 1, None)
    return RefreshReport(days=days, queries=len(counts), items=items)


def _refresh_entries(today: date) -> int:
    """Counters, popularity and hot score of the entries whose figures changed."""
    from yiwang.catalog.models import ServiceItem

    recent = dict(
        ItemClickDay.objects.filter(day__gt=today - timedelta(days=HOT_ITEM_DAYS))
        .values("item_id")
        .annotate(n=Sum("clicks"))
        .values_list("item_id", "n")
    )
    total = dict(
        ItemClickDay.objects.values("item_id").annotate(n=Sum("clicks")).values_list("item_id", "n")
    )
    counters = {
        pk: (views, applications)
        for pk, views, applications in ServiceItem.objects.filter(
            pk__in=SearchEntry.objects.values("item_id")
        ).values_list("pk", "view_count", "application_count")
        if views or applications or pk in total
    }
    changed = []
    touched = set(counters) | set(total)
    touched |= set(SearchEntry.objects.filter(hot_score__gt=0).values_list("item_id", flat=True))
    for start in range(0, len(touched), 1000):
        ids = sorted(touched)[start : start + 1000]
        for entry in SearchEntry.objects.filter(item_id__in=ids):
            views, applications = counters.get(entry.item_id, (0, 0))
            clicks = total.get(entry.item_id, 0)
            hot = recent.get(entry.item_id, 0) + APPLICATION_WEIGHT * applications
            popularity = popularity_score(views, clicks, applications)
            new = (views, applications, clicks, hot, popularity)
            old = (entry.views, entry.applications, entry.clicks, entry.hot_score, entry.popularity)
            if new != old:
                entry.views, entry.applications, entry.clicks, entry.hot_score = new[:4]
                entry.popularity = popularity
                changed.append(entry)
    SearchEntry.objects.bulk_update(
        changed, ["views", "applications", "clicks", "hot_score", "popularity"], batch_size=1000
    )
    return len(changed)
