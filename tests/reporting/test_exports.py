"""Exports: every table as CSV and XLSX with the page's figures, formula injection neutralised, in scope only."""

import csv
import io
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse

from assessments.models import AnswerValue
from reporting import exports
from reporting.tables import Cell, Column, Table
from tests.reporting.conftest import Q3, answer

# Each test on the facts and on the raw rows (see figure_path).
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("figure_path")]


@pytest.mark.parametrize("text", ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx", '=HYPERLINK("http://x")'])
def test_it_neutralises_what_a_spreadsheet_would_run(text):
    assert exports.neutralise(text) == "'" + text


def test_it_leaves_numbers_and_plain_text_alone():
    assert exports.neutralise(-5) == -5
    assert exports.neutralise("Team A1a") == "Team A1a"


def _csv(response):
    return list(csv.reader(io.StringIO(response.getvalue().decode())))


def _xlsx(response):
    return openpyxl.load_workbook(io.BytesIO(response.content))


def test_it_exports_the_question_table_as_csv_with_intervals(client, performance_viewer, small_dataset):
    client.force_login(performance_viewer)
    url = reverse("reporting:export", args=["dashboard", "questions", "csv"])
    response = client.get(url, {"period": Q3.label})
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = _csv(response)
    header = rows[0]
    q9 = next(row for row in rows if row[1] == "Q9")
    assert q9[header.index("Fully met %")] == "33.3"
    assert q9[header.index("Fully met n")] == "3"
    assert float(q9[header.index("Fully met low %")]) == pytest.approx(6.1, abs=0.1)
    assert float(q9[header.index("Fully met high %")]) == pytest.approx(79.2, abs=0.1)


def test_it_exports_every_dashboard_table_in_one_workbook(client, performance_viewer, small_dataset):
    client.force_login(performance_viewer)
    response = client.get(reverse("reporting:export", args=["dashboard", "all", "xlsx"]), {"period": Q3.label})
    workbook = _xlsx(response)
    assert {"Summary", "Questions", "Reasons for answers not met"} <= set(workbook.sheetnames)
    summary = workbook["Summary"]
    fully_met = next(row for row in summary.iter_rows(values_only=True) if row[0] == "Answers fully met")
    assert fully_met[1:3] == (34, 37)


def test_it_neutralises_a_comment_in_the_comments_extract(client, org, small_dataset):
    from organisation.models import PurviewLevel, Role
    from tests.factories import PersonFactory, RoleGrantFactory

    reader = PersonFactory()
    RoleGrantFactory(person=reader, role=Role.COMMENTS_VIEWER, level=PurviewLevel.AREA, team=None, area=org.area_a)
    answer(small_dataset["c"], "Q18", AnswerValue.NOT_MET_OTHER, comment='=HYPERLINK("http://evil.example","x")')
    client.force_login(reader)
    response = client.get(reverse("reporting:comments_export", args=["xlsx"]), {"period": Q3.label})
    values = [row for row in _xlsx(response).active.iter_rows(values_only=True)]
    assert any(row[-1] == '\'=HYPERLINK("http://evil.example","x")' for row in values)
    csv_rows = _csv(client.get(reverse("reporting:comments_export", args=["csv"]), {"period": Q3.label}))
    assert any(row[-1].startswith("'=HYPERLINK") for row in csv_rows)


def test_it_writes_rates_as_four_columns():
    from reporting.stats import Rate

    table = Table("t", "T", [Column("Name"), Column("Rate", "rate")], [[Cell("=x"), Cell(Rate(8, 10))]])
    assert exports.header(table) == ["Name", "Rate %", "Rate low %", "Rate high %", "Rate n"]
    assert exports.values(table) == [["'=x", Decimal("80.0"), Decimal("49.0"), Decimal("94.3"), 10]]


def test_it_exports_nothing_outside_scope(client, performance_viewer, org, small_dataset):
    client.force_login(performance_viewer)
    url = reverse("reporting:export", args=["drilldown", "drilldown", "csv"])
    rows = _csv(client.get(url, {"period": Q3.label}))
    ids = {int(row[0]) for row in rows[1:]}
    assert small_dataset["foreign"].pk not in ids
    assert ids == {small_dataset[name].pk for name in "abcd"}


def test_it_is_a_404_for_an_unknown_table_or_page(client, performance_viewer):
    client.force_login(performance_viewer)
    assert client.get(reverse("reporting:export", args=["dashboard", "nothing", "csv"])).status_code == 404
    assert client.get(reverse("reporting:export", args=["elsewhere", "summary", "csv"])).status_code == 404
    assert client.get(reverse("reporting:export", args=["dashboard", "all", "csv"])).status_code == 404


def test_it_refuses_exports_to_an_outsider(client, outsider):
    client.force_login(outsider)
    assert client.get(reverse("reporting:export", args=["dashboard", "summary", "csv"])).status_code == 404
    assert client.get(reverse("reporting:comments_export", args=["csv"])).status_code == 404


def test_it_exports_a_comment_typed_with_control_characters_and_keeps_the_formula_guard(client, org, small_dataset):
    """Stored before inputs were cleaned (or by any other road): a vertical tab made the XLSX writer fail for every
    comments viewer over the purview, and dropping it must not let a formula through."""
    from organisation.models import PurviewLevel, Role
    from tests.factories import PersonFactory, RoleGrantFactory

    reader = PersonFactory()
    RoleGrantFactory(person=reader, role=Role.COMMENTS_VIEWER, level=PurviewLevel.AREA, team=None, area=org.area_a)
    answer(small_dataset["c"], "Q18", AnswerValue.NOT_MET_OTHER, comment="Police\x0blate\x1b with file")
    answer(small_dataset["d"], "Q10", AnswerValue.NOT_MET_OTHER, comment="\x0b=1+1")
    client.force_login(reader)
    response = client.get(reverse("reporting:comments_export", args=["xlsx"]), {"period": Q3.label})
    assert response.status_code == 200
    comments = [row[-1] for row in _xlsx(response).active.iter_rows(values_only=True)]
    assert "Policelate with file" in comments
    assert "'=1+1" in comments
    csv_rows = _csv(client.get(reverse("reporting:comments_export", args=["csv"]), {"period": Q3.label}))
    assert "'=1+1" in [row[-1] for row in csv_rows]


def test_it_exports_every_dashboard_table_when_a_measure_is_named_with_a_control_character(
    client, performance_viewer, org, small_dataset
):
    from reporting.models import PerformanceMeasure

    PerformanceMeasure.objects.create(
        area=org.area_a, business_year=2025, quarter=3, measure="Conviction\x0brate", value=1
    )
    client.force_login(performance_viewer)
    response = client.get(reverse("reporting:export", args=["dashboard", "all", "xlsx"]), {"period": Q3.label})
    assert response.status_code == 200
    workbook = _xlsx(response)
    measures = workbook[next(name for name in workbook.sheetnames if name.startswith("Performance measures"))]
    assert "Convictionrate" in [row[2] for row in measures.iter_rows(values_only=True)]
