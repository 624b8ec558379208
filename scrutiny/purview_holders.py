"""Who holds a role over a record's team: the reverse of organisation.scoping's question, in the same terms.

scoping answers "which records may this user see for a role"; the closed-case dip sample asks the other way round,
"who may review this case": the people whose grant of the role in force on the day covers the case's team (a
national grant, or one over its team, its unit or its area). Written here, beside its one caller, until it joins
organisation/scoping.py (owned by the lead; see issue 17).
"""

from datetime import date

from django.contrib.postgres.expressions import ArraySubquery
from django.db.models import OuterRef, Q

from organisation.models import PurviewLevel, RoleGrant


def covers_team(team_field: str = "team") -> Q:
    """A condition on grants: their purview covers the team of the outer record (`team_field` leads to it)."""
    return (
        Q(level=PurviewLevel.NATIONAL)
        | Q(team_id=OuterRef(f"{team_field}_id"))
        | Q(unit_id=OuterRef(f"{team_field}__unit_id"))
        | Q(area_id=OuterRef(f"{team_field}__unit__area_id"))
    )


def holders_over(role: str, *, on: date, team_field: str = "team", excluding: tuple[str, ...] = ()) -> ArraySubquery:
    """An annotation: the ids (ascending, each once) of active people holding `role` on the day over the outer
    record's team, leaving out the people the outer record names in the `excluding` fields."""
    grants = RoleGrant.objects.active_on(on).filter(covers_team(team_field), role=role, person__is_active=True)
    for field in excluding:
        grants = grants.exclude(person_id=OuterRef(f"{field}_id"))
    return ArraySubquery(grants.order_by("person_id").distinct().values("person_id"))
