"""A small HTTP load generator: N keep-alive connections, each in its own thread, for a fixed time.

Run as its own process so that the client does not share the server's interpreter:

    python -m tests.bench.loadgen --port 8700 --connections 8 --duration 10 /items/A/ /items/B/

Each connection sends GET requests in a loop, cycling through the paths (each connection starts
at a different one), and reads the whole response. Any status other than 200, or a connection
error, counts as an error (the connection is then reopened). ``--cookie`` sends a Cookie header
with every request (a signed-in visitor); ``--tally HEADER`` counts the responses by that
header's value (e.g. ``X-Page-Cache``: hit / miss / bypass). Prints one JSON object: requests,
errors, seconds, requests_per_s, p50_ms, p95_ms, p99_ms, first_error, tally. Standard library
only.
"""

from __future__ import annotations

import argparse
import http.client
import json
import sys
import threading
import time
from collections import Counter


def _worker(host, port, paths, offset, window, out, *, cookie="", tally=""):
    latencies: list[float] = []
    errors = 0
    first_error = ""
    seen: Counter[str] = Counter()
    conn = http.client.HTTPConnection(host, port, timeout=30)
    headers = {"Accept": "text/html", "Accept-Encoding": "identity"}
    if cookie:
        headers["Cookie"] = cookie
    i = offset
    window.gate.wait()  # every connection starts when the window opens
    while True:
        path = paths[i % len(paths)]
        i += 1
        started = time.perf_counter()
        if started >= window.deadline:
            break
        try:
            conn.request("GET", path, headers=headers)
            response = conn.getresponse()
            response.read()
            if tally:
                seen[response.getheader(tally) or "-"] += 1
            ok = response.status == 200
            if not ok and not first_error:
                first_error = f"{response.status} {path}"
            if response.will_close:
                conn.close()
        except (OSError, http.client.HTTPException) as exc:
            ok = False
            if not first_error:
                first_error = f"{type(exc).__name__}: {exc} ({path})"
            conn.close()
            conn = http.client.HTTPConnection(host, port, timeout=30)
        latencies.append(time.perf_counter() - started)
        if not ok:
            errors += 1
    conn.close()
    out.append((latencies, errors, first_error, seen))


class _Window:
    def __init__(self, parties: int, duration: float) -> None:
        self.duration = duration
        self.deadline = float("inf")
        self.began = 0.0
        self.gate = threading.Barrier(parties, action=self._open)

    def _open(self) -> None:
        self.began = time.perf_counter()
        self.deadline = self.began + self.duration


def load(
    host: str,
    port: int,
    paths: list[str],
    *,
    connections: int,
    duration: float,
    cookie: str = "",
    tally: str = "",
) -> dict:
    """Run the load for ``duration`` seconds; requests still running at the deadline finish and
    count (the elapsed time is measured until the last one ends)."""
    out: list = []
    window = _Window(connections, duration)
    step = max(1, len(paths) // connections)
    threads = [
        threading.Thread(
            target=_worker,
            args=(host, port, paths, n * step, window, out),
            kwargs={"cookie": cookie, "tally": tally},
        )
        for n in range(connections)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - window.began
    latencies = sorted(value for lat, _e, _f, _s in out for value in lat)
    errors = sum(e for _l, e, _f, _s in out)
    first_error = next((f for _l, _e, f, _s in out if f), "")
    seen = sum((s for _l, _e, _f, s in out), Counter())

    def pct(p: float) -> float:
        if not latencies:
            return float("nan")
        return latencies[min(len(latencies) - 1, int(len(latencies) * p))] * 1000

    return {
        "requests": len(latencies),
        "errors": errors,
        "seconds": elapsed,
        "requests_per_s": len(latencies) / elapsed if elapsed > 0 else 0.0,
        "p50_ms": pct(0.50),
        "p95_ms": pct(0.95),
        "p99_ms": pct(0.99),
        "first_error": first_error,
        "tally": dict(seen),
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--duration", type=float, default=10.0, help="seconds of measurement")
    parser.add_argument("--warmup", type=float, default=0.0, help="seconds of load not counted")
    parser.add_argument("--paths-file", help="a file with one path a line (instead of PATHs)")
    parser.add_argument("--cookie", default="", help="Cookie header sent with every request")
    parser.add_argument("--tally", default="", help="count the responses by this header's value")
    parser.add_argument("paths", nargs="*")
    args = parser.parse_args(argv)
    paths = list(args.paths)
    if args.paths_file:
        with open(args.paths_file, encoding="utf-8") as handle:
            paths += [line.strip() for line in handle if line.strip()]
    if not paths:
        parser.error("give at least one path")
    options = {"connections": args.connections, "cookie": args.cookie, "tally": args.tally}
    if args.warmup > 0:
        load(args.host, args.port, paths, duration=args.warmup, **options)
    result = load(args.host, args.port, paths, duration=args.duration, **options)
    json.dump(result, sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
