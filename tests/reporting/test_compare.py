"""Compare: one dimension, two or more values in purview, every figure side by side with differences and intervals."""

import pytest
from django.urls import reverse

from assessments.models import Activity
from reporting.forms import MIN_VALUES_MESSAGE
from reporting.stats import Rate
from tests.reporting.conftest import Q2, Q3

# Each test on the facts and on the raw rows (see figure_path).
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("figure_path")]


def compare(client, **params):
    return client.get(reverse("reporting:compare"), params)


def tables_of(response):
    return {table.name: table for table in response.context["tables"]}


def test_it_puts_two_teams_side_by_side_with_the_difference(client, performance_viewer, org, small_dataset):
    client.force_login(performance_viewer)
    response = compare(client, period=Q3.label, dimension="team", values=[org.team_a1a.pk, org.team_a1b.pk])
    table = tables_of(response)["compare"]
    assert [column.title for column in table.columns][:4] == [
        "Figure",
        str(org.team_a1a),
        str(org.team_a1b),
        f"{org.team_a1b} − {org.team_a1a}",
    ]
    fully_met = next(row for row in table.rows if row[0].value == "Fully met")
    assert fully_met[1].value == Rate(15, 17)
    assert fully_met[2].value == Rate(19, 20)
    assert fully_met[3].value == pytest.approx(19 / 20 - 15 / 17)
    on_time = next(row for row in table.rows if row[0].value == "Recorded on time")
    assert on_time[3].value == "too few to judge"  # 1 of 2 against 2 of 2: no difference to read
    iqas = next(row for row in table.rows if row[0].value == "IQAs")
    assert [cell.value for cell in iqas[1:]] == [2, 2, 0]
    assert "too few to judge" in response.content.decode()


def test_it_compares_periods(client, performance_viewer, org, small_dataset):
    client.force_login(performance_viewer)
    response = compare(client, dimension="period", periods=f"{Q2.label}, {Q3.label}")
    iqas = next(row for row in tables_of(response)["compare"].rows if row[0].value == "IQAs")
    assert [cell.value for cell in iqas[1:]] == [1, 4, 3]
    questions = {row[0].value: row for row in tables_of(response)["compare_questions"].rows}
    assert questions["Q9 (Case progression)"][1].value == Rate(0, 1)


def test_it_compares_activities(client, performance_viewer, small_dataset):
    client.force_login(performance_viewer)
    response = compare(
        client, period=Q3.label, dimension="activity", values=[Activity.CASE_PROGRESSION, Activity.CASE_PRESENTATION]
    )
    iqas = next(row for row in tables_of(response)["compare"].rows if row[0].value == "IQAs")
    assert [cell.value for cell in iqas[1:]] == [3, 1, -2]


def test_it_shows_each_quarter_of_a_longer_period(client, performance_viewer, org, small_dataset):
    client.force_login(performance_viewer)
    response = compare(
        client,
        period=f"{Q2.start}..{Q3.end}",
        dimension="team",
        values=[org.team_a1a.pk, org.team_a1b.pk],
    )
    by_quarter = tables_of(response)["by_quarter"]
    assert [column.title for column in by_quarter.columns] == ["Compared", Q2.label, Q3.label]
    assert by_quarter.rows[0][1].value == Rate(8, 9)  # team A1a in Q2: the IQA with Q9 not met


def test_it_asks_for_two_or_more(client, performance_viewer, org):
    client.force_login(performance_viewer)
    response = compare(client, dimension="team", values=[org.team_a1a.pk])
    assert response.status_code == 200
    assert MIN_VALUES_MESSAGE in response.content.decode()
    assert response.context["tables"] == []


def test_it_refuses_a_team_outside_the_purview(client, performance_viewer, org, small_dataset):
    client.force_login(performance_viewer)
    response = compare(client, dimension="team", values=[org.team_a1a.pk, org.team_b1a.pk])
    assert "values" in response.context["form"].errors
    assert response.context["tables"] == []


def test_it_says_which_period_label_is_wrong(client, performance_viewer):
    client.force_login(performance_viewer)
    response = compare(client, dimension="period", periods="2024-25 Q3, 2025-26 Q9")
    assert "is not a period" in response.content.decode()
    assert "2025-26 Q9" in response.content.decode()


def test_it_exports_the_comparison_as_xlsx(client, performance_viewer, org, small_dataset):
    import io

    import openpyxl

    client.force_login(performance_viewer)
    url = reverse("reporting:export", args=["compare", "all", "xlsx"])
    response = client.get(url, {"period": Q3.label, "dimension": "team", "values": [org.team_a1a.pk, org.team_b1a.pk]})
    assert response.status_code == 404 or not openpyxl.load_workbook(io.BytesIO(response.content)).sheetnames
    response = client.get(url, {"period": Q3.label, "dimension": "team", "values": [org.team_a1a.pk, org.team_a1b.pk]})
    sheet = openpyxl.load_workbook(io.BytesIO(response.content))["Side by side"]
    fully_met = next(row for row in sheet.iter_rows(values_only=True) if row[0] == "Fully met")
    assert fully_met[1] == round(15 / 17 * 100, 1)


def test_show_choices_shows_no_error_until_values_are_submitted(client, performance_viewer, small_dataset):
    client.force_login(performance_viewer)
    params = {"period": Q3.label, "dimension": "period", "periods": "", "show": "choices"}
    response = client.get(reverse("reporting:compare"), params)
    body = response.content.decode()
    assert MIN_VALUES_MESSAGE not in body
    assert not response.context["form"].errors
    assert 'name="periods"' in body  # the periods box, for the dimension just chosen
    assert "Choose what to compare, and two or more of them." in body

    params.pop("show")
    submitted = client.get(reverse("reporting:compare"), params).content.decode()
    assert MIN_VALUES_MESSAGE in submitted
