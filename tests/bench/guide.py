"""The 办事指南 page (``/items/<实施编码>/``) under gunicorn, as a ratio to a constant view.

The server is started as ``make run`` starts it — ``gunicorn yiwang.conf.wsgi --workers 2
--threads 4 --access-logfile -``, DEBUG off, after ``collectstatic`` — with one difference: its
settings module (:mod:`tests.bench.server_settings`) adds ``/bench/constant/``, a bare Django view
returning a constant (:mod:`tests.bench.urls`). The load comes from another process
(:mod:`tests.bench.loadgen`): keep-alive connections for a fixed time, guide requests cycling
through every published item. Constant and guide are measured alternately, a few rounds each;
the figures are the medians of the rounds, and the ratio is guide requests/s ÷ constant
requests/s measured in the same run on the same machine.

A second table breaks one guide request down in-process (queries, time in the parts of the
view), to show where the time goes when the ratio is low.

Environment: ``BENCH_PORT`` (default 8700), ``BENCH_SECONDS`` (per measurement, default 10),
``BENCH_ROUNDS`` (default 3), ``BENCH_CONNECTIONS`` (default 8).
"""

from __future__ import annotations

import json
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from datetime import date
from pathlib import Path

from django.core.management import call_command
from django.db import connection
from django.test.utils import override_settings

ROOT = Path(__file__).resolve().parents[2]
PORT = int(os.environ.get("BENCH_PORT", "8700"))
SECONDS = float(os.environ.get("BENCH_SECONDS", "10"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "8"))
MIN_ITEMS = 300
GOAL = 0.5
CONSTANT_PATH = "/bench/constant/"
CACHED_PATH = "/bench/guide-cached/"
CACHED_ITEMS = 100  # the prototype cycles through this many items (filling the cache takes time)
GUNICORN_ARGS = ["--workers", "2", "--threads", "4", "--access-logfile", "-"]


def published_codes() -> list[str]:
    from yiwang.catalog import selectors

    return list(selectors.public_items().values_list("code", flat=True))


def ensure_catalogue() -> tuple[list[str], int]:
    """Load the demo (idempotent) and, while the demo has fewer than :data:`MIN_ITEMS` published
    items, add complete factory-built items. Returns (codes, how many came from the factory)."""
    call_command("demo", verbosity=0)
    codes = published_codes()
    missing = MIN_ITEMS - len(codes)
    if missing > 0:
        from yiwang.catalog.tests.factories import ItemVersionFactory

        for _ in range(missing):
            ItemVersionFactory(published=True)
        codes = published_codes()
    return codes, max(0, missing)


def _database_url() -> str:
    """The URL of the database this process uses (the benchmark's throw-away one)."""
    db = connection.settings_dict
    if connection.vendor == "postgresql":
        auth = db["USER"] or ""
        if db.get("PASSWORD"):
            auth += f":{db['PASSWORD']}"
        host = f"{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"
        return f"postgres://{auth}@{host}/{db['NAME']}"
    return f"sqlite:///{Path(db['NAME']).resolve()}"


