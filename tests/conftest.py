"""Shared fixtures: a small organisation and the personas every view is tested as.

Two areas, each with a unit of two teams. The personas sit in area A, unit A1, team A1a unless named:

- assessor: assessor over team A1a
- assessed: a prosecutor in team A1a, no roles
- colleague: another prosecutor in team A1a
- neighbour: a prosecutor in team A1b (same unit, other team)
- dip_sampler: dip sampler over unit A1
- group_leader: case scrutiny over team A1a; case_review_manager: in team A1a, no roles
- performance_viewer: performance viewer over area A
- national_viewer: national viewer
- outsider: a prosecutor in area B, no roles
"""

from dataclasses import dataclass

import pytest
from django.conf import settings
from django.test import TransactionTestCase

from assessments.question_sets import load_scheme_question_sets
from organisation.models import PurviewLevel, Role
from tests.celery_harness import smtp_mailbox
from tests.factories import (
    AreaFactory,
    PersonFactory,
    RoleGrantFactory,
    TeamFactory,
    TeamMembershipFactory,
    UnitFactory,
)

# `make test` sets DATABASE_REPLICA_URL=mirror: the reporting pages read through a "replica" alias, a TEST MIRROR of
# the default database (ops/db_router.py). Every database test may use it, as the live server's do for those pages;
# inside a test's transaction the router keeps reads on the default connection.
if "replica" in settings.DATABASES:
    TransactionTestCase.databases = {"default", "replica"}


@dataclass
class Organisation:
    area_a: object
    area_b: object
    unit_a1: object
    unit_b1: object
    team_a1a: object
    team_a1b: object
    team_b1a: object


@pytest.fixture
def org(db):
    area_a, area_b = AreaFactory(name="Area A"), AreaFactory(name="Area B")
    unit_a1, unit_b1 = UnitFactory(area=area_a, name="Unit A1"), UnitFactory(area=area_b, name="Unit B1")
    return Organisation(
        area_a=area_a,
        area_b=area_b,
        unit_a1=unit_a1,
        unit_b1=unit_b1,
        team_a1a=TeamFactory(unit=unit_a1, name="Team A1a"),
        team_a1b=TeamFactory(unit=unit_a1, name="Team A1b"),
        team_b1a=TeamFactory(unit=unit_b1, name="Team B1a"),
    )


def _person_in(team, **fields):
    person = PersonFactory(**fields)
    TeamMembershipFactory(person=person, team=team)
    return person


@pytest.fixture
def assessed(org):
    return _person_in(org.team_a1a, full_name="Alex Assessed")


@pytest.fixture
def colleague(org):
    return _person_in(org.team_a1a, full_name="Casey Colleague")


@pytest.fixture
def neighbour(org):
    return _person_in(org.team_a1b, full_name="Nico Neighbour")


@pytest.fixture
def outsider(org):
    return _person_in(org.team_b1a, full_name="Olly Outsider")


@pytest.fixture
def assessor(org):
    person = _person_in(org.team_a1a, full_name="Dana Assessor", job_title="District Crown Prosecutor")
    RoleGrantFactory(person=person, role=Role.ASSESSOR, level=PurviewLevel.TEAM, team=org.team_a1a)
    return person


@pytest.fixture
def group_leader(org):
    person = _person_in(org.team_a1a, full_name="Gwen Leader", job_title="Group Leader")
    RoleGrantFactory(person=person, role=Role.CASE_SCRUTINY, level=PurviewLevel.TEAM, team=org.team_a1a)
    return person


@pytest.fixture
def case_review_manager(org):
    return _person_in(org.team_a1a, full_name="Cara Manager", job_title="Case Review Manager")


@pytest.fixture
def dip_sampler(org):
    person = _person_in(org.team_a1b, full_name="Sam Sampler")
    RoleGrantFactory(person=person, role=Role.DIP_SAMPLER, level=PurviewLevel.UNIT, team=None, unit=org.unit_a1)
    return person


@pytest.fixture
def performance_viewer(org):
    person = PersonFactory(full_name="Pat Performance")
    RoleGrantFactory(person=person, role=Role.PERFORMANCE_VIEWER, level=PurviewLevel.AREA, team=None, area=org.area_a)
    return person


@pytest.fixture
def national_viewer(org):
    person = PersonFactory(full_name="Nia National")
    RoleGrantFactory(person=person, role=Role.NATIONAL_VIEWER, level=PurviewLevel.NATIONAL, team=None)
    return person


@pytest.fixture
def transactional_db(transactional_db):
    """A transactional test ends by emptying every table, the rows migrations made too (the question sets, the
    outbox's beat schedule): every transactional test starts with them, as a fresh database does."""
    load_scheme_question_sets()
    beat_schedule_rows()


def beat_schedule_rows():
    """What beat writes when it starts: a django-celery-beat row for each entry of settings.CELERY_BEAT_SCHEDULE."""
    from django_celery_beat.schedulers import ModelEntry

    from qa_platform.celery import app

    for name, entry in settings.CELERY_BEAT_SCHEDULE.items():
        ModelEntry.from_entry(name, app=app, **entry)


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # Real hashing costs ~0.3 s per password; tests check behaviour, not key stretching. The real hasher
    # stays second so that passwords made outside a test function (module fixtures) still check.
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.MD5PasswordHasher",
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    ]


@pytest.fixture
def mailbox():
    """An SMTP server on loopback keeping what it accepts, for the tests that run a real Celery worker."""
    with smtp_mailbox() as handler:
        yield handler
