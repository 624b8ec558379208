"""A believable demo organisation: 14 CPS areas plus CPS Direct, units of each type, teams, staff and log-ins.

Deterministic (seeded) and idempotent: running it again adds nothing and resets the demo passwords.
"""

import itertools
import random
from dataclasses import dataclass
from datetime import date, timedelta

from django.contrib.auth.hashers import make_password
from django.db import transaction

from organisation.models import (
    Area,
    Person,
    PurviewLevel,
    Role,
    RoleGrant,
    RoleType,
    Team,
    TeamMembership,
    Unit,
)
from organisation.models import UnitType as T

DEMO_PASSWORD = "demo-password-2026"  # noqa: S105 - printed for the demo log-ins; never a real account
DEMO_DOMAIN = "demo.example"
STAFF_DOMAIN = "staff.demo.example"

GEOGRAPHIC_AREAS = [
    "Cymru-Wales",
    "East Midlands",
    "East of England",
    "London North",
    "London South",
    "Mersey-Cheshire",
    "North East",
    "North West",
    "South East",
    "South West",
    "Thames and Chiltern",
    "Wessex",
    "West Midlands",
    "Yorkshire and Humberside",
]
# (unit name, unit type, number of teams) in every geographic area.
AREA_UNITS = [
    ("Magistrates' Courts", T.MAGISTRATES_COURTS, 4),
    ("Crown Court", T.CROWN_COURT, 3),
    ("RASSO", T.RASSO, 2),
    ("Complex Casework Unit", T.COMPLEX_CASEWORK, 1),
]
# Units that exist once, in a named area.
SPECIAL_UNITS = {
    "CPS Direct": [("CPS Direct", T.OTHER, 3)],
    "London South": [("Special Crime Division", T.CENTRAL_CASEWORK, 2)],
    "North West": [("Case Review Group", T.CASE_REVIEW_GROUP, 2)],
}
FIRST_NAMES = [
    "Aisha",
    "Alice",
    "Amir",
    "Anna",
    "Ben",
    "Bethan",
    "Carys",
    "Chloe",
    "Daniel",
    "David",
    "Deborah",
    "Dylan",
    "Eleanor",
    "Emma",
    "Fatima",
    "Gareth",
    "Grace",
    "Hannah",
    "Harry",
    "Imran",
    "Isla",
    "Jack",
    "James",
    "Jasmine",
    "Joseph",
    "Kate",
    "Kwame",
    "Laura",
    "Liam",
    "Lucy",
    "Mark",
    "Mary",
    "Mohammed",
    "Naomi",
    "Oliver",
    "Olivia",
    "Priya",
    "Rachel",
    "Rhys",
    "Ruth",
    "Sam",
    "Sarah",
    "Sean",
    "Sophie",
    "Thomas",
    "Tom",
    "Yusuf",
    "Zara",
]
LAST_NAMES = [
    "Ahmed",
    "Ali",
    "Baker",
    "Begum",
    "Brown",
    "Campbell",
    "Clarke",
    "Davies",
    "Evans",
    "Green",
    "Hall",
    "Harris",
    "Hughes",
    "Jackson",
    "James",
    "Johnson",
    "Jones",
    "Khan",
    "Lewis",
    "Martin",
    "Mensah",
    "Morgan",
    "Moore",
    "Murphy",
    "Nowak",
    "O'Brien",
    "Owen",
    "Patel",
    "Price",
    "Roberts",
    "Robinson",
    "Shah",
    "Singh",
    "Smith",
    "Taylor",
    "Thomas",
    "Thompson",
    "Walker",
    "White",
    "Williams",
    "Wilson",
    "Wood",
    "Wright",
    "Young",
]
NON_ADVOCACY_TITLES = [
    "Senior Crown Prosecutor",
    "Crown Prosecutor",
    "Senior Crown Prosecutor",
    "Paralegal Officer",
]
ADVOCACY_TITLES = ["Senior Crown Advocate", "Crown Advocate", "Associate Prosecutor"]


@dataclass(frozen=True)
class DemoLogin:
    email: str
    full_name: str
    job_title: str
    does: str


ASSESSED_LOGIN = f"prosecutor@{DEMO_DOMAIN}"  # the one demo log-in whose work is in the figures

