"""The audit history (database triggers) and the append-only access log."""

import pghistory.models
import pytest
from django.db import DatabaseError, transaction

from organisation.models import AccessLogEntry, Person, Role, RoleGrant
from tests.factories import AccessLogEntryFactory, PersonFactory, RoleGrantFactory

pytestmark = pytest.mark.django_db


def _events(model, pk):
    return list(pghistory.models.Events.objects.tracks(model.objects.get(pk=pk)).order_by("pgh_created_at"))


def test_it_keeps_history_of_a_role_grant_including_queryset_updates(assessor):
    grant = RoleGrant.objects.get(person=assessor)
    RoleGrant.objects.filter(pk=grant.pk).update(role=Role.DIP_SAMPLER)  # no save(), no signals
    labels = [event.pgh_label for event in _events(RoleGrant, grant.pk)]
    assert labels == ["insert", "update"]
    assert _events(RoleGrant, grant.pk)[-1].pgh_data["role"] == Role.DIP_SAMPLER


def test_it_keeps_history_of_bulk_creates_and_deletes():
    people = Person.objects.bulk_create([Person(email=f"bulk{n}@example.org", full_name=f"Bulk {n}") for n in range(3)])
    grant = RoleGrantFactory(person=people[0])
    grant_pk = grant.pk
    RoleGrant.objects.filter(pk=grant_pk).delete()
    person_events = pghistory.models.Events.objects.filter(pgh_model="organisation.PersonEvent")
    assert person_events.filter(pgh_label="insert").count() >= 3
    deleted = pghistory.models.Events.objects.filter(pgh_model="organisation.RoleGrantEvent", pgh_label="delete")
    assert [event.pgh_obj_id for event in deleted] == [str(grant_pk)]


def test_it_does_not_record_password_or_last_login_changes(assessed):
    before = pghistory.models.Events.objects.filter(pgh_model="organisation.PersonEvent").count()
    Person.objects.filter(pk=assessed.pk).update(password="changed", last_login="2026-01-01T00:00:00Z")
    after = pghistory.models.Events.objects.filter(pgh_model="organisation.PersonEvent").count()
    assert after == before
    Person.objects.filter(pk=assessed.pk).update(job_title="Senior Crown Prosecutor")
    events = pghistory.models.Events.objects.filter(pgh_model="organisation.PersonEvent")
    assert events.count() == before + 1
    assert "password" not in events.order_by("-pgh_created_at").first().pgh_data


def test_it_records_who_made_a_change_through_the_web(client, assessor):
    admin = PersonFactory(is_staff=True, is_superuser=True)
    client.force_login(admin)
    grant = RoleGrant.objects.get(person=assessor)
    response = client.post(
        f"/admin/organisation/rolegrant/{grant.pk}/change/",
        {
            "person": assessor.pk,
            "role": Role.ASSESSOR,
            "level": "team",
            "team": grant.team_id,
            "starts_on": grant.starts_on.isoformat(),
            "ends_on": "2030-01-01",
        },
    )
    assert response.status_code == 302
    update = [event for event in _events(RoleGrant, grant.pk) if event.pgh_label == "update"][-1]
    assert update.pgh_context["user"] == admin.pk
    assert update.pgh_context["url"] == f"/admin/organisation/rolegrant/{grant.pk}/change/"


def test_it_refuses_to_change_or_delete_the_access_log():
    entry = AccessLogEntryFactory()
    with pytest.raises(DatabaseError), transaction.atomic():
        AccessLogEntry.objects.filter(pk=entry.pk).update(what="/tampered/")
    with pytest.raises(DatabaseError), transaction.atomic():
        AccessLogEntry.objects.filter(pk=entry.pk).delete()
    assert AccessLogEntry.objects.get(pk=entry.pk).what == "/people/1/"
