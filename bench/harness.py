"""Time each reporting page, chart and export against the floor and, where there is one, the hand-written SQL for
its figures, in the same run, on the same data.

A page is timed server-side through Django's test client (the whole request: scoping, filters, figures,
templates or the file), best of N after a warm-up, with its SQL queries counted. A streamed response (an export
written row by row) is read to its end and timed twice: to its first chunk, when the download starts, which is what
its user waits for and what is compared with the floor, and to its last byte, which grows with its output. Its
SQL, where bench.sql has it, is timed the same way on a plain cursor. The floor is a signed-in reporting page that
computes no figure, timed at the same scope. Each page is measured at every scope (the whole organisation, one area,
one team; a business year and a quarter), and asked once more over much less data to show that its query count does
not grow with the data.
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

NATIONAL_DASHBOARD = "dashboard@national"  # the business year's: the page the SQL ratio target is for


@dataclass
class Page:
    """One reporting URL as the benchmark asks for it: its URL name and arguments, extra parameters and its SQL
    yardstick (None for the charts, exports and committee pack, which have only the floor). An optional page is
    skipped when the benchmark's viewer cannot see it."""

    name: str
    url_name: str
    sql: Callable | None = None
    params: Callable[[Scope], dict] = lambda scope: {}
    args: tuple = ()
    optional: bool = False


@dataclass
class Result:
    page: str
    scope: str
    view_seconds: float
    sql_seconds: float | None
    floor_seconds: float
    queries: int
    small_queries: int
    status: int
    notes: list = field(default_factory=list)
    # A streamed response (StreamingHttpResponse): its time to the first chunk (headers and the first rows); then
    # view_seconds is the time to its last byte. None for a response built whole, whose first byte is its last.
    first_byte_seconds: float | None = None
    total_bytes: int = 0

    @property
    def felt_seconds(self) -> float:
        """What the user waits for: the page, or until a streamed download starts."""
        return self.view_seconds if self.first_byte_seconds is None else self.first_byte_seconds

    @property
    def name(self) -> str:
        return f"{self.page}@{self.scope}"

    @property
    def ratio(self) -> float | None:
        """The page's time over its SQL's (None without SQL)."""
        if self.sql_seconds is None:
            return None
        return self.view_seconds / self.sql_seconds if self.sql_seconds else float("inf")

    @property
    def floor_ratio(self) -> float:
        """The time the user waits (a streamed download: until it starts) over the floor's at the same scope."""
        return self.felt_seconds / self.floor_seconds if self.floor_seconds else float("inf")

    @property
    def total_floor_ratio(self) -> float:
        """The time to the last byte over the floor's (for a streamed response, what its output costs)."""
        return self.view_seconds / self.floor_seconds if self.floor_seconds else float("inf")


class NotVisible(Exception):
    """The benchmark's viewer cannot see an optional page."""


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


def _drill_params(scope: Scope) -> dict:
    return {"question": scope.extra["question"], "answer": scope.extra["answer"]}


PAGES = [
    Page("dashboard", "reporting:dashboard", sql.dashboard),
    Page("compare", "reporting:compare", sql.compare, _compare_params),
    Page("consistency", "reporting:consistency", sql.consistency),
    Page("drilldown", "reporting:drilldown", sql.drilldown, _drill_params),
    Page("committee_pack", "reporting:committee_pack"),
    *(Page(f"chart_{name}", "reporting:chart", args=(name,)) for name in ("questions", "trend", "timing")),
    Page("export_questions_csv", "reporting:export", args=("dashboard", "questions", "csv")),
    Page("export_dashboard_xlsx", "reporting:export", args=("dashboard", "all", "xlsx")),
    Page("export_drilldown_csv", "reporting:export", params=_drill_params, args=("drilldown", "drilldown", "csv")),
    # Comments viewers' only: skipped for a viewer who cannot see it (the demo's national viewer).
    Page("comments_csv", "reporting:comments_export", args=("csv",), optional=True),
]


def _url(page: Page) -> str:
    return reverse(page.url_name, args=page.args)


def available_pages() -> list[Page]:
    """The pages that exist in this build (the benchmark grows as the reporting pages land)."""
    pages = []
    for page in PAGES:
        try:
            _url(page)
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


def _fetch(client: Client, url: str, params: dict) -> tuple[float | None, int]:
    """Ask for a page and read all of it: (seconds to the first chunk if it is streamed, else None; bytes)."""
    started = time.perf_counter()
    response = client.get(url, params)
    if not response.streaming:
        return None, len(response.content)
    chunks = iter(response.streaming_content)
    first = next(chunks, b"")
    first_byte = time.perf_counter() - started
    # Read to the end, which closes the response (the test client's wrapper does, as a WSGI server would); closing
    # it a second time would fire request_finished again and close the database connection under the next request.
    size = len(first) + sum(len(chunk) for chunk in chunks)
    return first_byte, size


def _best_fetch(client: Client, url: str, params: dict, repeat: int) -> tuple[float, float | None, int]:
    """Best of `repeat` after a warm-up: (seconds to the last byte, seconds to the first if streamed, bytes)."""
    _fetch(client, url, params)
    best_total, best_first, size = float("inf"), None, 0
    for _ in range(repeat):
        started = time.perf_counter()
        first, size = _fetch(client, url, params)
        best_total = min(best_total, time.perf_counter() - started)
        if first is not None:
            best_first = first if best_first is None else min(best_first, first)
    return best_total, best_first, size


