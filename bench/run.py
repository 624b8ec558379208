"""`make bench`: the reporting pages against hand-written SQL on national-scale data (~300k IQAs, ~3M answers).

Builds its own database (BENCH_DATABASE, default qa_bench, on the server DATABASE_URL names) if missing: migrates
it and loads `seed_demo --scale national` (a minute or two). Then, as the demo national viewer, times every
reporting page at national, area and team scope for the last complete business year, beside the SQL for the same
figures, and checks that each page's query count is the same over one month as over the year. Ends with:

    bench: views=N worst_ratio=X.XX worst_view=NAME max_queries=N answers=N

Target: every ratio at most 2 and query counts that do not grow with the data; pages that miss are named
above the last line (and --strict exits 1).
"""

import argparse
import os
import sys
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))

import psycopg  # noqa: E402

TARGET_RATIO = 2.0


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
    from bench.harness import floor, run, summary
    from bench.national import prepare, scopes_for

    user = prepare()
    today = timezone.localdate()
    scopes = scopes_for(today)
    results = run(user, scopes, today=today, repeat=args.repeat, only=set(args.only or ()))
    for scope, _ in scopes:
        seconds = floor(user, scope, repeat=args.repeat)
        print(f"bench: floor@{scope.name} {seconds * 1000:.1f} ms (a reporting page that computes no figure)")
    slow = [result.name for result in results if result.ratio > TARGET_RATIO]
    growing = [result.name for result in results if result.queries != result.small_queries]
    if slow:
        print(f"bench: over {TARGET_RATIO:.0f}x their SQL: {', '.join(slow)}")
    if growing:
        print(f"bench: query count grows with the data: {', '.join(growing)}")
    print(summary(results, Answer.objects.count()))
    return 1 if args.strict and (slow or growing) else 0


if __name__ == "__main__":
    sys.exit(main())
