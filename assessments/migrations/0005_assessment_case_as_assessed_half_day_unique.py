"""IQAs keep the case as they judged it; one half-day per assessor, person, activity and date of the work.

1. Duplicate half-days (the same assessor, person, activity and date of the work, started without "Assess another
   case") are merged into the oldest: their IQAs and drafts move to it, the others are deleted (audited, as any
   change). Then the unique constraint holds it.
2. Each IQA gets the case's status, stage, court and sensitive categories as it judged them. Existing IQAs are
   backfilled from the case's audit history as of the IQA's last recording or amendment (the first history row of
   its current version; else its recording time), or, for a case with no history that old (the national demo loads
   without history), from the case as it is now. The audit triggers on IQAs are off while the backfill runs (they
   are re-created with the new columns after it): the backfill adds facts, it changes nothing an IQA said, and a
   history row per IQA would only double the history table. History rows from before this migration have the new
   columns empty: those facts were not kept then.
"""

import django.contrib.postgres.fields
import pgtrigger.compiler
import pgtrigger.migrations
from django.conf import settings
from django.db import migrations, models

# The oldest half-day of each (assessor, person, activity, date of the work) keeps the IQAs and drafts of the rest.
# The foreign keys are checked at once (SET CONSTRAINTS), as the tables cannot be altered with checks pending.
_DUPLICATES = (
    "(SELECT id, min(id) OVER (PARTITION BY assessor_id, assessed_id, activity, work_date) AS keep "
    "FROM assessments_halfday) AS m"
)
MERGE_DUPLICATE_HALF_DAYS = f"""
UPDATE assessments_assessment a SET half_day_id = m.keep FROM {_DUPLICATES} WHERE a.half_day_id = m.id AND m.id <> m.keep;
UPDATE assessments_draft d SET half_day_id = m.keep FROM {_DUPLICATES} WHERE d.half_day_id = m.id AND m.id <> m.keep;
DELETE FROM assessments_halfday h USING {_DUPLICATES} WHERE h.id = m.id AND m.id <> m.keep;
SET CONSTRAINTS ALL IMMEDIATE;
SET CONSTRAINTS ALL DEFERRED;
"""

# The case as each IQA judged it: the latest history row of the case written no later than the IQA's current version
# (rows of one transaction share their time: the pgh_id orders them), or the case as it is now.
BACKFILL_CASE_AS_ASSESSED = """
UPDATE assessments_assessment a
SET case_status = s.status, case_stage = s.stage, case_court = s.court, case_sensitive_categories = s.categories
FROM (
    SELECT a2.id,
           coalesce(h.status, c.status) AS status,
           coalesce(h.stage, c.stage) AS stage,
           coalesce(h.court, c.court) AS court,
           coalesce(h.sensitive_categories, c.sensitive_categories) AS categories
    FROM assessments_assessment a2
    JOIN assessments_case c ON c.id = a2.case_id
    LEFT JOIN LATERAL (
        SELECT ce.status, ce.stage, ce.court, ce.sensitive_categories
        FROM assessments_caseevent ce
        WHERE ce.pgh_obj_id = a2.case_id
          AND ce.pgh_created_at <= coalesce(
              (SELECT min(e.pgh_created_at) FROM assessments_assessmentevent e
               WHERE e.pgh_obj_id = a2.id AND e.version = a2.version),
              a2.recorded_at)
        ORDER BY ce.pgh_created_at DESC, ce.pgh_id DESC
        LIMIT 1
    ) h ON true
) s
WHERE s.id = a.id
"""


