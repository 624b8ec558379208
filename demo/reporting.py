"""The default demo's figures: the last business year and this one so far of IQAs in the demo log-ins' area (the
North West), by the national demo's rules (demo/national.py), and the area's performance measures for
each quarter that has ended. Enough that every reporting page the demo log-ins reach shows real figures, and quick:
a few thousand IQAs, loaded with COPY in seconds. Safe to run again: nothing is added once the area's IQAs exist.
"""

import random
from datetime import date
from decimal import Decimal

from django.db import transaction

from assessments.models import Activity
from demo.national import DEMO_URN_MARK, generated_iqas, load_iqas, national_demo_present
from organisation.models import Area, Person, Team
from qa_platform import periods
from reporting.models import PerformanceMeasure

AREA_CODE = "north-west"
# IQAs a year of each person in post: a little over the proxy target of most teams (seed 001, 3.3: four half-days
# a year, several IQAs each), well under the national demo's density, so the demo loads in seconds.
IQAS_PER_PERSON_YEAR = 12
# The area's published measures beside the question results (seed 001, annex C: one area's quarter), each with the
# activity it is read against; every quarter varies a little around them.
MEASURES = [
    ("Magistrates' courts conviction rate", Decimal("84.3"), Activity.CASE_PRESENTATION),
    ("Crown Court conviction rate", Decimal("80.1"), Activity.CASE_PRESENTATION),
    ("Guilty plea at first hearing, magistrates' courts", Decimal("76.4"), Activity.CASE_PROGRESSION),
    ("Domestic abuse conviction rate", Decimal("76.0"), Activity.CHARGING_REVIEW),
    ("Rape conviction rate", Decimal("58.5"), Activity.CHARGING_REVIEW),
]


def first_day(today: date) -> date:
    """The start of the last business year: a whole year to compare with, and this one so far."""
    return periods.business_year(periods.business_year_of(today) - 1).start


def seed_demo_area(today: date, *, seed: int = 2018) -> dict:
    """The area's IQAs and measures; returns the rows added per table (empty when they exist already, or when the
    national demo, which covers the area for five years, does)."""
    area = Area.objects.filter(code=AREA_CODE).first()
    if area is None or generated_iqas(DEMO_URN_MARK).exists() or national_demo_present():
        return {}
    counts = load_iqas(
        today=today,
        first_day=first_day(today),
        urn_mark=DEMO_URN_MARK,
        per_person_year=IQAS_PER_PERSON_YEAR,
        team_ids=Team.objects.filter(unit__area=area).values_list("pk", flat=True),
        demo_logins_in_post=True,
        seed=seed,
    )
    counts["reporting_performancemeasure"] = seed_measures(area, today, seed=seed)
    return counts


@transaction.atomic
def seed_measures(area: Area, today: date, *, seed: int = 2018) -> int:
    """Each measure for each quarter from the demo's first day to the last quarter that has ended."""
    rng = random.Random(seed)  # noqa: S311 - reproducible demo data, not security
    imported_by = Person.objects.filter(email="performance@demo.example").first()
    added = 0
    for quarter in periods.quarters_in(periods.custom(first_day(today), periods.last_quarter(today).end)):
        year, number = periods.business_year_of(quarter.start), periods.quarter_number(quarter.start)
        for name, value, activity in MEASURES:
            _, created = PerformanceMeasure.objects.get_or_create(
                area=area,
                business_year=year,
                quarter=number,
                measure=name,
                defaults={
                    "value": value + Decimal(rng.randint(-25, 25)) / 10,
                    "activity": activity,
                    "imported_by": imported_by,
                },
            )
            added += created
    return added
