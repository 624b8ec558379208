"""The migrations that keep a dip sample's and a challenge's originals backfill the rows already there."""

from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from assessments import challenges
from assessments.models import Answer, AnswerValue, Challenge
from dipsampling.models import DipSample, Outcome, ReMark, Selection
from tests.factories import AssessmentFactory

BEFORE = [("dipsampling", "0001_initial"), ("assessments", "0005_assessment_case_as_assessed_half_day_unique")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)


def test_it_backfills_the_assessors_answers_and_the_challenges_originals(
    transactional_db, assessor, assessed, dip_sampler, org
):
    # transactional_db by name (not the marker): the project's fixture reloads the question sets a flush removed.
    iqa = AssessmentFactory(assessor=assessor, assessed=assessed, team=org.team_a1a)
    q9 = iqa.answers.get(question__code="Q9")
    q9.value, q9.comment = AnswerValue.NOT_MET, "No case strategy recorded."
    q9.save()
    reason = q9.question.reasons.first()
    q9.reasons.set([reason])
    challenge = challenges.challenge_raise(
        answer=q9, raised_by=assessed, reasons="It is in the review.", proposed_value=AnswerValue.FULLY_MET
    )
    challenges.challenge_decide(challenge=challenge, decided_by=dip_sampler, upheld=True, note="Upheld.")
    latest = MigrationExecutor(connection).loader.graph.leaf_nodes()
    _migrate(BEFORE)
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO dipsampling_dipsample (assessment_id, dip_sampler_id, sampled_on, iqa_comment, "
            "casework_comment, outcome, recorded_at, created_at) VALUES (%s, %s, %s, 'c', 'c', %s, %s, %s) "
            "RETURNING id",
            [iqa.pk, dip_sampler.pk, timezone.localdate(), Outcome.ROBUST, timezone.now(), timezone.now()],
        )
        (dip_sample_id,) = cursor.fetchone()
        cursor.execute(
            "INSERT INTO dipsampling_remark (dip_sample_id, question_id, answer, comment) VALUES (%s, %s, %s, '')",
            [dip_sample_id, iqa.answers.get(question__code="Q10").question_id, AnswerValue.NOT_MET],
        )
        cursor.execute("UPDATE assessments_challenge SET status = 'upheld'")
    _migrate(latest)
    (remark,) = ReMark.objects.filter(dip_sample_id=dip_sample_id)
    assert (remark.assessor_value, remark.answer) == (AnswerValue.FULLY_MET, AnswerValue.NOT_MET)
    assert DipSample.objects.get(pk=dip_sample_id).remarks.count() == 1
    challenge = Challenge.objects.get()
    assert (challenge.original_value, challenge.original_comment) == ("not_met", "No case strategy recorded.")
    assert challenge.original_reasons == [reason.text]
    assert Answer.objects.get(pk=q9.pk).value == AnswerValue.FULLY_MET


def test_it_backfills_the_selection_counts_it_can_know(transactional_db, dip_sampler):
    latest = MigrationExecutor(connection).loader.graph.leaf_nodes()
    _migrate([("dipsampling", "0002_remark_assessor_value")])
    random_rule = '{"eligible": {"advice": [1, 2, 3], "case_progression": [4, 5]}, "chosen": [2, 5]}'
    with connection.cursor() as cursor:
        for kind, rule, seed in [("random", random_rule, 9), ("finalised_case", '{"chosen": [7, 8, 9]}', None)]:
            cursor.execute(
                "INSERT INTO dipsampling_selection (made_by_id, made_at, kind, period_label, purview, rule, seed) "
                "VALUES (%s, %s, %s, '2026-27 Q3', 'Unit A1', %s::jsonb, %s)",
                [dip_sampler.pk, timezone.now(), kind, rule, seed],
            )
    _migrate(latest)
    counts = dict(Selection.objects.values_list("kind", "eligible_count"))
    assert counts == {"random": 5, "finalised_case": None}, "a targeted selection's proposals were not kept"
    assert sorted(Selection.objects.values_list("drawn_count", flat=True)) == [2, 3]
