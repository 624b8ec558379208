"""Rule 4's due date stored on each IQA (feedback within five working days of the assessment, England and Wales bank
holidays), backfilled here from the day each IQA was recorded in London; 0008 makes it required.

Self-contained, as a migration must be: the working-day count and the bank holidays (from the `holidays` package,
version 0.109, England's calendar, 2000 to 2040) are written out below as they were when it was written. The audit
triggers are removed first (0008 puts them back with the new column), so the backfill writes no audit events.
"""

from datetime import date, timedelta

import pgtrigger.migrations
from django.db import migrations, models

FEEDBACK_WORKING_DAYS = 5

# Bank holidays in England and Wales by year, as month-day.
BANK_HOLIDAYS = {
    2000: "01-01 01-03 04-21 04-24 05-01 05-29 08-28 12-25 12-26",
    2001: "01-01 04-13 04-16 05-07 05-28 08-27 12-25 12-26",
    2002: "01-01 03-29 04-01 05-06 06-03 06-04 08-26 12-25 12-26",
    2003: "01-01 04-18 04-21 05-05 05-26 08-25 12-25 12-26",
    2004: "01-01 04-09 04-12 05-03 05-31 08-30 12-25 12-26 12-27 12-28",
    2005: "01-01 01-03 03-25 03-28 05-02 05-30 08-29 12-25 12-26 12-27",
    2006: "01-01 01-02 04-14 04-17 05-01 05-29 08-28 12-25 12-26",
    2007: "01-01 04-06 04-09 05-07 05-28 08-27 12-25 12-26",
    2008: "01-01 03-21 03-24 05-05 05-26 08-25 12-25 12-26",
    2009: "01-01 04-10 04-13 05-04 05-25 08-31 12-25 12-26 12-28",
    2010: "01-01 04-02 04-05 05-03 05-31 08-30 12-25 12-26 12-27 12-28",
    2011: "01-01 01-03 04-22 04-25 04-29 05-02 05-30 08-29 12-25 12-26 12-27",
    2012: "01-01 01-02 04-06 04-09 05-07 06-04 06-05 08-27 12-25 12-26",
    2013: "01-01 03-29 04-01 05-06 05-27 08-26 12-25 12-26",
    2014: "01-01 04-18 04-21 05-05 05-26 08-25 12-25 12-26",
    2015: "01-01 04-03 04-06 05-04 05-25 08-31 12-25 12-26 12-28",
    2016: "01-01 03-25 03-28 05-02 05-30 08-29 12-25 12-26 12-27",
    2017: "01-01 01-02 04-14 04-17 05-01 05-29 08-28 12-25 12-26",
    2018: "01-01 03-30 04-02 05-07 05-28 08-27 12-25 12-26",
    2019: "01-01 04-19 04-22 05-06 05-27 08-26 12-25 12-26",
    2020: "01-01 04-10 04-13 05-08 05-25 08-31 12-25 12-26 12-28",
    2021: "01-01 04-02 04-05 05-03 05-31 08-30 12-25 12-26 12-27 12-28",
    2022: "01-01 01-03 04-15 04-18 05-02 06-02 06-03 08-29 09-19 12-25 12-26 12-27",
    2023: "01-01 01-02 04-07 04-10 05-01 05-08 05-29 08-28 12-25 12-26",
    2024: "01-01 03-29 04-01 05-06 05-27 08-26 12-25 12-26",
    2025: "01-01 04-18 04-21 05-05 05-26 08-25 12-25 12-26",
    2026: "01-01 04-03 04-06 05-04 05-25 08-31 12-25 12-26 12-28",
    2027: "01-01 03-26 03-29 05-03 05-31 08-30 12-25 12-26 12-27 12-28",
    2028: "01-01 01-03 04-14 04-17 05-01 05-29 08-28 12-25 12-26",
    2029: "01-01 03-30 04-02 05-07 05-28 08-27 12-25 12-26",
    2030: "01-01 04-19 04-22 05-06 05-27 08-26 12-25 12-26",
    2031: "01-01 04-11 04-14 05-05 05-26 08-25 12-25 12-26",
    2032: "01-01 03-26 03-29 05-03 05-31 08-30 12-25 12-26 12-27 12-28",
    2033: "01-01 01-03 04-15 04-18 05-02 05-30 08-29 12-25 12-26 12-27",
    2034: "01-01 01-02 04-07 04-10 05-01 05-29 08-28 12-25 12-26",
    2035: "01-01 03-23 03-26 05-07 05-28 08-27 12-25 12-26",
    2036: "01-01 04-11 04-14 05-05 05-26 08-25 12-25 12-26",
    2037: "01-01 04-03 04-06 05-04 05-25 08-31 12-25 12-26 12-28",
    2038: "01-01 04-23 04-26 05-03 05-31 08-30 12-25 12-26 12-27 12-28",
    2039: "01-01 01-03 04-08 04-11 05-02 05-30 08-29 12-25 12-26 12-27",
    2040: "01-01 01-02 03-30 04-02 05-07 05-28 08-27 12-25 12-26",
}
HOLIDAYS = frozenset(
    date(year, int(day[:2]), int(day[3:])) for year, days in BANK_HOLIDAYS.items() for day in days.split()
)


