"""Autosave latency under load next to a bare one-row Peewee update.

    python -m bench.autosave --rate 20 --duration 20 \\
        --autosave-path '/plans/{plan}/contact' \\
        --autosave-body 'field=title&value=bench+{n}&version=1000000'

The script builds a fresh benchmark database: a SQLite file under
bench/results/, or with --database-url postgresql://... a new database
on that server, dropped afterwards. It serves the app (wsgi:app) and the
bare endpoint (bench.bare_app:app) under gunicorn on loopback ports with
the same worker count, drives both at the same rate in the same run,
and prints p50/p95 latency and reply size of each. Without
--autosave-path only the bare endpoint is measured.
"""

import argparse
import contextlib
import json
import os
import secrets
import subprocess
import sys
import time
from urllib.parse import urlsplit, urlunsplit

import psycopg2

from bench.load import Target, drive, first_errors, format_table, summarise
from bench.servers import ROOT, gunicorn

RESULTS = ROOT / "bench" / "results"
FORM = "application/x-www-form-urlencoded"


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rate", type=float, default=20,
                        help="requests per second to each endpoint")
    parser.add_argument("--duration", type=float, default=20,
                        help="seconds of load (at most 300)")
    parser.add_argument("--threads", type=int, default=8,
                        help="client threads sending requests")
    parser.add_argument("--workers", type=int, default=2,
                        help="gunicorn workers per server")
    parser.add_argument("--database-url",
                        help="a PostgreSQL server URL to create the "
                             "benchmark database on; default: a new "
                             "SQLite file under bench/results/")
    parser.add_argument("--autosave-path",
                        help="autosave URL path; {plan}, {contact} and "
                             "{member} are replaced by the fixture's ids")
    parser.add_argument("--autosave-body", default="value=bench+{n}",
                        help="form body; {n} is the request number")
    args = parser.parse_args()
    args.duration = min(args.duration, 300)
    return args


def build_fixture(env):
    output = subprocess.run([sys.executable, "-m", "bench.fixture"],
                            cwd=ROOT, env=dict(os.environ, **env),
                            check=True, capture_output=True, text=True)
    return json.loads(output.stdout)


def app_target(base_url, args, fixture):
    path = args.autosave_path.format(**fixture)
    return Target(
        "autosave", base_url + path,
        body=lambda n: args.autosave_body.format(n=n, **fixture),
        headers={"Content-Type": FORM, "HX-Request": "true",
                 "X-CSRFToken": fixture["csrf_token"],
                 "Cookie": f"{fixture['cookie_name']}={fixture['cookie']}"})


def bare_target(base_url, fixture):
    return Target("bare Flask + Peewee",
                  f"{base_url}/bare/contact/{fixture['contact']}",
                  body=lambda n: f"value=bench+{n}",
                  headers={"Content-Type": FORM})


@contextlib.contextmanager
def benchmark_database(server_url):
    """Yield the URL of a new, empty database, and drop it afterwards."""
    if not server_url:
        for stale in RESULTS.glob("autosave.sqlite3*"):
            stale.unlink()
        yield f"sqlite:///{RESULTS / 'autosave.sqlite3'}"
        return
    name = f"aip_bench_{secrets.token_hex(6)}"
    admin = psycopg2.connect(server_url)
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}"')
    try:
        yield urlunsplit(urlsplit(server_url)._replace(path=f"/{name}"))
    finally:
        with admin.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


def main():
    args = parse_args()
    RESULTS.mkdir(parents=True, exist_ok=True)
    with benchmark_database(args.database_url) as database_url:
        targets = run(args, database_url)
    rows = [summarise(target) for target in targets]
    print(f"{args.rate:g} requests/s per endpoint for {args.duration:g} s, "
          f"{args.workers} gunicorn workers each, "
          f"{urlsplit(database_url).scheme}")
    print(format_table(rows))
    if len(rows) == 2:
        print(f"autosave p95 / bare p95: "
              f"{rows[0]['p95_ms'] / rows[1]['p95_ms']:.2f} (budget 3.00)")
    for error in first_errors(targets):
        print("error:", error)
    stamp = time.strftime("%Y%m%dT%H%M%S")
    (RESULTS / f"autosave-{stamp}.json").write_text(json.dumps(rows, indent=2))
    return 1 if any(row["errors"] for row in rows) else 0


def run(args, database_url):
    """Serve the app and the bare endpoint, drive them; return targets."""
    env = {"AIP_ENV": "production", "AIP_DATABASE_URL": database_url,
           "AIP_SECRET_KEY": secrets.token_hex(32)}
    fixture = build_fixture(env)
    log = RESULTS / "autosave-servers.log"

    with gunicorn("bench.bare_app:app", env, args.workers, log) as bare_url, \
            gunicorn("wsgi:app", env, args.workers, log) as app_url:
        targets = [bare_target(bare_url, fixture)]
        if args.autosave_path:
            targets.insert(0, app_target(app_url, args, fixture))
        drive(targets, args.rate, args.duration, args.threads)
    return targets


if __name__ == "__main__":
    sys.exit(main())