@contextmanager
def gunicorn_server(port: int):
    """Start gunicorn on ``port`` against this benchmark's database; stop it afterwards."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.bench.server_settings",
        "DATABASE_URL": _database_url(),
        "DEBUG": "false",
        "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
    }
    command = [
        str(Path(sys.executable).with_name("gunicorn")),
        "yiwang.conf.wsgi",
        "--bind",
        f"127.0.0.1:{port}",
        *GUNICORN_ARGS,
    ]
    with tempfile.TemporaryFile() as log:
        # the access log goes to /dev/null: written as in `make run`, not kept
        server = subprocess.Popen(command, env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=log)
        try:
            _wait_ready(server, port, log)
            yield log
        finally:
            server.send_signal(signal.SIGTERM)
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()


def _tail(log) -> str:
    log.seek(0)
    return log.read().decode(errors="replace")[-4000:]


def _wait_ready(server: subprocess.Popen, port: int, log) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"gunicorn exited:\n{_tail(log)}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}{CONSTANT_PATH}", timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"gunicorn did not answer on port {port} within 60 s")


def run_load(port: int, paths_file: str, *, seconds: float, warmup: float = 0.0) -> dict:
    """One measurement by the load generator, in its own process."""
    command = [
        sys.executable,
        "-m",
        "tests.bench.loadgen",
        "--port",
        str(port),
        "--connections",
        str(CONNECTIONS),
        "--duration",
        str(seconds),
        "--warmup",
        str(warmup),
        "--paths-file",
        paths_file,
    ]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=True)
    result = json.loads(done.stdout)
    if result["errors"]:
        raise AssertionError(
            f"{result['errors']} of {result['requests']} requests failed "
            f"(first: {result['first_error']})"
        )
    return result


def fill_cache(port: int, paths: list[str]) -> None:
    """Request every prototype URL once (8 at a time), so the measurement sees only hits."""

    def fetch(path: str) -> None:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=60) as response:
            response.read()

    with ThreadPoolExecutor(CONNECTIONS) as pool:
        list(pool.map(fetch, paths))


def measure_http(codes: list[str]) -> dict:
    """Alternate constant and guide measurements against one gunicorn; medians of the rounds."""
    with tempfile.TemporaryDirectory() as tmp:
        constant_file = Path(tmp, "constant.txt")
        constant_file.write_text(CONSTANT_PATH + "\n")
        guide_file = Path(tmp, "guide.txt")
        guide_file.write_text("".join(f"/items/{code}/\n" for code in codes))
        cached_file = Path(tmp, "cached.txt")
        cached_codes = codes[:CACHED_ITEMS]
        cached_file.write_text("".join(f"{CACHED_PATH}{code}/\n" for code in cached_codes))
        targets = {"constant": str(constant_file), "guide": str(guide_file)}
        targets["cached"] = str(cached_file)
        nocount_file = Path(tmp, "nocount.txt")
        nocount_file.write_text(
            "".join(f"{CACHED_PATH}{code}/?nocount=1\n" for code in cached_codes)
        )
        targets["nocount"] = str(nocount_file)
        nodb_file = Path(tmp, "nodb.txt")
        nodb_file.write_text("".join(f"{CACHED_PATH}{code}/?nodb=1\n" for code in cached_codes))
        targets["nodb"] = str(nodb_file)
        rounds: dict[str, list[dict]] = {name: [] for name in targets}
        with gunicorn_server(PORT) as log:
            try:
                for file in targets.values():  # warm the workers: imports, jieba, templates
                    run_load(PORT, file, seconds=2)
                fill_cache(PORT, [f"{CACHED_PATH}{code}/" for code in cached_codes])
                fill_cache(PORT, [f"{CACHED_PATH}{code}/?nodb=1" for code in cached_codes])
                for n in range(ROUNDS):
                    order = ["constant", "guide", "cached", "nocount", "nodb"]
                    order = order if n % 2 == 0 else order[::-1]
                    for name in order:
                        rounds[name].append(run_load(PORT, targets[name], seconds=SECONDS))
                        print(
                            f"  guide bench round {n + 1} {name}: "
                            f"{rounds[name][-1]['requests_per_s']:.0f} req/s",
                            file=sys.stderr,
                        )
            except AssertionError as exc:
                raise AssertionError(f"{exc}\n--- gunicorn log ---\n{_tail(log)}") from None
    summary = {}
    for name, results in rounds.items():
        summary[name] = {
            "rps": statistics.median(r["requests_per_s"] for r in results),
            "p50": statistics.median(r["p50_ms"] for r in results),
            "p95": statistics.median(r["p95_ms"] for r in results),
            "requests": sum(r["requests"] for r in results),
            "errors": sum(r["errors"] for r in results),
            "rounds": [r["requests_per_s"] for r in results],
        }
    summary["ratios"] = [
        g["requests_per_s"] / c["requests_per_s"]
        for g, c in zip(rounds["guide"], rounds["constant"], strict=True)
    ]
    summary["ratio"] = summary["guide"]["rps"] / summary["constant"]["rps"]
    summary["cached_ratio"] = summary["cached"]["rps"] / summary["constant"]["rps"]
    summary["nocount_ratio"] = summary["nocount"]["rps"] / summary["constant"]["rps"]
    summary["nodb_ratio"] = summary["nodb"]["rps"] / summary["constant"]["rps"]
    return summary


def profile_guide(codes: list[str], repeat: int = 100) -> list[tuple[str, float, str]]:
    """In-process breakdown of one guide request: (part, median ms, note)."""
    from django.contrib.auth.models import AnonymousUser
    from django.test import Client, RequestFactory
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from yiwang.catalog import selectors, services
    from yiwang.catalog.badges import badges
    from yiwang.catalog.documents import guide_rows
    from yiwang.core.qr import qr_svg
    from yiwang.portal import views_catalog

    sample = codes[:: max(1, len(codes) // 50)]
    client = Client()
    factory = RequestFactory()

    def timed(fn) -> float:
        for code in sample[:5]:
            fn(code)
        samples = []
        for i in range(repeat):
            code = sample[i % len(sample)]
            start = time.perf_counter()
            fn(code)
            samples.append(time.perf_counter() - start)
        return statistics.median(samples) * 1000

    with CaptureQueriesContext(connection) as queries:
        client.get(f"/items/{sample[0]}/")
    query_count = len(queries.captured_queries)
    db_ms = sum(float(q["time"]) for q in queries.captured_queries) * 1000

    items = {code: selectors.get_item(code) for code in sample}

    def context(code):
        request = factory.get(f"/items/{code}/")
        return views_catalog._guide_context(request, items[code].current_version, current=True)

    contexts = {code: context(code) for code in sample}
    request = factory.get("/")
    from django.template.loader import render_to_string

    def url(code):
        return f"http://testserver{reverse('portal:item', args=[code])}"

    from django.template import RequestContext, Template

    frame = Template('{% extends "portal/base.html" %}')

    def base_frame(code):
        page = factory.get(f"/items/{code}/")
        page.user = AnonymousUser()
        return frame.render(RequestContext(page, {}))

    return [
        ("whole request (test client)", timed(lambda c: client.get(f"/items/{c}/")), ""),
        (
            "constant view (test client)",
            timed(lambda c: client.get("/bench/constant/")),
            "the baseline, same middleware",
        ),
        (
            "page frame only",
            timed(base_frame),
            "an empty page extending portal/base.html, with the context processors",
        ),
        (
            "queries",
            db_ms,
            f"{query_count} queries in one request (SQL time as Django records it)",
        ),
        ("selectors.get_item", timed(selectors.get_item), "item + prefetches"),
        ("services.count_view", timed(lambda c: services.count_view(items[c])), "one UPDATE"),
        ("guide_rows", timed(lambda c: guide_rows(items[c].current_version)), ""),
        ("badges", timed(lambda c: badges(items[c].current_version)), ""),
        ("selectors.item_versions", timed(selectors.item_versions), ""),
        (
            "qr_svg",
            timed(lambda c: qr_svg(url(c), title="办事指南页面二维码")),
            "segno QR code of the page URL",
        ),
        ("_guide_context", timed(context), "everything above but get_item/count_view"),
        (
            "render guide.html",
            timed(
                lambda c: render_to_string(
                    "portal/catalog/guide.html", contexts[c], request=request
                )
            ),
            "template only, context prepared",
        ),
    ]


def section_title(database: str) -> str:
    return f"{database} — 办事指南 page under gunicorn"


def run(database: str, header: str) -> list[str]:
    """Run the guide benchmark on this database; return its docs/performance.md section."""
    call_command("collectstatic", interactive=False, verbosity=0)
    codes, from_factory = ensure_catalogue()
    http = measure_http(codes)
    with override_settings(ROOT_URLCONF="tests.bench.urls"):  # the constant view, in-process too
        parts = profile_guide(codes)
    source = f"{len(codes)} published items: the demo catalogue" + (
        f" topped up with {from_factory} factory-built items (ItemVersionFactory)"
        if from_factory
        else ""
    )
    ratio_note = "meets" if http["ratio"] >= GOAL else "misses"
    lines = [
        f"## {section_title(database)}",
        "",
        f"Measured on {date.today().isoformat()} — {header}.",
        "",
        f"gunicorn `yiwang.conf.wsgi` {' '.join(GUNICORN_ARGS)} (as `make run`; the access "
        "log goes to /dev/null), DEBUG off, after collectstatic, settings "
        f"`tests.bench.server_settings` (adds the benchmark URLs only); {source}. Load from a "
        f"separate process: {CONNECTIONS} keep-alive HTTP/1.1 connections "
        f"(`tests/bench/loadgen.py`), {SECONDS:.0f} s per measurement, the URLs below measured "
        f"in turn (order reversed every other round) for {ROUNDS} rounds; the figures are the "
        "medians of the rounds, errors must be 0. The guide requests cycle through every "
        "published item. The ratio was measured in one run on the same machine, whose 2 cores "
        "are shared with the load generator (and, when this was measured, with other work): "
        "absolute figures are noisy, the ratio less so.",
        "",
        "| URL | what | requests/s | p50 | p95 | requests | errors |",
        "|---|---|---|---|---|---|---|",
    ]
    for name, url, what in (
        ("constant", CONSTANT_PATH, "bare Django view returning a constant (baseline)"),
        ("guide", "/items/<实施编码>/", "办事指南 of the current version"),
        (
            "cached",
            f"{CACHED_PATH}<实施编码>/",
            f"prototype of a whole-page cache of the same page (tests/bench/urls.py, not in "
            f"production), all hits, cycling through {CACHED_ITEMS} items",
        ),
        (
            "nocount",
            f"{CACHED_PATH}<实施编码>/?nocount=1",
            "the same prototype without the view counter's UPDATE",
        ),
        (
            "nodb",
            f"{CACHED_PATH}<实施编码>/?nodb=1",
            "the prototype keyed by the code alone: a hit touches no database",
        ),
    ):
        figures = http[name]
        lines.append(
            f"| `{url}` | {what} | {figures['rps']:,.0f} | {figures['p50']:.1f} ms "
            f"| {figures['p95']:.1f} ms | {figures['requests']:,} | {figures['errors']} |"
        )
    ratios = ", ".join(f"{r:.2f}" for r in http["ratios"])
    lines += [
        "",
        f"**Ratio guide ÷ constant: {http['ratio']:.2f}** (per round: {ratios}); "
        f"the goal is ≥ {GOAL} — this {ratio_note} it. The whole-page cache prototype "
        f"reaches {http['cached_ratio']:.2f}, {http['nocount_ratio']:.2f} without the view "
        f"counter's UPDATE, {http['nodb_ratio']:.2f} without any query.",
        "",
        "Where one guide request's time goes (in-process, Django test client / direct calls, "
        "median of 100):",
        "",
        "| part | median | note |",
        "|---|---|---|",
    ]
    for part, ms, note in parts:
        lines.append(f"| {part} | {ms:.2f} ms | {note} |")
    return lines
