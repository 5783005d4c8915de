"""办件查询 for anyone: the case number and the applicant's name (or the last 4 characters of the
ID number) → where the case stands. The notices' QR codes open this page with ``?number=``.

The name is posted, never put in the address (addresses end up in logs and history). Failed
queries are counted per IP address and per case number by :func:`yiwang.cases.services.
query_case`, the same budget the API's query uses.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from yiwang.cases import services
from yiwang.core.errors import DomainError, NotFound, RateLimited
from yiwang.core.http import client_ip

NUMBER_MAX = 40
WHO_MAX = 50


@require_http_methods(["GET", "POST"])
def public_query(request: HttpRequest) -> HttpResponse:
    source = request.POST if request.method == "POST" else request.GET
    number = source.get("number", "").strip()[:NUMBER_MAX]
    who = request.POST.get("who", "").strip()[:WHO_MAX]
    context = {"number": number, "who": who, "errors": {}, "error": "", "found": None}
    status = 200
    if request.method == "POST":
        try:
            context["found"] = services.query_case(number, who, ip=client_ip(request))
        except (NotFound, RateLimited) as exc:
            context["error"], status = exc.message, exc.status
        except DomainError as exc:
            context["errors"] = {exc.field or "number": exc.message}
            status = exc.status
    return render(request, "portal/cases/query.html", context, status=status)