DEMO_LOGINS = [
    DemoLogin(f"assessor@{DEMO_DOMAIN}", "Dana Assessor", "District Crown Prosecutor", "assessor over a team"),
    DemoLogin(ASSESSED_LOGIN, "Priya Prosecutor", "Senior Crown Prosecutor", "assessed; no roles"),
    DemoLogin(
        f"dip.sampler@{DEMO_DOMAIN}",
        "Sam Sampler",
        "Senior District Crown Prosecutor",
        "dip sampler over a unit",
    ),
    DemoLogin(
        f"performance@{DEMO_DOMAIN}",
        "Pat Performance",
        "Area Performance Manager",
        "performance viewer over an area",
    ),
    DemoLogin(
        f"comments@{DEMO_DOMAIN}",
        "Chris Comments",
        "Deputy Chief Crown Prosecutor",
        "comments viewer over an area",
    ),
    DemoLogin(
        f"scrutiny@{DEMO_DOMAIN}", "Gwen Leader", "Group Leader", "group leader, case scrutiny over a case review group"
    ),
    DemoLogin(
        f"case.manager@{DEMO_DOMAIN}",
        "Cam Manager",
        "Case Review Manager",
        "case review manager of some of the group's cases; no roles",
    ),
    DemoLogin(f"national@{DEMO_DOMAIN}", "Nia National", "HQ Performance Analyst", "national viewer"),
    DemoLogin(
        f"question.sets@{DEMO_DOMAIN}",
        "Quinn Questions",
        "Quality Assurance Lead",
        "question set administrator",
    ),
    DemoLogin(f"admin@{DEMO_DOMAIN}", "Ada Admin", "System Administrator", "administrator (Django admin)"),
]


def build_structure() -> list[Team]:
    """Areas, units and teams (get_or_create: safe to run again)."""
    teams = []
    for name in [*GEOGRAPHIC_AREAS, "CPS Direct"]:
        area, _ = Area.objects.get_or_create(
            code=name.lower().replace(" ", "-").replace("'", ""),
            defaults={"name": name, "is_geographic": name != "CPS Direct"},
        )
        units = AREA_UNITS if area.is_geographic else []
        for unit_name, unit_type, team_count in [*units, *SPECIAL_UNITS.get(name, [])]:
            unit, _ = Unit.objects.get_or_create(area=area, name=unit_name, defaults={"unit_type": unit_type})
            for number in range(1, team_count + 1):
                team, _ = Team.objects.get_or_create(unit=unit, name=f"{unit_name} Team {number}")
                teams.append(team)
    return teams


def _staff_email(first, last, number):
    return f"{first}.{last}.{number}@{STAFF_DOMAIN}".lower().replace("'", "")


def _staff_for_team(rng, team, size, numbers, today):
    """The people of one team: a District Crown Prosecutor, then prosecutors and advocates."""
    court_based = team.unit.unit_type in {T.MAGISTRATES_COURTS, T.CROWN_COURT}
    people = []
    for position in range(size):
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        if position == 0:
            role_type, title = RoleType.NON_ADVOCACY, "District Crown Prosecutor"
        elif court_based and rng.random() < 0.4:
            role_type, title = RoleType.ADVOCACY, rng.choice(ADVOCACY_TITLES)
        else:
            role_type, title = RoleType.NON_ADVOCACY, rng.choice(NON_ADVOCACY_TITLES)
        email = _staff_email(first, last, next(numbers))
        started = today - timedelta(days=rng.randint(30, 6 * 365))
        people.append((Person(email=email, full_name=f"{first} {last}", job_title=title, role_type=role_type), started))
    return people


