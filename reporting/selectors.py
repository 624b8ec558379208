"""Which IQAs a user may report on: every reporting page, export and drill-down reads through here.

A performance viewer sees the IQAs filed under the teams in their purview (a national viewer, every team); the
comments extract is for comments viewers over theirs. Filters only narrow inside that scope.
"""

from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from assessments.models import Assessment
from organisation import scoping
from organisation.models import Area, Person, PurviewLevel, Role, RoleGrant, Team, TeamMembership

REPORTING_ROLES = {Role.PERFORMANCE_VIEWER, Role.NATIONAL_VIEWER}


def require_reporting(user) -> None:
    """A user who is neither a performance nor a national viewer gets a 404, like anything outside their scope."""
    if not scoping.roles_held(user) & REPORTING_ROLES:
        raise Http404("You do not hold the performance viewer role.")


def reporting_teams(user) -> QuerySet[Team]:
    return scoping.teams_in_scope(user, Role.PERFORMANCE_VIEWER)


def assessments_under(user, role) -> QuerySet[Assessment]:
    """IQAs filed under a team in the user's purview for the role: performance viewing for the figures (not the
    user's own IQAs as such: the figures are the place's), comments viewing for the comments extract."""
    return scoping.records_in_scope(user, Assessment.objects.all(), role, team_field="team")


def assessors_in(teams: QuerySet[Team]) -> QuerySet[Person]:
    """People in post today in these teams who hold the assessor role, for the assessor filter."""
    memberships = TeamMembership.objects.active_on(timezone.localdate()).filter(team__in=teams)
    assessors = RoleGrant.objects.filter(role=Role.ASSESSOR).values("person_id")
    return Person.objects.filter(pk__in=memberships.values("person_id")).filter(pk__in=assessors)


def measure_areas(user) -> QuerySet[Area]:
    """Areas whose performance measures the user may import: those under an area or national performance purview."""
    grants = scoping.active_grants(user, Role.PERFORMANCE_VIEWER)
    purviews = list(grants.values_list("level", "area_id"))
    if any(level == PurviewLevel.NATIONAL for level, _ in purviews):
        return Area.objects.all()
    return Area.objects.filter(pk__in=[area for level, area in purviews if level == PurviewLevel.AREA and area])
