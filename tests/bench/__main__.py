"""`make bench`: run the benchmarks and write docs/performance.md.

Benchmarks run against a throw-away test database (created and destroyed like the test suite's)
on SQLite, or on PostgreSQL when DATABASE_URL points there. They are measurements, never
assertions: the figures go to docs/performance.md with the date and the machine.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import time
from collections.abc import Callable
from datetime import date
from importlib import import_module
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
    if vendor == "postgresql":
        major, minor = divmod(connection.pg_version, 10000)
        db = f"PostgreSQL {major}.{minor}"
    else:
        db = "SQLite " + _sqlite_version()
    return (
        f"{cpu}, {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"Django {django.get_version()}, {db}"
    )


def _sqlite_version() -> str:
    import sqlite3

    return sqlite3.sqlite_version


# Groups of benchmarks `python -m tests.bench --only NAME` runs alone. "core" is the table of the
# database's own section below; each other group is a module whose run(database, header) returns
# its own section of docs/performance.md (replaced only when that group runs).
SECTION_MODULES = {
    "guide": "tests.bench.guide",
    "accounts": "tests.bench.accounts",
    "search": "tests.bench.search",
    "cases": "tests.bench.cases",
}
GROUPS = ("core", *SECTION_MODULES)


def selected_groups(argv: list[str] | None = None) -> list[str]:
    parser = argparse.ArgumentParser(
        prog="python -m tests.bench", description="Run the benchmarks, write docs/performance.md."
    )
    parser.add_argument(
        "--only",
        action="append",
        choices=GROUPS,
        help="run only this group (repeatable): core = the database's main table, guide = the "
        "办事指南 page under gunicorn, accounts = password sign-in and registration, search = "
        "catalogue search at 10 k, 100 k and 1 M items, cases = submissions under gunicorn and "
        "case query / staff queue at 10 k and 1 M cases",
    )
    return parser.parse_args(argv).only or list(GROUPS)


def main(argv: list[str] | None = None) -> None:
    from tests.bench import benchmarks

    groups = selected_groups(argv)

    # Its own throw-away database, never the test suite's: a benchmark and `make test` may run
    # at the same time on one server.
    test = connection.settings_dict.setdefault("TEST", {})
    if connection.vendor == "postgresql":
        test["NAME"] = f"bench_{connection.settings_dict['NAME']}"
    else:
        test["NAME"] = str(Path(connection.settings_dict["NAME"]).with_name("bench.sqlite3"))
    existing = groups == ["search"] and os.environ.get("BENCH_SEARCH_EXISTING", "") == "1"
    setup_test_environment()
    # BENCH_SEARCH_EXISTING=1: measure the prepared database itself (tests/bench/search.py).
    old_name = (
        None if existing else connection.creation.create_test_db(verbosity=0, autoclobber=True)
    )
    database = "PostgreSQL" if connection.vendor == "postgresql" else "SQLite"
    rows = None
    try:
        header = machine()
        if "core" in groups:
            rows = benchmarks.run(measure)
        for name, module in SECTION_MODULES.items():
            if name in groups:
                lines = import_module(module).run(database, header)
                write_section(lines[0].removeprefix("## ").strip(), lines)
                print("\n".join(lines))
    finally:
        if old_name is not None:
            connection.creation.destroy_test_db(old_name, verbosity=0)
        teardown_test_environment()
    if rows is None:
        return

    section = [
        f"## {database}",
        "",
        f"Measured on {date.today().isoformat()} — {header}.",
        "",
        "| benchmark | what one operation is | n | median | p95 | operations/s |",
        "|---|---|---|---|---|---|",
    ]
    for name, what, result in rows:
        section.append(
            f"| {name} | {what} | {result['n']} | {result['median_ms']:.3f} ms "
            f"| {result['p95_ms']:.3f} ms | {result['per_s']:,.0f} |"
        )
    write_section(database, section)
    print("\n".join(section))


INTRO = [
    "# Performance",
    "",
    "Figures written by `make bench` (`tests/bench/`): one section per database, each replaced",
    "when the benchmarks run on that database (`DATABASE_URL=postgres://… make bench` for",
    "PostgreSQL). They are measurements on the machine named, not guarantees; rerun after a",
    "change that could affect them. Requests go through Django's in-process test client, so they",
    "include routing, middleware, queries and rendering but not the network or the WSGI server —",
    'except the sections "under gunicorn", measured over HTTP against a real server.',
    "",
]


def write_section(database: str, section: list[str]) -> None:
    """Replace this database's section of docs/performance.md, keeping the others."""
    sections: dict[str, list[str]] = {}
    if OUTPUT.exists():
        current = None
        for line in OUTPUT.read_text(encoding="utf-8").splitlines():
            if line.startswith("## "):
                current = line[3:].strip()
                sections[current] = []
            if current is not None:
                sections[current].append(line)
    sections[database] = [*section, ""]
    body = [line for name in sorted(sections) for line in sections[name]]
    OUTPUT.write_text("\n".join(INTRO + body).rstrip() + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
