import re
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db.models import Count, F, Max, Min
from django.utils import timezone

from demo.assessments import HAND_MADE_URN
from demo.organisation import DEMO_LOGINS, DEMO_PASSWORD
from organisation import scoping
from organisation.models import Area, Person, Role, RoleGrant, TeamMembership, Unit, UnitType
from reporting import fact_sql

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
            facts = ", ".join(fact_sql.FACTS)  # every fact table, by team and by area
            cursor.execute(
                f"TRUNCATE {tables}, organisation_team, organisation_accesslogentry, "  # noqa: S608
                f"scrutiny_monthlyclosedcasesample, {facts} CASCADE"
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
    iqas = Assessment.objects.filter(assessor=assessor, case__urn__startswith=HAND_MADE_URN)
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


def test_it_gives_the_demo_area_a_year_and_more_of_iqas_feedback_dip_samples_and_measures(seeded):
    from assessments.models import Acknowledgement, Assessment, Feedback
    from demo import reporting as reporting_demo
    from dipsampling.models import DipSample, ReMark
    from reporting.models import PerformanceMeasure

    today = timezone.localdate()
    area = Assessment.objects.filter(team__unit__area__code=reporting_demo.AREA_CODE)
    assert area.count() > 500
    assert not Assessment.objects.exclude(team__unit__area__code=reporting_demo.AREA_CODE).exists()
    first, last = area.aggregate(first=Min("work_date"), last=Max("work_date")).values()
    assert first < reporting_demo.first_day(today) + timedelta(days=14) and last >= today - timedelta(days=14)
    # Feedback on most, some of it late; most acknowledged; dip samples by the demo dip sampler, some re-marked
    # with a different answer; the area's measures for the quarters that have ended.
    assert 0.7 < Feedback.objects.filter(assessment__in=area).count() / area.count() < 0.95
    assert Acknowledgement.objects.filter(assessment__in=area).count() > area.count() / 2
    sampler = Person.objects.get(email="dip.sampler@demo.example")
    assert DipSample.objects.filter(dip_sampler=sampler, recorded_at__isnull=False).count() > 20
    assert DipSample.objects.filter(dip_sampler=sampler, recorded_at__isnull=True).exists()
    assert ReMark.objects.exclude(answer=F("assessor_value")).exists()
    assert PerformanceMeasure.objects.filter(area__code=reporting_demo.AREA_CODE).count() >= 4 * 5
    # The demo log-ins that hold a role look at the figures; only the assessed log-in is in them.
    assessed_log_ins = Assessment.objects.filter(assessed__email__endswith="@demo.example")
    assert set(assessed_log_ins.values_list("assessed__email", flat=True)) == {"prosecutor@demo.example"}


def test_it_adds_nothing_the_second_time_and_leaves_the_facts_equal_to_a_rebuild(seeded):
    from assessments.models import Acknowledgement, Answer, Assessment, Challenge, Feedback
    from dipsampling.models import DipSample, ReMark
    from reporting.models import PerformanceMeasure
    from tests.reporting.test_facts import rebuilt, snapshot

    models = (Assessment, Answer, Feedback, Acknowledgement, Challenge, DipSample, ReMark, PerformanceMeasure)
    before = [model.objects.count() for model in models]
    facts = snapshot()
    assert facts["IqaFact"] and facts["RemarkFact"]

    call_command("seed_demo", verbosity=0)

    assert [model.objects.count() for model in models] == before
    assert snapshot() == facts == rebuilt()


def _log_in(client, email):
    client.force_login(Person.objects.get(email=email))


def test_it_shows_the_performance_viewer_figures_for_the_last_business_year_not_too_few_to_judge(seeded, client):
    from django.urls import reverse

    from qa_platform import periods
    from tests.reporting.pages import page_tables

    last_year = periods.previous(periods.business_year(periods.business_year_of(timezone.localdate())))
    _log_in(client, "performance@demo.example")

    tables = page_tables(client.get(reverse("reporting:dashboard"), {"period": last_year.label}))

    for figure in ("Answers fully met", "Recorded the same or next working day", "Feedback within five working days"):
        cell = next(text for title, text in tables["summary"].row(figure).items() if "%" in text)
        assert re.match(r"^\d+\.\d% ", cell), (figure, cell)
    assert "too few" not in " ".join(tables["summary"].row("Answers fully met").values())
    assert tables["questions"].rows and tables["measures"].rows


def test_it_lists_iqas_awaiting_the_prosecutors_acknowledgement_and_a_challenge_for_the_dip_sampler(seeded, client):
    _log_in(client, "prosecutor@demo.example")
    home = client.get("/").content.decode()
    assert 'data-testid="awaiting-acknowledgement"' in home and "IQA " in home

    _log_in(client, "dip.sampler@demo.example")
    home = client.get("/").content.decode()
    assert re.search(r'data-testid="pending-challenges"><a [^>]*>1 challenge to answers waiting', home), home
