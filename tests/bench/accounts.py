"""Password sign-in and person registration, through the accounts services, with 1–4 threads.

* sign-in: :func:`yiwang.accounts.services.authenticate_password` with the ID number and the
  right password (lock check, argon2 verify, sign-in record, ``last_login``), each thread cycling
  through its own accounts;
* the argon2 verify alone (``check_password`` of the hasher in ``PASSWORD_HASHERS``), for scale;
* registration: :func:`yiwang.accounts.services.register_person` of a person of the population
  library with an SMS code sent beforehand (not timed): validation, password validators, code
  check, population-library comparison, argon2 hash, account + agreement acceptance + audit
  event in one transaction.

Each measurement runs a few times (``BENCH_ROUNDS``, default 3); the table shows the medians of
the rounds. ``n`` is the number of operations of all rounds; operations/s is all threads
together (operations ÷ wall time), median and p95 are the latency of one operation.
Environment: ``BENCH_LOGIN_SECONDS`` (per sign-in measurement, default 6), ``BENCH_ROUNDS``.
"""

from __future__ import annotations

import os
import random
import statistics
import threading
import time
from collections.abc import Callable
from datetime import date

from django.contrib.auth.hashers import get_hasher
from django.db import connection
from django.utils import timezone

ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))
LOGIN_SECONDS = float(os.environ.get("BENCH_LOGIN_SECONDS", "6"))
THREADS = (1, 2, 4)
REGISTRATION_THREADS = (1, 4)
REGISTRATIONS_PER_THREAD = 6
ACCOUNTS_PER_THREAD = 4
PASSWORD = "Zheli-ban-2026"
IP = "203.0.113.50"


def argon2_parameters() -> dict:
    hasher = get_hasher("default")
    return {
        "hasher": f"{type(hasher).__module__}.{type(hasher).__qualname__}",
        "algorithm": hasher.algorithm,
        "time_cost": hasher.time_cost,
        "memory_cost": hasher.memory_cost,
        "parallelism": hasher.parallelism,
    }


def _person_ids(prefix: str, count: int) -> list[str]:
    from yiwang.core.identifiers import generate_person_id

    rng = random.Random(f"bench:{prefix}")
    return [generate_person_id(rng, region="330203") for _ in range(count)]


def make_accounts(count: int) -> list[str]:
    """``count`` person accounts (as registration leaves them); returns their ID numbers."""
    from yiwang.accounts.constants import UserKind
    from yiwang.accounts.models import User

    ids = []
    for n, id_number in enumerate(_person_ids("login", count)):
        if not User.objects.by_id_number(id_number).exists():
            User.objects.create_user(
                f"pbenchlogin{n}",
                PASSWORD,
                kind=UserKind.PERSON,
                name="王晓明",
                id_number=id_number,
                phone=f"1770100{n:04d}",
                real_name_verified_at=timezone.now(),
            )
        ids.append(id_number)
    return ids


def run_threads(
    threads: int, work: Callable[[int], Callable[[], bool]], *, seconds: float | None = None
) -> dict:
    """Run ``work(thread_number)()`` in a loop in each thread — for ``seconds``, or until it
    returns False — and time each call. Every thread closes its database connection."""
    results: list[list[float]] = []
    errors: list[BaseException] = []
    window: dict[str, float] = {}

    def open_window() -> None:
        window["start"] = time.perf_counter()
        window["end"] = window["start"] + (seconds or 0)

    gate = threading.Barrier(threads + 1, action=open_window)

    def body(number: int) -> None:
        step = work(number)
        latencies: list[float] = []
        try:
            gate.wait()
            while seconds is None or time.perf_counter() < window["end"]:
                start = time.perf_counter()
                if not step():
                    break
                latencies.append(time.perf_counter() - start)
        except BaseException as exc:  # reported by the caller
            errors.append(exc)
        finally:
            results.append(latencies)
            connection.close()

    pool = [threading.Thread(target=body, args=(n,)) for n in range(threads)]
    for thread in pool:
        thread.start()
    gate.wait()
    for thread in pool:
        thread.join()
    elapsed = time.perf_counter() - window["start"]
    if errors:
        raise errors[0]
    samples = sorted(value for latencies in results for value in latencies)
    return {
        "n": len(samples),
        "median_ms": statistics.median(samples) * 1000,
        "p95_ms": samples[max(0, int(len(samples) * 0.95) - 1)] * 1000,
        "per_s": len(samples) / elapsed,
    }


def _medians(runs: list[dict]) -> dict:
    return {
        "n": sum(r["n"] for r in runs),
        "median_ms": statistics.median(r["median_ms"] for r in runs),
        "p95_ms": statistics.median(r["p95_ms"] for r in runs),
        "per_s": statistics.median(r["per_s"] for r in runs),
    }


