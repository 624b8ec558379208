"""`make bench`: every reporting page against the floor and hand-written SQL on national data (~300k IQAs, ~3M answers).

Builds its own database (BENCH_DATABASE, default qa_bench, on the server DATABASE_URL names) if missing: migrates
it and loads `seed_demo --scale national` (a minute or two). Then, as the demo national viewer, times every
reporting page (dashboard, compare, consistency, drill-down, committee pack, each chart, and the exports: one
dashboard table as CSV, the whole dashboard as XLSX, the drill-down as CSV; the comments extract is skipped, as the
national viewer cannot see it) at national, area and team scope, for the last complete business year and for a
quarter of it. Each is timed against the floor (a signed-in reporting page that computes no figure, at the same
scope) and, where bench.sql has one, the hand-written SQL for the same figures; each page's query count is checked
to be the same over much less data. Ends with:

    bench: views=N worst_floor_ratio=X.X worst_view=NAME national_dashboard_sql_ratio=X.XX max_queries=N answers=N

worst_floor_ratio is the slowest page's time over the floor at its scope (target: at most 10, every reporting page
costs at most ten empty signed-in pages; a streamed export counts until its download starts, and its time to the
last byte is printed beside it); national_dashboard_sql_ratio is the national dashboard's (business year)
time over the naive SQL's for the same figures, so below 1 is faster than the SQL (target: at most 0.05, i.e. at
least 20 times faster; "n/a" when --only leaves that page out). Query counts must not grow with the data. Pages
that miss are named above the last line (and --strict exits 1).
"""

import argparse
import os
import sys
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))

import psycopg  # noqa: E402

TARGET_FLOOR_RATIO = 10.0
TARGET_SQL_RATIO = 0.05  # the national dashboard at least 20 times faster than the naive SQL


def bench_database_url(base_url: str, name: str) -> str:
    parts = urlsplit(base_url)
    return urlunsplit(parts._replace(path=f"/{name}"))


def ensure_database(url: str) -> None:
    name = urlsplit(url).path.lstrip("/")
    with psycopg.connect(bench_database_url(url, "postgres"), autocommit=True) as server:
        if not server.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            server.execute(f'CREATE DATABASE "{name}"')
            print(f"bench: created database {name}")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", default=os.environ.get("BENCH_DATABASE", "qa_bench"))
    parser.add_argument("--repeat", type=int, default=3, help="Timed runs of each page and each SQL (best is kept).")
    parser.add_argument("--only", nargs="*", help="Pages (dashboard) or page@scope (dashboard@area) to measure.")
    parser.add_argument("--strict", action="store_true", help="Exit 1 if a page misses the target.")
    args = parser.parse_args(argv)
    if not os.environ.get("DATABASE_URL"):
        parser.error("DATABASE_URL must name a PostgreSQL server (make bench runs under devserver exec).")
    url = bench_database_url(os.environ["DATABASE_URL"], args.database)
    ensure_database(url)
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "qa_platform.settings")

    import django

    django.setup()
    from django.utils import timezone

    from assessments.models import Answer
    from bench.harness import national_dashboard_sql_ratio, run, summary
    from bench.national import prepare, scopes_for

    user = prepare()
    today = timezone.localdate()
    results = run(user, scopes_for(today), today=today, repeat=args.repeat, only=set(args.only or ()))
    slow = [result.name for result in results if result.floor_ratio > TARGET_FLOOR_RATIO]
    growing = [result.name for result in results if result.queries != result.small_queries]
    sql_ratio = national_dashboard_sql_ratio(results)
    over_sql = sql_ratio is not None and sql_ratio > TARGET_SQL_RATIO
    streamed = [result for result in results if result.first_byte_seconds is not None]
    if streamed:
        longest = max(streamed, key=lambda result: result.total_floor_ratio)
        print(
            f"bench: streamed={len(streamed)} (timed to the first byte) longest={longest.name} "
            f"first_byte_ms={longest.first_byte_seconds * 1000:.0f} last_byte_ms={longest.view_seconds * 1000:.0f} "
            f"({longest.total_floor_ratio:.1f} floors, {longest.total_bytes / 1024:.0f} KiB)"
        )
    if slow:
        print(f"bench: over {TARGET_FLOOR_RATIO:.0f}x the floor: {', '.join(slow)}")
    if over_sql:
        print(f"bench: the national dashboard takes {sql_ratio:.2f} of its SQL's time (target {TARGET_SQL_RATIO})")
    if growing:
        print(f"bench: query count grows with the data: {', '.join(growing)}")
    print(summary(results, Answer.objects.count()))
    return 1 if args.strict and (slow or over_sql or growing) else 0


if __name__ == "__main__":
    sys.exit(main())
