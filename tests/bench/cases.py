"""Cases at volume (Issue 5): submissions/s over HTTP as a ratio to a bare insert view, case
query by number at 10 k and at the largest scale built, and the staff queue page there.

1. Submissions/s — under gunicorn (:func:`tests.bench.guide.gunicorn_server`, as ``make run``
   starts it) with the load from another process (``python -m tests.bench.cases client``, this
   module run as a script: standard library only). One submission is the API calls a client
   makes: ``POST /api/v1/cases`` (a draft of a 全程网办 item, its form prefilled from the
   profile), ``PATCH /api/v1/cases/{id}`` (the rest of the form, the 办理情形, 邮寄送达 and
   the address: the API takes them only there), two ``POST …/materials`` (multipart, a small
   real PDF each — the item's two materials), ``POST …/submit`` with an ``Idempotency-Key``.
   Each connection is a different signed-in person (a real ``sessionid``, CSRF cookie and
   header as a browser sends them). The baseline, measured in
   the same run by the same client, is ``POST /bench/insert/``: a bare Django view that inserts
   one row (:mod:`tests.bench.urls`). The ratio is submissions/s ÷ inserts/s.
2. Case query by number — :func:`yiwang.cases.selectors.public_query` (what
   ``GET /api/v1/case-query`` calls) for random existing numbers with the right applicant name,
   p50/p95 at 10 k cases and at the largest scale.
3. Staff queue page — :func:`yiwang.cases.selectors.queue` ``(clerk, "pending")[:50]``
   evaluated plus its ``count()``, as the back office's 待受理 tab shows it, for a clerk of one
   of the accepting organisations, at the largest scale.

Volume: synthetic submitted cases bulk-inserted (PostgreSQL: ``COPY`` in batches, a million in a
few minutes; SQLite: ``bulk_create``) with valid numbers
(:func:`yiwang.cases.numbers.format_number`), spread over :data:`ORGS` accepting organisations
and a mix of states (see :data:`STATUS_MIX`), no events. Environment: ``BENCH_CASES_SCALES``
(default ``10000,1000000``), ``BENCH_CASES_REPEAT`` (queries per measurement, default 500),
``BENCH_SECONDS`` / ``BENCH_ROUNDS`` / ``BENCH_CONNECTIONS`` / ``BENCH_PORT`` as the guide's.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from datetime import date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SCALES = [int(n) for n in os.environ.get("BENCH_CASES_SCALES", "10000,1000000").split(",")]
REPEAT = int(os.environ.get("BENCH_CASES_REPEAT", "500"))
SECONDS = float(os.environ.get("BENCH_SECONDS", "10"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "8"))
PORT = int(os.environ.get("BENCH_PORT", "8700"))
INSERT_PATH = "/bench/insert/"
BATCH = 10000
ORGS = 50
GOAL_GROWTH = 1.5
# (status, share): most cases of a platform are finished; a few wait at a window.
STATUS_MIX = (
    ("completed", 0.80),
    ("pending", 0.05),
    ("pre_review", 0.02),
    ("supplement", 0.02),
    ("reviewing", 0.04),
    ("deciding", 0.03),
    ("delivering", 0.02),
    ("not_accepted", 0.01),
    ("withdrawn", 0.01),
)


# --- the load generator (its own process; standard library only) ----------------------------


def _multipart(fields: dict[str, str], file_name: str, content: bytes) -> tuple[str, bytes]:
    boundary = uuid.uuid4().hex
    parts = []
    for name, value in fields.items():
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'
        )
    head = (
        "".join(parts).encode()
        + (
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; '
            f'filename="{file_name}"\r\nContent-Type: application/pdf\r\n\r\n'
        ).encode()
    )
    return f"multipart/form-data; boundary={boundary}", head + content + (
        f"\r\n--{boundary}--\r\n"
    ).encode()


class _Caller:
    """One keep-alive connection of one signed-in person."""

    def __init__(self, port: int, session: dict) -> None:
        self.port = port
        self.headers = {
            "Cookie": session["cookie"],
            "X-CSRFToken": session["csrf"],
            "Accept": "application/json",
        }
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)

    def post(self, path: str, body: bytes, content_type: str, **extra: str) -> tuple[int, bytes]:
        return self.send("POST", path, body, content_type, **extra)

    def send(
        self, method: str, path: str, body: bytes, content_type: str, **extra: str
    ) -> tuple[int, bytes]:
        try:
            self.conn.request(
                method,
                path,
                body=body,
                headers={**self.headers, "Content-Type": content_type, **extra},
            )
            response = self.conn.getresponse()
            data = response.read()
            if response.will_close:
                self.conn.close()
            return response.status, data
        except (OSError, http.client.HTTPException):
            self.conn.close()
            self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
            raise


def _submission(caller: _Caller, plan: dict, pdfs: list[bytes]) -> None:
    """The four calls of one application; raises on any unexpected answer."""
    status, body = caller.post(
        "/api/v1/cases", json.dumps({"item_code": plan["item_code"]}).encode(), "application/json"
    )
    if status != 201:
        raise RuntimeError(f"start {status}: {body[:300]!r}")
    draft = json.loads(body)
    case_id = draft["id"]
    # the form comes back prefilled from the profile: the client completes it
    changes = {
        "form": {**draft["form"], **plan["form"]},
        "handling_item_id": plan["handling_item_id"],
        "delivery_method": "express",
        "delivery_address": "宁波市海曙区测试路8号",
    }
    status, body = caller.send(
        "PATCH",
        f"/api/v1/cases/{case_id}",
        json.dumps(changes, ensure_ascii=False).encode(),
        "application/json",
    )
    if status != 200:
        raise RuntimeError(f"save {status}: {body[:300]!r}")
    for material_id, pdf in zip(plan["material_ids"], pdfs, strict=True):
        content_type, payload = _multipart({"material_id": str(material_id)}, "材料.pdf", pdf)
        status, body = caller.post(f"/api/v1/cases/{case_id}/materials", payload, content_type)
        if status != 201:
            raise RuntimeError(f"attach {status}: {body[:300]!r}")
    status, body = caller.post(
        f"/api/v1/cases/{case_id}/submit",
        b"",
        "application/json",
        **{"Idempotency-Key": uuid.uuid4().hex},
    )
    if status != 200:
        raise RuntimeError(f"submit {status}: {body[:300]!r}")


def _insert(caller: _Caller, plan: dict, pdfs: list[bytes]) -> None:
    status, body = caller.post(INSERT_PATH, b"", "application/json")
    if status != 200:
        raise RuntimeError(f"insert {status}: {body[:300]!r}")


def client(argv: list[str] | None = None) -> None:
    """``python -m tests.bench.cases client --port P --plan FILE --what submit|insert …``:
    one thread per session of the plan, each repeating the operation until the time is up;
    prints one JSON object (operations, errors, seconds, per_s, p50_ms, p95_ms, first_error)."""
    parser = argparse.ArgumentParser(prog="python -m tests.bench.cases client")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--plan", required=True)
    parser.add_argument("--what", choices=("submit", "insert"), required=True)
    parser.add_argument("--duration", type=float, default=10.0)
    parser.add_argument("--warmup", type=float, default=0.0)
    args = parser.parse_args(argv)
    plan = json.loads(Path(args.plan).read_text(encoding="utf-8"))
    pdfs = [bytes.fromhex(h) for h in plan["pdfs"]]
    operation = _submission if args.what == "submit" else _insert
    callers = [_Caller(args.port, s) for s in plan["sessions"]]

    def window(duration: float) -> dict:
        out: list = []
        gate = threading.Barrier(len(callers))
        deadline: list[float] = []
        lock = threading.Lock()

        def work(caller: _Caller) -> None:
            gate.wait()
            with lock:
                if not deadline:
                    deadline.append(time.perf_counter())
            began = deadline[0]
            latencies, errors, first = [], 0, ""
            while (started := time.perf_counter()) < began + duration:
                try:
                    operation(caller, plan, pdfs)
                except Exception as exc:  # counted, the first one reported
                    errors += 1
                    first = first or f"{type(exc).__name__}: {exc}"
                latencies.append(time.perf_counter() - started)
            out.append((latencies, errors, first))

        threads = [threading.Thread(target=work, args=(c,)) for c in callers]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.perf_counter() - deadline[0]
        latencies = sorted(v for lat, _e, _f in out for v in lat)
        pct = lambda p: latencies[min(len(latencies) - 1, int(len(latencies) * p))] * 1000  # noqa: E731
        return {
            "operations": len(latencies),
            "errors": sum(e for _l, e, _f in out),
            "seconds": elapsed,
            "per_s": len(latencies) / elapsed,
            "p50_ms": pct(0.5) if latencies else float("nan"),
            "p95_ms": pct(0.95) if latencies else float("nan"),
            "first_error": next((f for _l, _e, f in out if f), ""),
        }

    if args.warmup > 0:
        window(args.warmup)
    json.dump(window(args.duration), sys.stdout)
    sys.stdout.write("\n")


# --- the benchmark (inside `python -m tests.bench`) -------------------------------------------


def _world():
    from yiwang.cases.tests.helpers import case_world

    return case_world()


def _plan(world, connections: int) -> dict:
    """What the load generator needs: sessions of ``connections`` persons (each signed in as
    Django signs in, plus a CSRF cookie), the item, its two materials, a valid form, two PDFs."""
    from django.conf import settings
    from django.middleware.csrf import _get_new_csrf_string
    from django.test import Client

    from yiwang.accounts.tests.persons_helpers import account, citizen
    from yiwang.cases.tests.helpers import pdf_bytes

    version = world.online_item.current_version
    materials = list(version.materials.order_by("order", "id").values_list("pk", flat=True))
    form = {"reason": "开办餐饮店"}
    sessions = []
    for n in range(connections):
        user = account(citizen(9000 + n, name="王晓明"))
        web = Client()
        web.force_login(user)
        csrf = _get_new_csrf_string()
        name = settings.SESSION_COOKIE_NAME
        sessions.append(
            {
                "cookie": f"{name}={web.cookies[name].value}; {settings.CSRF_COOKIE_NAME}={csrf}",
                "csrf": csrf,
            }
        )
    return {
        "item_code": world.online_item.code,
        "material_ids": materials,
        "handling_item_id": version.handling_items.get().pk,
        "form": form,
        "pdfs": [pdf_bytes("form").hex(), pdf_bytes("id card").hex()],
        "sessions": sessions,
    }


def _load(port: int, plan_file: str, what: str, seconds: float, warmup: float = 0.0) -> dict:
    command = [
        sys.executable,
        "-m",
        "tests.bench.cases",
        "client",
        "--port",
        str(port),
        "--plan",
        plan_file,
        "--what",
        what,
        "--duration",
        str(seconds),
        "--warmup",
        str(warmup),
    ]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=True)
    result = json.loads(done.stdout)
    if result["errors"]:
        raise AssertionError(
            f"{what}: {result['errors']} of {result['operations']} failed "
            f"(first: {result['first_error']})"
        )
    return result


def measure_submissions(world) -> tuple[list[str], dict]:
    from tests.bench.guide import gunicorn_server
    from yiwang.cases.models import Case

    plan = _plan(world, CONNECTIONS)
    before = Case.objects.exclude(number=None).count()
    rounds: list[dict] = []
    loads: list[float] = []
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as handle:
        json.dump(plan, handle, ensure_ascii=False)
        plan_file = handle.name
    try:
        with gunicorn_server(PORT):
            _load(PORT, plan_file, "insert", 2.0)  # imports, connections
            _load(PORT, plan_file, "submit", 3.0)  # templates, workflow, first files
            for r in range(ROUNDS):
                loads.append(os.getloadavg()[0])
                order = ("insert", "submit") if r % 2 == 0 else ("submit", "insert")
                got = {what: _load(PORT, plan_file, what, SECONDS) for what in order}
                rounds.append(got)
                print(
                    f"round {r + 1}: insert {got['insert']['per_s']:.1f}/s, "
                    f"submit {got['submit']['per_s']:.2f}/s",
                    flush=True,
                )
    finally:
        os.unlink(plan_file)
    filed = Case.objects.exclude(number=None).count() - before
    return _submission_lines(rounds, loads), {"filed": filed}


def _median(rounds: list[dict], what: str, key: str) -> float:
    return statistics.median(r[what][key] for r in rounds)


def _submission_lines(rounds: list[dict], loads: list[float]) -> list[str]:
    ratios = [r["submit"]["per_s"] / r["insert"]["per_s"] for r in rounds]
    lines = [
        "| what | one operation | operations/s | p50 | p95 | operations | errors | ÷ insert |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for what, label in (
        ("insert", "`POST /bench/insert/`: bare Django view inserting one row (baseline)"),
        (
            "submit",
            "one submission: `POST /api/v1/cases`, `PATCH /api/v1/cases/{id}` (form, "
            "办理情形, delivery), 2 × `POST …/materials` (PDF), `POST …/submit` with "
            "`Idempotency-Key`",
        ),
    ):
        per_s = _median(rounds, what, "per_s")
        lines.append(
            f"| {what} | {label} | {per_s:,.1f} | {_median(rounds, what, 'p50_ms'):.1f} ms "
            f"| {_median(rounds, what, 'p95_ms'):.1f} ms "
            f"| {sum(r[what]['operations'] for r in rounds):,} "
            f"| {sum(r[what]['errors'] for r in rounds)} "
            f"| {per_s / _median(rounds, 'insert', 'per_s'):.3f} |"
        )
    lines += [
        "",
        f"**Ratio submissions/s ÷ inserts/s: {statistics.median(ratios):.3f}** (per round: "
        + ", ".join(f"{x:.3f}" for x in ratios)
        + "; 1-minute load average at the start of each round: "
        + ", ".join(f"{x:.1f}" for x in loads)
        + ").",
    ]
    return lines


# --- volume ----------------------------------------------------------------------------------


def _organisations(world) -> list:
    """:data:`ORGS` accepting organisations, the world's hall's first (its clerk is measured)."""
    from yiwang.regions.tests.factories import OrganizationFactory

    orgs = [world.hall.organization]
    while len(orgs) < ORGS:
        orgs.append(OrganizationFactory(name=f"基准受理机构{len(orgs):02d}"))
    return orgs


def _values(world, orgs, n: int, rng: random.Random, tz) -> dict:
    """What varies between synthetic cases: case ``n`` is submitted on day ``n // PER_DAY``
    from 2024-01-01, the day's ``n % PER_DAY + 1``-th number of the hall's region, accepted by
    ``orgs[n % len(orgs)]``."""
    from yiwang.cases.numbers import format_number

    day = date(2024, 1, 1) + timedelta(days=n // PER_DAY)
    status = rng.choices(_STATUSES, _WEIGHTS)[0]
    at = datetime(day.year, day.month, day.day, 9, tzinfo=tz) + timedelta(seconds=n % PER_DAY * 10)
    closed = status in ("completed", "not_accepted", "withdrawn")
    return {
        "number": format_number(world.hall.region_id, day, n % PER_DAY + 1),
        "status": status,
        "applicant_name": f"申请人{n}",
        "accepting_org_id": orgs[n % len(orgs)].pk,
        "created_at": at,
        "updated_at": at,
        "submitted_at": at,
        "concluded_at": at + timedelta(days=5) if status == "completed" else None,
        "closed_at": at + timedelta(days=5) if closed else None,
        "clock_started_on": day,
        "due_on": day + timedelta(days=7),
    }


def _case(world, orgs, n: int, rng: random.Random, tz):
    from yiwang.cases.models import Case

    version = world.online_item.current_version
    return Case(
        item=world.online_item,
        version=version,
        mode=version_mode(version),
        applicant=world.citizen,
        form_text="",
        competent_org=world.market,
        channel="web",
        delivery_address="",
        promised_days=5,
        **_values(world, orgs, n, rng, tz),
    )


PER_DAY = 2000  # numbers restart every day: 2 000 a day here
_STATUSES = [s for s, _ in STATUS_MIX]
_WEIGHTS = [w for _, w in STATUS_MIX]


def build(world, orgs, start: int, stop: int) -> float:
    """Insert cases ``start``..``stop-1``; returns the seconds it took. PostgreSQL: ``COPY``,
    the row of one case as Django writes it (``get_db_prep_save`` of every concrete field)
    with the columns that vary (:func:`_values`) set for each; SQLite: ``bulk_create``."""
    from django.db import connection, transaction
    from django.utils import timezone

    from yiwang.cases.models import Case

    began = time.perf_counter()
    rng = random.Random(f"cases:{start}")
    tz = timezone.get_current_timezone()
    fields = [f for f in Case._meta.concrete_fields if not f.primary_key]
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    template = _case(world, orgs, 0, rng, tz)
    base = [f.get_db_prep_save(getattr(template, f.attname), connection) for f in fields]
    varying = [(i, f.attname) for i, f in enumerate(fields) if f.attname in VARYING]
    for low in range(start, stop, BATCH):
        numbers = range(low, min(stop, low + BATCH))
        if connection.vendor != "postgresql":
            rows = [_case(world, orgs, n, rng, tz) for n in numbers]
            Case.objects.bulk_create(rows, batch_size=1000)
            continue
        with transaction.atomic(), connection.cursor() as cursor:
            sql = f"COPY {Case._meta.db_table} ({columns}) FROM STDIN"
            with cursor.cursor.copy(sql) as copy:
                for n in numbers:
                    values = _values(world, orgs, n, rng, tz)
                    row = list(base)
                    for i, name in varying:
                        row[i] = values[name]
                    copy.write_row(row)
    return time.perf_counter() - began


VARYING = frozenset(
    {
        "number",
        "status",
        "applicant_name",
        "accepting_org_id",
        "created_at",
        "updated_at",
        "submitted_at",
        "concluded_at",
        "closed_at",
        "clock_started_on",
        "due_on",
    }
)


_MODE: dict[int, str] = {}


def version_mode(version) -> str:
    if version.pk not in _MODE:
        from yiwang.cases.services import online_mode

        _MODE[version.pk] = online_mode(version)
    return _MODE[version.pk]


def _percentiles(samples: list[float]) -> tuple[float, float]:
    samples = sorted(samples)
    return statistics.median(samples) * 1000, samples[int(len(samples) * 0.95) - 1] * 1000


def measure_query(have: int) -> tuple[float, float]:
    from yiwang.cases import selectors
    from yiwang.cases.models import Case

    rng = random.Random(f"query:{have}")
    picks = [rng.randrange(have) for _ in range(REPEAT)]
    # the numbers and names to ask for, read beforehand (a visitor types them in)
    wanted = dict(
        Case.objects.filter(applicant_name__in=[f"申请人{n}" for n in picks]).values_list(
            "applicant_name", "number"
        )
    )
    asks = [(wanted[f"申请人{n}"], f"申请人{n}") for n in picks]
    for number, who in asks[:20]:
        selectors.public_query(number, who)
    samples = []
    for number, who in asks:
        began = time.perf_counter()
        found = selectors.public_query(number, who)
        samples.append(time.perf_counter() - began)
        assert found.number == number
    return _percentiles(samples)


def measure_queue(clerk) -> tuple[float, float, int, int]:
    from yiwang.cases import selectors

    def once() -> tuple[int, int]:
        cases = selectors.queue(clerk, "pending")
        return len(list(cases[:50])), cases.count()

    for _ in range(20):
        once()
    samples = []
    shown = total = 0
    for _ in range(REPEAT):
        began = time.perf_counter()
        shown, total = once()
        samples.append(time.perf_counter() - began)
    p50, p95 = _percentiles(samples)
    return p50, p95, shown, total


def run(database: str, header: str) -> list[str]:
    from django.db import connection

    from yiwang.cases.models import Case

    world = _world()
    submissions, facts = measure_submissions(world)
    orgs = _organisations(world)
    have = 0
    query_rows, queue_rows, build_rows = [], [], []
    query_p95: dict[int, float] = {}
    for target in SCALES:
        # the benchmark's own submissions stay; synthetic cases are counted from 0
        seconds = build(world, orgs, have, target)
        have = target
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        total = Case.objects.count()
        build_rows.append(f"| {total:,} | {seconds:.0f} s | {target / seconds:,.0f} |")
        load = os.getloadavg()[0]
        p50, p95 = measure_query(have)
        query_p95[target] = p95
        query_rows.append(
            f"| {total:,} | `selectors.public_query(number, name)` | {REPEAT} | {p50:.2f} ms "
            f"| {p95:.2f} ms | {load:.1f} |"
        )
        print(query_rows[-1], flush=True)
        if target == SCALES[-1]:
            load = os.getloadavg()[0]
            q50, q95, shown, waiting = measure_queue(world.clerk)
            queue_rows.append(
                f"| {total:,} | 待受理 of one of {ORGS} accepting organisations: first 50 "
                f"({shown} shown) + count ({waiting:,}) | {REPEAT} | {q50:.2f} ms "
                f"| {q95:.2f} ms | {load:.1f} |"
            )
            print(queue_rows[-1], flush=True)

    first, last = SCALES[0], SCALES[-1]
    growth = query_p95[last] / query_p95[first]
    mix = ", ".join(f"{s} {int(w * 100)}%" for s, w in STATUS_MIX)
    how = "`COPY`" if connection.vendor == "postgresql" else "`bulk_create`"
    lines = [
        f"## Cases ({database})",
        "",
        f"Measured on {date.today().isoformat()} — {header}. `tests/bench/cases.py`.",
        "",
        "### Submissions under gunicorn",
        "",
        "gunicorn `yiwang.conf.wsgi` --workers 2 --threads 4 --access-logfile - (as `make run`), "
        "DEBUG off, settings `tests.bench.server_settings` (the project's plus the bare views). "
        f"Load from a separate process: {CONNECTIONS} keep-alive connections, each a different "
        "signed-in person (session cookie, CSRF cookie and header), "
        f"{SECONDS:.0f} s per measurement, submissions and inserts measured in turn (order "
        f"reversed every other round) for {ROUNDS} rounds; the figures are the medians of the "
        "rounds, errors must be 0. The item: 全程网办, two materials (申请表, 居民身份证), a "
        "small real one-page PDF (≈ 1.3 KB) for each; every submission gets its 统一办件编号 "
        f"(gap-free numbering) and starts its SpiffWorkflow process; {facts['filed']:,} cases "
        "were filed. The machine's 2 cores are shared by the server, the load generator and the "
        "database.",
        "",
        *submissions,
        "",
        "### Case query by number and staff queue at volume",
        "",
        f"Synthetic submitted cases bulk-inserted ({how}, batches of {BATCH:,}) with "
        f"valid 统一办件编号, spread over {ORGS} accepting organisations, states: {mix}; no "
        "events (the timeline of each found case is read, and is empty). Direct calls in "
        f"this process, {REPEAT} per measurement after 20 warm-up calls, PostgreSQL after "
        "`ANALYZE`. Query: random existing numbers with the right applicant name (the "
        "numbers were read beforehand). Load = the 1-minute load average at the start.",
        "",
        "| cases | what | n | p50 | p95 | load |",
        "|---|---|---|---|---|---|",
        *query_rows,
        *queue_rows,
        "",
        f"Growth of the query's p95 from {first:,} to {last:,} cases: "
        f"{query_p95[first]:.2f} ms → {query_p95[last]:.2f} ms (× {growth:.2f}); the goal is "
        f"the 1 M figure within {GOAL_GROWTH}× of the 10 k figure"
        + (
            f" — {'this meets it' if growth <= GOAL_GROWTH else 'this misses it'}."
            if last >= 1_000_000
            else f"; {last:,} cases is the largest scale of this run (1,000,000 not measured)."
        ),
        "",
        "Building the volume:",
        "",
        "| cases in the table | insert | cases/s |",
        "|---|---|---|",
        *build_rows,
    ]
    return lines


if __name__ == "__main__":
    if sys.argv[1:2] == ["client"]:
        client(sys.argv[2:])
    else:
        sys.exit("usage: python -m tests.bench.cases client --port P --plan FILE --what W")