def _get(client: Client, url: str, params: dict, *, optional: bool = False) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params)
        if response.streaming:  # its queries run as it streams
            b"".join(response.streaming_content)
    if optional and response.status_code == 404:
        raise NotVisible(url)
    if response.status_code != 200:
        raise RuntimeError(f"{url} answered {response.status_code} for {params}")
    return response.status_code, len(queries.captured_queries)


def measure(
    page: Page, client: Client, scope: Scope, small: Scope, *, today: date, repeat: int, floor_seconds: float
) -> Result:
    url = _url(page)
    params = {**_filter_params(scope), **page.params(scope)}
    status, queries = _get(client, url, params, optional=page.optional)
    view_seconds, first_byte_seconds, size = _best_fetch(client, url, params, repeat)
    sql_seconds = None
    if page.sql is not None:
        with connection.cursor() as cursor:
            sql_seconds = _best(lambda: page.sql(cursor, scope, today), repeat)
    _, small_queries = _get(client, url, {**_filter_params(small), **page.params(small)})
    return Result(
        page.name,
        scope.name,
        view_seconds,
        sql_seconds,
        floor_seconds,
        queries,
        small_queries,
        status,
        first_byte_seconds=first_byte_seconds,
        total_bytes=size,
    )


def floor(user, scope: Scope, *, repeat: int = 3) -> float:
    """Seconds for a reporting page that computes no figure (the comparison page before anything is chosen) at a
    scope: the session, sign-in, purview, filters and templates every page pays before its own queries."""
    client = Client()
    client.force_login(user)
    url = reverse("reporting:compare")
    _get(client, url, _filter_params(scope))
    return _best(lambda: client.get(url, _filter_params(scope)), repeat)


def _wanted(page: Page, scope: Scope, only: set | None) -> bool:
    return not only or f"{page.name}@{scope.name}" in only or page.name in only


def _ms(seconds: float | None) -> str:
    return "-" if seconds is None else f"{seconds * 1000:.1f}"


def _times(ratio: float | None) -> str:
    return "-" if ratio is None else f"{ratio:.2f}"


def run(
    user, scopes: list[tuple[Scope, Scope]], *, today: date, repeat: int = 3, only: set | None = None, out=print
) -> list[Result]:
    """Measure every available page (or those named page@scope in `only`) at every (scope, smaller scope) pair,
    printing the floor of each scope measured, then a line for each page and scope."""
    client = Client()
    client.force_login(user)
    pages = available_pages()
    floors = {}
    for scope, _ in scopes:
        if any(_wanted(page, scope, only) for page in pages):
            floors[scope.name] = floor(user, scope, repeat=repeat)
            out(f"bench: floor@{scope.name} {_ms(floors[scope.name])} ms (a reporting page that computes no figure)")
    results, hidden = [], set()
    out(f"{'page@scope':<40} {'view ms':>9} {'sql ms':>9} {'/sql':>6} {'/floor':>7} {'queries':>8} {'small':>6}")
    for page in pages:
        for scope, small in scopes:
            if page.name in hidden or not _wanted(page, scope, only):
                continue
            try:
                result = measure(
                    page, client, scope, small, today=today, repeat=repeat, floor_seconds=floors[scope.name]
                )
            except NotVisible:
                hidden.add(page.name)
                out(f"bench: skipped {page.name}: the benchmark's viewer cannot see it")
                continue
            results.append(result)
            mark = "" if result.queries == result.small_queries else "  <- query count grows with data"
            if result.first_byte_seconds is not None:
                mark += (
                    f"  streamed: first byte {_ms(result.first_byte_seconds)} ms, last {_ms(result.view_seconds)} ms "
                    f"({result.total_floor_ratio:.1f} floors, {result.total_bytes / 1024:.0f} KiB)"
                )
            out(
                f"{result.name:<40} {_ms(result.felt_seconds):>9} {_ms(result.sql_seconds):>9} "
                f"{_times(result.ratio):>6} {result.floor_ratio:>7.1f} {result.queries:>8} {result.small_queries:>6}"
                f"{mark}"
            )
    return results


def national_dashboard_sql_ratio(results: list[Result]) -> float | None:
    """The national dashboard's (business year) time over the naive SQL's for the same figures: below 1 is faster
    than the SQL; the target is at most 0.05 (20 times faster). None if it was not measured (--only)."""
    return next((result.ratio for result in results if result.name == NATIONAL_DASHBOARD), None)


def summary(results: list[Result], answers: int) -> str:
    """The last line: the pages measured, the slowest over the floor at its scope, the national dashboard over its
    SQL ("n/a" when --only left it out), the most queries any page ran, and the answers in the database."""
    sql_ratio = national_dashboard_sql_ratio(results)
    sql_text = "n/a" if sql_ratio is None else f"{sql_ratio:.2f}"
    if not results:
        return (
            f"bench: views=0 worst_floor_ratio=0.0 worst_view=none national_dashboard_sql_ratio={sql_text} "
            f"max_queries=0 answers={answers}"
        )
    worst = max(results, key=lambda result: result.floor_ratio)
    max_queries = max(max(result.queries, result.small_queries) for result in results)
    return (
        f"bench: views={len(results)} worst_floor_ratio={worst.floor_ratio:.1f} worst_view={worst.name} "
        f"national_dashboard_sql_ratio={sql_text} max_queries={max_queries} answers={answers}"
    )
