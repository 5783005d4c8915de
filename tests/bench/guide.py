"""The 办事指南 page (``/items/<实施编码>/``) under gunicorn, as a ratio to a constant view.

The server is started as ``make run`` starts it — ``gunicorn yiwang.conf.wsgi --workers 2
--threads 4 --access-logfile -``, DEBUG off, after ``collectstatic`` — with one difference: its
settings module (:mod:`tests.bench.server_settings`) adds ``/bench/constant/``, a bare Django view
returning a constant (:mod:`tests.bench.urls`). The load comes from another process
(:mod:`tests.bench.loadgen`): keep-alive connections for a fixed time, guide requests cycling
through every published item. Three loads are measured in turn, a few rounds each: the constant
view; the guide as an anonymous visitor, after one warm-up pass over every guide URL (the page is
cached whole for visitors without a session, :mod:`yiwang.portal.page_cache`); and the guide as a
signed-in visitor (a real ``sessionid`` of a person account in the benchmark's database), which
bypasses the cache — the page rendered. The figures are the medians of the rounds; the ratios
are requests/s ÷ constant requests/s measured in the same run on the same machine. After the
rounds, one item is published anew and its anonymous page must show the new version at once.

A second table breaks one guide request down in-process (queries, time in the parts of the
view), to show where the time goes when the page is rendered.

Environment: ``BENCH_PORT`` (default 8700), ``BENCH_SECONDS`` (per measurement, default 10),
``BENCH_ROUNDS`` (default 3), ``BENCH_CONNECTIONS`` (default 8).
"""

from __future__ import annotations

import http.client
import json
import os
import random
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from datetime import date
from pathlib import Path

from django.core.cache import caches
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
BENCH_USER = "pbenchguide"
WARM_PASSES = 8
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


def run_load(
    port: int,
    *,
    paths_file: str,
    seconds: float,
    warmup: float = 0.0,
    cookie: str = "",
    tally: str = "",
) -> dict:
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
        *(["--cookie", cookie] if cookie else []),
        *(["--tally", tally] if tally else []),
    ]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=True)
    result = json.loads(done.stdout)
    if result["errors"]:
        raise AssertionError(
            f"{result['errors']} of {result['requests']} requests failed "
            f"(first: {result['first_error']})"
        )
    return result


