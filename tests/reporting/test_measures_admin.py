"""Performance measures in admin: listed, searched and filtered in constant queries; who imported is read-only."""

import pytest
from django.contrib import admin
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from reporting.models import PerformanceMeasure
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser(client):
    person = PersonFactory(is_staff=True, is_superuser=True)
    client.force_login(person)
    return person


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context.captured_queries)


def test_it_lists_searches_and_filters_measures_in_constant_queries(client, superuser, org):
    assert admin.site.is_registered(PerformanceMeasure)
    url = reverse("admin:reporting_performancemeasure_changelist")
    PerformanceMeasure.objects.create(
        area=org.area_a, business_year=2025, quarter=3, measure="Conviction rate", value=84
    )
    few = _queries(client, url)
    for quarter in (1, 2, 4):
        PerformanceMeasure.objects.create(
            area=org.area_b, business_year=2025, quarter=quarter, measure="Cracked", value=9
        )
    assert _queries(client, url) == few
    response = client.get(url, {"q": "Conviction", "quarter": 3})
    assert response.context["cl"].result_count == 1


def test_it_keeps_the_importer_read_only(client, superuser, org):
    measure = PerformanceMeasure.objects.create(area=org.area_a, business_year=2025, quarter=3, measure="M", value=1)
    response = client.get(reverse("admin:reporting_performancemeasure_change", args=[measure.pk]))
    assert "imported_by" not in response.context["adminform"].form.fields
