"""`make bench`: run the benchmarks and write docs/performance.md.

Benchmarks run against a throw-away test database (created and destroyed like the test suite's)
on SQLite, or on PostgreSQL when DATABASE_URL points there. They are measurements, never
assertions: the figures go to docs/performance.md with the date and the machine.
"""

from __future__ import annotations

import os
import platform
import statistics
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yiwang.conf.settings")

import django

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import setup_test_environment, teardown_test_environment  # noqa: E402

OUTPUT = Path(__file__).resolve().parents[2] / "docs" / "performance.md"


def measure(fn: Callable[[], object], *, repeat: int, warmup: int = 20) -> dict[str, float]:
    for _ in range(warmup):
        fn()
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    samples.sort()
    return {
        "n": repeat,
        "median_ms": statistics.median(samples) * 1000,
        "p95_ms": samples[int(len(samples) * 0.95) - 1] * 1000,
        "per_s": repeat / sum(samples),
    }


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    vendor = connection.vendor
    version = connection.cursor().connection.server_version if vendor == "postgresql" else ""
    db = f"PostgreSQL {version}" if vendor == "postgresql" else "SQLite " + _sqlite_version()
    return (
        f"{cpu}, {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"Django {django.get_version()}, {db}"
    )


def _sqlite_version() -> str:
    import sqlite3

    return sqlite3.sqlite_version


def main() -> None:
    from tests.bench import benchmarks

    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        rows = benchmarks.run(measure)
        header = machine()
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        teardown_test_environment()

    lines = [
        "# Performance",
        "",
        "Figures written by `make bench` (`tests/bench/`). They are measurements on the machine",
        "named below, not guarantees; rerun `make bench` after a change that could affect them.",
        "",
        f"Measured on {date.today().isoformat()} — {header}.",
        "",
        "| benchmark | what one operation is | n | median | p95 | operations/s |",
        "|---|---|---|---|---|---|",
    ]
    for name, what, result in rows:
        lines.append(
            f"| {name} | {what} | {result['n']} | {result['median_ms']:.3f} ms "
            f"| {result['p95_ms']:.3f} ms | {result['per_s']:,.0f} |"
        )
    lines.append("")
    OUTPUT.write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
