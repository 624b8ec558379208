import argparse
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.utils import timezone

from demo.assessments import seed_demo_challenges, seed_demo_iqas
from demo.dipsampling import seed_demo_dip_samples
from demo.national import seed_national_iqas
from demo.organisation import DEMO_LOGINS, DEMO_PASSWORD, seed_demo
from demo.reporting import seed_demo_area
from demo.scrutiny import seed_demo_case_reviews

NATIONAL = "national"  # --scale national: staff at 1.2 (~3,050) and five business years of IQAs (~300k)
NATIONAL_STAFF_SCALE = 1.2


def _scale(text):
    if text == NATIONAL:
        return text
    try:
        return float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a number or '{NATIONAL}'.") from None


class Command(BaseCommand):
    help = (
        "Build the demo organisation, staff and one log-in per role, with the last business year and this one of IQAs, "
        "feedback, dip samples and measures in the log-ins' area (the North West). Safe to run again."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale",
            type=_scale,
            default=1.0,
            help="Multiply team sizes (1 gives about 2,550 staff; 1.2 about 3,050). Applies on first seeding. "
            "'national' seeds staff at 1.2 and five business years of IQAs for every area (~300k IQAs, ~3M answers) "
            "in place of the default's last business year and this one in the demo log-ins' area.",
        )

    def handle(self, *args, scale, **options):
        national = scale == NATIONAL
        scale = NATIONAL_STAFF_SCALE if national else scale
        if not 0.1 <= scale <= 10:
            raise CommandError("--scale must be between 0.1 and 10.")
        summary = seed_demo(scale=scale, today=timezone.localdate())
        self.stdout.write(
            f"Demo organisation: {summary['areas']} areas, {summary['teams']} teams, "
            f"{summary['people']} people ({summary['staff_created']} added now)."
        )
        iqas = seed_demo_iqas(timezone.localdate())
        self.stdout.write(f"Demo IQAs for the demo assessor's team: {iqas} added now.")
        case_reviews = seed_demo_case_reviews(timezone.localdate())
        self.stdout.write(f"Demo case reviews in the Case Review Group: {case_reviews} added now.")
        dip_samples = seed_demo_dip_samples(timezone.localdate())
        self.stdout.write(f"Demo dip samples by the demo dip sampler: {dip_samples} added now.")
        challenges = seed_demo_challenges(timezone.localdate())
        self.stdout.write(f"Demo challenges by the demo prosecutor: {challenges} added now.")
        if national:
            self._seed_national()
        else:
            self._seed_area()
        # The demo's rows arrive in bulk (COPY, bulk_create) faster than autovacuum notices: without fresh statistics
        # the planner takes the tables for nearly empty, and a page's list of an area's assessors, planned as nested
        # loops, took minutes right after seeding.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        self.stdout.write(f"\nDemo log-ins (password for each: {DEMO_PASSWORD}):")
        for login in DEMO_LOGINS:
            self.stdout.write(f"  {login.email:<32} {login.does}")

    def _seed_area(self):
        started = time.monotonic()
        counts = seed_demo_area(timezone.localdate())
        if not counts:
            self.stdout.write("Demo IQAs in the North West: already present (or the national demo's), nothing added.")
            return
        self.stdout.write(f"Demo IQAs in the North West in {time.monotonic() - started:.0f} s: {_rows(counts)}.")

    def _seed_national(self):
        started = time.monotonic()
        counts = seed_national_iqas(today=timezone.localdate())
        if not counts:
            self.stdout.write("National demo IQAs: already present, nothing added.")
            return
        self.stdout.write(f"National demo IQAs in {time.monotonic() - started:.0f} s: {_rows(counts)}.")


def _rows(counts: dict) -> str:
    return ", ".join(f"{count:,} {table.split('_', 1)[1]}" for table, count in counts.items())
