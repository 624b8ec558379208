"""Each re-mark keeps the assessor's answer it was compared with, so a later change to the IQA (an upheld challenge,
or an amendment before dip samples froze answers) no longer changes a recorded dip sample's findings.

Existing re-marks take the IQA's answer as it is now: the best record there is of what the dip sampler saw. A re-mark
whose question the IQA never answered (none should exist: recording refuses them) was left out of every table and
page, so it is deleted rather than given a value it never had. The history rows take the same value; those of re-marks
already gone take ''.
"""

import pgtrigger.compiler
import pgtrigger.migrations
from django.db import migrations, models

CHOICES = [
    ("fully_met", "Fully met"),
    ("not_met", "Not met"),
    ("not_met_other", "Not met – other"),
    ("not_applicable", "Not applicable"),
]
HELP = "The assessor's answer to the question when the dip sample was recorded; re-marks compare with it."

BACKFILL = """
UPDATE dipsampling_remark rm SET assessor_value = a.value
  FROM dipsampling_dipsample d, assessments_answer a
 WHERE d.id = rm.dip_sample_id AND a.assessment_id = d.assessment_id AND a.question_id = rm.question_id;
DELETE FROM dipsampling_remark WHERE assessor_value IS NULL;
UPDATE dipsampling_remarkevent e SET assessor_value = COALESCE(
  (SELECT rm.assessor_value FROM dipsampling_remark rm WHERE rm.id = e.pgh_obj_id), '');
"""


def field(null):
    return models.CharField(
        choices=CHOICES, help_text=HELP, max_length=20, null=null, verbose_name="assessor's answer"
    )


class Migration(migrations.Migration):
    dependencies = [
        ("dipsampling", "0001_initial"),
        ("assessments", "0004_reporting_indexes"),
    ]

    operations = [
        # The triggers are rebuilt with the new column; the backfill between them writes no history rows.
        pgtrigger.migrations.RemoveTrigger(model_name="remark", name="insert_insert"),
        pgtrigger.migrations.RemoveTrigger(model_name="remark", name="update_update"),
        pgtrigger.migrations.RemoveTrigger(model_name="remark", name="delete_delete"),
        migrations.AddField(model_name="remark", name="assessor_value", field=field(null=True)),
        migrations.AddField(model_name="remarkevent", name="assessor_value", field=field(null=True)),
        migrations.RunSQL(BACKFILL, reverse_sql=migrations.RunSQL.noop),
        migrations.AlterField(model_name="remark", name="assessor_value", field=field(null=False)),
        migrations.AlterField(model_name="remarkevent", name="assessor_value", field=field(null=False)),
        pgtrigger.migrations.AddTrigger(
            model_name="remark",
            trigger=pgtrigger.compiler.Trigger(
                name="insert_insert",
                sql=pgtrigger.compiler.UpsertTriggerSql(
                    func='INSERT INTO "dipsampling_remarkevent" ("answer", "assessor_value", "comment", "dip_sample_id", "id", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "question_id") VALUES (NEW."answer", NEW."assessor_value", NEW."comment", NEW."dip_sample_id", NEW."id", _pgh_attach_context(), NOW(), \'insert\', NEW."id", NEW."question_id"); RETURN NULL;',  # noqa: E501
                    hash="3c16b46ece5b684485a63087080ff01ae184060b",
                    operation="INSERT",
                    pgid="pgtrigger_insert_insert_4e78b",
                    table="dipsampling_remark",
                    when="AFTER",
                ),
            ),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name="remark",
            trigger=pgtrigger.compiler.Trigger(
                name="update_update",
                sql=pgtrigger.compiler.UpsertTriggerSql(
                    condition="WHEN (OLD.* IS DISTINCT FROM NEW.*)",
                    func='INSERT INTO "dipsampling_remarkevent" ("answer", "assessor_value", "comment", "dip_sample_id", "id", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "question_id") VALUES (NEW."answer", NEW."assessor_value", NEW."comment", NEW."dip_sample_id", NEW."id", _pgh_attach_context(), NOW(), \'update\', NEW."id", NEW."question_id"); RETURN NULL;',  # noqa: E501
                    hash="2afb59b495d6db6739c120490132ae1524bdfd27",
                    operation="UPDATE",
                    pgid="pgtrigger_update_update_c43b1",
                    table="dipsampling_remark",
                    when="AFTER",
                ),
            ),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name="remark",
            trigger=pgtrigger.compiler.Trigger(
                name="delete_delete",
                sql=pgtrigger.compiler.UpsertTriggerSql(
                    func='INSERT INTO "dipsampling_remarkevent" ("answer", "assessor_value", "comment", "dip_sample_id", "id", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "question_id") VALUES (OLD."answer", OLD."assessor_value", OLD."comment", OLD."dip_sample_id", OLD."id", _pgh_attach_context(), NOW(), \'delete\', OLD."id", OLD."question_id"); RETURN NULL;',  # noqa: E501
                    hash="cfd9ca8e03c472f39ddf5731573cdac601169116",
                    operation="DELETE",
                    pgid="pgtrigger_delete_delete_d63e4",
                    table="dipsampling_remark",
                    when="AFTER",
                ),
            ),
        ),
    ]
