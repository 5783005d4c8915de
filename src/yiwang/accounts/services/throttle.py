"""A small fixed-window counter in the database, for rate limits and lockouts.

Every web process sees the same counts because they live in the :class:`~yiwang.accounts.models.
Throttle` table, one row per key (``sms:phone:<index>:day``, ``login:user:42``, ``login:ip:1.2.3.4``
…). A row is read with ``SELECT … FOR UPDATE`` inside its own transaction, so two parallel
requests on PostgreSQL count 1 and 2, never 1 and 1; on SQLite the IMMEDIATE transaction holds the
database's write lock and gives the same result.

Counting joins the caller's transaction when there is one. Callers that count a *failure* (a wrong
password, a wrong SMS code) must therefore let that transaction commit before they raise the
error, or the count is rolled back with it — the services of this package do their writes in an
``atomic`` block and raise after it.

Keys should not contain personal data in clear: use blind indexes (``User.phone_index``) or row
ids, never a phone number or ID number.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from yiwang.accounts.models import Throttle

__all__ = ["ThrottleState", "clear", "hit", "lock", "locked_until", "peek"]


@dataclass(frozen=True)
class ThrottleState:
    """The counter after a :func:`hit` (or as :func:`peek` sees it).

    ``allowed`` is False when the count is over ``limit`` or the key is locked; ``retry_after``
    is then the number of seconds until the window ends or the lock runs out (at least 1).
    """

    allowed: bool
    count: int
    limit: int
    retry_after: int
    locked: bool = False

    @property
    def remaining(self) -> int:
        return max(self.limit - self.count, 0)


def _seconds(delta: timedelta) -> int:
    return max(1, math.ceil(delta.total_seconds()))


def _window(window: timedelta | int) -> timedelta:
    return window if isinstance(window, timedelta) else timedelta(seconds=window)


def _locked_row(key: str) -> Throttle:
    row = Throttle.objects.select_for_update().filter(key=key).first()
    if row is not None:
        return row
    try:
        with transaction.atomic():  # a savepoint: losing the creation race must not abort us
            return Throttle.objects.create(key=key, window_start=timezone.now(), count=0)
    except IntegrityError:
        return Throttle.objects.select_for_update().get(key=key)


def _state(row: Throttle, limit: int, window: timedelta, now: datetime) -> ThrottleState:
    if row.locked_until is not None and row.locked_until > now:
        return ThrottleState(
            allowed=False,
            count=row.count,
            limit=limit,
            retry_after=_seconds(row.locked_until - now),
            locked=True,
        )
    count = row.count if row.window_start + window > now else 0
    return ThrottleState(
        allowed=count <= limit,
        count=count,
        limit=limit,
        retry_after=_seconds(row.window_start + window - now) if count else _seconds(window),
    )


def hit(
    key: str, limit: int, window: timedelta | int, *, now: datetime | None = None
) -> ThrottleState:
    """Count one event for ``key`` in a fixed window of ``window`` (seconds or timedelta).

    The window starts with the first event after the previous one ran out. The event is counted
    even when it is over the limit (the caller refuses it); ``allowed`` says whether it was
    within ``limit`` and the key is not locked. A locked key counts nothing.
    """
    window = _window(window)
    now = now or timezone.now()
    with transaction.atomic():
        row = _locked_row(key)
        if row.locked_until is not None and row.locked_until > now:
            return _state(row, limit, window, now)
        if row.window_start + window <= now:
            row.window_start = now
            row.count = 0
        row.count += 1
        row.locked_until = None
        row.save(update_fields=["window_start", "count", "locked_until"])
        return _state(row, limit, window, now)


def peek(
    key: str, limit: int, window: timedelta | int, *, now: datetime | None = None
) -> ThrottleState:
    """The state of ``key`` without counting: is the next event still allowed?

    ``allowed`` is False when the key is locked or the window already holds ``limit`` events.
    """
    window = _window(window)
    now = now or timezone.now()
    row = Throttle.objects.filter(key=key).first()
    if row is None:
        return ThrottleState(allowed=True, count=0, limit=limit, retry_after=_seconds(window))
    state = _state(row, limit, window, now)
    if state.locked:
        return state
    return ThrottleState(
        allowed=state.count < limit,
        count=state.count,
        limit=limit,
        retry_after=state.retry_after,
    )


def lock(key: str, until: datetime) -> None:
    """Refuse ``key`` until ``until`` (a lockout); :func:`hit` and :func:`peek` say so with the
    seconds left. The counter starts afresh when the lock runs out."""
    with transaction.atomic():
        row = _locked_row(key)
        row.locked_until = until
        row.count = 0
        row.window_start = until
        row.save(update_fields=["locked_until", "count", "window_start"])


def locked_until(key: str, *, now: datetime | None = None) -> datetime | None:
    """When the lock on ``key`` runs out, or None if it is not locked."""
    now = now or timezone.now()
    until = Throttle.objects.filter(key=key).values_list("locked_until", flat=True).first()
    return until if until is not None and until > now else None


def clear(key: str) -> None:
    """Forget ``key``: count and lock (after a successful sign-in, a password reset)."""
    Throttle.objects.filter(key=key).delete()
