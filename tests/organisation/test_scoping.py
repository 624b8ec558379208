"""Each role at each purview level, inside and outside scope."""

import datetime

import pytest
from django.db.models import Q
from django.utils import timezone

from organisation import scoping
from organisation.models import Person, PurviewLevel, Role
from tests.factories import PersonFactory, RoleGrantFactory, TeamMembershipFactory

pytestmark = pytest.mark.django_db

ALL_ROLES = list(Role)


def _ids(queryset):
    return set(queryset.values_list("pk", flat=True))


@pytest.fixture
def staff(org):
    """One person in post in each of the three teams."""
    people = {}
    for key in ("team_a1a", "team_a1b", "team_b1a"):
        person = PersonFactory()
        TeamMembershipFactory(person=person, team=getattr(org, key))
        people[key] = person
    return people


def _grant(role, level, org):
    holder = PersonFactory()
    places = {
        PurviewLevel.TEAM: {"team": org.team_a1a},
        PurviewLevel.UNIT: {"team": None, "unit": org.unit_a1},
        PurviewLevel.AREA: {"team": None, "area": org.area_a},
        PurviewLevel.NATIONAL: {"team": None},
    }
    RoleGrantFactory(person=holder, role=role, level=level, **places[level])
    return holder


# Which of the three staff each purview level reaches.
EXPECTED_REACH = {
    PurviewLevel.TEAM: {"team_a1a"},
    PurviewLevel.UNIT: {"team_a1a", "team_a1b"},
    PurviewLevel.AREA: {"team_a1a", "team_a1b"},
    PurviewLevel.NATIONAL: {"team_a1a", "team_a1b", "team_b1a"},
}


@pytest.mark.parametrize("role", ALL_ROLES)
@pytest.mark.parametrize("level", list(PurviewLevel))
def test_it_scopes_people_by_role_and_purview(org, staff, role, level):
    holder = _grant(role, level, org)
    expected = {staff[key].pk for key in EXPECTED_REACH[level]}

    assert _ids(scoping.people_in_scope(holder, role)) == expected
    # Other roles give nothing (a national viewer also sees performance: see the next test).
    for other in set(ALL_ROLES) - {role}:
        if role == Role.NATIONAL_VIEWER and other == Role.PERFORMANCE_VIEWER:
            continue
        assert _ids(scoping.people_in_scope(holder, other)) == set(), other


@pytest.mark.parametrize("level", list(PurviewLevel))
def test_it_lets_a_national_viewer_grant_imply_performance_viewing(org, staff, level):
    holder = _grant(Role.NATIONAL_VIEWER, level, org)
    assert _ids(scoping.people_in_scope(holder, Role.PERFORMANCE_VIEWER)) == {
        staff[key].pk for key in EXPECTED_REACH[level]
    }


def test_it_counts_the_area_purview_across_all_its_units(org, staff):
    from tests.factories import TeamFactory, UnitFactory

    other_unit_team = TeamFactory(unit=UnitFactory(area=org.area_a))
    person = PersonFactory()
    TeamMembershipFactory(person=person, team=other_unit_team)
    holder = _grant(Role.PERFORMANCE_VIEWER, PurviewLevel.AREA, org)
    assert person.pk in _ids(scoping.people_in_scope(holder, Role.PERFORMANCE_VIEWER))
    unit_holder = _grant(Role.PERFORMANCE_VIEWER, PurviewLevel.UNIT, org)
    assert person.pk not in _ids(scoping.people_in_scope(unit_holder, Role.PERFORMANCE_VIEWER))


def test_it_ignores_grants_that_have_ended_or_not_started(org, staff):
    today = timezone.localdate()
    ended = PersonFactory()
    RoleGrantFactory(
        person=ended,
        team=org.team_a1a,
        starts_on=today - datetime.timedelta(days=90),
        ends_on=today - datetime.timedelta(days=1),
    )
    future = PersonFactory()
    RoleGrantFactory(person=future, team=org.team_a1a, starts_on=today + datetime.timedelta(days=1))

    assert _ids(scoping.people_in_scope(ended, Role.ASSESSOR)) == set()
    assert _ids(scoping.people_in_scope(future, Role.ASSESSOR)) == set()
    # …but the grant counts on the days it was in force.
    yesterday = today - datetime.timedelta(days=1)
    assert staff["team_a1a"].pk in _ids(scoping.people_in_scope(ended, Role.ASSESSOR, on=yesterday))


