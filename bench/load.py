"""An open-loop load generator: each target at a fixed rate, interleaved.

Requests are scheduled in advance at even intervals, and targets take
turns, so every target gets the same rate and the same server load in
one run. A request that starts late (all threads busy) is counted, since
its latency then understates the wait a user would see.
"""

import http.client
import itertools
import statistics
import threading
import time
from dataclasses import dataclass, field
from urllib.parse import urlsplit

LATE_SECONDS = 0.05


@dataclass
class Target:
    """One endpoint to drive: body(n) builds the nth request body."""

    name: str
    url: str
    body: object = None
    headers: dict = field(default_factory=dict)
    method: str = "POST"
    latencies: list = field(default_factory=list)
    sizes: list = field(default_factory=list)
    errors: list = field(default_factory=list)
    late: int = 0


def send(target, number):
    parts = urlsplit(target.url)
    body = target.body(number) if callable(target.body) else target.body
    connection = http.client.HTTPConnection(parts.hostname, parts.port,
                                            timeout=30)
    try:
        connection.request(target.method, parts.path, body=body,
                           headers=target.headers)
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def drive(targets, rate, duration, threads=8):
    """Send rate requests per second to each target for duration seconds."""
    count = int(rate * duration)
    step = 1.0 / rate
    offset = step / len(targets)
    start = time.monotonic() + 0.5
    schedule = iter([(start + n * step + k * offset, target, n)
                     for n in range(count)
                     for k, target in enumerate(targets)])
    lock = threading.Lock()

    def work():
        while True:
            with lock:
                item = next(schedule, None)
            if item is None:
                return
            due, target, number = item
            pause = due - time.monotonic()
            if pause > 0:
                time.sleep(pause)
            elif -pause > LATE_SECONDS:
                target.late += 1
            began = time.perf_counter()
            try:
                status, reply = send(target, number)
            except OSError as error:
                target.errors.append(repr(error))
                continue
            target.latencies.append(time.perf_counter() - began)
            target.sizes.append(len(reply))
            if status >= 400:
                target.errors.append(f"HTTP {status}")

    workers = [threading.Thread(target=work) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=duration * 4 + 60)
    return targets


def summarise(target):
    """Return p50, p95 and max latency in ms, with counts, for a target."""
    latencies = sorted(target.latencies) or [float("nan")]
    if len(latencies) > 1:
        cuts = statistics.quantiles(latencies, n=100, method="inclusive")
    else:
        cuts = latencies * 99
    return {
        "name": target.name,
        "requests": len(target.latencies),
        "errors": len(target.errors),
        "late": target.late,
        "p50_ms": round(cuts[49] * 1000, 1),
        "p95_ms": round(cuts[94] * 1000, 1),
        "max_ms": round(latencies[-1] * 1000, 1),
        "reply_bytes": max(target.sizes, default=0),
    }


def format_table(rows):
    columns = list(rows[0])
    lines = [" | ".join(columns)]
    lines += [" | ".join(str(row[column]) for column in columns)
              for row in rows]
    return "\n".join(lines)


def first_errors(targets, limit=3):
    return list(itertools.islice(
        (f"{target.name}: {error}" for target in targets
         for error in target.errors), limit))
