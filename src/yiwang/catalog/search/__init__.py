"""Catalogue search: the one interface the rest of the platform uses to find service items.

Public API (import this package, not its modules):

- writing the index: :func:`reindex_item` (the catalogue services call it inside the publish and
  retire transactions), :func:`remove_item`, :func:`reindex_all` (``yiwang search reindex``);
- reading: :func:`search` (ranked, filtered, highlighted page of results), :func:`suggest`
  (search-as-you-type);
- popularity: :func:`record_click`, :func:`hot_searches`, :func:`hot_items`, :func:`refresh_hot`
  (``yiwang search hot``);
- synonyms: :func:`invalidate_synonyms` after an operator edits a group.

Chinese text is segmented by jieba in the application, both when indexing and when querying;
the full text lives in SQLite FTS5 or a PostgreSQL ``tsvector`` with a GIN index, chosen by the
database in use (:mod:`.backends`). jieba's dictionary is loaded when this package is imported,
which happens at start-up through the models, never in a request (DESIGN §6).
"""

from __future__ import annotations

from yiwang.catalog.search.engine import (
    MAX_PAGE,
    PAGE_SIZE,
    Result,
    SearchResults,
    search,
    suggest,
)
from yiwang.catalog.search.indexing import ReindexReport, reindex_all, reindex_item, remove_item
from yiwang.catalog.search.stats import (
    HotItem,
    HotSearch,
    RefreshReport,
    hot_items,
    hot_searches,
    record_click,
)
from yiwang.catalog.search.stats import refresh as refresh_hot
from yiwang.catalog.search.synonyms import invalidate as invalidate_synonyms
from yiwang.catalog.search.text import MAX_QUERY_LENGTH

__all__ = [
    "MAX_PAGE",
    "MAX_QUERY_LENGTH",
    "PAGE_SIZE",
    "HotItem",
    "HotSearch",
    "RefreshReport",
    "ReindexReport",
    "Result",
    "SearchResults",
    "hot_items",
    "hot_searches",
    "invalidate_synonyms",
    "record_click",
    "refresh_hot",
    "reindex_all",
    "reindex_item",
    "remove_item",
    "search",
    "suggest",
]
