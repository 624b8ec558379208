"""Proxy targets against the scheme's numbers (seed 001, 3.3–3.4, 4.20–4.22)."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import IntegrityError

from organisation.models import RoleType, Team, UnitType
from qa_platform.periods import business_year, custom, quarter
from reporting.models import IqasPerHalfDay, TargetOverride
from reporting.targets import (
    Target,
    TargetScope,
    dip_samples_expected,
    proxy_target,
    proxy_targets_by,
    target_scope,
)
from tests.factories import AreaFactory, PersonFactory, TeamFactory, TeamMembershipFactory, UnitFactory

YEAR = business_year(2017)  # 1 April 2017 – 31 March 2018, 365 days


def _staff(team, count=1, *, role_type=RoleType.NON_ADVOCACY, starts_on=date(2016, 1, 1), ends_on=None):
    for _ in range(count):
        TeamMembershipFactory(
            person=PersonFactory(role_type=role_type), team=team, starts_on=starts_on, ends_on=ends_on
        )


def _team(unit_type, area=None):
    return TeamFactory(unit=UnitFactory(area=area or AreaFactory(), unit_type=unit_type))


def _only(team):
    return Team.objects.filter(pk=team.pk)


@pytest.mark.parametrize(
    ("unit_type", "expected"),
    [
        (UnitType.RASSO, 6),  # one every two months
        (UnitType.COMPLEX_CASEWORK, 12),  # one a month
        (UnitType.CENTRAL_CASEWORK, 12),
        (UnitType.MAGISTRATES_COURTS, 4),  # four a year in all other teams
        (UnitType.CROWN_COURT, 4),
        (UnitType.OTHER, 4),
    ],
)
def test_it_expects_the_schemes_office_based_iqas_a_year_for_a_non_advocacy_lawyer(db, unit_type, expected):
    team = _team(unit_type)
    _staff(team)

    assert proxy_target(_only(team), YEAR) == Target(office_based=expected, court_based=0)


def test_it_expects_two_court_based_iqas_a_year_one_contested_for_an_advocate(db):
    team = _team(UnitType.CROWN_COURT)
    _staff(team, role_type=RoleType.ADVOCACY)

    target = proxy_target(_only(team), YEAR)

    assert (target.office_based, target.court_based, target.court_based_contested) == (0, 2, 1)


def test_it_sums_office_and_court_based_apart_and_gives_the_total(db):
    team = _team(UnitType.MAGISTRATES_COURTS)
    _staff(team, 10)
    _staff(team, 5, role_type=RoleType.ADVOCACY)

    target = proxy_target(_only(team), YEAR)

    assert (target.office_based, target.court_based, target.total) == (40, 10, 50)


def test_it_pro_rates_a_quarter_by_its_days_in_the_business_year(db):
    team = _team(UnitType.COMPLEX_CASEWORK)
    _staff(team)

    target = proxy_target(_only(team), quarter(2017, 1))  # April–June 2017: 91 of 365 days

    assert target.office_based == pytest.approx(12 * 91 / 365)


def test_it_pro_rates_for_time_in_post_within_the_period(db):
    team = _team(UnitType.RASSO)
    _staff(team, starts_on=date(2017, 10, 1))  # joined half-way: 182 of 365 days
    _staff(team, starts_on=date(2015, 1, 1), ends_on=date(2017, 4, 30))  # left after 30 days
    _staff(team, starts_on=date(2015, 1, 1), ends_on=date(2017, 3, 31))  # left before the year

    assert proxy_target(_only(team), YEAR).office_based == pytest.approx(6 * 182 / 365 + 6 * 30 / 365)


def test_it_counts_a_person_who_moved_team_in_each_team_for_their_days_there(db):
    area = AreaFactory()
    rasso, ccu = _team(UnitType.RASSO, area), _team(UnitType.COMPLEX_CASEWORK, area)
    person = PersonFactory()
    TeamMembershipFactory(person=person, team=rasso, starts_on=date(2016, 1, 1), ends_on=date(2017, 9, 30))
    TeamMembershipFactory(person=person, team=ccu, starts_on=date(2017, 10, 1))

    by_team = proxy_targets_by(Team.objects.all(), YEAR, "team")

    assert by_team[rasso.pk].office_based == pytest.approx(6 * 183 / 365)
    assert by_team[ccu.pk].office_based == pytest.approx(12 * 182 / 365)


def test_it_splits_a_range_across_business_years_by_each_years_days(db):
    team = _team(UnitType.MAGISTRATES_COURTS)
    _staff(team)

    # 1 January 2019 – 31 March 2020: a quarter of 2018-19 (90/365) and all of 2019-20, a leap year (366/366).
    target = proxy_target(_only(team), custom(date(2019, 1, 1), date(2020, 3, 31)))

    assert target.office_based == pytest.approx(4 * 90 / 365 + 4)


def test_it_multiplies_by_the_iqas_expected_from_each_half_day(db):
    figures = [("advice", 2), ("charging_review", 3), ("case_progression", 4), ("case_presentation", "3.5")]
    for activity, figure in figures:
        IqasPerHalfDay.objects.filter(activity=activity).update(iqas_per_half_day=Decimal(figure))
    team = _team(UnitType.MAGISTRATES_COURTS)
    _staff(team)
    _staff(team, role_type=RoleType.ADVOCACY)

    # Office-based: 4 half-days × the mean of 2, 3 and 4; court-based: 2 half-days × 3.5.
    assert proxy_target(_only(team), YEAR) == Target(office_based=12, court_based=7)


def test_it_starts_with_one_iqa_per_half_day_for_each_activity(db):
    assert sorted(IqasPerHalfDay.objects.values_list("activity", "iqas_per_half_day")) == [
        ("advice", 1),
        ("case_presentation", 1),
        ("case_progression", 1),
        ("charging_review", 1),
    ]


def test_it_sums_teams_to_units_and_areas(db):
    area_a, area_b = AreaFactory(), AreaFactory()
    rasso = UnitFactory(area=area_a, unit_type=UnitType.RASSO)
    mags = UnitFactory(area=area_a, unit_type=UnitType.MAGISTRATES_COURTS)
    rasso_1, rasso_2, mags_1 = TeamFactory(unit=rasso), TeamFactory(unit=rasso), TeamFactory(unit=mags)
    elsewhere = _team(UnitType.COMPLEX_CASEWORK, area_b)
    _staff(rasso_1, 2)
    _staff(rasso_2, 3)
    _staff(mags_1, 4)
    _staff(mags_1, 2, role_type=RoleType.ADVOCACY)
    _staff(elsewhere, 1)
    teams = Team.objects.all()

    assert proxy_targets_by(teams, YEAR, "team") == {
        rasso_1.pk: Target(12, 0),
        rasso_2.pk: Target(18, 0),
        mags_1.pk: Target(16, 4),
        elsewhere.pk: Target(12, 0),
    }
    assert proxy_targets_by(teams, YEAR, "unit") == {
        rasso.pk: Target(30, 0),
        mags.pk: Target(16, 4),
        elsewhere.unit_id: Target(12, 0),
    }
    assert proxy_targets_by(teams, YEAR, "area") == {area_a.pk: Target(46, 4), area_b.pk: Target(12, 0)}
    assert proxy_target(teams, YEAR) == Target(58, 4)


def test_it_lets_an_override_replace_a_teams_computed_target_pro_rated_over_a_quarter(db):
    team = _team(UnitType.MAGISTRATES_COURTS)
    _staff(team, 10)
    _staff(team, 2, role_type=RoleType.ADVOCACY)
    TargetOverride.objects.create(level="team", team=team, business_year=2017, office_based=73, reason="Half tasked")

    assert proxy_target(_only(team), YEAR) == Target(office_based=73, court_based=4)  # court-based stays computed
    assert proxy_target(_only(team), quarter(2017, 1)).office_based == pytest.approx(73 * 91 / 365)
    assert proxy_target(_only(team), business_year(2018)).office_based == 40  # another year: computed


def test_it_applies_a_unit_or_area_override_only_when_the_whole_place_is_counted(db):
    area = AreaFactory()
    unit = UnitFactory(area=area, unit_type=UnitType.RASSO)
    team_1, team_2 = TeamFactory(unit=unit), TeamFactory(unit=unit)
    _staff(team_1, 2)
    _staff(team_2, 2)
    TargetOverride.objects.create(level="unit", unit=unit, business_year=2017, office_based=100, reason="Local count")

    assert proxy_target(Team.objects.filter(unit=unit), YEAR).office_based == 100
    assert proxy_target(_only(team_1), YEAR).office_based == 12  # part of the unit: its own staff only
    assert proxy_targets_by(Team.objects.all(), YEAR, "team")[team_1.pk].office_based == 12

    TargetOverride.objects.create(level="area", area=area, business_year=2017, office_based=250, reason="Area plan")
    assert proxy_targets_by(Team.objects.all(), YEAR, "area") == {area.pk: Target(250, 0)}
    assert proxy_targets_by(Team.objects.all(), YEAR, "unit") == {unit.pk: Target(100, 0)}


def test_it_refuses_an_override_naming_the_wrong_place(db):
    team = _team(UnitType.RASSO)
    with pytest.raises(IntegrityError):
        TargetOverride.objects.create(level="unit", team=team, business_year=2017, office_based=1, reason="x")


def test_it_refuses_an_override_without_a_figure(db):
    team = _team(UnitType.RASSO)
    with pytest.raises(IntegrityError):
        TargetOverride.objects.create(level="team", team=team, business_year=2017, reason="x")


def test_it_keeps_an_override_in_the_audit_history(db):
    team = _team(UnitType.RASSO)
    override = TargetOverride.objects.create(level="team", team=team, business_year=2017, office_based=5, reason="x")
    override.office_based = 6
    override.save()

    assert list(override.events.order_by("pgh_id").values_list("pgh_label", "office_based")) == [
        ("insert", 5),
        ("update", 6),
    ]


def test_it_gives_nothing_for_no_teams(db):
    assert proxy_targets_by(Team.objects.none(), YEAR, "area") == {}
    assert proxy_target(Team.objects.none(), YEAR) == Target()


def test_it_expects_dip_samples_for_ten_percent_of_iqas_rounded_up():
    assert [dip_samples_expected(n) for n in (0, 1, 10, 11, 20, 95)] == [0, 1, 1, 2, 2, 10]


@pytest.mark.parametrize("teams_per_unit", [1, 6])
def test_it_runs_five_queries_whatever_the_number_of_teams_and_people(db, django_assert_num_queries, teams_per_unit):
    for area in (AreaFactory(), AreaFactory()):
        for unit_type in (UnitType.RASSO, UnitType.CROWN_COURT):
            unit = UnitFactory(area=area, unit_type=unit_type)
            for _ in range(teams_per_unit):
                team = TeamFactory(unit=unit)
                _staff(team, teams_per_unit)
                _staff(team, 1, role_type=RoleType.ADVOCACY)
    TargetOverride.objects.create(level="area", area=area, business_year=2017, office_based=1, reason="x")
    teams = Team.objects.all()

    # teams, their areas' teams, memberships, overrides, IQAs per half-day
    with django_assert_num_queries(5):
        by_area = proxy_targets_by(teams, custom(date(2017, 1, 1), date(2018, 6, 30)), "area")
    assert len(by_area) == 2


# --- Which dashboard filters the target follows ------------------------------------------------------------------


def test_it_follows_no_filter_but_the_places_and_the_period():
    assert target_scope({"period": "2025-26", "area": "3", "team": "7"}) == TargetScope()


def test_it_follows_the_case_presentation_filter_with_the_court_based_target():
    scope = target_scope({"activity": "case_presentation"})
    assert (scope.office_based, scope.court_based) == (False, True)
    assert scope.office_reason == "no target: the activity filter leaves no office-based IQAs"


def test_it_says_why_one_office_based_activity_has_no_target():
    scope = target_scope({"activity": "charging_review"})
    assert (scope.office_based, scope.court_based) == (False, False)
    assert "covers advice, charging and review and case progression together" in scope.office_reason
    assert "(seed 001, 4.20)" in scope.office_reason


@pytest.mark.parametrize("name", ["assessor", "sensitive_category", "court"])
def test_it_says_why_an_assessor_category_or_court_filter_has_no_target(name):
    scope = target_scope({name: "5", "activity": "case_presentation"})
    assert (scope.office_based, scope.court_based) == (False, False)
    assert scope.office_reason == scope.court_reason
    assert "set per team, unit and area from the staff in post" in scope.office_reason


def test_the_dashboard_says_next_to_the_figure_why_the_target_is_not_shown(
    client, performance_viewer, small_dataset, org
):
    from django.urls import reverse

    from tests.reporting.conftest import Q3
    from tests.reporting.pages import page_tables

    client.force_login(performance_viewer)
    url = reverse("reporting:dashboard")

    def summary(**params):
        rows = page_tables(client.get(url, {"period": Q3.label, **params}))["summary"].rows
        return {row[0]: row for row in rows if "IQAs done" in row[0]}

    plain = summary()
    assert set(plain) == {
        "Office-based IQAs done against the proxy target",
        "Court-based IQAs done against the proxy target",
    }
    by_assessor = summary(assessor=small_dataset["a"].assessor_id)
    assert by_assessor["Office-based IQAs done"][1] == "2"
    assert "no target for one assessor" in by_assessor["Office-based IQAs done"][-1]
    court = summary(activity="case_presentation")
    assert court["Court-based IQAs done against the proxy target"][1] == "1"
    assert (
        court["Court-based IQAs done against the proxy target"][2]
        == plain["Court-based IQAs done against the proxy target"][2]
    ), "the court-based target is case presentation's own"
    advice = summary(activity="advice")
    assert "covers advice, charging and review and case progression together" in advice["Office-based IQAs done"][-1]
