"""Proxy targets: how many IQAs a team, unit or area is expected to complete in a period (seed 001, 3.3–3.4, 4.20–4.22).

Each person in post is expected to have a number of half-day assessments a year, by role and unit type (3.3):

- non-advocacy (office-based): one every two months in a RASSO unit (6), one a month in a Complex Casework Unit or
  central casework division (12), four a year in any other team;
- advocacy (court-based): two a year, one of them on a contested case.

Each half-day assessment should produce several IQA records (3.4), so the half-days are multiplied by the
configurable number of IQAs per half-day (`IqasPerHalfDay`, per activity). The office-based figure uses the mean
over the three office-based activities, because staff-in-post data does not say which of them a prosecutor does
(4.20); the court-based one uses case presentation's. A person counts for the days of their membership inside the
period, over the days of the business year, so someone in post for half of 2017-18 is expected half the year's IQAs.

Targets add up team → unit → area, office-based and court-based apart. An admin's `TargetOverride` for a place and
business year replaces that place's computed figure whenever the whole place is counted (pro-rated when the period
is shorter than the year); a unit override does not apply when only some of its teams are asked about.

Every function here runs a fixed number of queries (five) whatever the number of teams, people or years.

Which dashboard filters the target follows (target_scope): the place filters (area, unit, team) always, by counting
those teams' staff. Of the others, the scheme's definition allows only the court-based target for case presentation.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from django.db.models import Q, QuerySet

from assessments.models import OFFICE_BASED, Activity
from dipsampling import rates as dip_sample_rates
from organisation.models import RoleType, Team, TeamMembership, UnitType
from qa_platform.periods import Period, business_year, business_year_of
from reporting.models import IqasPerHalfDay, TargetOverride

# Half-day assessments expected per person per business year, non-advocacy roles, by unit type (seed 001, 3.3).
OFFICE_HALF_DAYS_PER_YEAR = {UnitType.RASSO: 6, UnitType.COMPLEX_CASEWORK: 12, UnitType.CENTRAL_CASEWORK: 12}
OFFICE_HALF_DAYS_OTHER_TEAMS = 4
# Advocacy roles: two a year, one of which must be a contested case (seed 001, 3.3).
COURT_HALF_DAYS_PER_YEAR = 2
CONTESTED_SHARE = 0.5
# Dip samples expected: at least 10% of the IQAs done in each activity (seed 001, 5.40; rule 6), kept by dip sampling.
DIP_SAMPLE_TARGET = dip_sample_rates.TARGET

LEVELS = ("team", "unit", "area")


@dataclass(frozen=True)
class Target:
    """IQAs expected: office-based (advice, charging and review, case progression) and court-based (presentation)."""

    office_based: float = 0.0
    court_based: float = 0.0

    @property
    def total(self) -> float:
        return self.office_based + self.court_based

    @property
    def court_based_contested(self) -> float:
        """Of the court-based IQAs, those expected on contested cases (one of each advocate's two occasions)."""
        return self.court_based * CONTESTED_SHARE

    def __add__(self, other: "Target") -> "Target":
        return Target(self.office_based + other.office_based, self.court_based + other.court_based)

    def rounded(self) -> "Target":
        return Target(round(self.office_based, 1), round(self.court_based, 1))


def half_days_per_year(role_type: str, unit_type: str) -> Target:
    """Half-day assessments expected of one person in post for a whole business year."""
    if role_type == RoleType.ADVOCACY:
        return Target(court_based=COURT_HALF_DAYS_PER_YEAR)
    return Target(office_based=OFFICE_HALF_DAYS_PER_YEAR.get(unit_type, OFFICE_HALF_DAYS_OTHER_TEAMS))


def dip_samples_expected(iqas_done: int) -> int:
    """Dip samples needed for this many IQAs of one activity: 10%, rounded up."""
    return dip_sample_rates.required_for(iqas_done)


def iqas_per_half_day() -> Target:
    """The multipliers as a Target-shaped pair: office-based (mean of the office activities) and court-based."""
    figures = {activity: 1.0 for activity in Activity.values}
    figures.update({row.activity: float(row.iqas_per_half_day) for row in IqasPerHalfDay.objects.all()})
    office = [figures[activity] for activity in Activity.values if activity in OFFICE_BASED]
    return Target(office_based=sum(office) / len(office), court_based=figures[Activity.CASE_PRESENTATION])


def _year_pieces(period: Period) -> list[tuple[Period, int]]:
    """The period cut at business-year boundaries: (piece, days in that business year)."""
    pieces, year = [], business_year_of(period.start)
    while business_year(year).start <= period.end:
        whole = business_year(year)
        start, end = max(period.start, whole.start), min(period.end, whole.end)
        pieces.append((Period(start, end, whole.label, "piece"), whole.days))
        year += 1
    return pieces


def _overlap_days(piece: Period, starts_on: date, ends_on: date | None) -> int:
    start, end = max(piece.start, starts_on), min(piece.end, ends_on or piece.end)
    return max(0, (end - start).days + 1)


def _scale(target: Target, multipliers: Target, fraction: float) -> Target:
    return Target(
        target.office_based * multipliers.office_based * fraction,
        target.court_based * multipliers.court_based * fraction,
    )


def _overridden(computed: Target, override: TargetOverride | None, fraction: float) -> Target:
    if override is None:
        return computed
    return Target(
        float(override.office_based) * fraction if override.office_based is not None else computed.office_based,
        float(override.court_based) * fraction if override.court_based is not None else computed.court_based,
    )


def proxy_targets_by(teams: QuerySet[Team], period: Period, level: str) -> dict[int, Target]:
    """The proxy target of each team, unit or area (keys are their ids) among these teams, over the period."""
    if level not in LEVELS:
        raise ValueError(f"level must be one of {', '.join(LEVELS)}")
    selected = {
        team_id: (unit_id, area_id, unit_type)
        for team_id, unit_id, area_id, unit_type in teams.values_list(
            "pk", "unit_id", "unit__area_id", "unit__unit_type"
        )
    }
    if not selected:
        return {}
    area_ids = {area_id for _, area_id, _ in selected.values()}
    # Every team of the areas touched, to know which units and areas are counted whole (overrides apply then).
    siblings = list(Team.objects.filter(unit__area_id__in=area_ids).values_list("pk", "unit_id", "unit__area_id"))
    whole_units = {unit_id for _, unit_id, _ in siblings} - {
        unit_id for team_id, unit_id, _ in siblings if team_id not in selected
    }
    whole_areas = {area_id for _, _, area_id in siblings} - {
        area_id for team_id, _, area_id in siblings if team_id not in selected
    }
    memberships = TeamMembership.objects.filter(team_id__in=list(selected), starts_on__lte=period.end).filter(
        Q(ends_on__isnull=True) | Q(ends_on__gte=period.start)
    )
    rows = list(memberships.values_list("team_id", "person__role_type", "starts_on", "ends_on"))
    pieces = _year_pieces(period)
    overrides = {
        (override.level, override.team_id or override.unit_id or override.area_id, override.business_year): override
        for override in TargetOverride.objects.filter(
            Q(team_id__in=list(selected)) | Q(unit_id__in=whole_units) | Q(area_id__in=whole_areas),
            business_year__in=[business_year_of(piece.start) for piece, _ in pieces],
        )
    }
    multipliers = iqas_per_half_day()

    totals: dict[int, Target] = defaultdict(Target)
    for piece, year_days in pieces:
        year = business_year_of(piece.start)
        fraction = piece.days / year_days
        by_team: dict[int, Target] = {team_id: Target() for team_id in selected}
        for team_id, role_type, starts_on, ends_on in rows:
            days = _overlap_days(piece, starts_on, ends_on)
            if days:
                yearly = half_days_per_year(role_type, selected[team_id][2])
                by_team[team_id] += _scale(yearly, multipliers, days / year_days)
        by_team = {
            team_id: _overridden(target, overrides.get(("team", team_id, year)), fraction)
            for team_id, target in by_team.items()
        }
        if level == "team":
            figures = by_team
        else:
            by_unit: dict[int, Target] = defaultdict(Target)
            for team_id, target in by_team.items():
                by_unit[selected[team_id][0]] += target
            by_unit = {
                unit_id: _overridden(
                    target, overrides.get(("unit", unit_id, year)) if unit_id in whole_units else None, fraction
                )
                for unit_id, target in by_unit.items()
            }
            figures = by_unit
            if level == "area":
                area_of_unit = {unit_id: area_id for unit_id, area_id, _ in selected.values()}
                by_area: dict[int, Target] = defaultdict(Target)
                for unit_id, target in by_unit.items():
                    by_area[area_of_unit[unit_id]] += target
                figures = {
                    area_id: _overridden(
                        target, overrides.get(("area", area_id, year)) if area_id in whole_areas else None, fraction
                    )
                    for area_id, target in by_area.items()
                }
        for key, target in figures.items():
            totals[key] += target
    return dict(totals)


def proxy_target(teams: QuerySet[Team], period: Period) -> Target:
    """The proxy target of these teams together over the period (overrides apply to whole units and areas)."""
    return sum(proxy_targets_by(teams, period, "area").values(), Target())


# --- Which filters the target follows ----------------------------------------------------------------------------

# Why the target is not shown for a filter, in the words the dashboard prints next to the figure. From seed 001:
# 4.20 "Proxy targets are set for the office-based activities (advice, charging and review, and case progression)
# and for court-based (case presentation) so each Area has two proxy targets. The targets were devised by PMU, using
# staff in post information for each Area. [...] PMU does not necessarily know which prosecutors are tasked to which
# activities, so it can only be a rough guide at best."
# 3.3 sets the expectation "per year per member of the team", by the team and the member's role: it is a count of
# the assessed people, not of any one assessor's work, and says nothing of a case's sensitive category or court.
# So the court-based target is case presentation's own, and the office-based one cannot be split by activity; the
# place filters are followed (the staff of the teams chosen), the others are not, and the page says why.
OFFICE_ACTIVITY_REASON = (
    "no target for one office-based activity: the office-based proxy target covers advice, charging and review and "
    "case progression together, as staff-in-post data does not say which of them a prosecutor does (seed 001, 4.20)"
)
OTHER_SIDE_REASON = "no target: the activity filter leaves no {side} IQAs"
FILTER_REASON = (
    "no target for {what}: proxy targets are set per team, unit and area from the staff in post and their roles "
    "(seed 001, 3.3 and 4.20), not per {per}"
)
NOT_FOLLOWED = {
    "assessor": ("one assessor", "assessor (who in a team assesses whom is not part of it)"),
    "sensitive_category": ("one sensitive category", "kind of case"),
    "court": ("one court", "court"),
}


@dataclass(frozen=True)
class TargetScope:
    """Whether the office- and court-based targets apply to the IQAs counted under the filters, and if not, why."""

    office_based: bool = True
    court_based: bool = True
    office_reason: str = ""
    court_reason: str = ""


def target_scope(filters: dict) -> TargetScope:
    """Which of the two proxy targets the dashboard may set beside the IQAs counted under these filters (name:
    chosen value, as the query string gives them); the place filters and the period are always followed."""
    for name, (what, per) in NOT_FOLLOWED.items():
        if filters.get(name):
            reason = FILTER_REASON.format(what=what, per=per)
            return TargetScope(False, False, reason, reason)
    activity = filters.get("activity")
    if not activity:
        return TargetScope()
    if activity == Activity.CASE_PRESENTATION:
        return TargetScope(office_based=False, office_reason=OTHER_SIDE_REASON.format(side="office-based"))
    return TargetScope(False, False, OFFICE_ACTIVITY_REASON, OTHER_SIDE_REASON.format(side="court-based"))
