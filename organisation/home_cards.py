"""The organisation's cards on the home page: the user's team and their roles.

A card function takes the request, the roles the user holds and today, and returns (template, context) or None for
a card the user has no use for; home/views.py lists the cards in the order the page shows them.
"""

from organisation import scoping
from organisation.models import TeamMembership


def team_card(request, *, held, today):
    memberships = TeamMembership.objects.active_on(today).filter(person=request.user)
    return "organisation/_home_team.html", {"memberships": memberships.select_related("team__unit__area")}


def roles_card(request, *, held, today):
    grants = scoping.active_grants(request.user).select_related("team__unit", "unit__area", "area")
    return "organisation/_home_roles.html", {"grants": grants}
