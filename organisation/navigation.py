"""The navigation each person sees, from the roles they hold."""

from dataclasses import dataclass

from django.urls import reverse

from organisation.models import Role
from organisation.scoping import PEOPLE_ROLES, roles_held

# Each role's own section, in the order the navigation shows them.
ROLE_SECTIONS = {
    Role.ASSESSOR: "Assessing",
    Role.DIP_SAMPLER: "Dip sampling",
    Role.PERFORMANCE_VIEWER: "Performance",
    Role.COMMENTS_VIEWER: "Comments",
    Role.CASE_SCRUTINY: "Case scrutiny",
    Role.NATIONAL_VIEWER: "National view",
    Role.QUESTION_SET_ADMIN: "Question sets",
}


@dataclass(frozen=True)
class NavItem:
    label: str
    url: str
    key: str


# Sections whose work has its own pages; the others open their role page.
SECTION_URLS = {
    Role.ASSESSOR: "iqa_list",
    Role.DIP_SAMPLER: "dip_sample_queue",
    Role.CASE_SCRUTINY: "scrutiny_case_list",
    Role.PERFORMANCE_VIEWER: "reporting:dashboard",
    Role.NATIONAL_VIEWER: "reporting:dashboard",
    Role.COMMENTS_VIEWER: "reporting:comments",
}


def _section_url(role):
    return reverse(SECTION_URLS[role]) if role in SECTION_URLS else reverse("role_page", args=[role])


def navigation_for(user) -> list[NavItem]:
    if not user.is_authenticated:
        return []
    held = roles_held(user)
    items = [NavItem("Home", reverse("home"), "home"), NavItem("IQAs of my work", reverse("own_iqas"), "own_iqas")]
    items += [NavItem(label, _section_url(role), role) for role, label in ROLE_SECTIONS.items() if role in held]
    if held & set(PEOPLE_ROLES):
        items.append(NavItem("People", reverse("people_list"), "people"))
    if user.is_staff:
        items.append(NavItem("Administration", reverse("admin:index"), "admin"))
    return items
