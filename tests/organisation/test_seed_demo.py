import pytest
from django.core.management import call_command
from django.db.models import Count

from organisation import scoping
from organisation.demo import DEMO_LOGINS, DEMO_PASSWORD
from organisation.models import Area, Person, Role, RoleGrant, TeamMembership, Unit, UnitType

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        call_command("seed_demo", scale=0.3, verbosity=0)
        yield
        # The module's data is not rolled back by a test transaction: clear it for the tests after.
        from django.db import connection

        with connection.cursor() as cursor:
            tables = ", ".join(model._meta.db_table for model in (RoleGrant, TeamMembership, Person, Unit, Area))
            # The monthly closed-case draw refers to no person, and the reporting facts refer to teams without a
            # constraint (TRUNCATE fires no trigger to empty them), so CASCADE would leave both: name them.
            cursor.execute(
                f"TRUNCATE {tables}, organisation_team, organisation_accesslogentry, "  # noqa: S608
                "scrutiny_monthlyclosedcasesample, reporting_answerfact, reporting_reasonfact, reporting_iqafact, "
                "reporting_remarkfact CASCADE"
            )


def test_it_builds_fourteen_areas_and_cps_direct(seeded):
    assert Area.objects.filter(is_geographic=True).count() == 14
    assert list(Area.objects.filter(is_geographic=False).values_list("name", flat=True)) == ["CPS Direct"]


def test_it_builds_units_of_every_type(seeded):
    assert set(Unit.objects.values_list("unit_type", flat=True)) == set(UnitType.values)


def test_it_gives_every_team_staff_in_post_and_an_assessor(seeded):
    from django.utils import timezone

    teams = TeamMembership.objects.active_on(timezone.localdate()).values("team").annotate(n=Count("id")).order_by()
    assert all(row["n"] >= 3 for row in teams)
    assessed_teams = set(RoleGrant.objects.filter(role=Role.ASSESSOR).values_list("team", flat=True))
    assert {row["team"] for row in teams} <= assessed_teams


def test_it_is_idempotent(seeded):
    counts = (Person.objects.count(), TeamMembership.objects.count(), RoleGrant.objects.count())
    call_command("seed_demo", verbosity=0)
    assert (Person.objects.count(), TeamMembership.objects.count(), RoleGrant.objects.count()) == counts


def test_it_makes_a_working_log_in_for_every_role(seeded, client):
    for login in DEMO_LOGINS:
        assert Person.objects.get(email=login.email).check_password(DEMO_PASSWORD)
    held = set(RoleGrant.objects.filter(person__email__endswith="@demo.example").values_list("role", flat=True))
    assert held == set(Role.values)
    response = client.post("/accounts/login/", {"username": DEMO_LOGINS[0].email, "password": DEMO_PASSWORD})
    assert response.status_code == 302


def test_it_gives_the_demo_assessor_people_to_assess(seeded):
    assessor = Person.objects.get(email="assessor@demo.example")
    assert scoping.assessable_people(assessor).count() >= 3


def test_it_gives_the_demo_assessor_iqas_a_draft_and_plans_and_the_prosecutor_iqas_of_their_work(seeded, client):
    from assessments.models import Assessment, Draft, PlannedAssessment

    assessor = Person.objects.get(email="assessor@demo.example")
    iqas = Assessment.objects.filter(assessor=assessor)
    assert iqas.count() == 14
    assert {iqa.team for iqa in iqas} == {assessor.memberships.get().team}
    assert all(iqa.answers.count() == iqa.question_set.questions.count() for iqa in iqas)
    assert Assessment.objects.filter(assessed__email="prosecutor@demo.example").count() >= 2
    assert Draft.objects.filter(owner=assessor).count() == 1
    assert PlannedAssessment.objects.filter(assessor=assessor).count() == 2
    call_command("seed_demo", verbosity=0)
    assert iqas.count() == 14
    # The demo IQAs keep to rule 1, as recorded ones must.
    from assessments.models import Answer

    not_met = Answer.objects.filter(assessment__assessor=assessor, value="not_met")
    assert not_met.exists()
    assert all(answer.reasons.exists() and answer.comment for answer in not_met)
