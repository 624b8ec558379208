"""`make load`: a bounded Locust test on loopback against gunicorn serving the national demo.

Uses the benchmark's database (BENCH_DATABASE, default qa_bench, built by bench/run.py's steps if missing), starts
gunicorn on 127.0.0.1 with 3 workers as in production, then runs Locust headless twice: one user touring every
role's pages (the yardstick), then 50 users with mixed roles (bench/locustfile.py: most assess or are assessed, a
quarter read reports), 5-15 s between pages. Ends with

    load: users=50 requests=N failures=N p95_ms=N p95_ratio=X.X worst_page=NAME

where p95_ratio is the p95 of all requests at 50 users over the p95 at one user. Target: 0 failures and
p95_ratio <= 3 (--strict exits 1 when missed).
"""

import argparse
import csv
import os
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))

from bench.load_roles import ROLE_USERS, role_class_name  # noqa: E402
from bench.run import bench_database_url, ensure_database  # noqa: E402

TARGET_RATIO = 3.0
LOCUSTFILE = BASE_DIR / "bench" / "locustfile.py"


def prepare_database(url: str) -> None:
    """Migrate the bench database and load the national demo if missing (as `make bench` does)."""
    ensure_database(url)
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "qa_platform.settings")
    import django

    django.setup()
    from bench.national import prepare

    prepare()


def start_gunicorn(port: int, workers: int) -> subprocess.Popen:
    # The production settings (gunicorn.conf.py), on loopback, with warnings only in the log.
    command = [sys.executable, "-m", "gunicorn", "qa_platform.wsgi", "--config", "gunicorn.conf.py"]
    command += ["--bind", f"127.0.0.1:{port}", "--workers", str(workers), "--timeout", "120"]
    server = subprocess.Popen(command, cwd=BASE_DIR, env={**os.environ, "LOG_LEVEL": "WARNING"})
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/accounts/login/", timeout=5):  # noqa: S310
                return server
        except OSError:
            time.sleep(0.5)
    server.terminate()
    raise SystemExit("load: gunicorn did not answer within 60 s")


def run_locust(port: int, users: int, seconds: int, classes: list[str], prefix: Path) -> dict[str, dict]:
    command = [sys.executable, "-m", "locust", "-f", str(LOCUSTFILE), "--headless", "--only-summary"]
    command += ["--host", f"http://127.0.0.1:{port}", "-u", str(users), "-r", str(min(users, 5))]
    command += ["-t", f"{seconds}s", "--csv", str(prefix), "--stop-timeout", "30", *classes]
    done = subprocess.run(command, cwd=BASE_DIR, check=False, capture_output=True, text=True)
    if not Path(f"{prefix}_stats.csv").exists():
        raise SystemExit(f"load: Locust wrote no figures:\n{done.stderr[-3000:]}")
    with open(f"{prefix}_stats.csv", newline="") as stats:
        return {row["Name"]: row for row in csv.DictReader(stats)}


def p95(row: dict) -> float:
    return float(row["95%"]) if row["95%"] not in ("", "N/A") else 0.0


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", default=os.environ.get("BENCH_DATABASE", "qa_bench"))
    parser.add_argument("--port", type=int, default=int(os.environ.get("LOAD_PORT", "8765")))
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--solo-seconds", type=int, default=60, help="The one-user phase.")
    parser.add_argument("--seconds", type=int, default=180, help="The 50-user phase, ramping 5 users a second.")
    parser.add_argument("--strict", action="store_true", help="Exit 1 if the target is missed.")
    args = parser.parse_args(argv)
    if not os.environ.get("DATABASE_URL"):
        parser.error("DATABASE_URL must name a PostgreSQL server (make load runs under devserver exec).")
    prepare_database(bench_database_url(os.environ["DATABASE_URL"], args.database))

    server = start_gunicorn(args.port, args.workers)
    try:
        with tempfile.TemporaryDirectory() as tmp:
            solo = run_locust(args.port, 1, args.solo_seconds, ["Tour"], Path(tmp) / "solo")
            crowd = run_locust(
                args.port,
                args.users,
                args.seconds,
                [role_class_name(email) for email in ROLE_USERS],
                Path(tmp) / "crowd",
            )
    finally:
        server.terminate()
        server.wait(timeout=30)

    pages = sorted((name for name in crowd if name != "Aggregated"), key=lambda name: -p95(crowd[name]))
    print("load: page                        1 user p95 ms   50 users p95 ms   requests")
    for name in pages:
        alone = p95(solo[name]) if name in solo else float("nan")
        print(f"load: {name:<28} {alone:>14.0f} {p95(crowd[name]):>17.0f} {crowd[name]['Request Count']:>10}")
    total, yardstick = crowd["Aggregated"], solo["Aggregated"]
    ratio = p95(total) / p95(yardstick) if p95(yardstick) else float("inf")
    failures = int(total["Failure Count"]) + int(yardstick["Failure Count"])
    print(f"load: one user: requests={yardstick['Request Count']} p95_ms={p95(yardstick):.0f}")
    print(
        f"load: users={args.users} requests={total['Request Count']} failures={failures} "
        f"p95_ms={p95(total):.0f} p95_ratio={ratio:.1f} worst_page={pages[0] if pages else '-'}"
    )
    return 1 if args.strict and (failures or ratio > TARGET_RATIO) else 0


if __name__ == "__main__":
    sys.exit(main())