def fetch(port: int, path: str, cookie: str = "") -> tuple[int, dict[str, str], str]:
    """One GET on its own connection: (status, headers, body)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        conn.request("GET", path, headers={"Cookie": cookie} if cookie else {})
        response = conn.getresponse()
        return response.status, dict(response.getheaders()), response.read().decode()
    finally:
        conn.close()


def warm_cache(port: int, paths: list[str]) -> list[dict[str, int]]:
    """Passes over every URL, 8 at a time, each request on a new connection, as anonymous
    visitors, until a pass sees no miss (at most :data:`WARM_PASSES`); returns the X-Page-Cache
    tally of each pass. Each gunicorn worker has its own cache (the project's default, in
    memory): a pass fills each worker with the URLs it happened to serve, about half."""

    def one(path: str) -> str:
        return fetch(port, path)[1].get("X-Page-Cache", "-")

    passes = []
    with ThreadPoolExecutor(CONNECTIONS) as pool:
        while len(passes) < WARM_PASSES:
            passes.append(dict(Counter(pool.map(one, paths))))
            if not passes[-1].get("miss"):
                break
    return passes


def signed_in_cookie() -> str:
    """A person account in the benchmark's database, signed in the way Django signs in (a
    ``django.contrib.sessions`` row); returns the Cookie header that carries its session."""
    from django.conf import settings
    from django.test import Client
    from django.utils import timezone

    from yiwang.accounts.constants import UserKind
    from yiwang.accounts.models import User
    from yiwang.core.identifiers import generate_person_id

    user = User.objects.filter(username=BENCH_USER).first()
    if user is None:
        user = User.objects.create_user(
            BENCH_USER,
            None,
            kind=UserKind.PERSON,
            name="王晓明",
            id_number=generate_person_id(random.Random("bench:guide"), region="330203"),
            phone="17701029999",
            real_name_verified_at=timezone.now(),
        )
    client = Client()
    client.force_login(user)
    name = settings.SESSION_COOKIE_NAME
    return f"{name}={client.cookies[name].value}"


def check_visitors(port: int, code: str, cookie: str) -> None:
    """The anonymous page is cached (miss, then hit); the signed-in one bypasses the cache and
    shows the account."""
    path = f"/items/{code}/"
    seen = [fetch(port, path)[1].get("X-Page-Cache") for _ in range(6)]
    # two workers, each with its own cache: the first answer of each is a miss
    if "hit" not in seen or seen.count("miss") > 2:
        raise AssertionError(f"anonymous guide not served from the cache: {seen}")
    status, headers, body = fetch(port, path, cookie)
    if status != 200 or headers.get("X-Page-Cache") != "bypass" or "退出" not in body:
        raise AssertionError(
            f"signed-in guide: status {status}, X-Page-Cache {headers.get('X-Page-Cache')}, "
            f"signed in: {'退出' in body}"
        )


def check_freshness(port: int, code: str) -> str:
    """Publish a new version of one item while its anonymous page is cached; the next anonymous
    request must render the new version. Returns a sentence for the report."""
    from yiwang.catalog import selectors, services

    path = f"/items/{code}/"
    for _ in range(4):  # cached in both workers, whichever answers
        fetch(port, path)
    before = fetch(port, path)[1].get("X-Page-Cache")
    item = selectors.get_item(code)
    hours = f"工作日 9:00—17:00（新版本 {time.time_ns()}）"
    draft = services.start_draft(item)
    services.update_draft(draft, working_hours=hours)
    services.publish(draft)  # autocommit: the stamp is touched at once (on_commit)
    status, headers, body = fetch(port, path)
    after = headers.get("X-Page-Cache")
    if status != 200 or hours not in body:
        raise AssertionError(f"stale guide after publishing {code}: X-Page-Cache {after}")
    return (
        f"Freshness checked in the same run: {code}'s page was cached ({before}); a new "
        f"version was published from the benchmark process (`services.publish`); the next "
        f"anonymous request was a {after} and showed the new version."
    )


def measure_http(codes: list[str]) -> dict:
    """Alternate constant, anonymous guide and signed-in guide against one gunicorn; medians of
    the rounds."""
    cookie = signed_in_cookie()
    guide_paths = [f"/items/{code}/" for code in codes]
    with tempfile.TemporaryDirectory() as tmp:
        constant_file = Path(tmp, "constant.txt")
        constant_file.write_text(CONSTANT_PATH + "\n")
        guide_file = Path(tmp, "guide.txt")
        guide_file.write_text("".join(f"{path}\n" for path in guide_paths))
        targets = {
            "constant": {"paths_file": str(constant_file)},
            "anonymous": {"paths_file": str(guide_file), "tally": "X-Page-Cache"},
            "signed_in": {"paths_file": str(guide_file), "cookie": cookie, "tally": "X-Page-Cache"},
        }
        rounds: dict[str, list[dict]] = {name: [] for name in targets}
        loads: list[float] = []
        with gunicorn_server(PORT) as log:
            try:
                # warm the workers (imports, jieba, templates, QR codes) without caching pages
                run_load(PORT, seconds=2, **targets["constant"])
                run_load(PORT, seconds=2, **targets["signed_in"])
                check_visitors(PORT, codes[0], cookie)
                warmup = warm_cache(PORT, guide_paths)
                for n in range(ROUNDS):
                    order = list(targets) if n % 2 == 0 else list(targets)[::-1]
                    loads.append(os.getloadavg()[0])
                    for name in order:
                        rounds[name].append(run_load(PORT, seconds=SECONDS, **targets[name]))
                        print(
                            f"  guide bench round {n + 1} {name}: "
                            f"{rounds[name][-1]['requests_per_s']:.0f} req/s "
                            f"{rounds[name][-1].get('tally', {})}",
                            file=sys.stderr,
                        )
                freshness = check_freshness(PORT, codes[-1])
            except AssertionError as exc:
                raise AssertionError(f"{exc}\n--- gunicorn log ---\n{_tail(log)}") from None
    summary: dict = {"warmup": warmup, "loads": loads, "freshness": freshness}
    for name, results in rounds.items():
        tally: Counter[str] = Counter()
        for r in results:
            tally.update(r.get("tally", {}))
        summary[name] = {
            "rps": statistics.median(r["requests_per_s"] for r in results),
            "p50": statistics.median(r["p50_ms"] for r in results),
            "p95": statistics.median(r["p95_ms"] for r in results),
            "requests": sum(r["requests"] for r in results),
            "errors": sum(r["errors"] for r in results),
            "rounds": [r["requests_per_s"] for r in results],
            "tally": dict(tally),
        }
        summary[name]["ratios"] = [
            r["requests_per_s"] / c["requests_per_s"]
            for r, c in zip(results, rounds["constant"], strict=True)
        ]
        summary[name]["ratio"] = summary[name]["rps"] / statistics.median(
            c["requests_per_s"] for c in rounds["constant"]
        )
    return summary


def profile_guide(codes: list[str], repeat: int = 100) -> list[tuple[str, float, str]]:
    """In-process breakdown of one guide request: (part, median ms, note)."""
    from django.contrib.auth.models import AnonymousUser
    from django.template import RequestContext, Template
    from django.template.loader import render_to_string
    from django.test import Client, RequestFactory
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from yiwang.accounts.models import User
    from yiwang.catalog import selectors
    from yiwang.catalog.badges import badges
    from yiwang.catalog.documents import guide_rows
    from yiwang.core.qr import qr_svg
    from yiwang.portal import views_catalog

    sample = codes[:: max(1, len(codes) // 50)]
    anonymous = Client()
    signed_in = Client()
    signed_in.force_login(User.objects.get(username=BENCH_USER))
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

    def queries_of(client) -> tuple[int, float]:
        with CaptureQueriesContext(connection) as queries:
            client.get(f"/items/{sample[1]}/")
        captured = queries.captured_queries
        return len(captured), sum(float(q["time"]) for q in captured) * 1000

    signed_in_queries, signed_in_db_ms = queries_of(signed_in)
    for code in sample:  # every sampled page cached (this process's in-memory cache)
        anonymous.get(f"/items/{code}/")
    hit_queries, _ = queries_of(anonymous)

    items = {code: selectors.get_item(code) for code in sample}

    def context(code):
        request = factory.get(f"/items/{code}/")
        found = items[code]
        return views_catalog._guide_context(request, found, found.current_version, current=True)

    contexts = {code: context(code) for code in sample}
    request = factory.get("/")

    def url(code):
        return f"http://testserver{reverse('portal:item', args=[code])}"

    frame = Template('{% extends "portal/base.html" %}')

    def base_frame(code):
        page = factory.get(f"/items/{code}/")
        page.user = AnonymousUser()
        return frame.render(RequestContext(page, {}))

    return [
        (
            "whole request, anonymous (test client)",
            timed(lambda c: anonymous.get(f"/items/{c}/")),
            f"cache hit: {hit_queries} queries",
        ),
        (
            "whole request, signed in (test client)",
            timed(lambda c: signed_in.get(f"/items/{c}/")),
            "bypasses the cache: the page rendered",
        ),
        (
            "constant view (test client)",
            timed(lambda c: anonymous.get(CONSTANT_PATH)),
            "the baseline, same middleware",
        ),
        (
            "page frame only",
            timed(base_frame),
            "an empty page extending portal/base.html, with the context processors",
        ),
        (
            "queries, signed in",
            signed_in_db_ms,
            f"{signed_in_queries} queries in one request, session and user included (SQL "
            "time as Django records it)",
        ),
        ("selectors.get_item", timed(selectors.get_item), "item + prefetches"),
        ("guide_rows", timed(lambda c: guide_rows(items[c].current_version)), ""),
        ("badges", timed(lambda c: badges(items[c].current_version)), ""),
        (
            "selectors.published_versions",
            timed(lambda c: selectors.published_versions(items[c])),
            "",
        ),
        (
            "qr_svg",
            timed(lambda c: qr_svg(url(c), title="办事指南页面二维码")),
            "segno QR code of the page URL (the view draws each URL once: lru_cache)",
        ),
        ("_guide_context", timed(context), "everything above but get_item, QR code cached"),
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


def _tally(counts: dict[str, int]) -> str:
    return ", ".join(f"{counts.get(k, 0):,} {k}" for k in ("hit", "miss", "bypass") if k in counts)


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
    anonymous, signed_in = http["anonymous"], http["signed_in"]
    ratio_note = "meets" if anonymous["ratio"] >= GOAL else "misses"
    loads = ", ".join(f"{value:.1f}" for value in http["loads"])
    passes = "; ".join(_tally(tally) for tally in http["warmup"])
    served = anonymous["tally"]
    hit_share = served.get("hit", 0) / max(1, sum(served.values()))
    max_entries = getattr(caches["default"], "_max_entries", None)
    if http["warmup"][-1].get("miss") and max_entries is not None and max_entries < len(codes):
        fill_note = (
            f". The cache never fills: `{type(caches['default']).__name__}` keeps at most "
            f"{max_entries} entries per process (Django's default `MAX_ENTRIES`; a third is "
            f"dropped when it is full), fewer than the {len(codes)} guides, so cycling through "
            "every guide keeps evicting pages that will be asked for again — the anonymous "
            "figure below is dominated by the misses, not the cost of a hit."
        )
    else:
        fill_note = (
            ": the steady state of a portal whose guides have all been read since the last "
            "publication (within the cache's 10 minutes)."
        )
    lines = [
        f"## {section_title(database)}",
        "",
        f"Measured on {date.today().isoformat()} — {header}.",
        "",
        f"gunicorn `yiwang.conf.wsgi` {' '.join(GUNICORN_ARGS)} (as `make run`; the access "
        "log goes to /dev/null), DEBUG off, after collectstatic, settings "
        "`tests.bench.server_settings` (the project's, cache included, plus the constant view); "
        f"{source}. Load from a separate process: {CONNECTIONS} keep-alive HTTP/1.1 connections "
        f"(`tests/bench/loadgen.py`), {SECONDS:.0f} s per measurement, the three rows below "
        f"measured in turn (order reversed every other round) for {ROUNDS} rounds; the figures "
        "are the medians of the rounds, errors must be 0. The guide requests cycle through every "
        "published item. The machine's 2 cores are shared with the load generator and, when "
        f"this was measured, with other work (1-minute load average at the start of each round: "
        f"{loads}): absolute figures are noisy, the ratios less so.",
        "",
        "How warm the cache is: the workers were first warmed for 2 s with each of the constant "
        "view and the signed-in guide (imports, templates, QR codes — no page is cached for a "
        "signed-in visitor); then every guide URL was requested as an anonymous visitor, each "
        "request on a new connection, pass after pass until a pass saw no miss: "
        f"{len(http['warmup'])} passes ({passes}). The cache is the project's default, one "
        "in-memory cache per worker, so one pass fills each of the 2 workers with only the URLs "
        "it happened to serve — about half. The anonymous rounds then saw "
        f"{_tally(anonymous['tally'])} ({hit_share:.0%} hits){fill_note}",
        "",
        "| URL | what | requests/s | p50 | p95 | requests | errors | ÷ constant |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for name, url, what in (
        ("constant", CONSTANT_PATH, "bare Django view returning a constant (baseline)"),
        (
            "anonymous",
            "/items/<实施编码>/",
            "办事指南, anonymous visitor (no cookie): served from the page cache",
        ),
        (
            "signed_in",
            "/items/<实施编码>/",
            "办事指南, signed-in visitor (valid `sessionid`): never cached, rendered every time",
        ),
    ):
        figures = http[name]
        lines.append(
            f"| `{url}` | {what} | {figures['rps']:,.0f} | {figures['p50']:.1f} ms "
            f"| {figures['p95']:.1f} ms | {figures['requests']:,} | {figures['errors']} "
            f"| {figures['ratio']:.2f} |"
        )
    per_round = ", ".join(f"{r:.2f}" for r in anonymous["ratios"])
    per_round_signed = ", ".join(f"{r:.2f}" for r in signed_in["ratios"])
    lines += [
        "",
        f"**Ratio anonymous guide ÷ constant: {anonymous['ratio']:.2f}** (per round: "
        f"{per_round}); the goal is ≥ {GOAL} — this {ratio_note} it. Signed in (the page "
        f"rendered): {signed_in['ratio']:.2f} (per round: {per_round_signed}).",
        "",
        "How the cache stays fresh and private (`yiwang/portal/page_cache.py`, "
        "`yiwang/catalog/freshness.py`): the page is cached whole, for 10 minutes at most, "
        "only for a GET without a session or messages cookie (and not for htmx requests); the "
        "key is the host, the path with its query, the region and 长者模式 cookies, and the "
        "catalogue's publication stamp — the modification time of `catalog-published` in the "
        "data directory, which `publish` and `retire_item` touch when their transaction "
        "commits. A publication therefore changes the key of every cached guide at once, in "
        "every worker, with no query: the next visitor gets the new version, never a stale "
        "one. A visitor with a session cookie — signed in — is never served a cached page nor "
        "stored in the cache, so no cached page carries a name, an acting enterprise, messages "
        "or a CSRF token (the page has none for anonymous visitors; its region and 长者模式 "
        "forms are CSRF-exempt). Only complete 200 responses that set no cookie are stored. "
        "Views are counted in memory per worker and written in one transaction every 200 "
        "views or 30 s (`services.count_views`), so a cache hit costs no query at all.",
        "",
        http["freshness"],
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
