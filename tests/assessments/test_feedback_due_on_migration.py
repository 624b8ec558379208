"""Migration 0007 backfills rule 4's due date on IQAs recorded before it was stored, from its own copy of the
working days and bank holidays: the same date as assessments.rules.feedback_due_after."""

import importlib
from datetime import date, datetime, time, timedelta

import pytest
from django.db import connection

from assessments.models import Assessment
from assessments.rules import feedback_due_after
from qa_platform.clock import LONDON
from tests.factories import AssessmentFactory

migration = importlib.import_module("assessments.migrations.0007_assessment_feedback_due_on")

pytestmark = pytest.mark.django_db


def test_its_working_days_are_the_rules_every_day_from_2000_to_2039():
    day = date(2000, 1, 1)
    while day < date(2040, 1, 1):
        assert migration.feedback_due_after(day) == feedback_due_after(day), day
        day += timedelta(days=1)


def test_it_sets_each_iqas_due_date_from_the_day_it_was_recorded_in_london(org, assessor):
    # Just after midnight in London on 1 April 2025 (still 31 March in UTC), before Easter, and before Christmas.
    instants = [
        datetime.combine(date(2025, 4, 1), time(0, 30), tzinfo=LONDON),
        datetime.combine(date(2025, 4, 16), time(9), tzinfo=LONDON),
        datetime.combine(date(2024, 12, 20), time(17), tzinfo=LONDON),
    ]
    iqas = [AssessmentFactory(team=org.team_a1a, assessor=assessor, recorded_at=when) for when in instants]
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # the factories' deferred checks, before altering the table
        cursor.execute("ALTER TABLE assessments_assessment ALTER COLUMN feedback_due_on DROP NOT NULL")
        cursor.execute("ALTER TABLE assessments_assessmentevent ALTER COLUMN feedback_due_on DROP NOT NULL")
        cursor.execute("UPDATE assessments_assessment SET feedback_due_on = NULL")
        cursor.execute("UPDATE assessments_assessmentevent SET feedback_due_on = NULL")

    migration.backfill(None, connection.schema_editor())

    due = dict(Assessment.objects.values_list("pk", "feedback_due_on"))
    assert [due[iqa.pk] for iqa in iqas] == [date(2025, 4, 8), date(2025, 4, 25), date(2024, 12, 31)]
    assert due == {iqa.pk: feedback_due_after(when.date()) for iqa, when in zip(iqas, instants, strict=True)}
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM assessments_assessmentevent WHERE feedback_due_on IS NULL")
        assert cursor.fetchone() == (0,)
