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
