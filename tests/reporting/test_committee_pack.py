"""The committee pack shows the same figures as the pages it gathers, for the same filters: each figure shown in two
places comes from one computation."""

from datetime import date

import pytest
from django.urls import reverse

from assessments.models import AnswerValue
from tests.factories import AssessmentFactory, PersonFactory
from tests.reporting.conftest import Q3
from tests.reporting.pages import page_tables

pytestmark = pytest.mark.django_db


def _pages(client, params):
    pack = page_tables(client.get(reverse("reporting:committee_pack"), params))
    dashboard = page_tables(client.get(reverse("reporting:dashboard"), params))
    consistency = page_tables(client.get(reverse("reporting:consistency"), params))
    return pack, dashboard, consistency


def test_the_pack_shows_who_marks_whom_how_as_the_consistency_page_does(client, performance_viewer, small_dataset):
    client.force_login(performance_viewer)
    pack, _, consistency = _pages(client, {"period": Q3.label})

    assert consistency["consistency"].rows, "the consistency page lists the assessors"
    assert pack["consistency"] == consistency["consistency"]
    assert pack["consistency"].title == "Who marks whom how"


def test_the_pack_shows_the_dashboards_tables_as_the_dashboard_does(client, performance_viewer, org, small_dataset):
    client.force_login(performance_viewer)
    for params in ({"period": Q3.label}, {"period": "2025-26", "team": org.team_a1b.pk}):
        pack, dashboard, _ = _pages(client, params)
        for name, table in dashboard.items():
            assert pack[name].rows == table.rows, name


def test_the_pack_lists_the_flagged_assessors_under_their_own_title(client, performance_viewer, org):
    lenient, robust = PersonFactory(full_name="Lenny"), PersonFactory(full_name="Rob")
    for _ in range(3):
        AssessmentFactory(team=org.team_a1a, assessor=lenient, work_date=date(2025, 10, 1))
        AssessmentFactory(team=org.team_a1a, assessor=robust, work_date=date(2025, 10, 1), answer=AnswerValue.NOT_MET)
    AssessmentFactory(team=org.team_a1b, assessor=PersonFactory(full_name="Mid"), work_date=date(2025, 10, 1))
    client.force_login(performance_viewer)

    pack, _, consistency = _pages(client, {"period": Q3.label})

    assert pack["outliers"].title == "Assessors flagged as outliers"
    assert [row[2] for row in pack["outliers"].rows] == ["Lenny", "Rob"]
    flagged = [row for row in consistency["consistency"].rows if row[6] != "–"]
    assert pack["outliers"].rows == flagged
    assert {row[2] for row in pack["consistency"].rows} == {"Lenny", "Rob", "Mid"}


def test_the_pack_says_plainly_when_no_assessor_is_flagged(client, performance_viewer, small_dataset):
    client.force_login(performance_viewer)
    pack, _, _ = _pages(client, {"period": Q3.label})
    assert not pack["outliers"].rows
    assert pack["outliers"].empty == "No assessor's fully met rate is clear of their unit's for these filters."
