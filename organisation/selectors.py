"""Reads of the organisation shared by several pages."""

from django.db.models import Prefetch
from django.utils import timezone

from organisation.models import TeamMembership


def current_memberships() -> Prefetch:
    """Each person's memberships in force today, with their team, unit and area, as `current_memberships`."""
    return Prefetch(
        "memberships",
        queryset=TeamMembership.objects.active_on(timezone.localdate()).select_related("team__unit__area"),
        to_attr="current_memberships",
    )
