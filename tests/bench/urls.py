"""The project's URLs plus one benchmark-only view, for the guide benchmark's server.

``/bench/constant/`` is the baseline: a bare Django view (the same middleware as every page, no
query, no template). It comes first, so resolving it costs one pattern; the project's patterns
follow unchanged (not nested under ``include``), so the guide page resolves exactly as in
production.
"""

from django.http import HttpRequest, HttpResponse
from django.urls import path

from yiwang.conf.urls import handler404 as handler404
from yiwang.conf.urls import urlpatterns as project_urlpatterns

CONSTANT_BODY = b"ok\n"


def constant(request: HttpRequest) -> HttpResponse:
    return HttpResponse(CONSTANT_BODY, content_type="text/plain; charset=utf-8")


urlpatterns = [
    path("bench/constant/", constant),
    *project_urlpatterns,
]
