from django.core.management.base import BaseCommand, CommandError

from ops import health


class Command(BaseCommand):
    help = "Check PostgreSQL, Redis, the Celery worker, beat and the outbox, as /healthz does; exit 1 if any fails."

    def add_arguments(self, parser):
        parser.add_argument("--only", default="", help=f"Comma-separated checks among: {', '.join(health.CHECKS)}.")

    def handle(self, *args, only, **options):
        names = [name for name in only.split(",") if name]
        unknown = sorted(set(names) - set(health.CHECKS))
        if unknown:
            raise CommandError(f"Unknown checks: {', '.join(unknown)}. Choose among: {', '.join(health.CHECKS)}.")
        checks = health.run_checks(names)
        for check in checks:
            self.stdout.write(f"{'ok     ' if check.ok else 'FAILING'} {check.name:<9} {check.detail}")
        if not all(check.ok for check in checks):
            raise CommandError("Unhealthy: " + ", ".join(check.name for check in checks if not check.ok))
