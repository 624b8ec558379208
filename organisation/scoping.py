"""What may this user see or do, for this purpose.

The one place that answers it: every view, export and task that shows people, teams or their records asks
here. A purpose is a Role; the user's purview for it is the union of their active grants of that role.
Records outside scope are simply absent from the querysets, so fetching one by id is a 404.
"""

from collections.abc import Iterable
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date
from functools import reduce
from operator import or_

from django.contrib.postgres.expressions import ArraySubquery
from django.db.models import OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from organisation.models import Person, PurviewLevel, Role, RoleGrant, Team, TeamMembership

# A national viewer sees every team's performance without a separate performance grant.
IMPLIED_BY = {Role.PERFORMANCE_VIEWER: (Role.NATIONAL_VIEWER,)}

# Roles whose purview lets the holder see the people in it (not question set administration).
PEOPLE_ROLES = (
    Role.ASSESSOR,
    Role.DIP_SAMPLER,
    Role.PERFORMANCE_VIEWER,
    Role.COMMENTS_VIEWER,
    Role.CASE_SCRUTINY,
    Role.NATIONAL_VIEWER,
)


def _today():
    return timezone.localdate()


def active_grants(user, role=None, *, on=None) -> QuerySet[RoleGrant]:
    """The user's grants in force on a day, of one role (and the roles that imply it) or of all roles."""
    if not getattr(user, "is_authenticated", False):
        return RoleGrant.objects.none()
    grants = RoleGrant.objects.filter(person=user).active_on(on or _today())
    if role is not None:
        grants = grants.filter(role__in=(role, *IMPLIED_BY.get(role, ())))
    return grants


# Each user's grants in force today, read once per request (or task) inside `grants_cached()`; outside it, each
# question reads them again, so nothing read before a grant changed can be answered from.
_grants_cache: ContextVar[dict | None] = ContextVar("grants_cache", default=None)


@contextmanager
def grants_cached():
    """Read each user's grants at most once in the block (a request: GrantsPerRequestMiddleware)."""
    token = _grants_cache.set({})
    try:
        yield
    finally:
        _grants_cache.reset(token)


class GrantsPerRequestMiddleware:
    """One query for the grants however many scoping questions a page asks."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with grants_cached():
            return self.get_response(request)


def _grants_today(user) -> list[tuple]:
    """(role, level, team_id, unit_id, area_id) of each grant in force today: from which the roles held and every
    purpose's purview are worked out."""
    cache, key = _grants_cache.get(), (user.pk, _today())
    if cache is not None and key in cache:
        return cache[key]
    grants = list(active_grants(user).values_list("role", "level", "team_id", "unit_id", "area_id"))
    if cache is not None:
        cache[key] = grants
    return grants


def _roles_with_implied(roles) -> tuple:
    """A role or several, with the roles that imply them."""
    roles = (roles,) if isinstance(roles, str) else tuple(roles)
    return tuple({implied for role in roles for implied in (role, *IMPLIED_BY.get(role, ()))})


def _purviews(user, roles, on=None) -> list[tuple]:
    """(level, team_id, unit_id, area_id) of the user's grants of these roles in force on a day (default today)."""
    if on is None:
        return [purview for role, *purview in _grants_today(user) if role in roles]
    grants = active_grants(user, on=on).filter(role__in=roles)
    return list(grants.values_list("level", "team_id", "unit_id", "area_id"))


def roles_held(user, *, on=None) -> set[str]:
    """The roles the user holds on a day (default today)."""
    if on is not None:
        return set(active_grants(user, on=on).values_list("role", flat=True))
    return {role for role, *_ in _grants_today(user)}


def require_role(user, role) -> None:
    """For views: a user without the role gets a 404, as they do for anything outside their scope."""
    if role not in roles_held(user):
        raise Http404(f"You do not hold the {Role(role).label.lower()} role.")


def _team_condition(purviews: list[tuple], prefix: str = "") -> Q | None:
    """These (level, team_id, unit_id, area_id) purviews as a condition on a team (`prefix` leads from the records
    to their team, as "team__"); None for a national purview, which is every team."""
    if any(level == PurviewLevel.NATIONAL for level, *_ in purviews):
        return None
    ids = {
        "pk__in": {team for _, team, _, _ in purviews if team},
        "unit_id__in": {unit for _, _, unit, _ in purviews if unit},
        "unit__area_id__in": {area for _, _, _, area in purviews if area},
    }
    # Only the levels held, so a team purview joins no unit or area; no purview at all matches nothing.
    return reduce(or_, (Q(**{prefix + lookup: values}) for lookup, values in ids.items() if values), Q(pk__in=[]))


