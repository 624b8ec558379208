"""The reporting pages read the casework from the replica alias; everything else, and every write, stays on the
primary. `make test` sets DATABASE_REPLICA_URL=mirror: "replica" is a TEST MIRROR of the default database, a
second connection to the same data, so what is read where can be seen."""

import pytest
from django.contrib.sessions.models import Session
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.test.utils import CaptureQueriesContext

from assessments.models import Assessment
from ops.db_router import REPLICA, ReplicaRouter, replica_configured, replica_reads
from organisation.models import Person
from tests.factories import AssessmentFactory

pytestmark = pytest.mark.skipif(
    not replica_configured(), reason="needs the replica alias: run with DATABASE_REPLICA_URL=mirror (make test does)"
)
BOTH = pytest.mark.django_db(transaction=True, databases=[DEFAULT_DB_ALIAS, REPLICA])


def tables_read(queries) -> set[str]:
    return {
        table
        for query in queries
        for table in ("assessments_assessment", "notifications_message", "django_session")
        if f'FROM "{table}"' in query["sql"]
    }


@pytest.fixture
def iqas(transactional_db, org, assessor, assessed):
    # transactional_db by name: tests/conftest.py loads the question sets a transactional test starts with.
    return [AssessmentFactory(assessor=assessor, assessed=assessed, team=org.team_a1a) for _ in range(3)]


@BOTH
def test_the_reporting_pages_read_the_casework_from_the_replica(client, performance_viewer, iqas):
    client.force_login(performance_viewer)
    with (
        CaptureQueriesContext(connections[REPLICA]) as on_replica,
        CaptureQueriesContext(connections[DEFAULT_DB_ALIAS]) as on_primary,
    ):
        response = client.get("/reports/iqas/")
    assert response.status_code == 200
    assert iqas[0].case.urn in response.content.decode()  # the replica has the rows (it is the same database)
    assert "assessments_assessment" in tables_read(on_replica.captured_queries)
    assert "assessments_assessment" not in tables_read(on_primary.captured_queries)
    # Sessions stay on the primary: a lagging replica must never log anyone out.
    assert "django_session" in tables_read(on_primary.captured_queries)
    assert "django_session" not in tables_read(on_replica.captured_queries)


@BOTH
def test_other_pages_read_only_from_the_primary(client, assessor, iqas):
    client.force_login(assessor)
    with CaptureQueriesContext(connections[REPLICA]) as on_replica:
        response = client.get("/iqas/")
    assert response.status_code == 200
    assert on_replica.captured_queries == []


@BOTH
def test_writes_and_reads_inside_a_transaction_stay_on_the_primary(iqas):
    router = ReplicaRouter()
    with replica_reads():
        assert router.db_for_read(Assessment) == REPLICA
        assert router.db_for_read(Person) == REPLICA
        assert router.db_for_read(Session) is None
        with transaction.atomic():
            assert router.db_for_read(Assessment) is None  # the transaction reads its own writes
        read_there = Assessment.objects.get(pk=iqas[0].pk)
        assert read_there._state.db == REPLICA
        read_there.save()  # goes back to the primary, not where it was read from
    assert router.db_for_write(Assessment, instance=read_there) == DEFAULT_DB_ALIAS
    assert router.db_for_read(Assessment) is None
    assert router.allow_migrate(REPLICA, "assessments") is False