def test_it_scopes_people_by_who_was_in_post_on_the_day(org, assessor):
    today = timezone.localdate()
    leaver = PersonFactory()
    TeamMembershipFactory(
        person=leaver,
        team=org.team_a1a,
        starts_on=today - datetime.timedelta(days=400),
        ends_on=today - datetime.timedelta(days=10),
    )
    assert leaver not in scoping.assessable_people(assessor)
    assert leaver in scoping.assessable_people(assessor, on=today - datetime.timedelta(days=20))


def test_it_never_lets_an_assessor_assess_themselves(assessor, assessed):
    assert assessed in scoping.assessable_people(assessor)
    assert assessor not in scoping.assessable_people(assessor)


def test_it_shows_everyone_themselves_and_nobody_else_without_a_role(assessed, colleague, outsider):
    assert _ids(scoping.visible_people(assessed)) == {assessed.pk}


def test_it_unions_every_purview_for_visible_people(org, assessor, assessed, neighbour, outsider):
    RoleGrantFactory(person=assessor, role=Role.DIP_SAMPLER, level=PurviewLevel.AREA, team=None, area=org.area_b)
    assert _ids(scoping.visible_people(assessor)) == {assessor.pk, assessed.pk, outsider.pk}


def test_it_does_not_show_people_through_question_set_administration(org, assessed):
    admin = _grant(Role.QUESTION_SET_ADMIN, PurviewLevel.NATIONAL, org)
    assert _ids(scoping.visible_people(admin)) == {admin.pk}


def test_it_gives_anonymous_users_nothing(org, assessed):
    from django.contrib.auth.models import AnonymousUser

    anonymous = AnonymousUser()
    assert not scoping.visible_people(anonymous).exists()
    assert not scoping.active_grants(anonymous).exists()
    assert not scoping.records_in_scope(
        anonymous, Person.objects.all(), Role.ASSESSOR, team_field="memberships__team", own=Q(pk=anonymous.pk)
    ).exists()


def test_it_scopes_records_by_team_and_always_includes_the_users_own(org, assessor, assessed, outsider):
    # Memberships stand in for any record filed under a team and about a person.
    from organisation.models import TeamMembership

    records = TeamMembership.objects.all()
    mine = _ids(scoping.records_in_scope(assessor, records, Role.ASSESSOR, own=Q(person=assessor)))
    assert mine == _ids(TeamMembership.objects.filter(team=org.team_a1a))

    own = _ids(scoping.records_in_scope(outsider, records, Role.ASSESSOR, own=Q(person=outsider)))
    assert own == _ids(TeamMembership.objects.filter(person=outsider))


def test_it_names_the_purpose_for_the_access_log(assessor, assessed, outsider, national_viewer):
    assert scoping.purpose_for_viewing(assessor, assessor) == "self"
    assert scoping.purpose_for_viewing(assessor, assessed) == Role.ASSESSOR
    assert scoping.purpose_for_viewing(national_viewer, outsider) == Role.PERFORMANCE_VIEWER
    assert scoping.purpose_for_viewing(assessor, outsider) == ""


def test_it_reads_teams_in_scope_in_one_query_for_a_user(org, assessor, django_assert_num_queries):
    with django_assert_num_queries(2):  # the purviews, then the teams
        list(scoping.teams_in_scope(assessor, Role.ASSESSOR))


@pytest.mark.parametrize("level", list(PurviewLevel))
def test_it_keeps_records_under_the_purview_by_their_teams_columns(org, staff, level):
    from organisation.models import TeamMembership

    holder = _grant(Role.PERFORMANCE_VIEWER, level, org)
    memberships = TeamMembership.objects.exclude(person=holder)
    records = scoping.records_in_scope(holder, memberships, Role.PERFORMANCE_VIEWER, team_field="team")

    assert _ids(records) == _ids(TeamMembership.objects.filter(person__in=[staff[k] for k in EXPECTED_REACH[level]]))
    if level == PurviewLevel.NATIONAL:
        assert str(records.query) == str(memberships.query)  # every team: no condition for the planner to weigh
    if level == PurviewLevel.TEAM:
        assert "organisation_unit" not in str(records.query)  # a team purview joins no unit


def test_it_keeps_no_records_for_a_user_without_the_role(org, staff, assessor):
    from organisation.models import TeamMembership

    records = scoping.records_in_scope(assessor, TeamMembership.objects.all(), Role.COMMENTS_VIEWER, team_field="team")
    assert not records.exists()
