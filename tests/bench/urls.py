"""The project's URLs plus benchmark-only views, for the benchmarks' gunicorn server.

``/bench/constant/`` is the guide's baseline: a bare Django view (the same middleware as every
page, no query, no template). ``/bench/insert/`` is the cases benchmark's: a bare view that
inserts one row (a ``django_session`` row: three columns, no trigger) on POST, CSRF-exempt like
an API call with its own authentication. They come first, so resolving them costs a pattern or
two; the project's patterns follow unchanged (not nested under ``include``), so the guide page
resolves exactly as in production.
"""

import uuid

from django.contrib.sessions.models import Session
from django.http import HttpRequest, HttpResponse
from django.urls import path
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from yiwang.conf.urls import handler404 as handler404
from yiwang.conf.urls import urlpatterns as project_urlpatterns

CONSTANT_BODY = b"ok\n"


def constant(request: HttpRequest) -> HttpResponse:
    return HttpResponse(CONSTANT_BODY, content_type="text/plain; charset=utf-8")


@csrf_exempt
@require_POST
def insert(request: HttpRequest) -> HttpResponse:
    Session.objects.create(
        session_key=uuid.uuid4().hex, session_data="", expire_date=timezone.now()
    )
    return HttpResponse(CONSTANT_BODY, content_type="text/plain; charset=utf-8")


urlpatterns = [
    path("bench/constant/", constant),
    path("bench/insert/", insert),
    *project_urlpatterns,
]