def feedback_due_after(recorded_on: date) -> date:
    """The fifth working day after the day the IQA was recorded (counted from the day after)."""
    if recorded_on.year not in BANK_HOLIDAYS or recorded_on.year + 1 not in BANK_HOLIDAYS:
        raise ValueError(f"No bank holidays written here for an IQA recorded on {recorded_on}.")
    day = recorded_on
    for _ in range(FEEDBACK_WORKING_DAYS):
        day += timedelta(days=1)
        while day.weekday() >= 5 or day in HOLIDAYS:
            day += timedelta(days=1)
    return day


LONDON_DAY = "(recorded_at AT TIME ZONE 'Europe/London')::date"


def backfill(apps, schema_editor):
    """Set the due date on every IQA and every audit event of one, per distinct recording day (a few thousand)."""
    with schema_editor.connection.cursor() as cursor:
        for table in ("assessments_assessment", "assessments_assessmentevent"):
            cursor.execute(f"SELECT DISTINCT {LONDON_DAY} FROM {table} WHERE feedback_due_on IS NULL")  # noqa: S608
            days = [row[0] for row in cursor.fetchall()]
            if not days:
                continue
            cursor.execute(
                f"UPDATE {table} SET feedback_due_on = d.due_on "  # noqa: S608 - the table names above
                "FROM unnest(%s::date[], %s::date[]) AS d(recorded_on, due_on) "
                f"WHERE feedback_due_on IS NULL AND {LONDON_DAY} = d.recorded_on",
                [days, [feedback_due_after(day) for day in days]],
            )


HELP_TEXT = (
    "Rule 4: feedback within five working days of the assessment (England and Wales bank holidays): the fifth "
    "working day after the day it was recorded (assessments.rules.feedback_due_after), set when it is recorded."
)


class Migration(migrations.Migration):
    dependencies = [
        ("assessments", "0006_challenge_originals"),
    ]

    operations = [
        pgtrigger.migrations.RemoveTrigger(model_name="assessment", name="insert_insert"),
        pgtrigger.migrations.RemoveTrigger(model_name="assessment", name="update_update"),
        pgtrigger.migrations.RemoveTrigger(model_name="assessment", name="delete_delete"),
        migrations.AddField(
            model_name="assessment",
            name="feedback_due_on",
            field=models.DateField(editable=False, null=True, help_text=HELP_TEXT),
        ),
        migrations.AddField(
            model_name="assessmentevent",
            name="feedback_due_on",
            field=models.DateField(editable=False, null=True, help_text=HELP_TEXT),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop, elidable=True),
    ]
