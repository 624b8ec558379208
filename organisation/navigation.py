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


# Sections a person reaches by being named on records rather than by a role: a case review manager holds no role
# (rules 7 and 8 give them none), only the case reviews naming them. The app owning the records says at log-in
# whether the person is named on any (remember_named_section), and the answer is kept in the session, so the
# navigation costs no query on every page; someone first named during a session sees the link at their next
# log-in. Each: key -> (label, URL name, the role whose own section already covers it).
NAMED_SECTIONS = {"case_reviews": ("Case reviews", "scrutiny_case_list", Role.CASE_SCRUTINY)}
NAMED_SECTIONS_SESSION_KEY = "navigation_named_sections"


def remember_named_section(session, key: str, named: bool) -> None:
    sections = set(session.get(NAMED_SECTIONS_SESSION_KEY, ())) - {key}
    session[NAMED_SECTIONS_SESSION_KEY] = sorted(sections | {key} if named else sections)


def named_sections(session) -> set[str]:
    return set(session.get(NAMED_SECTIONS_SESSION_KEY, ())) if session is not None else set()


def _section_url(role):
    return reverse(SECTION_URLS[role]) if role in SECTION_URLS else reverse("role_page", args=[role])


def navigation_for(user, *, named: set[str] = frozenset()) -> list[NavItem]:
    """`named`: the NAMED_SECTIONS keys the person is named in (from the session)."""
    if not user.is_authenticated:
        return []
    held = roles_held(user)
    items = [NavItem("Home", reverse("home"), "home"), NavItem("IQAs of my work", reverse("own_iqas"), "own_iqas")]
    items += [NavItem(label, _section_url(role), role) for role, label in ROLE_SECTIONS.items() if role in held]
    items += [
        NavItem(label, reverse(url_name), key)
        for key, (label, url_name, covered_by) in NAMED_SECTIONS.items()
        if key in named and covered_by not in held
    ]
    if held & set(PEOPLE_ROLES):
        items.append(NavItem("People", reverse("people_list"), "people"))
    if user.is_staff:
        items.append(NavItem("Administration", reverse("admin:index"), "admin"))
    return items
