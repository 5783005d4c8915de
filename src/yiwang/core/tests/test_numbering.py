"""Numbering: gap-free, per (kind, scope, day), safe under concurrent callers."""

import datetime
import threading

import pytest
from django.db import connections, transaction

from yiwang.core.models import Sequence
from yiwang.core.numbering import next_value

DAY = datetime.date(2025, 3, 14)
NINGBO = "330200000000"


@pytest.mark.django_db
def test_values_are_sequential_from_one():
    assert [next_value("case", NINGBO, DAY) for _ in range(3)] == [1, 2, 3]
    assert Sequence.objects.get(kind="case", scope=NINGBO, day=DAY).last_value == 3


@pytest.mark.django_db
def test_each_kind_scope_and_day_is_its_own_series():
    assert next_value("case", NINGBO, DAY) == 1
    assert next_value("case", NINGBO, DAY) == 2
    assert next_value("receipt", NINGBO, DAY) == 1
    assert next_value("case", "330203000000", DAY) == 1
    assert next_value("case", NINGBO, DAY + datetime.timedelta(days=1)) == 1
    assert next_value("case", NINGBO, DAY) == 3
    assert Sequence.objects.count() == 4


@pytest.mark.django_db
def test_rolled_back_caller_leaves_no_gap():
    assert next_value("case", NINGBO, DAY) == 1
    with pytest.raises(RuntimeError), transaction.atomic():
        assert next_value("case", NINGBO, DAY) == 2
        raise RuntimeError("case creation failed")
    assert next_value("case", NINGBO, DAY) == 2


@pytest.mark.django_db
def test_first_value_of_a_rolled_back_new_series_is_reused():
    with pytest.raises(RuntimeError), transaction.atomic():
        assert next_value("case", NINGBO, DAY) == 1
        raise RuntimeError
    assert not Sequence.objects.exists()
    assert next_value("case", NINGBO, DAY) == 1


@pytest.mark.django_db
def test_bad_arguments_are_refused():
    with pytest.raises(ValueError, match="kind"):
        next_value("", NINGBO, DAY)
    with pytest.raises(TypeError, match="date"):
        next_value("case", NINGBO, datetime.datetime(2025, 3, 14, 9, 0))


def _run_threads(count, target):
    barrier = threading.Barrier(count)
    errors = []

    def run(n):
        try:
            barrier.wait()  # all threads start together, racing to create the series
            target(n)
        except Exception as error:  # reported by the assertion
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors


@pytest.mark.django_db(transaction=True)
def test_concurrent_callers_get_every_value_exactly_once():
    threads_count, per_thread = 8, 25
    values = []
    lock = threading.Lock()

    def work(n):
        for _ in range(per_thread):
            value = next_value("case", NINGBO, DAY)
            with lock:
                values.append(value)

    assert _run_threads(threads_count, work) == []
    total = threads_count * per_thread
    assert len(values) == total
    assert sorted(values) == list(range(1, total + 1))
    assert Sequence.objects.get().last_value == total


@pytest.mark.django_db(transaction=True)
def test_concurrent_callers_that_roll_back_leave_no_gap():
    """Every third caller's transaction fails: the committed numbers are still 1..N."""
    committed = []
    lock = threading.Lock()

    def work(n):
        for i in range(12):
            try:
                with transaction.atomic():
                    value = next_value("case", NINGBO, DAY)
                    if (n + i) % 3 == 0:
                        raise RuntimeError("rolled back")
            except RuntimeError:
                continue
            with lock:
                committed.append(value)

    assert _run_threads(6, work) == []
    assert len(committed) == 48  # 72 attempts, 24 rolled back
    assert sorted(committed) == list(range(1, 49))
    assert Sequence.objects.get().last_value == 48
