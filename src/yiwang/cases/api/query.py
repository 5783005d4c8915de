"""/api/v1/case-query: 办件查询 for anyone, by number and applicant (no sign-in).

The number alone is not enough: it is issued in sequence, so anyone could count through a day's
numbers. The applicant's name (or the last 4 characters of the ID number) must match too, and a
wrong pair is told apart neither from a missing case (``selectors.public_query``) nor from a
right number with the wrong name. Guessing is what remains, and it is limited: after
:data:`MISS_LIMIT_PER_ADDRESS` misses from one address, or :data:`MISS_LIMIT_PER_NUMBER` misses
on one number from anywhere (the last 4 characters of an ID number are only 10,000 guesses),
queries are refused with 429 until the window ends — checked before the query, so a right guess
after too many wrong ones is refused like any other. A malformed number (the check digit catches
typing errors) is a 400 and costs nothing: it reveals nothing either.

No ``from __future__ import annotations``: ninja reads the annotations at import time.
"""

from datetime import timedelta

from django.db import transaction
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from yiwang.accounts.services import throttle
from yiwang.cases import selectors
from yiwang.cases.api.schemas import PublicCaseOut, public_case_out
from yiwang.cases.numbers import validate_number
from yiwang.core.errors import NotFound, RateLimited
from yiwang.core.http import client_ip
from yiwang.core.problems import Problem

router = Router(tags=["办件查询"])

MISS_LIMIT_PER_ADDRESS = 20
MISS_LIMIT_PER_NUMBER = 10
MISS_WINDOW = timedelta(hours=1)


class CaseQuery(Schema):
    number: str = Field(
        ..., max_length=40, description="统一办件编号", examples=["330203000000202612060000017"]
    )
    who: str = Field(..., max_length=50, description="申请人姓名（单位名称），或身份证号码后4位")


def _keys(number: str, ip: str | None) -> list[str]:
    keys = [f"case_query:number:{number}"]
    if ip:
        keys.append(f"case_query:ip:{ip}")
    return keys


def _limit(key: str) -> int:
    return MISS_LIMIT_PER_NUMBER if key.startswith("case_query:number:") else MISS_LIMIT_PER_ADDRESS


def _wait_text(seconds: int) -> str:
    return f"{max(1, -(-seconds // 60))}分钟"


@router.get(
    "/case-query",
    response={200: PublicCaseOut, 400: Problem, 404: Problem, 422: Problem, 429: Problem},
    summary="办件查询",
)
def public_query(request: HttpRequest, query: Query[CaseQuery]):
    """Status and steps of a case for whoever knows its number and applicant. Personal data
    comes back masked; the steps name organisations, not people. A miss is a 404 whatever its
    cause; too many misses are a 429 with ``Retry-After``."""
    number = validate_number(query.number)
    keys = _keys(number, client_ip(request))
    for key in keys:
        state = throttle.peek(key, _limit(key), MISS_WINDOW)
        if not state.allowed:
            raise RateLimited(
                f"查询未找到的次数过多，请{_wait_text(state.retry_after)}后再试",
                retry_after=state.retry_after,
            )
    try:
        found = selectors.public_query(number, query.who)
    except NotFound:
        with transaction.atomic():  # counted before the refusal, whatever happens after
            for key in keys:
                throttle.hit(key, _limit(key), MISS_WINDOW)
        raise
    return public_case_out(found)
