"""Catalogue search at volume: p50/p95 of one-word and two-word queries at 10 k, 100 k and 1 M
service items, on the database the benchmark runs on.

Volume comes from the demo's synthetic items (``yiwang demo --scale N``, here
:func:`yiwang.demo.catalog.scale` to read its timings): bulk-inserted published items
("城镇民宿备案", "港口渔船登记" …; each 目录清单 item implemented by 20 organisations), then
the index rebuilt with ``yiwang search reindex`` (:func:`yiwang.catalog.search.reindex_all`). The
queries go through :func:`yiwang.catalog.search.search` exactly as the API calls it — parsing,
synonyms, the full-text match, ranking, highlighting and the log row — once for a resident of
海曙区 (the portal always knows the user's region: items of 海曙区, 宁波市, 浙江省 and national
ones) and once for the whole province (no region).

One-word queries range from selective (民宿, 营业执照) to broad (登记, 许可: a tenth of all
items); two-word queries combine an object and an action (民宿 备案).

Environment: ``BENCH_SEARCH_SCALES`` (default ``10000,100000,1000000``), ``BENCH_SEARCH_REPEAT``
(queries measured per set and scale, default 300). ``BENCH_SEARCH_EXISTING=1`` measures the
database ``DATABASE_URL`` names as it is, at its present size, instead of building a throw-away
one: building a million items takes about 25 minutes, so the 1 M figures can be taken from a
database prepared once with ``yiwang demo && yiwang demo --scale 1000000`` on an idle machine.
"""

from __future__ import annotations

import os
import statistics
import time
from datetime import date

from django.core.management import call_command
from django.db import connection

SCALES = [int(n) for n in os.environ.get("BENCH_SEARCH_SCALES", "10000,100000,1000000").split(",")]
REPEAT = int(os.environ.get("BENCH_SEARCH_REPEAT", "300"))
EXISTING = os.environ.get("BENCH_SEARCH_EXISTING", "") == "1"
HAISHU = "330203000000"
GOAL_MS = 30.0

ONE_WORD = [
    "民宿",
    "渔船",
    "营业执照",
    "公积金",
    "旅行社",
    "登记",
    "许可",
    "充电设施",
    "结婚",
    "典当",
]
TWO_WORDS = [
    "民宿 备案",
    "渔船 登记",
    "供水设施 许可",
    "公积金 提取",
    "旅行社 变更登记",
    "停车场 审批",
    "身份证 补领",
    "防雷装置 验收",
    "食品 经营",
    "船舶 注销登记",
]
SETS = (("one word", ONE_WORD), ("two words", TWO_WORDS))


def _percentiles(samples: list[float]) -> tuple[float, float]:
    samples = sorted(samples)
    return statistics.median(samples) * 1000, samples[int(len(samples) * 0.95) - 1] * 1000


def _measure(queries: list[str], region: str | None) -> tuple[float, float, float, float, float]:
    """(p50 ms, p95 ms, CPU p50 ms, CPU p95 ms, mean results) over REPEAT searches cycling
    through ``queries``. CPU is this process's own time: all of a query on SQLite (the database
    runs in-process), only the Python side on PostgreSQL; it shows the cost of a query when
    other processes compete for the cores and stretch the wall-clock figures."""
    from yiwang.catalog import search

    for q in queries:  # warm-up: caches, plans
        search.search(q, region=region)
    samples, cpu, totals = [], [], []
    for i in range(REPEAT):
        q = queries[i % len(queries)]
        start, start_cpu = time.perf_counter(), time.process_time()
        found = search.search(q, region=region)
        cpu.append(time.process_time() - start_cpu)
        samples.append(time.perf_counter() - start)
        totals.append(found.total)
    p50, p95 = _percentiles(samples)
    cpu50, cpu95 = _percentiles(cpu)
    return p50, p95, cpu50, cpu95, statistics.mean(totals)