def build_staff(teams: list[Team], *, scale: float, today: date, rng: random.Random) -> int:
    """Staff in post in every team, with their DCP as assessor and a Senior DCP per unit as dip sampler."""
    if Person.objects.filter(email__endswith=f"@{STAFF_DOMAIN}").exists():
        return 0
    unusable = make_password(None)
    numbers = itertools.count(1)  # keeps generated e-mail addresses unique
    rows = []  # (person, team, started)
    for team in teams:
        size = max(3, round(rng.randint(14, 20) * scale))
        rows += [(person, team, started) for person, started in _staff_for_team(rng, team, size, numbers, today)]
    for person, _, _ in rows:
        person.password = unusable
    Person.objects.bulk_create([person for person, _, _ in rows], batch_size=2000)

    memberships, grants = [], []
    for person, team, started in rows:
        # About one in ten moved teams: an ended membership elsewhere shows staff-in-post history.
        if rng.random() < 0.1:
            previous = rng.choice(teams)
            if previous != team:
                earlier = started - timedelta(days=rng.randint(200, 900))
                memberships.append(
                    TeamMembership(person=person, team=previous, starts_on=earlier, ends_on=started - timedelta(days=1))
                )
        memberships.append(TeamMembership(person=person, team=team, starts_on=started))
        if person.job_title == "District Crown Prosecutor":
            grants.append(
                RoleGrant(person=person, role=Role.ASSESSOR, level=PurviewLevel.TEAM, team=team, starts_on=started)
            )
    units = {team.unit_id: team.unit for team in teams}
    for unit in units.values():
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        senior = Person.objects.create(
            email=_staff_email(first, last, next(numbers)),
            full_name=f"{first} {last}",
            job_title="Senior District Crown Prosecutor",
            password=unusable,
        )
        home_team = next(team for team in teams if team.unit_id == unit.pk)
        memberships.append(TeamMembership(person=senior, team=home_team, starts_on=today - timedelta(days=800)))
        grants.append(
            RoleGrant(
                person=senior,
                role=Role.DIP_SAMPLER,
                level=PurviewLevel.UNIT,
                unit=unit,
                starts_on=today - timedelta(days=800),
            )
        )
    TeamMembership.objects.bulk_create(memberships, batch_size=2000)
    RoleGrant.objects.bulk_create(grants, batch_size=2000)
    return len(rows) + len(units)


def _grant(person, role, level, *, team=None, unit=None, area=None, starts_on):
    RoleGrant.objects.get_or_create(
        person=person,
        role=role,
        level=level,
        team=team,
        unit=unit,
        area=area,
        defaults={"starts_on": starts_on},
    )


def build_demo_logins(today: date) -> None:
    """One log-in per role, placed in the North West so their purviews overlap in a way worth exploring."""
    north_west = Area.objects.get(code="north-west")
    mags = Unit.objects.get(area=north_west, name="Magistrates' Courts")
    mags_team = Team.objects.get(unit=mags, name="Magistrates' Courts Team 1")
    crg = Unit.objects.get(area=north_west, name="Case Review Group")
    crg_team = Team.objects.filter(unit=crg).first()
    since = today - timedelta(days=800)  # before the demo IQAs (reporting/demo.py) begin
    password = make_password(DEMO_PASSWORD)
    people = {}
    for login in DEMO_LOGINS:
        person, _ = Person.objects.update_or_create(
            email=login.email,
            defaults={
                "full_name": login.full_name,
                "job_title": login.job_title,
                "password": password,
                "is_active": True,
            },
        )
        people[login.email.split("@")[0]] = person
    homes = {
        "assessor": mags_team,
        "prosecutor": mags_team,
        "dip.sampler": mags_team,
        "performance": mags_team,
        "comments": mags_team,
        "scrutiny": crg_team,
        "case.manager": crg_team,  # no role: the demo case reviews name them (scrutiny/demo.py)
    }
    for key, team in homes.items():
        TeamMembership.objects.get_or_create(person=people[key], team=team, defaults={"starts_on": since})
    _grant(people["assessor"], Role.ASSESSOR, PurviewLevel.TEAM, team=mags_team, starts_on=since)
    _grant(people["dip.sampler"], Role.DIP_SAMPLER, PurviewLevel.UNIT, unit=mags, starts_on=since)
    _grant(people["performance"], Role.PERFORMANCE_VIEWER, PurviewLevel.AREA, area=north_west, starts_on=since)
    _grant(people["comments"], Role.COMMENTS_VIEWER, PurviewLevel.AREA, area=north_west, starts_on=since)
    _grant(people["scrutiny"], Role.CASE_SCRUTINY, PurviewLevel.UNIT, unit=crg, starts_on=since)
    _grant(people["national"], Role.NATIONAL_VIEWER, PurviewLevel.NATIONAL, starts_on=since)
    # The grant's signal makes them staff and puts them in the question set administrators' group.
    _grant(people["question.sets"], Role.QUESTION_SET_ADMIN, PurviewLevel.NATIONAL, starts_on=since)
    Person.objects.filter(pk=people["admin"].pk).update(is_staff=True, is_superuser=True)


@transaction.atomic
def seed_demo(*, scale: float = 1.0, today: date, seed: int = 2018) -> dict:
    rng = random.Random(seed)  # noqa: S311 - reproducible demo data, not security
    teams = build_structure()
    created = build_staff(teams, scale=scale, today=today, rng=rng)
    build_demo_logins(today)
    return {
        "areas": Area.objects.count(),
        "teams": len(teams),
        "staff_created": created,
        "people": Person.objects.count(),
    }
