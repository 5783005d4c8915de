"""The benchmarks `make bench` runs. Each returns (name, what one operation is, figures)."""

from __future__ import annotations

import random
from datetime import date

from django.core.management import call_command
from django.test import Client

from yiwang.core import audit, identifiers, numbering, workdays


def run(measure) -> list[tuple[str, str, dict]]:
    rng = random.Random(7)
    person_ids = [identifiers.generate_person_id(rng) for _ in range(1000)]
    usccs = [identifiers.generate_uscc(rng) for _ in range(1000)]
    rows = []

    it = iter(range(10**9))
    rows.append(
        (
            "validate_person_id",
            "validate one generated 公民身份号码",
            measure(
                lambda: identifiers.validate_person_id(person_ids[next(it) % 1000]), repeat=20000
            ),
        )
    )
    rows.append(
        (
            "validate_uscc",
            "validate one generated 统一社会信用代码",
            measure(lambda: identifiers.validate_uscc(usccs[next(it) % 1000]), repeat=20000),
        )
    )

    start = date(2026, 1, 1)
    rows.append(
        (
            "add_working_days",
            "20 working days from a date in 2026 (calendar cached)",
            measure(lambda: workdays.add_working_days(start, 20), repeat=5000),
        )
    )

    day = date(2026, 11, 23)
    rows.append(
        (
            "numbering.next_value",
            "one gap-free number, its own transaction",
            measure(lambda: numbering.next_value("bench", "330203", day), repeat=2000),
        )
    )
    rows.append(
        (
            "audit.record",
            "append one hash-chained audit event",
            measure(
                lambda: audit.record("bench.event", object_type="bench", object_id="1"), repeat=2000
            ),
        )
    )
    rows.append(
        (
            "audit.verify",
            "verify the whole chain of ~2 000 events",
            measure(audit.verify, repeat=20, warmup=2),
        )
    )

    call_command("demo", verbosity=0)
    client = Client()
    rows.append(
        (
            "GET /api/v1/regions/{code}/children",
            "children of 宁波市海曙区 over HTTP (in-process client)",
            measure(lambda: client.get("/api/v1/regions/330203000000/children"), repeat=1000),
        )
    )
    rows.append(
        (
            "GET /api/v1/organizations",
            "first page of 宁波市's organisations",
            measure(lambda: client.get("/api/v1/organizations?region=330200000000"), repeat=1000),
        )
    )
    rows.append(
        (
            "GET / (home page)",
            "the portal home page with the region switch",
            measure(lambda: client.get("/"), repeat=1000),
        )
    )
    return rows