def run(database: str, header: str) -> list[str]:
    from yiwang.catalog.search.models import SearchEntry
    from yiwang.demo import catalog as demo_catalog

    rows: list[str] = []
    build: list[str] = []
    results: dict[tuple[int, str, str], float] = {}
    scales = SCALES
    if EXISTING:
        scales = [SearchEntry.objects.count()]
    else:
        # What --scale needs: the regions and the organisations that implement the items.
        call_command("demo", only=["regions", "organizations"], verbosity=0)
    have = 0
    for target in scales:
        if not EXISTING:
            timings = demo_catalog.scale(target - have)
            have = target
            entries = SearchEntry.objects.count()
            build.append(
                f"| {target:,} | {timings['insert']:.0f} s | {timings['index']:.0f} s "
                f"| {entries / timings['index']:,.0f} |"
            )
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        for label, queries in SETS:
            for scope, region in (("海曙区 resident", HAISHU), ("whole province", None)):
                load = os.getloadavg()[0]
                p50, p95, cpu50, cpu95, mean = _measure(queries, region)
                results[(target, label, scope)] = p95
                rows.append(
                    f"| {target:,} | {label} | {scope} | {REPEAT} | {p50:.1f} ms | {p95:.1f} ms "
                    f"| {cpu50:.1f} ms | {cpu95:.1f} ms | {mean:,.0f} | {load:.1f} |"
                )
                print(rows[-1], flush=True)

    lines = [
        f"## Search ({database})",
        "",
        f"Measured on {date.today().isoformat()} — {header}. `tests/bench/search.py`: "
        "`search.search()` as the API calls it (parse, synonyms, full-text match, ranking, "
        "highlighting, log row) over synthetic items from `yiwang demo --scale`; one-word "
        f"queries {', '.join(ONE_WORD)}; two-word queries {', '.join(TWO_WORDS)}.",
        "",
        "CPU = this process's CPU time per query (SQLite: the whole query; PostgreSQL: the Python "
        "side only). Load = the machine's 1-minute load average when the set started (2 cores: "
        "above 2, other processes were competing and the wall-clock figures are stretched).",
        "",
        "| items | query | scope | n | p50 | p95 | CPU p50 | CPU p95 | mean results | load |",
        "|---|---|---|---|---|---|---|---|---|---|",
        *rows,
        "",
    ]
    if EXISTING:
        # Its own section: the figures of a full run (10 k → 1 M, with build times) stay.
        lines[0] = f"## Search ({database}, existing database)"
        lines[2] += (
            f" Measured on an existing database of {scales[0]:,} search entries "
            "(BENCH_SEARCH_EXISTING=1), not one built by this run."
        )
    first, last = scales[0], scales[-1]
    if first != last:
        lines.append(f"Growth of p95 from {first:,} to {last:,} items:")
        lines.append("")
        for label, _ in SETS:
            for scope in ("海曙区 resident", "whole province"):
                a, b = results[(first, label, scope)], results[(last, label, scope)]
                lines.append(f"- {label}, {scope}: {a:.1f} ms → {b:.1f} ms (× {b / a:.1f})")
        lines.append("")
    worst = max(p for (n, _, _), p in results.items() if n == last)
    lines.append(
        f"Goal p95 ≤ {GOAL_MS:.0f} ms at 1,000,000 items on PostgreSQL: worst p95 at "
        f"{last:,} items here is {worst:.1f} ms."
    )
    if last < 1_000_000 and not EXISTING:
        lines.append(
            f"1,000,000 items were not measured in this run (BENCH_SEARCH_SCALES="
            f"{','.join(map(str, SCALES))}): building them takes longer than the run allowed."
        )
    if EXISTING:
        return lines
    lines += [
        "",
        "Building the volume (bulk insert by the demo, then `yiwang search reindex`):",
        "",
        "| items | insert | reindex | entries indexed/s |",
        "|---|---|---|---|",
        *build,
    ]
    return lines
