"""Each selection keeps how many IQAs it chose from and how many it chose, for the page of past selections.

Backfilled only from what each selection's rule recorded: every selection kept the IQAs it chose (`chosen`), so
`drawn_count` is known for all; a random selection kept the ids it drew from (`eligible`), so its `eligible_count`
is known too. A targeted selection did not keep the IQAs it proposed, so its `eligible_count` stays empty ("not
recorded") rather than a guess. The backfill runs while the audit triggers are off, so it writes no history rows;
the history rows take the same values.
"""

# ruff: noqa: E501 - the triggers are generated SQL

import pgtrigger.compiler
import pgtrigger.migrations
from django.db import migrations, models

BACKFILL = """
UPDATE dipsampling_selection SET drawn_count = jsonb_array_length(rule->'chosen')
 WHERE jsonb_typeof(rule->'chosen') = 'array';
UPDATE dipsampling_selection s SET eligible_count = (
  SELECT COALESCE(SUM(jsonb_array_length(ids.value)), 0) FROM jsonb_each(s.rule->'eligible') AS ids
   WHERE jsonb_typeof(ids.value) = 'array')
 WHERE s.kind = 'random' AND jsonb_typeof(s.rule->'eligible') = 'object';
UPDATE dipsampling_selectionevent e SET drawn_count = s.drawn_count, eligible_count = s.eligible_count
  FROM dipsampling_selection s WHERE s.id = e.pgh_obj_id;
"""


class Migration(migrations.Migration):
    dependencies = [
        ("dipsampling", "0002_remark_assessor_value"),
    ]

    operations = [
        pgtrigger.migrations.RemoveTrigger(
            model_name="selection",
            name="insert_insert",
        ),
        pgtrigger.migrations.RemoveTrigger(
            model_name="selection",
            name="update_update",
        ),
        pgtrigger.migrations.RemoveTrigger(
            model_name="selection",
            name="delete_delete",
        ),
        migrations.AddField(
            model_name="selection",
            name="drawn_count",
            field=models.PositiveIntegerField(
                blank=True,
                help_text="The IQAs the selection chose (all it drew, or those ticked).",
                null=True,
                verbose_name="IQAs drawn",
            ),
        ),
        migrations.AddField(
            model_name="selection",
            name="eligible_count",
            field=models.PositiveIntegerField(
                blank=True,
                help_text="The IQAs the rule chose from: for a random selection those of the period not yet selected, for a targeted one those it proposed. Empty for targeted selections made before this was kept.",
                null=True,
                verbose_name="IQAs eligible",
            ),
        ),
        migrations.AddField(
            model_name="selectionevent",
            name="drawn_count",
            field=models.PositiveIntegerField(
                blank=True,
                help_text="The IQAs the selection chose (all it drew, or those ticked).",
                null=True,
                verbose_name="IQAs drawn",
            ),
        ),
        migrations.AddField(
            model_name="selectionevent",
            name="eligible_count",
            field=models.PositiveIntegerField(
                blank=True,
                help_text="The IQAs the rule chose from: for a random selection those of the period not yet selected, for a targeted one those it proposed. Empty for targeted selections made before this was kept.",
                null=True,
                verbose_name="IQAs eligible",
            ),
        ),
        migrations.RunSQL(BACKFILL, reverse_sql=migrations.RunSQL.noop),
        pgtrigger.migrations.AddTrigger(
            model_name="selection",
            trigger=pgtrigger.compiler.Trigger(
                name="insert_insert",
                sql=pgtrigger.compiler.UpsertTriggerSql(
                    func='INSERT INTO "dipsampling_selectionevent" ("drawn_count", "eligible_count", "id", "kind", "made_at", "made_by_id", "period_label", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "purview", "rule", "seed") VALUES (NEW."drawn_count", NEW."eligible_count", NEW."id", NEW."kind", NEW."made_at", NEW."made_by_id", NEW."period_label", _pgh_attach_context(), NOW(), \'insert\', NEW."id", NEW."purview", NEW."rule", NEW."seed"); RETURN NULL;',
                    hash="6d8a96a90cd04080c0f25bd36c34bcdaa9a6a47a",
                    operation="INSERT",
                    pgid="pgtrigger_insert_insert_a340a",
                    table="dipsampling_selection",
                    when="AFTER",
                ),
            ),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name="selection",
            trigger=pgtrigger.compiler.Trigger(
                name="update_update",
                sql=pgtrigger.compiler.UpsertTriggerSql(
                    condition="WHEN (OLD.* IS DISTINCT FROM NEW.*)",
                    func='INSERT INTO "dipsampling_selectionevent" ("drawn_count", "eligible_count", "id", "kind", "made_at", "made_by_id", "period_label", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "purview", "rule", "seed") VALUES (NEW."drawn_count", NEW."eligible_count", NEW."id", NEW."kind", NEW."made_at", NEW."made_by_id", NEW."period_label", _pgh_attach_context(), NOW(), \'update\', NEW."id", NEW."purview", NEW."rule", NEW."seed"); RETURN NULL;',
                    hash="16e350da5d2cffffe59df61c487974e900bc5408",
                    operation="UPDATE",
                    pgid="pgtrigger_update_update_cada6",
                    table="dipsampling_selection",
                    when="AFTER",
                ),
            ),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name="selection",
            trigger=pgtrigger.compiler.Trigger(
                name="delete_delete",
                sql=pgtrigger.compiler.UpsertTriggerSql(
                    func='INSERT INTO "dipsampling_selectionevent" ("drawn_count", "eligible_count", "id", "kind", "made_at", "made_by_id", "period_label", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "purview", "rule", "seed") VALUES (OLD."drawn_count", OLD."eligible_count", OLD."id", OLD."kind", OLD."made_at", OLD."made_by_id", OLD."period_label", _pgh_attach_context(), NOW(), \'delete\', OLD."id", OLD."purview", OLD."rule", OLD."seed"); RETURN NULL;',
                    hash="9d8815fd0565ebe8d0819e458e9f49f7df45a8d9",
                    operation="DELETE",
                    pgid="pgtrigger_delete_delete_6cc19",
                    table="dipsampling_selection",
                    when="AFTER",
                ),
            ),
        ),
    ]
