"""Answering a search: filters, the strict then relaxed match, the pinyin fallback, highlighting
and the log row.

Order of attempts for one query (the first that finds something wins):

1. a Latin-letter query that is the pinyin or the initials of a known word (``yyzz``,
   ``yingyezhizhao``) is searched as that word;
2. all units must match (synonyms expanded);
3. a Chinese query that found nothing is tried as the known word that sounds the same
   (营业之照 → 营业执照);
4. relaxed: any unit may match, items matching more units first.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.db.models import Case, IntegerField, Q, Value, When
from django.db.models.functions import Length
from django.utils import timezone

from yiwang.catalog.search import synonyms
from yiwang.catalog.search.backends import Hit, backend
from yiwang.catalog.search.indexing import (
    facet_audience,
    facet_organization,
    facet_region,
    facet_theme,
)
from yiwang.catalog.search.models import SearchEntry, SearchLog, SearchTerm
from yiwang.catalog.search.query import ParsedQuery, check_length, parse
from yiwang.catalog.search.text import (
    clean,
    highlight,
    is_latin,
    normalize,
    pinyin_full,
    pinyin_initials,
)
from yiwang.core.errors import DomainError

__all__ = [
    "MAX_PAGE",
    "PAGE_SIZE",
    "Result",
    "SearchResults",
    "clear_region_cache",
    "region_chain",
    "search",
    "suggest",
]

PAGE_SIZE = 20
MAX_PAGE = 50
# Matches ranked per query at most (plus exact names): the 50 pages of 20 a user can turn.
# Beyond it the cost of a query no longer grows with the catalogue (see backends.search).
RANKED_CAP = PAGE_SIZE * MAX_PAGE
SUGGEST_LIMIT = 8
REGION_TTL = 300.0


@dataclass(frozen=True)
class Result:
    item_id: int
    code: str
    name: str
    name_html: str
    summary_html: str
    organization_id: int | None
    organization_name: str
    region_code: str
    region_name: str
    badges: dict
    score: float


@dataclass
class SearchResults:
    query: str
    normalized: str
    total: int
    page: int
    page_size: int
    results: list[Result] = field(default_factory=list)
    # Set when the results are for another wording than the one typed (pinyin, homophone).
    interpreted_as: str | None = None
    relaxed: bool = False
    # False when more than RANKED_CAP items match: ``total`` is then RANKED_CAP.
    total_exact: bool = True

    @property
    def pages(self) -> int:
        return min(MAX_PAGE, -(-self.total // self.page_size)) if self.total else 0


_region_lock = threading.Lock()
_region_cache: dict[str, tuple[float, tuple[str, ...]]] = {}


def region_chain(code: str) -> tuple[str, ...]:
    """The region and the regions above it, the user's own first (12-digit codes).

    Raises IdentifierError (400) for a malformed code, NotFound (404) for an unknown one.
    Cached per process for a few minutes: divisions change once a year.
    """
    from yiwang.regions import selectors

    cached = _region_cache.get(code)
    if cached is not None and time.monotonic() - cached[0] < REGION_TTL:
        return cached[1]
    region = selectors.get_region(code)
    chain = (region.code, *(r.code for r in reversed(selectors.region_ancestors(region))))
    with _region_lock:
        _region_cache[code] = (time.monotonic(), chain)
    return chain


def clear_region_cache() -> None:
    _region_cache.clear()


def _facets(region, audience, theme, department) -> list[list[str]]:
    facets = []
    if region:
        try:
            chain = region_chain(region)
        except DomainError as exc:
            exc.field = "region"
            raise
        facets.append([*(facet_region(code) for code in chain), facet_region(None)])
    if audience:
        facets.append([facet_audience(audience)])
    if theme:
        facets.append([facet_theme(theme)])
    if department is not None:
        facets.append([facet_organization(department)])
    return facets


def _exact_ids(query: ParsedQuery, facets: list[list[str]]) -> tuple[int, ...]:
    """Entries named exactly like the query (or a synonym of all of it) that pass the filters:
    always ranked, however many other items match (an index lookup on the name)."""
    names = [name[:200] for name in query.exact if name]
    if not names:
        return ()
    rows = SearchEntry.objects.filter(name_norm__in=names).values_list("id", "facet_tokens")[:200]
    return tuple(
        pk
        for pk, tokens in rows
        if all(any(f" {token} " in tokens for token in group) for group in facets)
    )


def _result(hit: Hit, terms: list[str]) -> Result:
    return Result(
        item_id=hit.item_id,
        code=hit.code,
        name=hit.name,
        name_html=highlight(hit.name, terms),
        summary_html=highlight(hit.summary, terms),
        organization_id=hit.organization_id,
        organization_name=hit.organization_name,
        region_code=hit.region_code,
        region_name=hit.region_name,
        badges=hit.badges,
        score=hit.score,
    )


def pinyin_word(normalized: str) -> str | None:
    """The known word (synonym word, alias, item name) whose pinyin or initials are exactly this
    Latin query, the most used first; None when there is none."""
    compact = normalized.replace(" ", "")
    if not compact:
        return None
    for word in synonyms.expansions():
        if compact in (pinyin_full(word), pinyin_initials(word)):
            return word
    term = (
        SearchTerm.objects.filter(Q(pinyin=compact) | Q(initials=compact))
        .order_by("-weight", "term")
        .first()
    )
    return term.term if term else None


def _homophone(normalized: str) -> str | None:
    sound = pinyin_full(normalized)
    if not sound:
        return None
    for word in synonyms.expansions():
        if pinyin_full(word) == sound and word != normalized:
            return word
    term = (
        SearchTerm.objects.filter(pinyin=sound)
        .exclude(term=normalized)
        .order_by("-weight", "term")
        .first()
    )
    return term.term if term else None


def search(
    q: str,
    *,
    region: str | None = None,
    audience: str | None = None,
    theme: str | None = None,
    department: int | None = None,
    page: int = 1,
    page_size: int = PAGE_SIZE,
    log: bool = True,
) -> SearchResults:
    """Published service items matching ``q``, best first, one page.

    ``region`` (12 or 6 digits) restricts to the items of that region, of the regions above it
    and national ones, the user's own region ranked first; ``audience`` (person/enterprise),
    ``theme`` (theme code) and ``department`` (organisation id) filter. Raises DomainError (400)
    for a query longer than 100 characters or a page beyond the last one allowed; any content
    is accepted. Page 1 of each search writes one :class:`SearchLog` row unless ``log`` is off.
    """
    parsed = parse(q)
    if page < 1 or page > MAX_PAGE:
        raise DomainError(f"页码应在 1 到 {MAX_PAGE} 之间", field="page")
    results = SearchResults(q, parsed.normalized, 0, page, page_size)
    if parsed.empty:
        return results
    facets = _facets(region, audience, theme, department)
    engine = backend()
    offset = (page - 1) * page_size

    exact_ids: dict[str, tuple[int, ...]] = {}  # the relaxed try repeats the strict one's

    def run(query: ParsedQuery, relaxed: bool = False) -> tuple[list[Hit], int]:
        if query.normalized not in exact_ids:
            exact_ids[query.normalized] = _exact_ids(query, facets)
        hits, total, results.total_exact = engine.search(
            query,
            facets,
            relaxed=relaxed,
            region_ranked=bool(region),
            limit=page_size,
            offset=offset,
            cap=RANKED_CAP,
            exact_ids=exact_ids[query.normalized],
        )
        return hits, total

    shown = parsed
    hits, total = [], 0
    if parsed.latin:
        word = pinyin_word(parsed.normalized)
        if word is not None:
            shown = parse(word)
            hits, total = run(shown)
            if total:
                results.interpreted_as = word
    if not total:
        shown = parsed
        hits, total = run(parsed)
    if not total and not parsed.latin:
        word = _homophone(parsed.normalized)
        if word is not None:
            candidate = parse(word)
            hits, total = run(candidate)
            if total:
                shown, results.interpreted_as = candidate, word
    if not total and len(parsed.units) > 1:
        shown = parsed
        hits, total = run(parsed, relaxed=True)
        results.relaxed = bool(total)
    results.total = total
    terms = shown.highlight_terms()
    results.results = [_result(hit, terms) for hit in hits]
    if log and page == 1:
        _log(
            query=clean(q)[:100],
            normalized=parsed.normalized[:100],
            result_count=total,
            region_code=region_chain(region)[0] if region else "",
            at=timezone.now(),
        )
    return results


def _log(**row) -> None:
    """Write the search log row without waiting for the disk: on PostgreSQL its own transaction
    commits with ``synchronous_commit`` off, so a search does not pay a WAL flush (a few ms) for
    a statistic. A crash may lose the last fraction of a second of log rows, never anything
    else: the setting is local to this transaction, and only used when no outer one is open.
    """
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        SearchLog.objects.create(**row)
        return
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit TO OFF")
        SearchLog.objects.create(**row)


def suggest(q: str, *, limit: int = SUGGEST_LIMIT) -> list[str]:
    """Names for search-as-you-type: known item names and aliases starting with ``q`` (or
    whose pinyin or initials do), the most popular first; then names containing it."""
    check_length(q)
    text = clean(q)
    normalized = normalize(text)
    if not normalized:
        return []
    terms = SearchTerm.objects.all()
    if is_latin(normalized):
        compact = normalized.replace(" ", "")
        end = compact + "\U0010ffff"
        ordered = terms.filter(
            Q(pinyin__gte=compact, pinyin__lt=end) | Q(initials__gte=compact, initials__lt=end)
        ).order_by("-weight", "term")
    else:
        ordered = (
            terms.filter(term__gte=text, term__lt=text + "\U0010ffff")
            .annotate(
                name_first=Case(
                    When(kind=SearchTerm.Kind.NAME, then=Value(0)),
                    default=Value(1),
                    output_field=IntegerField(),
                ),
                length=Length("term"),
            )
            .order_by("name_first", "-weight", "length", "term")
        )
    found = list(dict.fromkeys(ordered.values_list("term", flat=True)[: limit * 2]))[:limit]
    if len(found) < limit and not is_latin(normalized):
        more = search(text, log=False, page_size=limit * 2)
        for result in more.results:
            if result.name not in found:
                found.append(result.name)
            if len(found) == limit:
                break
    return found
