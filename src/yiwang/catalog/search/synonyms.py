"""Synonyms as data: the operators' :class:`~yiwang.catalog.search.models.Synonym` groups,
loaded into a per-process table that query parsing reads.

The table is kept for :data:`TTL` seconds per process and dropped at once in the process that
saves a group (:func:`invalidate`), so an edit in the admin shows on every web process within a
minute without a query per search.
"""

from __future__ import annotations

import re
import threading
import time
from dataclasses import dataclass

from yiwang.catalog.search.text import normalize

__all__ = ["Expansion", "expansions", "find", "invalidate", "split_terms"]

TTL = 60.0
_SEPARATORS = re.compile(r"[,，、;；\s]+")
_lock = threading.Lock()
_cache: tuple[float, dict[str, tuple[str, ...]]] | None = None


def split_terms(terms: str) -> list[str]:
    """The words of a group as typed by the operator, in order, without repeats or blanks."""
    return list(dict.fromkeys(t for t in _SEPARATORS.split(terms or "") if t))


@dataclass(frozen=True)
class Expansion:
    """A synonym word found in a query: its span in the normalised query and what it means."""

    start: int
    end: int
    word: str
    targets: tuple[str, ...]


def _load() -> dict[str, tuple[str, ...]]:
    from yiwang.catalog.search.models import Synonym

    table: dict[str, list[str]] = {}
    for terms, one_way in Synonym.objects.filter(is_active=True).values_list("terms", "one_way"):
        words = [w for w in (normalize(t) for t in split_terms(terms)) if w]
        if len(words) < 2:
            continue
        sources = words[:1] if one_way else words
        for source in sources:
            targets = table.setdefault(source, [])
            targets.extend(w for w in words if w != source and w not in targets)
    return {source: tuple(targets) for source, targets in table.items()}


def expansions() -> dict[str, tuple[str, ...]]:
    """Normalised word → the normalised words it expands to."""
    global _cache
    cached = _cache
    now = time.monotonic()
    if cached is not None and now - cached[0] < TTL:
        return cached[1]
    with _lock:
        table = _load()
        _cache = (now, table)
    return table


def invalidate() -> None:
    """Forget the table in this process (after an operator changed a group, and in tests)."""
    global _cache
    _cache = None


def find(normalized: str) -> list[Expansion]:
    """Synonym words in a normalised query, longest first, never overlapping each other."""
    table = expansions()
    found: list[Expansion] = []
    taken = [False] * len(normalized)
    for word in sorted((w for w in table if w in normalized), key=len, reverse=True):
        start = normalized.find(word)
        while start != -1:
            end = start + len(word)
            if not any(taken[start:end]):
                taken[start:end] = [True] * len(word)
                found.append(Expansion(start, end, word, table[word]))
            start = normalized.find(word, end)
    return sorted(found, key=lambda e: e.start)