def bench_login(id_numbers: list[str], threads: int) -> dict:
    from yiwang.accounts.services import authenticate_password

    def work(number: int) -> Callable[[], bool]:
        mine = id_numbers[number * ACCOUNTS_PER_THREAD : (number + 1) * ACCOUNTS_PER_THREAD]
        counter = iter(range(10**9))

        def step() -> bool:
            identifier = mine[next(counter) % len(mine)]
            authenticate_password(identifier, PASSWORD, ip=IP, user_agent="tests.bench")
            return True

        return step

    return _medians([run_threads(threads, work, seconds=LOGIN_SECONDS) for _ in range(ROUNDS)])


def bench_hasher(threads: int) -> dict:
    hasher = get_hasher("default")
    encoded = hasher.encode(PASSWORD, hasher.salt())

    def work(number: int) -> Callable[[], bool]:
        def step() -> bool:
            assert hasher.verify(PASSWORD, encoded)
            return True

        return step

    return _medians([run_threads(threads, work, seconds=LOGIN_SECONDS) for _ in range(ROUNDS)])


def prepare_registrations(count: int) -> list[dict]:
    """People of the population library, each with a registration code already sent."""
    from yiwang.accounts.services import current_agreement
    from yiwang.accounts.services.sms_codes import Purpose, send_code
    from yiwang.integrations.models import PopulationRecord
    from yiwang.notifications.testing import sms_codes

    agreement = current_agreement().version
    people = []
    start = PopulationRecord.objects.filter(source="bench").count()  # a rerun on the same database
    for n, id_number in enumerate(_person_ids(f"registration:{start}", count), start=start):
        phone = f"1770{n:07d}"
        bank_card = f"6222021002{n:09d}"
        PopulationRecord.objects.create(
            name="李文华", id_number=id_number, phone=phone, bank_card=bank_card, source="bench"
        )
        send_code(phone, Purpose.REGISTER, ip=None)
        people.append(
            {
                "name": "李文华",
                "id_number": id_number,
                "phone": phone,
                "sms_code": sms_codes(phone)[-1],
                "second_factor_kind": "bank_card",
                "second_factor_value": bank_card,
                "password": PASSWORD,
                "agreement_version": agreement,
                "ip": IP,
            }
        )
    return people


def bench_registration(people: list[dict], threads: int) -> dict:
    from yiwang.accounts.services import register_person

    runs = []
    for _ in range(ROUNDS):
        batch = [people.pop() for _ in range(min(len(people), threads * REGISTRATIONS_PER_THREAD))]
        lock = threading.Lock()

        def work(number: int, batch=batch, lock=lock) -> Callable[[], bool]:
            def step() -> bool:
                with lock:
                    if not batch:
                        return False
                    fields = batch.pop()
                register_person(**fields)
                return True

            return step

        runs.append(run_threads(threads, work))
    return _medians(runs)


def section_title(database: str) -> str:
    return f"{database} — password sign-in and registration"


def run(database: str, header: str) -> list[str]:
    """Run the sign-in and registration benchmarks; return their docs/performance.md section."""
    params = argon2_parameters()
    id_numbers = make_accounts(max(THREADS) * ACCOUNTS_PER_THREAD)
    rows = []
    for threads in THREADS:
        rows.append(
            (
                f"authenticate_password, {threads} thread{'s' if threads > 1 else ''}",
                "sign in with ID number + password (argon2 verify, lock check, login record)",
                bench_login(id_numbers, threads),
            )
        )
    for threads in (1, max(THREADS)):
        rows.append(
            (
                f"argon2 verify alone, {threads} thread{'s' if threads > 1 else ''}",
                "the hasher's verify of the right password, nothing else",
                bench_hasher(threads),
            )
        )
    people = prepare_registrations(ROUNDS * REGISTRATIONS_PER_THREAD * sum(REGISTRATION_THREADS))
    for threads in REGISTRATION_THREADS:
        rows.append(
            (
                f"register_person, {threads} thread{'s' if threads > 1 else ''}",
                "online registration of a person: 3 factors checked, argon2 hash, account, "
                "agreement, audit (SMS code sent beforehand, not timed)",
                bench_registration(people, threads),
            )
        )
    lines = [
        f"## {section_title(database)}",
        "",
        f"Measured on {date.today().isoformat()} — {header}.",
        "",
        f"Password hasher: `{params['hasher']}` with Django's defaults — time_cost "
        f"{params['time_cost']}, memory_cost {params['memory_cost']} KiB "
        f"({params['memory_cost'] // 1024} MiB), parallelism {params['parallelism']} "
        f"({params['algorithm']}). Through the services `authenticate_password` and "
        f"`register_person`; sign-in runs {LOGIN_SECONDS:.0f} s per measurement, registration "
        f"{REGISTRATIONS_PER_THREAD} per thread; {ROUNDS} rounds each, the figures are the "
        "medians of the rounds, operations/s are all threads together. The machine's 2 cores were "
        "shared with other work while this ran: the figures are noisy.",
        "",
        "| benchmark | what one operation is | n | median | p95 | operations/s |",
        "|---|---|---|---|---|---|",
    ]
    for name, what, result in rows:
        lines.append(
            f"| {name} | {what} | {result['n']} | {result['median_ms']:.1f} ms "
            f"| {result['p95_ms']:.1f} ms | {result['per_s']:,.1f} |"
        )
    return lines
