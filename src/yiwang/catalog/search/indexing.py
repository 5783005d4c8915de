"""Writing the index: one item (:func:`reindex_item`, :func:`remove_item`) or all of them
(:func:`reindex_all`).

What an item is indexed under:

- name: the published version's 事项名称;
- aliases: the 目录清单 name when the implementation names it differently, and the 结果名称
  (people search for what they want to get: 营业执照, 结婚证);
- text: the 受理条件, the materials' names and the 办理情形, plus the name's single characters
  (so that 公积金怎么取 still finds 住房公积金提取 through 取);
- filters: region (or ``national``), service objects, themes and the implementing organisation.
"""

from __future__ import annotations

import math
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from django.db import connection, transaction
from django.db.models import Prefetch

from yiwang.catalog.search.backends import ENTRY_TABLE, backend
from yiwang.catalog.search.models import SearchEntry, SearchTerm
from yiwang.catalog.search.text import normalize, pinyin_full, pinyin_initials, tokens_text

__all__ = [
    "ReindexReport",
    "entry_for",
    "facet_audience",
    "facet_organization",
    "facet_region",
    "facet_theme",
    "popularity_score",
    "reindex_all",
    "reindex_item",
    "remove_item",
]

REGION_DEPTH = {"province": 0, "city": 1, "county": 2, "township": 3, "village": 4}
SUMMARY_LENGTH = 120
TOKEN_COLUMNS = ("name_tokens", "alias_tokens", "text_tokens", "facet_tokens")
NATIONAL = "national"


def facet_region(code: str | None) -> str:
    return f"r{code}" if code else f"r{NATIONAL}"


def facet_audience(code: str) -> str:
    return "a" + normalize(code).replace(" ", "")


def facet_theme(code: str) -> str:
    return "t" + normalize(code).replace(" ", "")


def facet_organization(organization_id: int) -> str:
    return f"o{organization_id}"


def popularity_score(views: int, clicks: int, applications: int) -> int:
    """0–99 from the counters, logarithmic: the 1 000th application matters less than the
    first, and no item's fame outweighs a better match (the ranking adds at most 99)."""
    return min(99, round(15 * math.log10(1 + views + clicks + 5 * applications)))


def _public_items():
    from yiwang.catalog.constants import ItemStatus
    from yiwang.catalog.models import Material, ServiceItem

    return (
        ServiceItem.objects.filter(status=ItemStatus.ACTIVE, current_version__isnull=False)
        .select_related(
            "organization", "region", "basic_item", "basic_item__item_type", "current_version"
        )
        .prefetch_related(
            "current_version__themes",
            Prefetch(
                "current_version__materials",
                queryset=Material.objects.only("id", "name", "version_id"),
            ),
            "current_version__handling_items",
        )
    )


def _summary(version) -> str:
    text = " ".join((version.conditions or "").split())
    if not text and version.result_name:
        text = f"办理结果：{version.result_name}"
    return text if len(text) <= SUMMARY_LENGTH else text[: SUMMARY_LENGTH - 1] + "…"


def _badges(item, version) -> dict:
    # What a result card shows beside the name; the portal renders the labels.
    return {
        "item_type": item.basic_item.item_type.name,
        "fully_online": version.is_fully_online,
        "max_visits": version.max_visits,
        "depth_level": version.depth_level,
        "handling_scope": version.handling_scope,
        "appointment": version.appointment_supported,
        "express_delivery": version.express_delivery_supported,
        "online_payment": version.online_payment_supported,
        "promised_days": version.promised_time_limit,
        "is_free": version.is_free,
    }