def areas_of_purview(user, role) -> tuple[bool, set[int] | None]:
    """Whether the user's purview for the role is made of whole areas (or is the nation), and which areas: None for
    a national purview. (False, None) when any part of it is a unit or a team. No query (the grants are read once)."""
    purviews = _purviews(user, _roles_with_implied(role))
    if any(level == PurviewLevel.NATIONAL for level, *_ in purviews):
        return True, None
    if purviews and all(level == PurviewLevel.AREA and area for level, _, _, area in purviews):
        return True, {area for *_, area in purviews}
    return False, None


def _teams_under(purviews: list[tuple]) -> QuerySet[Team]:
    condition = _team_condition(purviews)
    return Team.objects.all() if condition is None else Team.objects.filter(condition)


def teams_in_scope(user, role, *, on=None) -> QuerySet[Team]:
    """Teams inside the user's purview for the role (or a role that implies it)."""
    return _teams_under(_purviews(user, _roles_with_implied(role), on))


def people_in_scope(user, role, *, on=None) -> QuerySet[Person]:
    """People in post on the day (default today) in a team inside the user's purview for the role."""
    memberships = TeamMembership.objects.active_on(on or _today()).filter(team__in=teams_in_scope(user, role, on=on))
    return Person.objects.filter(pk__in=memberships.values("person_id"))


def assessable_people(user, *, on=None) -> QuerySet[Person]:
    """Whom the user may record an IQA on: people in their assessor purview, never themselves."""
    return people_in_scope(user, Role.ASSESSOR, on=on).exclude(pk=user.pk)


def visible_people(user, *, on=None) -> QuerySet[Person]:
    """Everyone whose individual data the user may see for any purpose, and the user themselves."""
    if not getattr(user, "is_authenticated", False):
        return Person.objects.none()
    teams = _teams_under(_purviews(user, PEOPLE_ROLES, on))
    memberships = TeamMembership.objects.active_on(on or _today()).filter(team__in=teams)
    return Person.objects.filter(Q(pk__in=memberships.values("person_id")) | Q(pk=user.pk))


def purpose_for_viewing(user, person, *, on=None) -> str:
    """The role through which the user sees the person ("self" for their own data), for the access log."""
    if person.pk == user.pk:
        return "self"
    for role in PEOPLE_ROLES:
        if people_in_scope(user, role, on=on).filter(pk=person.pk).exists():
            return role
    return ""


def scope_condition(user, roles: str | Iterable[str], *, team_field: str = "team", own: Q | None = None) -> Q | None:
    """The condition on records filed under a team in the user's purview for a role (or any of several roles), or
    matching `own` (the user's own records, as Q(assessed=user)); None when it is every record (a national purview).

    The team is compared on its own columns (its id, its unit's, its area's) rather than through a subquery of teams:
    PostgreSQL estimates those well, where a subquery halved its row estimates for the reporting figures.
    """
    condition = _team_condition(_purviews(user, _roles_with_implied(roles)), prefix=f"{team_field}__")
    if condition is None:
        return None
    return condition | own if own is not None else condition


def records_in_scope(
    user, queryset: QuerySet, roles: str | Iterable[str], *, team_field: str = "team", own: Q | None = None
) -> QuerySet:
    """Records (assessments, dip samples, case reviews…) the user may see for a role or several: those filed under a
    team in its purview, and those matching `own`. Anonymous users see none; a national purview adds no condition.
    """
    if not getattr(user, "is_authenticated", False):
        return queryset.none()
    condition = scope_condition(user, roles, team_field=team_field, own=own)
    return queryset if condition is None else queryset.filter(condition)


# --- The reverse question: who holds a role over a record's team -----------------------------------------------
# (the closed-case dip sample asks "who may review this case": people whose grant in force on the day covers the
# case's team, a national grant or one over its team, its unit or its area).


def grant_covers(team_id, unit_id, area_id) -> Q:
    """A condition on grants: their purview covers the team with these ids (values, or OuterRefs to a record's)."""
    return Q(level=PurviewLevel.NATIONAL) | Q(team_id=team_id) | Q(unit_id=unit_id) | Q(area_id=area_id)


def covers_team(team_field: str = "team") -> Q:
    """A condition on grants: their purview covers the team of the outer record (`team_field` leads to it)."""
    return grant_covers(*(OuterRef(f"{team_field}{column}") for column in ("_id", "__unit_id", "__unit__area_id")))


def holders_over(role: str, *, on: date, team_field: str = "team", excluding: tuple[str, ...] = ()) -> ArraySubquery:
    """An annotation: the ids (ascending, each once) of active people holding `role` on the day over the outer
    record's team, leaving out the people the outer record names in the `excluding` fields."""
    grants = RoleGrant.objects.active_on(on).filter(covers_team(team_field), role=role, person__is_active=True)
    for field in excluding:
        grants = grants.exclude(person_id=OuterRef(f"{field}_id"))
    return ArraySubquery(grants.order_by("person_id").distinct().values("person_id"))
