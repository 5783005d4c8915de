"""Gap-free, concurrency-safe counters for official numbers (办件编号, 受理回执号, …).

A number series is identified by (kind, scope, day) — e.g. ("case", "330203000000",
2025-03-14) — and :func:`next_value` returns 1, 2, 3, … within it. The formatting of the final
number (prefixes, region code, date, zero padding) belongs to the app that issues it.

Gap-free by transaction: the increment is made inside the caller's transaction on a locked row,
so a number is consumed only if the caller commits. If the case creation that asked for number 7
rolls back, the next caller gets 7 again — no hole in the register that auditors would have to
explain. The price is that the row stays locked until the caller's transaction ends: concurrent
callers of the same series wait for each other, so call ``next_value`` late in the transaction
and keep the transaction short. Different series never block each other on PostgreSQL (on SQLite
every writer waits for the database's single write lock anyway).

Concurrency: on PostgreSQL ``SELECT … FOR UPDATE`` serialises the increments; the first use of a
series is a race between inserts, settled by the unique constraint (the loser's insert fails in a
savepoint, and it then locks the winner's row). On SQLite the settings open every transaction
with ``BEGIN IMMEDIATE``, which takes the write lock before the read, and waiting writers queue
for up to the connection timeout, so no "database is locked" retry is needed here.
"""

from __future__ import annotations

import datetime

from django.db import IntegrityError, transaction

from yiwang.core.models import Sequence

__all__ = ["next_value"]


def next_value(kind: str, scope: str, day: datetime.date) -> int:
    """Return the next value (1, 2, 3, …) of the series (kind, scope, day).

    Joins the caller's transaction (or runs in its own): the value is consumed only when that
    transaction commits, so rolled-back callers leave no gap.
    """
    if not kind:
        raise ValueError("kind must not be empty")
    if isinstance(day, datetime.datetime) or not isinstance(day, datetime.date):
        raise TypeError(f"day must be a date, got {type(day).__name__}")
    key = {"kind": kind, "scope": scope, "day": day}
    with transaction.atomic():
        sequence = Sequence.objects.select_for_update().filter(**key).first()
        if sequence is None:
            try:
                with transaction.atomic():  # savepoint: a lost creation race must not abort us
                    sequence = Sequence.objects.create(**key, last_value=0)
            except IntegrityError:
                # Another transaction created the series first and has committed; lock its row.
                sequence = Sequence.objects.select_for_update().get(**key)
        sequence.last_value += 1
        sequence.save(update_fields=["last_value"])
        return sequence.last_value
