"""The benchmark harness on a tiny national demo, so `make bench` cannot rot: every page and its SQL run, the
query counts match between a year and a smaller year, and the last line has the agreed shape."""

import re

import pytest
from django.utils import timezone

from bench.harness import available_pages, floor, run, summary
from bench.national import scopes_for
from reporting.national_demo import seed_national_iqas

SUMMARY = re.compile(r"^bench: views=\d+ worst_ratio=\d+\.\d\d worst_view=\S+ max_queries=\d+ answers=\d+$")


@pytest.fixture
def tiny_national(org, assessor, assessed, colleague, neighbour, dip_sampler):
    today = timezone.localdate()
    for person in (assessor, assessed, colleague, neighbour, dip_sampler):
        person.memberships.update(starts_on=today.replace(year=today.year - 5))
    seed_national_iqas(today=today, iqas=300, years=5)
    return today


def test_it_times_every_reporting_page_at_three_scopes_against_its_sql(tiny_national, org, national_viewer):
    lines = []
    scopes = scopes_for(tiny_national, area=org.area_a, teams=[org.team_a1a, org.team_a1b])

    results = run(national_viewer, scopes, today=tiny_national, repeat=1, out=lines.append)

    pages = {page.name for page in available_pages()}
    assert {"dashboard", "compare", "consistency", "drilldown"} <= pages
    assert {(result.page, result.scope) for result in results} == {
        (page, scope) for page in pages for scope in ("national", "area", "team")
    }
    assert all(result.status == 200 and result.view_seconds > 0 and result.sql_seconds > 0 for result in results)
    assert len(lines) == len(results) + 1  # the header, then a line per page and scope


def test_it_finds_each_pages_query_count_the_same_over_less_data(tiny_national, org, national_viewer):
    scopes = scopes_for(tiny_national, area=org.area_a, teams=[org.team_a1a, org.team_a1b])

    results = run(national_viewer, scopes, today=tiny_national, repeat=1, out=lambda line: None)

    assert [(r.name, r.queries) for r in results] == [(r.name, r.small_queries) for r in results]


def test_it_ends_with_the_summary_line(tiny_national, org, national_viewer):
    scopes = scopes_for(tiny_national, area=org.area_a, teams=[org.team_a1a, org.team_a1b])
    results = run(national_viewer, scopes, today=tiny_national, repeat=1, only={"drilldown"}, out=lambda line: None)

    line = summary(results, answers=1234)

    assert SUMMARY.match(line), line
    assert line.endswith("answers=1234") and "views=3 " in line and "worst_view=drilldown@" in line


def test_it_says_so_when_there_is_nothing_to_time():
    assert summary([], answers=0) == "bench: views=0 worst_ratio=0.00 worst_view=none max_queries=0 answers=0"


def test_it_times_a_reporting_page_that_computes_no_figure(tiny_national, org, national_viewer):
    scope, _ = scopes_for(tiny_national, area=org.area_a, teams=[org.team_a1a, org.team_a1b])[2]

    assert floor(national_viewer, scope, repeat=1) > 0
