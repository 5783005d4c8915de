"""The fixed-window counter behind every rate limit and lockout."""

from __future__ import annotations

from datetime import timedelta

import pytest

from yiwang.accounts.models import Throttle
from yiwang.accounts.services import throttle
from yiwang.accounts.tests.persons_helpers import clock  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db


def test_hit_counts_within_the_window_and_refuses_over_the_limit(clock):  # noqa: F811
    states = [throttle.hit("k", 3, 60) for _ in range(4)]

    assert [s.count for s in states] == [1, 2, 3, 4]
    assert [s.allowed for s in states] == [True, True, True, False]
    assert states[3].retry_after == 60
    assert states[1].remaining == 1
    assert Throttle.objects.get(key="k").count == 4


def test_window_runs_out_and_counting_starts_afresh(clock):  # noqa: F811
    for _ in range(3):
        throttle.hit("k", 2, 60)
    clock.advance(seconds=59)
    assert throttle.hit("k", 2, 60).retry_after == 1
    clock.advance(seconds=1)

    state = throttle.hit("k", 2, 60)

    assert (state.allowed, state.count, state.retry_after) == (True, 1, 60)


def test_peek_does_not_count_and_says_whether_the_next_event_is_allowed(clock):  # noqa: F811
    assert throttle.peek("k", 2, 60).allowed is True
    throttle.hit("k", 2, 60)
    assert throttle.peek("k", 2, 60).allowed is True
    throttle.hit("k", 2, 60)
    clock.advance(seconds=20)

    state = throttle.peek("k", 2, 60)

    assert (state.allowed, state.count, state.retry_after) == (False, 2, 40)
    assert Throttle.objects.get(key="k").count == 2


def test_lock_refuses_until_it_runs_out_then_counts_from_zero(clock):  # noqa: F811
    throttle.hit("k", 5, 60)
    throttle.lock("k", clock.now + timedelta(minutes=15))

    assert throttle.locked_until("k") == clock.now + timedelta(minutes=15)
    locked = throttle.hit("k", 5, 60)
    assert (locked.allowed, locked.locked, locked.retry_after) == (False, True, 900)
    assert throttle.peek("k", 5, 60).locked is True

    clock.advance(minutes=15)
    assert throttle.locked_until("k") is None
    assert throttle.hit("k", 5, 60).count == 1


def test_clear_forgets_count_and_lock(clock):  # noqa: F811
    throttle.lock("k", clock.now + timedelta(minutes=1))
    throttle.clear("k")

    assert throttle.locked_until("k") is None
    assert Throttle.objects.filter(key="k").count() == 0


@pytest.mark.django_db(transaction=True)
def test_parallel_hits_each_count_once():
    """Ten requests at once, limit 3: the row lock makes them count 1..10, and exactly three
    are allowed (without it, two could both read 2 and both write 3)."""
    from concurrent.futures import ThreadPoolExecutor

    from django.db import connection

    def one_request(_):
        try:
            return throttle.hit("parallel", 3, 60)
        finally:
            connection.close()  # each thread has its own connection

    with ThreadPoolExecutor(max_workers=10) as pool:
        states = list(pool.map(one_request, range(10)))

    assert sorted(s.count for s in states) == list(range(1, 11))
    assert sum(s.allowed for s in states) == 3
    assert Throttle.objects.get(key="parallel").count == 10
