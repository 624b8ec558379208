"""The URN look-up on the IQA form: it says whether the case is registered in the area (so the form reuses it), and
shows the case's court, unit and sensitive categories only to someone who may already see an IQA on it."""

import pytest
from django.utils import timezone

from assessments import services
from assessments.models import Activity, Court, SensitiveCategory
from organisation.models import PurviewLevel, Role
from tests.factories import (
    AssessmentFactory,
    CaseFactory,
    PersonFactory,
    RoleGrantFactory,
    TeamMembershipFactory,
)

pytestmark = pytest.mark.django_db

URN = "42AB0123418"


@pytest.fixture
def case(org, assessor, assessed):
    """A rape case at the Crown Court, registered in unit A1 with an IQA filed under team A1a."""
    registered = CaseFactory(
        urn=URN, unit=org.unit_a1, court=Court.CROWN, sensitive_categories=[SensitiveCategory.RAPE]
    )
    AssessmentFactory(team=org.team_a1a, case=registered, assessor=assessor, assessed=assessed)
    return registered


@pytest.fixture
def other_team_assessor(org, neighbour):
    """An assessor over team A1b: the same area (and unit), another team."""
    RoleGrantFactory(person=neighbour, role=Role.ASSESSOR, level=PurviewLevel.TEAM, team=org.team_a1b)
    return neighbour


def draft_on(owner, person):
    return services.draft_start(
        owner=owner, assessed=person, activity=Activity.CASE_PROGRESSION, work_date=timezone.localdate()
    )


def look_up(client, draft, urn=URN):
    return client.get(f"/iqas/drafts/{draft.pk}/case/", {"urn": urn}, headers={"HX-Request": "true"})


def test_it_shows_an_assessor_the_details_of_a_case_in_their_purview(client, assessor, assessed, case):
    client.force_login(assessor)
    body = look_up(client, draft_on(assessor, assessed)).content.decode()
    assert f"{URN} is already registered" in body
    assert "Crown Court" in body and "Unit A1" in body and "Rape" in body


def test_it_tells_an_assessor_of_another_team_only_that_the_case_is_registered(client, other_team_assessor, org, case):
    person = PersonFactory(full_name="Bo Beyond")
    TeamMembershipFactory(person=person, team=org.team_a1b)
    client.force_login(other_team_assessor)
    response = look_up(client, draft_on(other_team_assessor, person))
    body = response.content.decode()
    assert response.status_code == 200
    assert f"{URN} is already registered in this area" in body  # the form reuses it, so it must say so
    for detail in ("Crown", "Unit A1", "Rape", "Magistrates"):
        assert detail not in body


def test_it_refuses_the_look_up_on_a_draft_that_is_not_theirs(client, assessor, assessed, outsider, case):
    client.force_login(outsider)
    assert look_up(client, draft_on(assessor, assessed)).status_code == 404


def test_it_finds_no_case_of_another_area(client, org, outsider, case):
    RoleGrantFactory(person=outsider, role=Role.ASSESSOR, level=PurviewLevel.UNIT, team=None, unit=org.unit_b1)
    person = PersonFactory()
    TeamMembershipFactory(person=person, team=org.team_b1a)
    client.force_login(outsider)
    body = look_up(client, draft_on(outsider, person)).content.decode()
    assert "is a new case" in body
    assert "Crown" not in body and "Rape" not in body


def test_it_looks_up_in_constant_queries(client, assessor, assessed, case, django_assert_num_queries):
    client.force_login(assessor)
    draft = draft_on(assessor, assessed)
    look_up(client, draft)
    # session, user, the draft, the assessed's area, the user's grants, the case with whether an IQA on it is
    # visible to them, the IQAs of the same work already recorded (the case is registered), and the session's idle
    # clock saved (savepoint, update, release)
    with django_assert_num_queries(10):
        look_up(client, draft)
