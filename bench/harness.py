"""Time each reporting page against the hand-written SQL for its figures, in the same run, on the same data.

A page is timed server-side through Django's test client (the whole request: scoping, filters, figures,
templates), best of N after a warm-up, with its SQL queries counted. Its SQL is timed the same way on a plain
cursor. Each page is measured at three scopes (the whole organisation, one area, one team), and asked once more
over a much smaller period to show that its query count does not grow with the data.
"""

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse

from bench import sql
from bench.sql import Scope


@dataclass
class Page:
    """One reporting page as the benchmark asks for it: its URL name, extra parameters and its SQL yardstick."""

    name: str
    url_name: str
    sql: Callable
    params: Callable[[Scope], dict] = lambda scope: {}


@dataclass
class Result:
    page: str
    scope: str
    view_seconds: float
    sql_seconds: float
    queries: int
    small_queries: int
    status: int
    notes: list = field(default_factory=list)

    @property
    def name(self) -> str:
        return f"{self.page}@{self.scope}"

    @property
    def ratio(self) -> float:
        return self.view_seconds / self.sql_seconds if self.sql_seconds else float("inf")


def _filter_params(scope: Scope) -> dict:
    params = {"period": scope.period.label}
    if scope.area_id:
        params["area"] = scope.area_id
    if scope.team_id:
        params["team"] = scope.team_id
    return params


def _compare_params(scope: Scope) -> dict:
    extra = scope.extra
    if extra["dimension"] == "period":
        return {"dimension": "period", "periods": ",".join(p.label for p in extra["periods"])}
    return {"dimension": extra["dimension"], "values": extra["values"]}


PAGES = [
    Page("dashboard", "reporting:dashboard", sql.dashboard),
    Page("compare", "reporting:compare", sql.compare, _compare_params),
    Page("consistency", "reporting:consistency", sql.consistency),
    Page(
        "drilldown",
        "reporting:drilldown",
        sql.drilldown,
        lambda scope: {"question": scope.extra["question"], "answer": scope.extra["answer"]},
    ),
]


def available_pages() -> list[Page]:
    """The pages that exist in this build (the benchmark grows as the reporting pages land)."""
    pages = []
    for page in PAGES:
        try:
            reverse(page.url_name)
        except NoReverseMatch:
            continue
        pages.append(page)
    return pages


def _best(function: Callable, repeat: int) -> float:
    function()  # warm-up: connection, caches, plans
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        function()
        best = min(best, time.perf_counter() - started)
    return best


def _get(client: Client, url: str, params: dict) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params)
    if response.status_code != 200:
        raise RuntimeError(f"{url} answered {response.status_code} for {params}")
    return response.status_code, len(queries.captured_queries)


def measure(page: Page, client: Client, scope: Scope, small: Scope, *, today: date, repeat: int) -> Result:
    url = reverse(page.url_name)
    params = {**_filter_params(scope), **page.params(scope)}
    status, queries = _get(client, url, params)
    view_seconds = _best(lambda: client.get(url, params), repeat)
    with connection.cursor() as cursor:
        sql_seconds = _best(lambda: page.sql(cursor, scope, today), repeat)
    _, small_queries = _get(client, url, {**_filter_params(small), **page.params(small)})
    return Result(page.name, scope.name, view_seconds, sql_seconds, queries, small_queries, status)


def floor(user, scope: Scope, *, repeat: int = 3) -> float:
    """Seconds for a reporting page that computes no figure (the comparison page before anything is chosen) at a
    scope: the session, sign-in, purview, filters and templates every page pays before its own queries."""
    client = Client()
    client.force_login(user)
    url = reverse("reporting:compare")
    _get(client, url, _filter_params(scope))
    return _best(lambda: client.get(url, _filter_params(scope)), repeat)


def run(
    user, scopes: list[tuple[Scope, Scope]], *, today: date, repeat: int = 3, only: set | None = None, out=print
) -> list[Result]:
    """Measure every available page (or those named page@scope in `only`) at every (scope, smaller scope) pair,
    printing a line for each."""
    client = Client()
    client.force_login(user)
    results = []
    out(f"{'page@scope':<24} {'view ms':>9} {'sql ms':>9} {'ratio':>6} {'queries':>8} {'small':>6}")
    for page in available_pages():
        for scope, small in scopes:
            if only and f"{page.name}@{scope.name}" not in only and page.name not in only:
                continue
            result = measure(page, client, scope, small, today=today, repeat=repeat)
            results.append(result)
            mark = "" if result.queries == result.small_queries else "  <- query count grows with data"
            out(
                f"{result.name:<24} {result.view_seconds * 1000:>9.1f} {result.sql_seconds * 1000:>9.1f} "
                f"{result.ratio:>6.2f} {result.queries:>8} {result.small_queries:>6}{mark}"
            )
    return results


def summary(results: list[Result], answers: int) -> str:
    if not results:
        return f"bench: views=0 worst_ratio=0.00 worst_view=none max_queries=0 answers={answers}"
    worst = max(results, key=lambda result: result.ratio)
    max_queries = max(max(result.queries, result.small_queries) for result in results)
    return (
        f"bench: views={len(results)} worst_ratio={worst.ratio:.2f} worst_view={worst.name} "
        f"max_queries={max_queries} answers={answers}"
    )
