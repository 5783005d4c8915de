"""办件查询 for anyone: the case number and the applicant's name (or the last 4 characters of the
ID number) → where the case stands. The notices' QR codes open this page with ``?number=``.

The name is posted, never put in the address (addresses end up in logs and history). Failed
queries are counted per IP address and per case number (:mod:`yiwang.accounts.services.
throttle`): a wrong name and a missing number get the same answer from the selector, and the
counts stop a visitor from trying names — or the 10 000 possible last four digits — until one
fits.
"""

from __future__ import annotations

import contextlib
from datetime import timedelta

from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from yiwang.accounts.services import throttle
from yiwang.cases import selectors
from yiwang.cases.numbers import validate_number
from yiwang.core.errors import DomainError, NotFound, RateLimited
from yiwang.core.http import client_ip

NUMBER_MAX = 40
WHO_MAX = 50
FAILURE_WINDOW = timedelta(hours=1)
# An address may mistype a few times for several cases; a number is asked about by few people.
IP_FAILURE_LIMIT = 20
NUMBER_FAILURE_LIMIT = 5


def _wait_text(seconds: int) -> str:
    return f"{max(1, -(-seconds // 60))}分钟"


def _failure_keys(request: HttpRequest, number: str) -> list[tuple[str, int]]:
    keys = []
    ip = client_ip(request)
    if ip:
        keys.append((f"casequery:ip:{ip}", IP_FAILURE_LIMIT))
    # a malformed number finds nothing, and the selector says so without a lookup
    with contextlib.suppress(DomainError):
        keys.append((f"casequery:number:{validate_number(number)}", NUMBER_FAILURE_LIMIT))
    return keys


def _refuse_when_busy(keys: list[tuple[str, int]]) -> None:
    for key, limit in keys:
        state = throttle.peek(key, limit, FAILURE_WINDOW)
        if not state.allowed:
            raise RateLimited(
                f"查询未成功的次数过多，请{_wait_text(state.retry_after)}后再试；"
                "也可以拨打 12345 或办理窗口的咨询电话查询",
                retry_after=state.retry_after,
            )


@require_http_methods(["GET", "POST"])
def public_query(request: HttpRequest) -> HttpResponse:
    source = request.POST if request.method == "POST" else request.GET
    number = source.get("number", "").strip()[:NUMBER_MAX]
    who = request.POST.get("who", "").strip()[:WHO_MAX]
    context = {"number": number, "who": who, "errors": {}, "error": "", "found": None}
    status = 200
    if request.method == "POST":
        keys = _failure_keys(request, number)
        try:
            _refuse_when_busy(keys)
            context["found"] = selectors.public_query(number, who)
        except NotFound as exc:
            with transaction.atomic():
                for key, limit in keys:
                    throttle.hit(key, limit, FAILURE_WINDOW)
            context["error"], status = exc.message, exc.status
        except RateLimited as exc:
            context["error"], status = exc.message, exc.status
        except DomainError as exc:
            context["errors"] = {exc.field or "number": exc.message}
            status = exc.status
    return render(request, "portal/cases/query.html", context, status=status)
