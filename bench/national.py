"""The benchmark's data and the places it asks about: the national demo, North West, and a team in it."""

from datetime import date

from django.core.management import call_command
from django.db import connection

from bench.sql import Scope
from demo.national import TABLES, national_demo_present
from demo.organisation import DEMO_DOMAIN
from organisation.models import Area, Person, Team
from qa_platform.periods import business_year, business_year_of, quarter

NATIONAL_VIEWER = f"national@{DEMO_DOMAIN}"
QUARTER = "-quarter"  # the scopes asked for a quarter rather than a business year
QUESTION, ANSWER = "Q14", "not_met"  # the drill-down: disclosure and procedure, the lowest of case progression


def prepare() -> Person:
    """Migrate, load the national demo if it is not there, and return the demo national viewer."""
    call_command("migrate", verbosity=0)
    if not national_demo_present():
        call_command("seed_demo", "--scale", "national")
    # COPY leaves the visibility map unset; VACUUM sets it, so index-only scans work for the pages and SQL alike.
    with connection.cursor() as cursor:
        for table in TABLES:
            cursor.execute(f"VACUUM ANALYZE {table}")
    return Person.objects.get(email=NATIONAL_VIEWER)


def _scopes(period, earlier_quarters, area: Area, teams: list[Team], suffix: str = "") -> list[Scope]:
    questions = {"question": QUESTION, "answer": ANSWER}
    return [
        Scope(f"national{suffix}", period, extra={"dimension": "area", "values": _two_areas(area), **questions}),
        Scope(
            f"area{suffix}",
            period,
            area_id=area.pk,
            extra={"dimension": "team", "values": [t.pk for t in teams], **questions},
        ),
        Scope(
            f"team{suffix}",
            period,
            team_id=teams[0].pk,
            extra={"dimension": "period", "periods": earlier_quarters, **questions},
        ),
    ]


def _two_areas(area: Area) -> list[int]:
    other = Area.objects.exclude(pk=area.pk).order_by("name").first()
    return [area.pk, other.pk]


def scopes_for(today: date, *, area: Area | None = None, teams: list[Team] | None = None) -> list[tuple[Scope, Scope]]:
    """(scope, the same request over less data) pairs at national, area and team scope: for the last whole business
    year against the first year of the data three years before it (staff and IQAs grew since, so it holds about a
    third as many), then (scopes named "...-quarter") for that year's Q3 against the Q3 three years before;
    comparing periods, Q3 against the Q3 before."""
    year = business_year_of(today) - 1
    area = area or Area.objects.get(code="north-west")
    teams = teams or list(Team.objects.filter(unit__area=area, unit__name="Magistrates' Courts").order_by("name")[:2])
    early = year - 3
    compared, compared_early = [quarter(year - 1, 3), quarter(year, 3)], [quarter(early, 3), quarter(early + 1, 3)]
    large = _scopes(business_year(year), compared, area, teams) + _scopes(
        quarter(year, 3), compared, area, teams, QUARTER
    )
    small = _scopes(business_year(early), compared_early, area, teams) + _scopes(
        quarter(early, 3), compared_early, area, teams, QUARTER
    )
    return list(zip(large, small, strict=True))
