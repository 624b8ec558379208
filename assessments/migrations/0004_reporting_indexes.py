"""Indexes the reporting benchmark (`make bench`) showed are needed on national-scale data.

Answers by IQA with their value and question in the index: the reporting aggregates and drill-downs join answers
to the IQAs in scope and read only these columns, so PostgreSQL answers from the index alone (after VACUUM sets
the visibility map) instead of visiting ~10 heap rows per IQA; the drill-down to "not met on Q14" in one area
fell from 76 ms to 19 ms over a year of the national demo.

Plain SQL, so the model state (and makemigrations) is untouched, and CONCURRENTLY, so adding it to a live
database does not block recording IQAs.
"""

from django.db import migrations


class Migration(migrations.Migration):
    atomic = False

    dependencies = [("assessments", "0003_feedback_acknowledgement_challenge")]

    operations = [
        migrations.RunSQL(
            "CREATE INDEX CONCURRENTLY IF NOT EXISTS answer_reporting_cover "
            "ON assessments_answer (assessment_id, value) INCLUDE (question_id)",
            "DROP INDEX CONCURRENTLY IF EXISTS answer_reporting_cover",
        ),
    ]
