"""Every exported cell is its page's cell: for every table of every reporting page, with data in each, the CSV and
the XLSX hold the figures the page shows (percentages half-up to one decimal, counts, texts), so no export can
drift from its screen."""

import io
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from assessments.models import Answer, AnswerValue
from dipsampling import services as dip_sampling
from dipsampling.models import Outcome
from reporting.models import PerformanceMeasure
from tests.reporting.conftest import Q2, Q3
from tests.reporting.pages import assert_export_matches_page, csv_rows, export, page_tables, xlsx_rows

pytestmark = pytest.mark.django_db

DASHBOARD_TABLES = {
    "summary",
    "activities",
    "questions",
    "question_trend",
    "trend",
    "reasons",
    "timing",
    "leniency",
    "measures",
}


@pytest.fixture
def reporting_data(org, small_dataset, dip_sampler):
    """The small dataset, with two re-marked dip samples (for annex B) and a performance measure."""
    for name, remark in (("a", AnswerValue.NOT_MET), ("b", AnswerValue.FULLY_MET)):
        iqa = small_dataset[name]
        dip_sample = dip_sampling.dip_sample_start(user=dip_sampler, assessment=iqa)
        q9 = Answer.objects.get(assessment=iqa, question__code="Q9").question_id
        dip_sampling.dip_sample_record(
            dip_sample=dip_sample,
            user=dip_sampler,
            sampled_on=timezone.localdate(),
            iqa_comment="Checked.",
            casework_comment="Sound.",
            outcome=Outcome.ROBUST,
            remarks={q9: (remark, "Re-marked.")},
        )
    PerformanceMeasure.objects.create(
        area=org.area_a,
        business_year=2025,
        quarter=3,
        measure="Conviction rate",
        value=Decimal("84.20"),
        activity="case_progression",
    )
    return small_dataset


def _pages(org):
    teams = {"dimension": "team", "values": [org.team_a1a.pk, org.team_a1b.pk]}
    return [
        ("dashboard", "reporting:dashboard", {"period": Q3.label}, DASHBOARD_TABLES),
        (
            "compare",
            "reporting:compare",
            {"period": "2025-26", **teams},
            {"compare", "compare_questions", "by_quarter"},
        ),
        (
            "compare",
            "reporting:compare",
            {"dimension": "period", "periods": f"{Q2.label},{Q3.label}"},
            {"compare", "compare_questions"},
        ),
        ("compare", "reporting:compare", {"period": Q3.label, **teams}, {"compare", "compare_questions"}),
        ("consistency", "reporting:consistency", {"period": Q3.label}, {"consistency"}),
        ("drilldown", "reporting:drilldown", {"period": Q3.label}, {"drilldown"}),
        ("drilldown", "reporting:drilldown", {"period": Q3.label, "what": "late"}, {"drilldown"}),
    ]


def test_every_exported_cell_is_the_pages_cell(client, performance_viewer, org, reporting_data):
    client.force_login(performance_viewer)
    checked = 0
    for page, url_name, params, expected_tables in _pages(org):
        shown = page_tables(client.get(reverse(url_name), params))
        assert set(shown) == expected_tables, f"{page} {params}"
        workbook = export(client, page, "all", "xlsx", params)
        for name, table in shown.items():
            assert table.rows, f"{page}: {name} has no data to check"
            csv_table = csv_rows(export(client, page, name, "csv", params))
            xlsx_table = xlsx_rows(export(client, page, name, "xlsx", params))
            assert_export_matches_page(table, csv_table, xlsx_table)
            if page != "drilldown":  # the drill-down's workbook is its one table
                assert xlsx_rows(workbook, _sheet(workbook, table.title)) == xlsx_table
            checked += sum(len(row) for row in table.rows)
    assert checked > 500


def _sheet(response, title: str) -> str:
    names = openpyxl.load_workbook(io.BytesIO(response.content)).sheetnames
    return next(name for name in names if title.startswith(name))


def test_it_keeps_the_comparisons_iqa_counts_in_its_exports(client, performance_viewer, org, small_dataset):
    # Team A1a has 2 IQAs in the quarter and team A1b 2, so the difference is 0: the counts were lost as 0s before.
    client.force_login(performance_viewer)
    params = {"period": "2025-26", "dimension": "team", "values": [org.team_a1a.pk, org.team_a1b.pk]}
    header, *rows = csv_rows(export(client, "compare", "compare", "csv", params))
    iqas = next(row for row in rows if row[0] == "IQAs")
    assert iqas[header.index(f"{org.team_a1a} n")] == "3"  # 2 in Q3 and the Q2 one
    assert iqas[header.index(f"{org.team_a1b} n")] == "2"
    assert iqas[header.index(f"{org.team_a1b} − {org.team_a1a} (points)")] == "-1"
    sheet = xlsx_rows(export(client, "compare", "compare", "xlsx", params))
    xlsx_iqas = next(row for row in sheet if row[0] == "IQAs")
    assert xlsx_iqas[header.index(f"{org.team_a1a} n")] == 3
    assert xlsx_iqas[header.index(f"{org.team_a1b} n")] == 2


def test_the_checker_catches_a_drifted_cell(client, performance_viewer, org, small_dataset):
    """The comparison itself is a test: a cell changed in the export fails it."""
    client.force_login(performance_viewer)
    params = {"period": Q3.label}
    table = page_tables(client.get(reverse("reporting:dashboard"), params))["questions"]
    csv_table = csv_rows(export(client, "dashboard", "questions", "csv", params))
    xlsx_table = xlsx_rows(export(client, "dashboard", "questions", "xlsx", params))
    assert_export_matches_page(table, csv_table, xlsx_table)
    fully_met = csv_table[0].index("Fully met %")
    csv_table[1][fully_met] = str(Decimal(csv_table[1][fully_met]) - Decimal("0.1"))
    with pytest.raises(AssertionError):
        assert_export_matches_page(table, csv_table, xlsx_table)
