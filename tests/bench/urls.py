"""The project's URLs plus two benchmark-only views, for the guide benchmark's server.

``/bench/constant/`` is the baseline: a bare Django view (the same middleware as every page, no
query, no template). ``/bench/guide-cached/<实施编码>/`` is a *prototype* of a whole-page cache
of the 办事指南, measured to size the gain of the change proposed in docs/performance.md; it is
not fit for production as it stands (it would serve one visitor's CSRF token, region and
sign-in state to everybody). Both come first, so resolving them costs a pattern or two; the
project's patterns follow unchanged (not nested under ``include``), so the guide page resolves
exactly as in production.
"""

from django.core.cache import caches
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import path

from yiwang.catalog import selectors, services
from yiwang.catalog.models import ServiceItem
from yiwang.conf.urls import handler404 as handler404
from yiwang.conf.urls import urlpatterns as project_urlpatterns
from yiwang.portal import views_catalog

CONSTANT_BODY = b"ok\n"


def constant(request: HttpRequest) -> HttpResponse:
    return HttpResponse(CONSTANT_BODY, content_type="text/plain; charset=utf-8")


def guide_cached(request: HttpRequest, code: str) -> HttpResponse:
    """``?nodb=1``: the cache is keyed by the code alone and a hit touches no database (the real
    change would delete the key when the item is published, edited or retired, and count views
    in the cache, flushed by a task).

    Otherwise one query finds the current version (its id and modification time make the cache
    key, so publishing a new version or editing this one misses the cache); one UPDATE counts the
    view; a hit returns the stored page, a miss renders it with the real view and stores it."""
    cache = caches["bench"]
    if "nodb" in request.GET:
        body = cache.get(f"bench-guide-code:{code}")
        if body is None:
            body = views_catalog.item(request, code).content
            cache.set(f"bench-guide-code:{code}", body)
        return HttpResponse(body, content_type="text/html; charset=utf-8")
    found = (
        selectors.public_items()
        .filter(code=code.strip().upper())
        .values("pk", "current_version_id", "current_version__updated_at")
        .first()
    )
    if found is None:
        raise Http404("没有这个事项")
    version = f"{found['current_version_id']}@{found['current_version__updated_at'].timestamp()}"
    key = f"bench-guide:{found['pk']}:{version}"
    body = cache.get(key)
    if body is None:
        response = views_catalog.item(request, code)  # counts the view itself
        cache.set(key, response.content)
        return response
    if "nocount" not in request.GET:  # ?nocount: the cost of a hit without the view counter
        services.count_view(ServiceItem(pk=found["pk"]))
    return HttpResponse(body, content_type="text/html; charset=utf-8")


urlpatterns = [
    path("bench/constant/", constant),
    path("bench/guide-cached/<str:code>/", guide_cached),
    *project_urlpatterns,
]
