import time

from django.core.management.base import BaseCommand
from django.db import connection, transaction

from reporting import fact_sql
from reporting.models import (
    AnswerAreaFact,
    AnswerFact,
    IqaAreaFact,
    IqaFact,
    ReasonAreaFact,
    ReasonFact,
    RemarkAreaFact,
    RemarkFact,
)


class Command(BaseCommand):
    help = (
        "Recompute the reporting facts (answers, reasons, IQAs and re-marks counted by month, team, assessor, "
        "activity and court, and again by area) from the raw rows. The triggers keep them exact on every write; "
        "run this after loading rows with the triggers off, or to check them."
    )

    def handle(self, *args, **options):
        started = time.monotonic()
        with transaction.atomic(), connection.cursor() as cursor:
            fact_sql.rebuild(cursor)
        counts = ", ".join(
            f"{model.objects.count():,} {model._meta.verbose_name_plural}"
            for model in (
                AnswerFact,
                ReasonFact,
                IqaFact,
                RemarkFact,
                AnswerAreaFact,
                ReasonAreaFact,
                IqaAreaFact,
                RemarkAreaFact,
            )
        )
        self.stdout.write(f"Reporting facts rebuilt in {time.monotonic() - started:.1f} s: {counts}.")
