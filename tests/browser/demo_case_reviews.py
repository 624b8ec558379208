"""The demo case review group's staff and case reviews, for the browser tests that walk the demo log-ins: the case
review manager log-in holds no role, so their *Case reviews* link comes from the demo cases naming them."""

import random

from demo import organisation as demo
from demo.scrutiny import seed_demo_case_reviews
from organisation.models import UnitType


def seed_case_review_group(teams, today) -> None:
    case_review_group = [team for team in teams if team.unit.unit_type == UnitType.CASE_REVIEW_GROUP]
    demo.build_staff(case_review_group, scale=0.2, today=today, rng=random.Random(2018))  # noqa: S311
    seed_demo_case_reviews(today)