def entry_for(item, clicks: int = 0) -> SearchEntry:
    """The index row of a public item (not saved)."""
    version = item.current_version
    name = version.name
    aliases = [item.basic_item.name] if item.basic_item.name != name else []
    if version.result_name and version.result_name != name:
        aliases.append(version.result_name)
    aliases.extend(a for a in _extra_aliases(version) if a != name)
    texts = [version.conditions]
    texts.extend(m.name for m in version.materials.all())
    texts.extend(h.name for h in version.handling_items.all())
    region = item.region
    facets = [facet_region(item.region_id), facet_organization(item.organization_id)]
    facets.extend(facet_audience(code) for code in version.service_objects)
    theme_codes = [theme.code for theme in version.themes.all()]
    facets.extend(facet_theme(code) for code in theme_codes)
    characters = " ".join(c for c in normalize(name) if c != " ")
    return SearchEntry(
        item_id=item.id,
        code=item.code,
        name=name,
        name_norm=normalize(name)[:200],
        summary=_summary(version),
        organization_id=item.organization_id,
        organization_name=item.organization.name,
        region_code=item.region_id or "",
        region_name=region.full_name or region.name if region else "",
        region_depth=REGION_DEPTH.get(region.level, -1) if region else -1,
        audiences=f" {' '.join(version.service_objects)} " if version.service_objects else "",
        themes=f" {' '.join(theme_codes)} " if theme_codes else "",
        name_tokens=tokens_text(name),
        alias_tokens=tokens_text(*aliases),
        text_tokens=tokens_text(*texts, characters),
        facet_tokens=f" {' '.join(facets)} ",
        name_pinyin=pinyin_full(name)[:600],
        name_initials=pinyin_initials(name)[:200],
        badges=_badges(item, version),
        clicks=clicks,
        views=item.view_count,
        applications=item.application_count,
        popularity=popularity_score(item.view_count, clicks, item.application_count),
    )


def _extra_aliases(version) -> list[str]:
    # An 别名/俗称 field on the guide, if the catalogue grows one; none today.
    aliases = getattr(version, "aliases", "") or ""
    if isinstance(aliases, str):
        from yiwang.catalog.search.synonyms import split_terms

        return split_terms(aliases)
    return list(aliases)


def _old_rows(entry_ids: Iterable[int]) -> list[tuple]:
    return list(
        SearchEntry.objects.filter(id__in=list(entry_ids)).values_list("id", *TOKEN_COLUMNS)
    )


def reindex_item(item_id: int) -> None:
    """Bring the index of one service item in line with its current published version; an
    item that is retired or has no published version leaves the index.

    Runs inside the caller's transaction, so the index never shows a version that was rolled
    back.
    """
    from yiwang.catalog.search.models import SearchClick

    item = _public_items().filter(pk=item_id).first()
    if item is None:
        remove_item(item_id)
        return
    with transaction.atomic():
        old = (
            SearchEntry.objects.filter(item_id=item_id)
            .values_list("id", "clicks", "hot_score")
            .first()
        )
        clicks = old[1] if old else SearchClick.objects.filter(item_id=item_id).count()
        entry = entry_for(item, clicks=clicks)
        if old:
            backend().delete_documents(_old_rows([old[0]]))
            entry.id, entry.hot_score = old[0], old[2]
            entry.save(force_update=True)
        else:
            entry.save(force_insert=True)
        backend().insert_documents([entry.id])
        _add_terms([(entry.name, SearchTerm.Kind.NAME, entry.popularity)])
        _add_terms([(a, SearchTerm.Kind.ALIAS, 0) for a in _aliases_of(item)])


def _aliases_of(item) -> list[str]:
    version = item.current_version
    aliases = [item.basic_item.name, *_extra_aliases(version)]
    if version.result_name:
        aliases.append(version.result_name)
    return [a for a in aliases if a and a != version.name]


def remove_item(item_id: int) -> None:
    """Take an item out of the index (retired, or its guide withdrawn)."""
    with transaction.atomic():
        rows = list(SearchEntry.objects.filter(item_id=item_id).values_list("id", *TOKEN_COLUMNS))
        if rows:
            names = set(SearchEntry.objects.filter(item_id=item_id).values_list("name", flat=True))
            backend().delete_documents(rows)
            SearchEntry.objects.filter(id__in=[r[0] for r in rows]).delete()
            # A name no published item carries any more is no longer suggested.
            gone = names - set(
                SearchEntry.objects.filter(name__in=names).values_list("name", flat=True)
            )
            SearchTerm.objects.filter(term__in=gone, kind=SearchTerm.Kind.NAME).delete()


