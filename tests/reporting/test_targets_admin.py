"""The target figures are edited in admin: IQAs per half-day per activity, and overrides with who set them."""

import pytest
from django.contrib import admin
from django.urls import reverse

from reporting.models import IqasPerHalfDay, TargetOverride
from tests.factories import PersonFactory, TeamFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser(client):
    person = PersonFactory(is_staff=True, is_superuser=True)
    client.force_login(person)
    return person


def test_it_registers_the_target_models():
    assert admin.site.is_registered(IqasPerHalfDay)
    assert admin.site.is_registered(TargetOverride)


@pytest.mark.parametrize(
    ("model", "search"),
    [
        ("iqasperhalfday", {"q": "advice", "activity": "advice"}),
        ("targetoverride", {"q": "Team", "business_year": 2017}),
    ],
)
def test_it_lists_searches_and_filters(client, superuser, model, search):
    TargetOverride.objects.create(level="team", team=TeamFactory(), business_year=2017, office_based=3, reason="x")
    url = reverse(f"admin:reporting_{model}_changelist")
    assert client.get(url).status_code == 200
    response = client.get(url, search)
    assert response.status_code == 200
    assert response.context["cl"].result_count == 1


def test_it_records_who_set_an_override(client, superuser):
    team = TeamFactory()
    response = client.post(
        reverse("admin:reporting_targetoverride_add"),
        {"level": "team", "team": team.pk, "business_year": 2017, "office_based": "40", "reason": "Only half tasked"},
    )
    assert response.status_code == 302
    override = TargetOverride.objects.get()
    assert (override.team, override.set_by, float(override.office_based)) == (team, superuser, 40.0)


def test_it_says_what_is_wrong_with_an_override_for_the_wrong_place(client, superuser):
    response = client.post(
        reverse("admin:reporting_targetoverride_add"),
        {"level": "unit", "team": TeamFactory().pk, "business_year": 2017, "office_based": "4", "reason": "x"},
    )
    assert response.status_code == 200
    assert "Choose the team, unit or area that the level calls for" in response.content.decode()
    assert not TargetOverride.objects.exists()


def test_it_lets_an_admin_edit_iqas_per_half_day_but_not_delete_the_row(client, superuser):
    row = IqasPerHalfDay.objects.get(activity="case_progression")
    change = reverse("admin:reporting_iqasperhalfday_change", args=[row.pk])
    response = client.post(change, {"activity": "case_progression", "iqas_per_half_day": "3.5", "note": "REM data"})
    assert response.status_code == 302
    row.refresh_from_db()
    assert float(row.iqas_per_half_day) == 3.5
    assert client.get(reverse("admin:reporting_iqasperhalfday_delete", args=[row.pk])).status_code == 403


def test_it_lists_overrides_in_constant_queries(client, superuser, django_assert_max_num_queries):
    for year in range(2017, 2020):
        TargetOverride.objects.create(level="team", team=TeamFactory(), business_year=year, office_based=1, reason="x")
    url = reverse("admin:reporting_targetoverride_changelist")
    client.get(url)
    for year in range(2000, 2015):
        TargetOverride.objects.create(level="team", team=TeamFactory(), business_year=year, office_based=1, reason="x")
    with django_assert_max_num_queries(14):  # a per-row query would add at least 15
        client.get(url)
