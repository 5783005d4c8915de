"""Catalogue search: the one interface the rest of the platform uses to find service items.

The catalogue services call :func:`reindex_item` whenever an item's published version changes
(publish, retire); pages and the API call the query functions of this package.
"""

from __future__ import annotations

__all__ = ["reindex_item"]


def reindex_item(item_id: int) -> None:
    """Bring the search index of one service item in line with its current published version.

    Runs inside the caller's transaction, so the index never shows a version that was rolled
    back. (The search engine fills this in.)
    """
