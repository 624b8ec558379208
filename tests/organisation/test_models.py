"""Database-held invariants of the organisation and "staff in post" on any date."""

import datetime

import pytest
from django.db import IntegrityError, transaction

from organisation.models import Person, PurviewLevel, Role, RoleGrant, TeamMembership
from tests.factories import PersonFactory, RoleGrantFactory, TeamMembershipFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "level, places",
    [
        (PurviewLevel.TEAM, {}),
        (PurviewLevel.UNIT, {"team": "team_a1a"}),
        (PurviewLevel.AREA, {"unit": "unit_a1"}),
        (PurviewLevel.NATIONAL, {"area": "area_a"}),
        (PurviewLevel.UNIT, {"unit": "unit_a1", "area": "area_a"}),
    ],
)
def test_it_refuses_a_grant_whose_purview_does_not_match_its_level(org, level, places):
    person = PersonFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        RoleGrant.objects.create(
            person=person, role=Role.ASSESSOR, level=level, **{k: getattr(org, v) for k, v in places.items()}
        )


def test_it_refuses_a_membership_that_ends_before_it_starts(org):
    with pytest.raises(IntegrityError), transaction.atomic():
        TeamMembershipFactory(
            team=org.team_a1a, starts_on=datetime.date(2026, 5, 1), ends_on=datetime.date(2026, 4, 30)
        )


def test_it_explains_a_bad_grant_in_form_validation(org):
    grant = RoleGrant(person=PersonFactory(), role=Role.ASSESSOR, level=PurviewLevel.UNIT, team=org.team_a1a)
    with pytest.raises(Exception, match="purview level calls for"):
        grant.full_clean()


def test_it_answers_staff_in_post_on_any_date(org):
    joined, left = datetime.date(2025, 4, 1), datetime.date(2026, 3, 31)
    leaver = TeamMembershipFactory(team=org.team_a1a, starts_on=joined, ends_on=left)
    stayer = TeamMembershipFactory(team=org.team_a1a, starts_on=joined)

    def in_post(day):
        return set(TeamMembership.objects.active_on(day).values_list("pk", flat=True))

    assert in_post(datetime.date(2025, 3, 31)) == set()
    assert in_post(joined) == {leaver.pk, stayer.pk}
    assert in_post(left) == {leaver.pk, stayer.pk}
    assert in_post(datetime.date(2026, 4, 1)) == {stayer.pk}


def test_it_keeps_email_unique_whatever_the_case():
    Person.objects.create_user("Mixed.Case@Example.org", "x" * 12, full_name="Mixed")
    assert Person.objects.get().email == "mixed.case@example.org"
    with pytest.raises(IntegrityError), transaction.atomic():
        Person.objects.create(email="MIXED.case@example.org", full_name="Twin")


def test_it_describes_purviews_in_words(org):
    national = RoleGrantFactory(role=Role.NATIONAL_VIEWER, level=PurviewLevel.NATIONAL)
    unit = RoleGrantFactory(role=Role.DIP_SAMPLER, level=PurviewLevel.UNIT, unit=org.unit_a1)
    assert str(national).endswith("National viewer over the whole organisation")
    assert unit.purview_name == "Unit A1 (Area A)"