class Migration(migrations.Migration):
    dependencies = [
        ("assessments", "0004_reporting_indexes"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RunSQL(MERGE_DUPLICATE_HALF_DAYS, migrations.RunSQL.noop),
        pgtrigger.migrations.RemoveTrigger(
            model_name="assessment",
            name="insert_insert",
        ),
        pgtrigger.migrations.RemoveTrigger(
            model_name="assessment",
            name="update_update",
        ),
        pgtrigger.migrations.RemoveTrigger(
            model_name="assessment",
            name="delete_delete",
        ),
        migrations.AddField(
            model_name="assessment",
            name="case_court",
            field=models.CharField(
                choices=[("magistrates", "Magistrates' court"), ("crown", "Crown Court")],
                default="",
                max_length=20,
                verbose_name="court when assessed",
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="assessment",
            name="case_sensitive_categories",
            field=django.contrib.postgres.fields.ArrayField(
                base_field=models.CharField(
                    choices=[
                        ("rape", "Rape"),
                        ("other_serious_sexual", "Other serious sexual offence"),
                        ("domestic_abuse", "Domestic abuse"),
                        ("hate_race", "Hate crime: racist"),
                        ("hate_religion", "Hate crime: religious"),
                        ("hate_disability", "Hate crime: disability"),
                        ("hate_sexual_orientation", "Hate crime: homophobic or biphobic"),
                        ("hate_transgender", "Hate crime: transphobic"),
                    ],
                    max_length=30,
                ),
                blank=True,
                default=list,
                size=None,
                verbose_name="sensitive categories when assessed",
            ),
        ),
        migrations.AddField(
            model_name="assessment",
            name="case_stage",
            field=models.CharField(
                choices=[
                    ("pre_charge", "Pre-charge"),
                    ("post_charge", "Post-charge, before first hearing"),
                    ("before_trial", "Before trial"),
                    ("trial", "At trial"),
                    ("after_trial", "Sentence and after"),
                ],
                default="",
                max_length=20,
                verbose_name="case stage when assessed",
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="assessment",
            name="case_status",
            field=models.CharField(
                choices=[("live", "Live"), ("finalised", "Finalised")],
                default="",
                max_length=20,
                verbose_name="case status when assessed",
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="assessmentevent",
            name="case_court",
            field=models.CharField(
                choices=[("magistrates", "Magistrates' court"), ("crown", "Crown Court")],
                default="",
                max_length=20,
                verbose_name="court when assessed",
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="assessmentevent",
            name="case_sensitive_categories",
            field=django.contrib.postgres.fields.ArrayField(
                base_field=models.CharField(
                    choices=[
                        ("rape", "Rape"),
                        ("other_serious_sexual", "Other serious sexual offence"),
                        ("domestic_abuse", "Domestic abuse"),
                        ("hate_race", "Hate crime: racist"),
                        ("hate_religion", "Hate crime: religious"),
                        ("hate_disability", "Hate crime: disability"),
                        ("hate_sexual_orientation", "Hate crime: homophobic or biphobic"),
                        ("hate_transgender", "Hate crime: transphobic"),
                    ],
                    max_length=30,
                ),
                blank=True,
                default=list,
                size=None,
                verbose_name="sensitive categories when assessed",
            ),
        ),
        migrations.AddField(
            model_name="assessmentevent",
            name="case_stage",
            field=models.CharField(
                choices=[
                    ("pre_charge", "Pre-charge"),
                    ("post_charge", "Post-charge, before first hearing"),
                    ("before_trial", "Before trial"),
                    ("trial", "At trial"),
                    ("after_trial", "Sentence and after"),
                ],
                default="",
                max_length=20,
                verbose_name="case stage when assessed",
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="assessmentevent",
            name="case_status",
            field=models.CharField(
                choices=[("live", "Live"), ("finalised", "Finalised")],
                default="",
                max_length=20,
                verbose_name="case status when assessed",
            ),
            preserve_default=False,
        ),
        migrations.RunSQL(BACKFILL_CASE_AS_ASSESSED, migrations.RunSQL.noop),
        pgtrigger.migrations.AddTrigger(
            model_name="assessment",
            trigger=pgtrigger.compiler.Trigger(
                name="insert_insert",
                sql=pgtrigger.compiler.UpsertTriggerSql(
                    func='INSERT INTO "assessments_assessmentevent" ("action_description", "action_required", "action_taken_note", "action_taken_on", "activity", "assessed_id", "assessor_id", "case_court", "case_id", "case_sensitive_categories", "case_stage", "case_status", "closed_at", "disclosure_set_id", "early_advice_requested", "half_day_id", "id", "overall_comment", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "question_set_id", "recorded_at", "recorded_on_time", "state", "team_id", "updated_at", "version", "work_date") VALUES (NEW."action_description", NEW."action_required", NEW."action_taken_note", NEW."action_taken_on", NEW."activity", NEW."assessed_id", NEW."assessor_id", NEW."case_court", NEW."case_id", NEW."case_sensitive_categories", NEW."case_stage", NEW."case_status", NEW."closed_at", NEW."disclosure_set_id", NEW."early_advice_requested", NEW."half_day_id", NEW."id", NEW."overall_comment", _pgh_attach_context(), NOW(), \'insert\', NEW."id", NEW."question_set_id", NEW."recorded_at", NEW."recorded_on_time", NEW."state", NEW."team_id", NEW."updated_at", NEW."version", NEW."work_date"); RETURN NULL;',
                    hash="f8d118720fe753b32b0bd0ef9d36977cc602ecb5",
                    operation="INSERT",
                    pgid="pgtrigger_insert_insert_3ca2a",
                    table="assessments_assessment",
                    when="AFTER",
                ),
            ),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name="assessment",
            trigger=pgtrigger.compiler.Trigger(
                name="update_update",
                sql=pgtrigger.compiler.UpsertTriggerSql(
                    condition="WHEN (OLD.* IS DISTINCT FROM NEW.*)",
                    func='INSERT INTO "assessments_assessmentevent" ("action_description", "action_required", "action_taken_note", "action_taken_on", "activity", "assessed_id", "assessor_id", "case_court", "case_id", "case_sensitive_categories", "case_stage", "case_status", "closed_at", "disclosure_set_id", "early_advice_requested", "half_day_id", "id", "overall_comment", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "question_set_id", "recorded_at", "recorded_on_time", "state", "team_id", "updated_at", "version", "work_date") VALUES (NEW."action_description", NEW."action_required", NEW."action_taken_note", NEW."action_taken_on", NEW."activity", NEW."assessed_id", NEW."assessor_id", NEW."case_court", NEW."case_id", NEW."case_sensitive_categories", NEW."case_stage", NEW."case_status", NEW."closed_at", NEW."disclosure_set_id", NEW."early_advice_requested", NEW."half_day_id", NEW."id", NEW."overall_comment", _pgh_attach_context(), NOW(), \'update\', NEW."id", NEW."question_set_id", NEW."recorded_at", NEW."recorded_on_time", NEW."state", NEW."team_id", NEW."updated_at", NEW."version", NEW."work_date"); RETURN NULL;',
                    hash="edc9e459abbd634e74e1c531c8670e23ed118fc1",
                    operation="UPDATE",
                    pgid="pgtrigger_update_update_d96c6",
                    table="assessments_assessment",
                    when="AFTER",
                ),
            ),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name="assessment",
            trigger=pgtrigger.compiler.Trigger(
                name="delete_delete",
                sql=pgtrigger.compiler.UpsertTriggerSql(
                    func='INSERT INTO "assessments_assessmentevent" ("action_description", "action_required", "action_taken_note", "action_taken_on", "activity", "assessed_id", "assessor_id", "case_court", "case_id", "case_sensitive_categories", "case_stage", "case_status", "closed_at", "disclosure_set_id", "early_advice_requested", "half_day_id", "id", "overall_comment", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "question_set_id", "recorded_at", "recorded_on_time", "state", "team_id", "updated_at", "version", "work_date") VALUES (OLD."action_description", OLD."action_required", OLD."action_taken_note", OLD."action_taken_on", OLD."activity", OLD."assessed_id", OLD."assessor_id", OLD."case_court", OLD."case_id", OLD."case_sensitive_categories", OLD."case_stage", OLD."case_status", OLD."closed_at", OLD."disclosure_set_id", OLD."early_advice_requested", OLD."half_day_id", OLD."id", OLD."overall_comment", _pgh_attach_context(), NOW(), \'delete\', OLD."id", OLD."question_set_id", OLD."recorded_at", OLD."recorded_on_time", OLD."state", OLD."team_id", OLD."updated_at", OLD."version", OLD."work_date"); RETURN NULL;',
                    hash="7daa7b5045e7077ff9daecfb0bfb91e2de01fc05",
                    operation="DELETE",
                    pgid="pgtrigger_delete_delete_28394",
                    table="assessments_assessment",
                    when="AFTER",
                ),
            ),
        ),
        migrations.AddConstraint(
            model_name="halfday",
            constraint=models.UniqueConstraint(
                fields=("assessor", "assessed", "activity", "work_date"), name="half_day_one_per_work"
            ),
        ),
    ]
