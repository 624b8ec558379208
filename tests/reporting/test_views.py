"""The reporting pages: figures shown for the viewer's purview only, outsiders and the anonymous kept out,
bad filter input answered next to the field, and a constant number of queries."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from assessments.models import AnswerValue
from reporting.stats import Rate
from tests.factories import AssessmentFactory, PersonFactory
from tests.reporting.conftest import Q3

# Each test on the facts and on the raw rows (see figure_path).
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("figure_path")]
LONDON = ZoneInfo("Europe/London")

PAGES = ["reporting:dashboard", "reporting:compare", "reporting:consistency", "reporting:drilldown"]


def tables_of(response):
    return {table.name: table for table in response.context["tables"]}


def row_titled(table, title):
    return next(row for row in table.rows if row[0].value == title)


@pytest.mark.parametrize("name", [*PAGES, "reporting:committee_pack"])
def test_it_sends_the_anonymous_to_log_in(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 302 and reverse("login") in response.url


@pytest.mark.parametrize("name", [*PAGES, "reporting:committee_pack", "reporting:comments"])
def test_it_is_a_404_without_a_reporting_role(client, outsider, assessor, name):
    for person in (outsider, assessor):
        client.force_login(person)
        assert client.get(reverse(name)).status_code == 404


def test_it_shows_the_dashboard_figures_of_the_purview(client, performance_viewer, small_dataset):
    client.force_login(performance_viewer)
    response = client.get(reverse("reporting:dashboard"), {"period": Q3.label})
    assert response.status_code == 200
    summary = tables_of(response)["summary"]
    # Area A only: the IQA in area B is not counted.
    assert row_titled(summary, "Answers fully met")[3].value == Rate(34, 37)
    assert row_titled(summary, "Recorded the same or next working day")[3].value == Rate(3, 4)
    questions = {row[1].value: row for row in tables_of(response)["questions"].rows}
    assert questions["Q9"][4].value == Rate(1, 3)
    trend = {row[0].value: row for row in tables_of(response)["question_trend"].rows}
    assert [cell.value for cell in trend["Q9 (Case progression)"][-2:]] == [Rate(0, 1), Rate(1, 3)]  # Q2, Q3
    assert "too few to judge" in response.content.decode()


def test_it_shows_a_national_viewer_every_area(client, national_viewer, small_dataset):
    client.force_login(national_viewer)
    response = client.get(reverse("reporting:dashboard"), {"period": Q3.label})
    assert row_titled(tables_of(response)["summary"], "Recorded the same or next working day")[3].value == Rate(4, 5)


def test_it_refuses_a_foreign_team_as_a_filter(client, performance_viewer, org, small_dataset):
    client.force_login(performance_viewer)
    response = client.get(reverse("reporting:dashboard"), {"period": Q3.label, "team": org.team_b1a.pk})
    assert response.status_code == 200
    assert "team" in response.context["filter"].form.errors
    on_time = row_titled(tables_of(response)["summary"], "Recorded the same or next working day")
    assert on_time[3].value == Rate(3, 4)
    assert "team=" not in on_time[0].href, "a refused filter is not carried into the drill-down link"


def test_it_says_what_is_wrong_with_a_period_and_keeps_it(client, performance_viewer, org):
    client.force_login(performance_viewer)
    response = client.get(reverse("reporting:dashboard"), {"period": "2025-27"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "is not a period" in body
    assert 'value="2025-27"' in body


def test_it_narrows_by_team(client, performance_viewer, org, small_dataset):
    client.force_login(performance_viewer)
    response = client.get(reverse("reporting:dashboard"), {"period": Q3.label, "team": org.team_a1b.pk})
    assert row_titled(tables_of(response)["summary"], "Answers fully met")[3].value == Rate(19, 20)


def _make_iqas(org, count):
    assessor = PersonFactory()
    for number in range(count):
        AssessmentFactory(
            team=org.team_a1a if number % 2 else org.team_a1b,
            assessor=assessor,
            work_date=date(2025, 10, 1 + number % 28),
            answer=AnswerValue.NOT_MET if number % 3 == 0 else None,
        )


# Every page: session, user, grants (roles and purviews), the purview's teams with their units and areas (the scope
# and the place selects), the assessor select; saving the session (savepoint, update, release) = 8, plus the page's
# own figures:
# - dashboard: IQA counts (1), proxy target (5), dip sample rates (1), questions (1, whose sums give the answer
#   totals and the activities'), trend by question (1, whose sums give the overall trend), reasons (1), annex B (1),
#   performance measures and their activities' rates (2), annex C (1: it counts the IQAs recorded in the period,
#   not the IQAs of work done in it that the other counts are over) = 14; its three charts are drawn inline from
#   those tables' cells (no query, and no more requests)
# - compare by team: grouped overview (2), grouped questions (1) = 3 (the team choices are the filter's)
# - consistency: answers by assessor, IQAs by assessor, re-marks by assessor = 3
# - drill-down: count, page, and the page's assessors, assessed people and cases, and which of the page's IQAs the
#   viewer may open (to link them) = 6 (the teams are the filter's)
# - committee pack: the dashboard's 14 and consistency's 3 (once, for its table and the outliers), without the
#   assessor select = 24
# From the facts, the questions and their trend are one scan of the answer facts, and the IQA counts, annex C and
# the dip sample rates one scan of the IQA facts (three queries fewer).
@pytest.mark.parametrize(
    ("name", "raw_queries", "fact_queries"),
    [
        ("reporting:dashboard", 22, 19),
        ("reporting:compare", 11, 11),
        ("reporting:consistency", 11, 11),
        ("reporting:drilldown", 14, 14),
        ("reporting:committee_pack", 24, 21),
    ],
)
def test_it_renders_each_page_in_constant_queries(
    client, performance_viewer, org, assessor, django_assert_num_queries, figure_path, name, raw_queries, fact_queries
):
    queries = fact_queries if figure_path == "facts" else raw_queries
    client.force_login(performance_viewer)
    params = {"period": Q3.label, "dimension": "team", "values": [org.team_a1a.pk, org.team_a1b.pk]}
    for count in (5, 50):
        _make_iqas(org, count)
        with django_assert_num_queries(queries):
            response = client.get(reverse(name), params)
        assert response.status_code == 200


def test_it_offers_only_places_in_the_purview_and_keeps_the_choice(client, performance_viewer, org):
    client.force_login(performance_viewer)
    response = client.get(reverse("reporting:dashboard"), {"team": org.team_a1b.pk})
    options = response.context["filter"].options_for("team")
    assert [label for _, label in options[1:]] == ["Team A1a, Unit A1", "Team A1b, Unit A1"]
    assert f'<option value="{org.team_a1b.pk}" selected>' in response.content.decode()
    assert [label for _, label in response.context["filter"].options_for("area")[1:]] == ["Area A"]


def test_it_shows_a_team_level_viewer_only_their_team(client, org, small_dataset):
    from organisation.models import PurviewLevel, Role
    from tests.factories import RoleGrantFactory

    viewer = PersonFactory()
    RoleGrantFactory(person=viewer, role=Role.PERFORMANCE_VIEWER, level=PurviewLevel.TEAM, team=org.team_a1b)
    client.force_login(viewer)
    response = client.get(reverse("reporting:dashboard"), {"period": Q3.label})
    assert row_titled(tables_of(response)["summary"], "Answers fully met")[3].value == Rate(19, 20)
    # Asking for the whole unit does not widen the purview.
    response = client.get(reverse("reporting:dashboard"), {"period": Q3.label, "unit": org.unit_a1.pk})
    assert row_titled(tables_of(response)["summary"], "Answers fully met")[3].value == Rate(19, 20)


def test_it_escapes_names_in_the_tables_and_the_selects(client, performance_viewer, org, small_dataset):
    org.team_a1a.name = '<script>alert("team")</script>'
    org.team_a1a.save()
    small_dataset["a"].assessor.full_name = "<b>Bold</b> & Co"
    small_dataset["a"].assessor.save()
    client.force_login(performance_viewer)

    page = client.get(reverse("reporting:consistency"), {"period": Q3.label}).content.decode()
    drilldown = client.get(reverse("reporting:drilldown"), {"period": Q3.label}).content.decode()

    assert "<script>alert" not in page + drilldown and "<b>Bold" not in page + drilldown
    assert "&lt;script&gt;alert(&quot;team&quot;)&lt;/script&gt;" in page  # the team select's option
    assert "&lt;b&gt;Bold&lt;/b&gt; &amp; Co" in page and "&lt;b&gt;Bold&lt;/b&gt; &amp; Co" in drilldown


def test_it_shows_annex_c_by_the_day_each_iqa_was_recorded(client, performance_viewer, org, assessor):
    from tests.reporting.pages import page_tables

    for work_date, when in (
        (date(2025, 9, 30), datetime(2025, 10, 1, 9, tzinfo=LONDON)),  # work in Q2, recorded in Q3
        (date(2025, 10, 17), datetime(2025, 10, 21, 9, tzinfo=LONDON)),  # work in days 11–20, recorded in 21+
        (date(2025, 11, 28), datetime(2025, 12, 1, 10, tzinfo=LONDON)),  # work in month 2, recorded in month 3
        (date(2025, 12, 31), datetime(2026, 1, 2, 9, tzinfo=LONDON)),  # work in Q3, recorded in Q4
    ):
        AssessmentFactory(team=org.team_a1a, assessor=assessor, work_date=work_date, recorded_at=when)
    client.force_login(performance_viewer)

    timing = page_tables(client.get(reverse("reporting:dashboard"), {"period": Q3.label}))["timing"]

    assert timing.columns == [
        "When in the month",
        "IQAs",
        "Share",
        "Month of the quarter",
        "IQAs in the month",
        "Share of the quarter",
    ]
    assert timing.rows == [
        ["1st–10th", "2", "66.7%", "Month 1", "2", "66.7%"],
        ["11th–20th", "0", "0.0%", "Month 2", "0", "0.0%"],
        ["21st–end of month", "1", "33.3%", "Month 3", "1", "33.3%"],
    ]
