"""The benchmark harness on a tiny national demo, so `make bench` cannot rot: every page, chart and export runs at
every scope against the floor (and its SQL where there is one), the query counts match between a period and a
smaller one, and the last line has the agreed shape."""

import re

import pytest
from django.http import StreamingHttpResponse
from django.utils import timezone

from bench.harness import _fetch, available_pages, floor, national_dashboard_sql_ratio, run, summary
from bench.national import scopes_for
from demo.national import seed_national_iqas

SUMMARY = re.compile(
    r"^bench: views=\d+ worst_floor_ratio=\d+\.\d worst_view=\S+@\S+ national_dashboard_sql_ratio=\d+\.\d\d "
    r"max_queries=\d+ answers=\d+$"
)
SCOPES = {"national", "area", "team", "national-quarter", "area-quarter", "team-quarter"}
WITH_SQL = {"dashboard", "compare", "consistency", "drilldown"}


@pytest.fixture
def tiny_national(org, assessor, assessed, colleague, neighbour, dip_sampler):
    today = timezone.localdate()
    for person in (assessor, assessed, colleague, neighbour, dip_sampler):
        person.memberships.update(starts_on=today.replace(year=today.year - 5))
    seed_national_iqas(today=today, iqas=300, years=5)
    return today


@pytest.fixture
def scopes(tiny_national, org):
    return scopes_for(tiny_national, area=org.area_a, teams=[org.team_a1a, org.team_a1b])


@pytest.fixture
def measured(tiny_national, scopes, national_viewer):
    lines = []
    results = run(national_viewer, scopes, today=tiny_national, repeat=1, out=lines.append)
    return results, lines


def test_it_times_every_reporting_page_chart_and_export_at_every_scope(measured):
    results, lines = measured

    pages = {page.name for page in available_pages()}
    assert WITH_SQL | {"committee_pack", "chart_questions", "chart_trend", "chart_timing"} <= pages
    assert {"export_questions_csv", "export_dashboard_xlsx", "export_drilldown_csv"} <= pages
    measured_pages = pages - {"comments_csv"}  # the national viewer cannot see the comments extract
    assert {(result.page, result.scope) for result in results} == {
        (page, scope) for page in measured_pages for scope in SCOPES
    }
    assert all(result.status == 200 and result.view_seconds > 0 and result.floor_seconds > 0 for result in results)
    # Only the pages with hand-written SQL are timed against it.
    assert {result.page for result in results if result.sql_seconds is not None} == WITH_SQL
    assert all(result.sql_seconds > 0 for result in results if result.page in WITH_SQL)
    # A floor per scope, a header, a line per page and scope, and a line saying the comments extract was skipped.
    assert [line for line in lines if line.startswith("bench: floor@")] == [
        line for line in lines if re.match(r"^bench: floor@(\S+) \d+\.\d ms", line)
    ]
    assert len([line for line in lines if line.startswith("bench: floor@")]) == len(SCOPES)
    assert "bench: skipped comments_csv: the benchmark's viewer cannot see it" in lines
    assert len(lines) == len(SCOPES) + 1 + len(results) + 1


def test_it_measures_each_page_against_the_floor_at_its_own_scope(measured):
    results, lines = measured
    floors = {match[1]: float(match[2]) for line in lines if (match := re.match(r"^bench: floor@(\S+) (\S+) ms", line))}
    for result in results:
        assert result.floor_seconds * 1000 == pytest.approx(floors[result.scope], abs=0.051)
        # A streamed export is felt until its first byte, every other page until its last.
        felt = result.view_seconds if result.first_byte_seconds is None else result.first_byte_seconds
        assert result.floor_ratio == pytest.approx(felt / result.floor_seconds)
        line = next(line for line in lines if line.startswith(f"{result.name} "))
        assert line.split()[4] == f"{result.floor_ratio:.1f}"
        assert line.split()[3] == ("-" if result.ratio is None else f"{result.ratio:.2f}")


def test_it_times_a_streamed_export_to_its_first_and_its_last_byte(measured):
    results, _ = measured
    streamed = [result for result in results if result.name.startswith("export_drilldown_csv@")]
    assert streamed and all(0 < r.first_byte_seconds <= r.view_seconds and r.total_bytes > 0 for r in streamed)
    assert all(r.first_byte_seconds is None for r in results if r.name.startswith("dashboard@"))


def test_it_finds_each_pages_query_count_the_same_over_less_data(measured):
    results, _ = measured

    assert [(r.name, r.queries) for r in results] == [(r.name, r.small_queries) for r in results]


def test_it_ends_with_the_summary_line(measured):
    results, _ = measured

    line = summary(results, answers=1234)

    assert SUMMARY.match(line), line
    worst = max(results, key=lambda result: result.floor_ratio)
    dashboard = next(result for result in results if result.name == "dashboard@national")
    assert f"views={len(results)} " in line and line.endswith("answers=1234")
    assert f"worst_floor_ratio={worst.floor_ratio:.1f} worst_view={worst.name} " in line
    assert national_dashboard_sql_ratio(results) == dashboard.view_seconds / dashboard.sql_seconds
    assert f"national_dashboard_sql_ratio={dashboard.view_seconds / dashboard.sql_seconds:.2f} " in line
    assert f"max_queries={max(max(r.queries, r.small_queries) for r in results)} " in line


def test_it_keeps_the_only_option(tiny_national, scopes, national_viewer):
    results = run(
        national_viewer,
        scopes,
        today=tiny_national,
        repeat=1,
        only={"drilldown", "chart_trend@team-quarter"},
        out=lambda line: None,
    )

    assert sorted(result.name for result in results) == sorted(
        [f"drilldown@{scope}" for scope in SCOPES] + ["chart_trend@team-quarter"]
    )
    # Without the national dashboard there is no SQL ratio to give.
    assert "national_dashboard_sql_ratio=n/a " in summary(results, answers=1)


def test_it_says_so_when_there_is_nothing_to_time():
    assert summary([], answers=0) == (
        "bench: views=0 worst_floor_ratio=0.0 worst_view=none national_dashboard_sql_ratio=n/a max_queries=0 answers=0"
    )


def test_it_times_a_reporting_page_that_computes_no_figure(scopes, national_viewer):
    scope, _ = scopes[2]

    assert floor(national_viewer, scope, repeat=1) > 0


@pytest.mark.django_db  # closing the response ends the request, which tidies the connections
def test_a_streamed_response_is_timed_to_its_first_byte_and_read_to_its_last():
    class Streaming:  # a client whose page is an export written row by row
        def get(self, url, params):
            return StreamingHttpResponse(iter([b"a,b\n", b"1,2\n", b"3,4\n"]), content_type="text/csv")

    first_byte, size = _fetch(Streaming(), "/export.csv", {})
    assert first_byte is not None and first_byte >= 0 and size == 12
