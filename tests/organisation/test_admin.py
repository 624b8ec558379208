"""Every organisation model has a working admin page with search and filters."""

import pytest
from django.contrib import admin
from django.urls import reverse

from organisation.models import AccessLogEntry, Area, Person, RoleGrant, Team, TeamMembership, Unit
from tests.factories import AccessLogEntryFactory, PersonFactory, TeamMembershipFactory

pytestmark = pytest.mark.django_db

MODELS = [Area, Unit, Team, Person, TeamMembership, RoleGrant, AccessLogEntry]


@pytest.fixture
def superuser_client(client):
    client.force_login(PersonFactory(is_staff=True, is_superuser=True))
    return client


def _changelist(model):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")


def test_it_registers_every_model():
    for model in MODELS:
        assert admin.site.is_registered(model), model


@pytest.mark.parametrize("model", MODELS)
def test_it_lists_searches_and_filters(superuser_client, model, assessor, dip_sampler, outsider):
    AccessLogEntryFactory(viewer=assessor, subject=outsider)
    assert superuser_client.get(_changelist(model)).status_code == 200
    assert superuser_client.get(_changelist(model), {"q": "Area"}).status_code == 200


@pytest.mark.parametrize("model", [Person, TeamMembership, RoleGrant, Team])
def test_it_lists_in_constant_queries(superuser_client, org, model, django_assert_max_num_queries):
    for _ in range(3):
        TeamMembershipFactory(team=org.team_a1a)
    superuser_client.get(_changelist(model))
    for _ in range(15):
        TeamMembershipFactory(team=org.team_b1a)
    # Generous bound that does not grow with rows: a per-row query would add at least 15.
    with django_assert_max_num_queries(14):
        superuser_client.get(_changelist(model))


def test_it_shows_memberships_and_role_grants_inline_on_a_person(superuser_client, assessor):
    body = superuser_client.get(reverse("admin:organisation_person_change", args=[assessor.pk])).content.decode()
    assert "Team memberships" in body and "Role grants" in body


def test_it_keeps_the_access_log_read_only(superuser_client):
    entry = AccessLogEntryFactory()
    assert superuser_client.get(reverse("admin:organisation_accesslogentry_add")).status_code == 403
    response = superuser_client.post(
        reverse("admin:organisation_accesslogentry_delete", args=[entry.pk]), {"post": "yes"}
    )
    assert response.status_code == 403
    assert AccessLogEntry.objects.filter(pk=entry.pk).exists()


def test_it_keeps_people_without_staff_status_out_of_admin(client, assessor):
    client.force_login(assessor)
    response = client.get(_changelist(Person))
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


@pytest.mark.parametrize("posted", [":", "not-an-id", "-1x"])
def test_an_autocomplete_field_posted_a_value_that_is_not_an_id_is_refused_by_the_field(superuser_client, org, posted):
    """Django's autocomplete select looked such a value up as an id when showing the form again: a 500
    (qa_platform/admin_autocomplete.py)."""
    response = superuser_client.post(
        reverse("admin:organisation_rolegrant_add"), {"person": posted, "role": "assessor", "team": org.team_a1a.pk}
    )
    assert response.status_code == 200
    assert "person" in response.context["adminform"].form.errors
    assert not RoleGrant.objects.filter(team=org.team_a1a).exists()