def _add_terms(terms: Iterable[tuple[str, str, int]]) -> None:
    rows = {}
    for term, kind, weight in terms:
        term = " ".join(term.split())[:200]
        if term and normalize(term) and term not in rows:
            rows[term] = SearchTerm(
                term=term,
                kind=kind,
                pinyin=pinyin_full(term)[:600],
                initials=pinyin_initials(term)[:200],
                weight=weight,
            )
    if rows:
        SearchTerm.objects.bulk_create(rows.values(), ignore_conflicts=True, batch_size=500)


@dataclass
class ReindexReport:
    items: int
    seconds: float

    @property
    def per_second(self) -> float:
        return self.items / self.seconds if self.seconds else 0.0


def _batches(batch_size: int) -> Iterator[list]:
    last = 0
    while True:
        batch = list(_public_items().filter(pk__gt=last).order_by("pk")[:batch_size])
        if not batch:
            return
        yield batch
        last = batch[-1].pk


def reindex_all(*, batch_size: int = 2000, progress=None) -> ReindexReport:
    """Rebuild the whole index from the published items, in one transaction (searches see the
    old index until it commits).

    Rows are written with ``bulk_create`` per batch; the full-text index is then built in one
    pass — FTS5 ``'rebuild'`` on SQLite, the GIN index recreated on PostgreSQL — which is much
    faster than maintaining it row by row. Click counts survive the rebuild.
    """
    from yiwang.catalog.search.models import SearchClick

    started = time.monotonic()
    engine = backend()
    count = 0
    with transaction.atomic():
        kept = dict(SearchEntry.objects.values_list("item_id", "hot_score"))
        clicks = _click_counts(SearchClick)
        engine.clear()
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {ENTRY_TABLE}")  # noqa: S608 - constant table name
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("DROP INDEX IF EXISTS catalog_searchentry_document_gin")
                cursor.execute("DROP INDEX IF EXISTS catalog_searchentry_name_gin")
        names: dict[str, int] = {}
        aliases: set[str] = set()
        for batch in _batches(batch_size):
            entries = []
            for item in batch:
                entry = entry_for(item, clicks=clicks.get(item.pk, 0))
                entry.hot_score = kept.get(item.pk, 0)
                entries.append(entry)
                names[entry.name] = names.get(entry.name, 0) + entry.popularity
                aliases.update(_aliases_of(item))
            SearchEntry.objects.bulk_create(entries, batch_size=batch_size)
            count += len(entries)
            if progress is not None:
                progress(count)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
                cursor.execute(
                    "CREATE INDEX catalog_searchentry_document_gin "
                    f"ON {ENTRY_TABLE} USING gin (document)"
                )
                cursor.execute(
                    "CREATE INDEX catalog_searchentry_name_gin "
                    f"ON {ENTRY_TABLE} USING gin (name_document)"
                )
                cursor.execute(f"ANALYZE {ENTRY_TABLE}")
        else:
            engine.rebuild()
        SearchTerm.objects.filter(kind__in=[SearchTerm.Kind.NAME, SearchTerm.Kind.ALIAS]).delete()
        _add_terms((n, SearchTerm.Kind.NAME, min(w, 2**31 - 1)) for n, w in names.items())
        _add_terms((a, SearchTerm.Kind.ALIAS, 0) for a in aliases)
    return ReindexReport(count, time.monotonic() - started)


def _click_counts(model) -> dict[int, int]:
    from django.db.models import Count

    return dict(
        model.objects.values_list("item_id").annotate(n=Count("id")).values_list("item_id", "n")
    )
