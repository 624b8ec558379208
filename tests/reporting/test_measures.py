"""Performance measures: CSV import with an error per bad row and nothing saved, replacing on re-import, only for
areas in purview, and shown on the dashboard beside the related activity's results."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from organisation.models import Area
from reporting import measures
from reporting.models import PerformanceMeasure
from reporting.stats import Rate
from tests.reporting.conftest import Q3

# Each test on the facts and on the raw rows (see figure_path).
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("figure_path")]

HEADER = "area,business_year,quarter,measure,value,activity\n"


def upload(client, text):
    return client.post(reverse("reporting:measures"), {"file": SimpleUploadedFile("m.csv", text.encode())})


def test_it_reports_each_bad_row_and_column(org):
    text = HEADER + (
        f"{org.area_a.code},2025-26,Q3,Conviction rate,84.2%,case_presentation\n"
        f"{org.area_a.code},2025-27,Q5,Guilty pleas,lots,juggling\n"
        "Nowhere,2025-26,Q1,,12,\n"
        f"{org.area_a.name},2025-26,3,Conviction rate,80,\n"
    )
    parsed, errors = measures.parse(text, Area.objects.filter(pk=org.area_a.pk))
    assert [(e.row, e.column) for e in errors] == [
        (3, "business_year"),
        (3, "quarter"),
        (3, "value"),
        (3, "activity"),
        (4, "area"),
        (4, "measure"),
        (5, "measure"),  # repeats row 2
    ]
    assert "Repeats row 2" in errors[-1].message
    assert len(parsed) == 1 and str(parsed[0].value) == "84.20"


def test_it_asks_for_the_missing_columns():
    _, errors = measures.parse("area,quarter\nx,1\n", Area.objects.none())
    assert errors[0].row == 1 and "business_year" in errors[0].column


def test_it_saves_nothing_when_a_row_is_bad(client, performance_viewer, org):
    client.force_login(performance_viewer)
    text = (
        HEADER
        + f"{org.area_a.code},2025-26,Q3,Conviction rate,84.2,\n{org.area_b.code},2025-26,Q3,Conviction rate,80,\n"
    )
    response = upload(client, text)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Nothing was saved" in body
    assert "is not an area you may import measures for" in body  # area B is outside the viewer's purview
    assert not PerformanceMeasure.objects.exists()


def test_it_imports_and_replaces_measures(client, performance_viewer, org):
    client.force_login(performance_viewer)
    row = f"{org.area_a.code},2025-26,Q3,Conviction rate,{{}},case_presentation\n"
    response = upload(client, HEADER + row.format("84.2"))
    assert response.status_code == 302
    response = upload(client, HEADER + row.format("85"))
    measure = PerformanceMeasure.objects.get()
    assert (str(measure.value), measure.imported_by, measure.period_label) == ("85.00", performance_viewer, Q3.label)


def test_it_shows_measures_beside_the_activity_results(client, performance_viewer, org, small_dataset):
    PerformanceMeasure.objects.create(
        area=org.area_a,
        business_year=2025,
        quarter=3,
        measure="Conviction rate",
        value=84,
        activity="case_presentation",
    )
    PerformanceMeasure.objects.create(area=org.area_b, business_year=2025, quarter=3, measure="Foreign", value=1)
    client.force_login(performance_viewer)
    response = client.get(reverse("reporting:dashboard"), {"period": Q3.label})
    table = next(t for t in response.context["tables"] if t.name == "measures")
    assert [row[2].value for row in table.rows] == ["Conviction rate"]
    assert table.rows[0][5].value == Rate(11, 11)  # IQA c, case presentation in area A


def test_it_keeps_the_measures_page_from_outsiders(client, outsider, assessor):
    for person in (outsider, assessor):
        client.force_login(person)
        assert client.get(reverse("reporting:measures")).status_code == 404


def test_it_does_not_let_a_unit_viewer_import(client, org):
    from organisation.models import PurviewLevel, Role
    from tests.factories import PersonFactory, RoleGrantFactory

    viewer = PersonFactory()
    RoleGrantFactory(person=viewer, role=Role.PERFORMANCE_VIEWER, level=PurviewLevel.UNIT, team=None, unit=org.unit_a1)
    client.force_login(viewer)
    response = upload(client, HEADER + f"{org.area_a.code},2025-26,Q3,Conviction rate,84,\n")
    assert "is not an area you may import measures for" in response.content.decode()
    assert not PerformanceMeasure.objects.exists()


def test_it_lists_measures_in_constant_queries(client, performance_viewer, org, django_assert_num_queries):
    client.force_login(performance_viewer)
    # session, user, grants (roles and purviews), measure areas (grants) + exists, count, page, session save (3)
    for quarter in (1, 2):
        PerformanceMeasure.objects.create(area=org.area_a, business_year=2025, quarter=quarter, measure="M", value=1)
        with django_assert_num_queries(10):
            client.get(reverse("reporting:measures"))


def _upload_bytes(client, content: bytes):
    return client.post(reverse("reporting:measures"), {"file": SimpleUploadedFile("m.csv", content)})


def test_it_reports_a_value_longer_than_a_csv_field_may_be_as_a_row_error(client, performance_viewer, org):
    client.force_login(performance_viewer)
    text = (
        HEADER + f"{org.area_a.code},2025-26,Q3,Conviction rate,80,\n{org.area_a.code},2025-26,Q3,{'x' * 140_000},1,\n"
    )
    response = upload(client, text)
    assert response.status_code == 200
    assert response.context["row_errors"][0].row == 3
    assert "longer than" in response.context["row_errors"][0].message
    assert not PerformanceMeasure.objects.exists()


def test_it_reads_a_file_with_bare_carriage_returns_as_line_ends(client, performance_viewer, org):
    client.force_login(performance_viewer)
    text = HEADER + f"{org.area_a.code},2025-26,Q3,Conviction rate,80,\n{org.area_a.code},2025-26,Q3,Guilty pleas,70,\n"
    response = upload(client, text.replace("\n", "\r"))
    assert response.status_code == 302
    assert sorted(PerformanceMeasure.objects.values_list("measure", flat=True)) == ["Conviction rate", "Guilty pleas"]


def test_it_drops_control_characters_from_a_measure_and_never_stores_a_nul(client, performance_viewer, org):
    client.force_login(performance_viewer)
    text = HEADER + f"{org.area_a.code},2025-26,Q3,Conviction\x00 \x0brate,80,\n"
    response = _upload_bytes(client, text.encode())
    assert response.status_code == 302
    assert PerformanceMeasure.objects.get().measure == "Conviction rate"


@pytest.mark.parametrize("value", ["9999999999.995", "99999999999", "1e10", "-1e10", "1e999999999999999999999"])
def test_it_refuses_a_value_too_large_for_its_column_as_a_row_error(client, performance_viewer, org, value):
    client.force_login(performance_viewer)
    response = upload(client, HEADER + f"{org.area_a.code},2025-26,Q3,Conviction rate,{value},\n")
    assert response.status_code == 200
    assert [(e.row, e.column) for e in response.context["row_errors"]] == [(2, "value")]
    assert not PerformanceMeasure.objects.exists()


@pytest.mark.parametrize("year", ["9999-00", "0000-01", "1999-00"])
def test_it_refuses_a_business_year_outside_those_reported_on(year):
    _, errors = measures.parse(HEADER + f"A,{year},Q3,Conviction rate,80,\n", Area.objects.none())
    assert ("business_year", True) in [(e.column, "2000-01 to 2099-00" in e.message) for e in errors]
