"""Whole-page cache of public catalogue pages for visitors who are not signed in.

The 办事指南 is the most-read page of the portal and changes only when a new version is
published. Rendering it costs about twenty queries, a QR code and a large template (tens of
milliseconds); a cached copy costs a cache lookup and no query at all. It is served only to
visitors without a session or messages cookie, so a cached page can never show somebody's
name, acting enterprise or messages — and the page holds no CSRF token (the region and 长者模式
forms, its only POST forms, are CSRF-exempt: they set display cookies only).

The key holds what changes the page for an anonymous visitor: scheme, host, path and query,
the region and 长者模式 cookies, and the catalogue's publication stamp
(:func:`~yiwang.catalog.freshness.generation`), so a publication makes every cached copy stale
at once. Views are counted in memory and written to
the database in batches (popularity is a ranking signal, not an account).
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections import Counter
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse

from yiwang.catalog import freshness, services
from yiwang.portal import preferences

__all__ = ["cached_page", "count_view_later", "flush_views"]

PAGE_SECONDS = 600
FLUSH_EVERY_SECONDS = 30.0
FLUSH_EVERY_VIEWS = 200

_views: Counter[str] = Counter()
_views_lock = threading.Lock()
_last_flush = time.monotonic()


def _cacheable(request: HttpRequest) -> bool:
    return (
        request.method == "GET"
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and "messages" not in request.COOKIES
        and not request.headers.get("HX-Request")
    )


def _key(request: HttpRequest) -> str:
    parts = "|".join(
        [
            request.scheme,
            request.get_host(),
            request.get_full_path(),
            request.COOKIES.get(preferences.REGION_COOKIE, ""),
            request.COOKIES.get(preferences.ELDER_COOKIE, ""),
            str(freshness.generation()),
        ]
    )
    return "page:" + hashlib.sha256(parts.encode()).hexdigest()


def cached_page(request: HttpRequest, render: Callable[[], HttpResponse]) -> HttpResponse:
    """The response of ``render`` for this request, from the cache when the visitor is anonymous
    and a fresh copy exists; only complete 200 responses without cookies are kept."""
    if not _cacheable(request):
        response = render()
        response["X-Page-Cache"] = "bypass"
        return response
    key = _key(request)
    stored = cache.get(key)
    if stored is not None:
        content, content_type = stored
        response = HttpResponse(content, content_type=content_type)
        response["X-Page-Cache"] = "hit"
        return response
    response = render()
    if response.status_code == 200 and not response.cookies and not response.streaming:
        cache.set(key, (response.content, response["Content-Type"]), PAGE_SECONDS)
    response["X-Page-Cache"] = "miss"
    return response


def count_view_later(code: str) -> None:
    """Count one view of a guide (by 实施编码); written by :func:`flush_views` every
    :data:`FLUSH_EVERY_SECONDS` or :data:`FLUSH_EVERY_VIEWS`, whichever comes first."""
    with _views_lock:
        _views[code.strip().upper()] += 1
        due = (
            sum(_views.values()) >= FLUSH_EVERY_VIEWS
            or time.monotonic() - _last_flush >= FLUSH_EVERY_SECONDS
        )
    if due:
        flush_views()


def flush_views() -> None:
    global _last_flush
    with _views_lock:
        pending = dict(_views)
        _views.clear()
        _last_flush = time.monotonic()
    if pending:
        services.count_views(pending)
