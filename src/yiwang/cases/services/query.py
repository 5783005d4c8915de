"""办件查询 for anyone, by number and applicant — one service for every channel (portal page,
API), so the guesses a visitor may make are counted once whichever way they come.

The number alone is not enough: numbers are issued in sequence, so anyone could count through a
day's. The applicant's name (or the last 4 characters of the ID number) must match too, and a
wrong pair is not told apart from a missing case (``selectors.public_query``). Guessing is what
remains, and it is limited: after :data:`MISS_LIMIT_PER_ADDRESS` misses from one address, or
:data:`MISS_LIMIT_PER_NUMBER` misses on one number from anywhere (the last 4 characters of an ID
number are only 10 000 guesses), queries are refused until the window ends — checked before the
query, so a right guess after too many wrong ones is refused like any other. A malformed number
(the check digit catches typing errors) costs nothing: it reveals nothing either.
"""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction

from yiwang.accounts.services import throttle
from yiwang.cases import selectors
from yiwang.cases.numbers import validate_number
from yiwang.core.errors import NotFound, RateLimited

__all__ = ["MISS_LIMIT_PER_ADDRESS", "MISS_LIMIT_PER_NUMBER", "MISS_WINDOW", "query_case"]

MISS_LIMIT_PER_ADDRESS = 20
MISS_LIMIT_PER_NUMBER = 5
MISS_WINDOW = timedelta(hours=1)


def _keys(number: str, ip: str | None) -> list[tuple[str, int]]:
    keys = [(f"casequery:number:{number}", MISS_LIMIT_PER_NUMBER)]
    if ip:
        keys.append((f"casequery:ip:{ip}", MISS_LIMIT_PER_ADDRESS))
    return keys


def _wait_text(seconds: int) -> str:
    return f"{max(1, -(-seconds // 60))}分钟"


def query_case(number: str, who: str, *, ip: str | None) -> selectors.PublicCase:
    """The public view of the case ``number`` filed by ``who``; :class:`NotFound` for a miss
    (counted), :class:`RateLimited` after too many, :class:`DomainError` for a malformed number
    or an empty ``who``."""
    number = validate_number(number)
    keys = _keys(number, ip)
    for key, limit in keys:
        state = throttle.peek(key, limit, MISS_WINDOW)
        if not state.allowed:
            raise RateLimited(
                f"查询未成功的次数过多，请{_wait_text(state.retry_after)}后再试；"
                "也可以拨打 12345 或办理窗口的咨询电话查询",
                retry_after=state.retry_after,
            )
    try:
        return selectors.public_query(number, who)
    except NotFound:
        with transaction.atomic():  # counted before the refusal, whatever happens after
            for key, limit in keys:
                throttle.hit(key, limit, MISS_WINDOW)
        raise
