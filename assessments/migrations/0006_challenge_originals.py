"""Challenges keep the answer's comment and reasons they replaced, so an upheld challenge can replace them.

Existing challenges are backfilled from the audit history: the comment the answer had, with its challenged value,
up to the decision (the answer's current comment for challenges not upheld), and the reasons it held when the
challenge was raised. No answer is changed here: past decisions said nothing of a new comment.
"""

import django.contrib.postgres.fields
import pgtrigger.compiler
import pgtrigger.migrations
from django.db import migrations, models


def backfill_originals(apps, schema_editor):
    Challenge = apps.get_model("assessments", "Challenge")
    AnswerEvent = apps.get_model("assessments", "AnswerEvent")
    AnswerReasonEvent = apps.get_model("assessments", "AnswerReasonEvent")
    Reason = apps.get_model("assessments", "Reason")
    texts = dict(Reason.objects.values_list("pk", "text"))
    for challenge in Challenge.objects.select_related("answer").iterator():
        answer = challenge.answer
        comment = answer.comment
        if challenge.status == "upheld" and challenge.decided_at:
            before = (
                AnswerEvent.objects.filter(
                    pgh_obj_id=answer.pk, value=challenge.original_value, pgh_created_at__lte=challenge.decided_at
                )
                .order_by("-pgh_id")
                .first()
            )
            comment = before.comment if before else comment
        held = set()
        events = AnswerReasonEvent.objects.filter(answer_id=answer.pk, pgh_created_at__lte=challenge.raised_at)
        for label, reason_id in events.order_by("pgh_id").values_list("pgh_label", "reason_id"):
            (held.discard if label == "delete" else held.add)(reason_id)
        challenge.original_comment = comment
        challenge.original_reasons = [texts[pk] for pk in sorted(held) if pk in texts]
        challenge.save(update_fields=["original_comment", "original_reasons"])


class Migration(migrations.Migration):

    dependencies = [
        ('assessments', '0005_assessment_case_as_assessed_half_day_unique'),
    ]

    operations = [
        pgtrigger.migrations.RemoveTrigger(
            model_name='challenge',
            name='insert_insert',
        ),
        pgtrigger.migrations.RemoveTrigger(
            model_name='challenge',
            name='update_update',
        ),
        pgtrigger.migrations.RemoveTrigger(
            model_name='challenge',
            name='delete_delete',
        ),
        migrations.AddField(
            model_name='challenge',
            name='original_comment',
            field=models.TextField(blank=True),
        ),
        migrations.AddField(
            model_name='challenge',
            name='original_reasons',
            field=django.contrib.postgres.fields.ArrayField(base_field=models.CharField(max_length=300), blank=True, default=list, help_text="The reasons' wording, as they read.", size=None),
        ),
        migrations.AddField(
            model_name='challengeevent',
            name='original_comment',
            field=models.TextField(blank=True),
        ),
        migrations.AddField(
            model_name='challengeevent',
            name='original_reasons',
            field=django.contrib.postgres.fields.ArrayField(base_field=models.CharField(max_length=300), blank=True, default=list, help_text="The reasons' wording, as they read.", size=None),
        ),
        # Between the triggers' removal and their return: the backfill writes no history rows.
        migrations.RunPython(backfill_originals, migrations.RunPython.noop),
        pgtrigger.migrations.AddTrigger(
            model_name='challenge',
            trigger=pgtrigger.compiler.Trigger(name='insert_insert', sql=pgtrigger.compiler.UpsertTriggerSql(func='INSERT INTO "assessments_challengeevent" ("answer_id", "decided_at", "decided_by_id", "decision_note", "id", "original_comment", "original_reasons", "original_value", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "proposed_value", "raised_at", "raised_by_id", "reasons", "status") VALUES (NEW."answer_id", NEW."decided_at", NEW."decided_by_id", NEW."decision_note", NEW."id", NEW."original_comment", NEW."original_reasons", NEW."original_value", _pgh_attach_context(), NOW(), \'insert\', NEW."id", NEW."proposed_value", NEW."raised_at", NEW."raised_by_id", NEW."reasons", NEW."status"); RETURN NULL;', hash='4ad2fff0b881cf60ff53ca1c38b3842a396e4096', operation='INSERT', pgid='pgtrigger_insert_insert_d1168', table='assessments_challenge', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='challenge',
            trigger=pgtrigger.compiler.Trigger(name='update_update', sql=pgtrigger.compiler.UpsertTriggerSql(condition='WHEN (OLD.* IS DISTINCT FROM NEW.*)', func='INSERT INTO "assessments_challengeevent" ("answer_id", "decided_at", "decided_by_id", "decision_note", "id", "original_comment", "original_reasons", "original_value", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "proposed_value", "raised_at", "raised_by_id", "reasons", "status") VALUES (NEW."answer_id", NEW."decided_at", NEW."decided_by_id", NEW."decision_note", NEW."id", NEW."original_comment", NEW."original_reasons", NEW."original_value", _pgh_attach_context(), NOW(), \'update\', NEW."id", NEW."proposed_value", NEW."raised_at", NEW."raised_by_id", NEW."reasons", NEW."status"); RETURN NULL;', hash='887edc55d72979637d14e315069709d79492c147', operation='UPDATE', pgid='pgtrigger_update_update_414bc', table='assessments_challenge', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='challenge',
            trigger=pgtrigger.compiler.Trigger(name='delete_delete', sql=pgtrigger.compiler.UpsertTriggerSql(func='INSERT INTO "assessments_challengeevent" ("answer_id", "decided_at", "decided_by_id", "decision_note", "id", "original_comment", "original_reasons", "original_value", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "proposed_value", "raised_at", "raised_by_id", "reasons", "status") VALUES (OLD."answer_id", OLD."decided_at", OLD."decided_by_id", OLD."decision_note", OLD."id", OLD."original_comment", OLD."original_reasons", OLD."original_value", _pgh_attach_context(), NOW(), \'delete\', OLD."id", OLD."proposed_value", OLD."raised_at", OLD."raised_by_id", OLD."reasons", OLD."status"); RETURN NULL;', hash='bc7211311c18fda6957db7b435da0ea3d57f110d', operation='DELETE', pgid='pgtrigger_delete_delete_bde81', table='assessments_challenge', when='AFTER')),
        ),
    ]
