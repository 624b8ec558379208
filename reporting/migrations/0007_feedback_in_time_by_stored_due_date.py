"""Feedback in time (rule 4) read from the due date each IQA stores (assessments 0007–0008), not recomputed in SQL
over the bank holidays: every trigger re-created, the IQA facts rebuilt, `reporting_feedback_in_time` dropped.

The SQL is the frozen SQL of 0005 (_fact_sql_0005) with the two changes written out below; it is what
reporting/fact_sql.py writes at this migration (tests/reporting/test_fact_migrations.py holds them equal).
"""

from django.db import migrations
from django.utils import timezone

from . import _fact_sql_0005 as before  # frozen: as it ran (no app code)

IQA_FACTS = ("reporting_iqafact", "reporting_iqaareafact")
OLD_IQA_COLUMNS = before.IQA_COLUMNS
NEW_IQA_COLUMNS = f"{before.IQA_COLUMNS}, feedback_due_on"
OLD_IN_TIME = (
    "coalesce(reporting_feedback_in_time(f.given_on, (s.recorded_at AT TIME ZONE 'Europe/London')::date), false)"
)
NEW_IN_TIME = "coalesce(f.given_on <= s.feedback_due_on, false)"


def stored_due_date(sql: str) -> str:
    """The frozen SQL with the IQAs' due date read and compared in place of the working-day count."""
    if OLD_IN_TIME not in sql or OLD_IQA_COLUMNS not in sql:
        raise ValueError("The frozen SQL no longer holds what this migration replaces.")
    return sql.replace(OLD_IQA_COLUMNS, NEW_IQA_COLUMNS).replace(OLD_IN_TIME, NEW_IN_TIME)


CREATE_TRIGGERS = stored_due_date(before.create_triggers_sql())
REBUILD_IQA_FACTS = stored_due_date(before.rebuild_sql(IQA_FACTS))
DROP_FEEDBACK_IN_TIME = "DROP FUNCTION IF EXISTS reporting_feedback_in_time(date, date);\n"


class Migration(migrations.Migration):
    dependencies = [
        ("assessments", "0008_assessment_feedback_due_on_required"),
        ("reporting", "0006_drilldown_order_index"),
    ]

    operations = [
        # The IQA facts rebuilt: their values do not change (the due date is the rule's), save for feedback given on
        # a non-working day straight after its due date, which the working-day count called in time.
        migrations.RunSQL(
            CREATE_TRIGGERS + DROP_FEEDBACK_IN_TIME + REBUILD_IQA_FACTS,
            before.feedback_in_time_function_sql(timezone.localdate())
            + before.create_triggers_sql()
            + before.rebuild_sql(IQA_FACTS),
        ),
    ]
