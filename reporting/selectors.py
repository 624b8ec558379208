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


def reportable_assessments(user) -> QuerySet[Assessment]:
    """IQAs filed under a team in the user's performance purview (not the user's own as such: the figures are the
    place's)."""
    return scoping.records_under_purview(user, Assessment.objects.all(), Role.PERFORMANCE_VIEWER, team_field="team")


def commentable_assessments(user) -> QuerySet[Assessment]:
    """IQAs whose comments the user may extract: those under their comments viewer purview."""
    return scoping.records_under_purview(user, Assessment.objects.all(), Role.COMMENTS_VIEWER, team_field="team")


def assessors_in(teams: QuerySet[Team]) -> QuerySet[Person]:
    """People in post today in these teams who hold the assessor role, for the assessor filter."""
    memberships = TeamMembership.objects.active_on(timezone.localdate()).filter(team__in=teams)
    assessors = RoleGrant.objects.filter(role=Role.ASSESSOR).values("person_id")
    return Person.objects.filter(pk__in=memberships.values("person_id")).filter(pk__in=assessors)


def comments_teams(user) -> QuerySet[Team]:
    """Teams whose IQAs' comments the user may extract: their comments viewer purview (404 without the role)."""
    scoping.require_role(user, Role.COMMENTS_VIEWER)
    return scoping.teams_in_scope(user, Role.COMMENTS_VIEWER)


def measure_areas(user) -> QuerySet[Area]:
    """Areas whose performance measures the user may import: those under an area or national performance purview."""
    grants = scoping.active_grants(user, Role.PERFORMANCE_VIEWER)
    purviews = list(grants.values_list("level", "area_id"))
    if any(level == PurviewLevel.NATIONAL for level, _ in purviews):
        return Area.objects.all()
    return Area.objects.filter(pk__in=[area for level, area in purviews if level == PurviewLevel.AREA and area])
