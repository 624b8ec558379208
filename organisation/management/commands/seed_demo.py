from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from assessments.demo import seed_demo_iqas
from organisation.demo import DEMO_LOGINS, DEMO_PASSWORD, seed_demo


class Command(BaseCommand):
    help = "Build the demo organisation, staff and one log-in per role. Safe to run again."

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale",
            type=float,
            default=1.0,
            help="Multiply team sizes (1 gives about 2,550 staff; 1.2 about 3,050). Applies on first seeding.",
        )

    def handle(self, *args, scale, **options):
        if not 0.1 <= scale <= 10:
            raise CommandError("--scale must be between 0.1 and 10.")
        summary = seed_demo(scale=scale, today=timezone.localdate())
        self.stdout.write(
            f"Demo organisation: {summary['areas']} areas, {summary['teams']} teams, "
            f"{summary['people']} people ({summary['staff_created']} added now)."
        )
        iqas = seed_demo_iqas(timezone.localdate())
        self.stdout.write(f"Demo IQAs for the demo assessor's team: {iqas} added now.")
        self.stdout.write(f"\nDemo log-ins (password for each: {DEMO_PASSWORD}):")
        for login in DEMO_LOGINS:
            self.stdout.write(f"  {login.email:<32} {login.does}")
