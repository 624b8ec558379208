"""The reporting facts: kept by triggers on every write, they always equal a rebuild from the raw rows."""

from datetime import UTC, date, datetime, time, timedelta

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assessments.models import (
    Activity,
    Answer,
    AnswerReason,
    AnswerValue,
    Assessment,
    CaseStatus,
    Court,
    Feedback,
    FeedbackMode,
    Reason,
)
from assessments.selectors import in_period
from dipsampling import rates, remarks
from dipsampling.models import DipSample, Outcome, ReMark
from organisation.models import Team, Unit
from reporting import fact_sql, facts, figures
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
from tests.factories import AssessmentFactory, PersonFactory
from tests.reporting.conftest import Q2, Q3, feedback

pytestmark = pytest.mark.django_db

FACT_MODELS = (AnswerFact, ReasonFact, IqaFact, RemarkFact, AnswerAreaFact, ReasonAreaFact, IqaAreaFact, RemarkAreaFact)


def snapshot() -> dict:
    """Every fact row, without its id."""
    result = {}
    for model in FACT_MODELS:
        fields = [f.attname for f in model._meta.concrete_fields if f.attname != "id"]
        result[model.__name__] = sorted(model.objects.values_list(*fields), key=repr)
    return result


def rebuilt() -> dict:
    """The facts a rebuild from the raw rows gives (rolled back after, so the maintained ones stay)."""
    with transaction.atomic():
        with connection.cursor() as cursor:
            fact_sql.rebuild(cursor)
        result = snapshot()
        transaction.set_rollback(True)
    return result


def test_recording_an_iqa_counts_its_answers_reasons_and_itself(org, assessor, small_dataset):
    answers = AnswerFact.objects.filter(team=org.team_a1a, month=date(2025, 10, 1))
    # a and b: 9 + 9 answers; b has Q9 not met, Q10 not met – other and Q11 N/A.
    assert sum(row.n for row in answers) == 18
    assert sum(row.n for row in answers.filter(value=AnswerValue.NOT_MET)) == 1
    assert sum(row.n for row in ReasonFact.objects.filter(team=org.team_a1a, month=date(2025, 10, 1))) == 2
    iqas = IqaFact.objects.filter(month__gte=date(2025, 10, 1), month__lte=date(2025, 12, 1))
    assert sum(row.n for row in iqas) == 5  # a, b, c, d and the foreign one
    assert sum(row.n for row in iqas.filter(case_status=CaseStatus.FINALISED)) == 1
    assert snapshot() == rebuilt()


def test_the_area_facts_count_by_the_teams_area_as_it_is_now(org, assessor, small_dataset):
    def answers_in(area):
        return sum(AnswerAreaFact.objects.filter(area=area).values_list("n", flat=True))

    team_a1a = sum(AnswerFact.objects.filter(team=org.team_a1a).values_list("n", flat=True))
    in_a, in_b = answers_in(org.area_a), answers_in(org.area_b)
    assert team_a1a and in_a == sum(AnswerFact.objects.filter(team__unit__area=org.area_a).values_list("n", flat=True))
    # A reorganisation moves the team to a unit of area B: its answers count there from now on.
    Team.objects.filter(pk=org.team_a1a.pk).update(unit=org.unit_b1)
    assert (answers_in(org.area_a), answers_in(org.area_b)) == (in_a - team_a1a, in_b + team_a1a)
    Team.objects.filter(pk=org.team_a1a.pk).update(name="Renamed")  # not a key: nothing moves
    Unit.objects.filter(pk=org.unit_b1.pk).update(area=org.area_a)  # the whole unit moves to area A
    assert (answers_in(org.area_a), answers_in(org.area_b)) == (in_a + in_b, 0)
    assert snapshot() == rebuilt()


def test_every_kind_of_write_keeps_the_facts_equal_to_a_rebuild(org, assessor, small_dataset):
    a, b = small_dataset["a"], small_dataset["b"]
    # Amending an answer as a challenge upheld would (an update of the value), and adding and removing reasons.
    Answer.objects.filter(assessment=a, question__code="Q9").update(value=AnswerValue.NOT_MET)
    q9 = Answer.objects.get(assessment=a, question__code="Q9")
    AnswerReason.objects.create(answer=q9, reason=Reason.objects.get(question=q9.question, code="Q9.1"))
    AnswerReason.objects.filter(answer__assessment=b).delete()
    # Feedback given, moved, deleted; a dip sample recorded, then deleted.
    feedback(small_dataset["d"], date(2025, 12, 23))
    Feedback.objects.filter(assessment=a).update(given_on=date(2025, 10, 20))
    Feedback.objects.filter(assessment=b).delete()
    dip = DipSample.objects.create(
        assessment=a,
        dip_sampler=PersonFactory(),
        sampled_on=date(2025, 11, 1),
        iqa_comment="Fine.",
        casework_comment="Fine.",
        outcome=Outcome.ROBUST,
        recorded_at=timezone.now(),
    )
    assert snapshot() == rebuilt()
    dip.delete()
    # An IQA moved to another team and month, then one deleted with everything hanging off it.
    Assessment.objects.filter(pk=b.pk).update(team=org.team_b1a, work_date=date(2025, 11, 3))
    small_dataset["c"].delete()
    assert snapshot() == rebuilt()
    assert not AnswerFact.objects.filter(n__lte=0).exists()


def test_the_rebuild_command_restores_facts_lost_to_a_load_without_triggers(org, assessor, small_dataset):
    expected = snapshot()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL session_replication_role = replica")
        cursor.execute("DELETE FROM reporting_answerfact")
        cursor.execute("SET LOCAL session_replication_role = DEFAULT")
    call_command("rebuild_reporting_facts", stdout=open("/dev/null", "w"))  # noqa: SIM115, PTH123
    assert snapshot() == expected


# --- Any sequence of writes ----------------------------------------------------------------------------------

DAYS = [date(2025, 9, 30), date(2025, 10, 1), date(2025, 10, 11), date(2025, 10, 31), date(2025, 12, 22)]
VALUES = list(AnswerValue)
OPERATIONS = [
    "record",
    "amend_answer",
    "challenge_values",
    "add_reason",
    "delete_reasons",
    "give_feedback",
    "move_feedback",
    "delete_feedback",
    "record_dip_sample",
    "unrecord_dip_sample",
    "delete_dip_sample",
    "change_remarks",
    "delete_remarks",
    "delete_iqa",
    "move_iqa",
    "recase_iqa",
    "delete_iqa_raw",
    "move_team",
    "move_unit",
]
steps = st.lists(
    st.tuples(st.sampled_from(OPERATIONS), st.integers(0, 10_000), st.integers(0, 10_000)), min_size=1, max_size=12
)


def _pick(queryset, index):
    rows = list(queryset.order_by("pk"))
    return rows[index % len(rows)] if rows else None


def _record_dip_sample(iqa, dip_sampler, day, remark_value=AnswerValue.NOT_MET):
    """A recorded dip sample re-marking the IQA's first two answers (the re-marks kept if it had some)."""
    dip_sample, _ = DipSample.objects.update_or_create(
        assessment=iqa,
        defaults={
            "dip_sampler": dip_sampler,
            "sampled_on": day,
            "iqa_comment": "Checked.",
            "casework_comment": "Checked.",
            "outcome": Outcome.ROBUST,
            "recorded_at": timezone.now(),
        },
    )
    if not dip_sample.remarks.exists():
        ReMark.objects.bulk_create(
            ReMark(dip_sample=dip_sample, question_id=answer.question_id, assessor_value=answer.value, answer=value)
            for answer, value in zip(
                iqa.answers.order_by("pk")[:2], [remark_value, AnswerValue.FULLY_MET], strict=False
            )
        )


def _apply(step, org, people):
    operation, i, j = step
    iqas = Assessment.objects.filter(team__in=[org.team_a1a, org.team_b1a])
    iqa = _pick(iqas, i)
    day = DAYS[j % len(DAYS)]
    if operation == "record" or iqa is None:
        created = AssessmentFactory(
            team=[org.team_a1a, org.team_b1a][i % 2],
            assessor=people[j % len(people)],
            activity=[Activity.CASE_PROGRESSION, Activity.CASE_PRESENTATION][j % 2],
            work_date=day,
            recorded_at=datetime.combine(day + timedelta(days=i % 3), time(23, 30), tzinfo=UTC),
            recorded_on_time=bool(i % 2),
            case__court=[Court.MAGISTRATES, Court.CROWN][i % 2],
        )
        if j % 3 == 0:
            answer = _pick(created.answers.all(), i)
            answer.value = AnswerValue.NOT_MET
            answer.save()
            AnswerReason.objects.create(answer=answer, reason=answer.question.reasons.first())
        if j % 2 == 0:
            Feedback.objects.create(
                assessment=created,
                given_on=day + timedelta(days=i % 12),
                mode=FeedbackMode.PHONE,
                recorded_by=people[0],
            )
        if i % 3 == 0:
            _record_dip_sample(created, people[0], day)
        return
    answer = _pick(iqa.answers.all(), j)
    if operation == "amend_answer" and answer:
        answer.value = VALUES[i % len(VALUES)]
        answer.save()
    elif operation == "challenge_values":
        iqa.answers.filter(pk__in=[a.pk for a in iqa.answers.all()][:: 1 + j % 3]).update(value=VALUES[i % 4])
    elif operation == "add_reason" and answer:
        reason = _pick(answer.question.reasons.exclude(answerreason__answer=answer), i)
        if reason:
            AnswerReason.objects.create(answer=answer, reason=reason)
    elif operation == "delete_reasons":
        AnswerReason.objects.filter(answer__assessment=iqa).delete()
    elif operation == "give_feedback" and not Feedback.objects.filter(assessment=iqa).exists():
        Feedback.objects.create(
            assessment=iqa, given_on=day + timedelta(days=i % 12), mode=FeedbackMode.PHONE, recorded_by=iqa.assessor
        )
    elif operation == "move_feedback":
        # Within five working days of recording, or well after.
        Feedback.objects.filter(assessment=iqa).update(given_on=iqa.recorded_at.date() + timedelta(days=[1, 10][i % 2]))
    elif operation == "delete_feedback":
        Feedback.objects.filter(assessment=iqa).delete()
    elif operation == "record_dip_sample":
        _record_dip_sample(iqa, people[0], day)
    elif operation == "unrecord_dip_sample":
        DipSample.objects.filter(assessment=iqa).update(recorded_at=None)
    elif operation == "delete_dip_sample":
        DipSample.objects.filter(assessment=iqa).delete()
    elif operation == "change_remarks":
        ReMark.objects.filter(dip_sample__assessment=iqa).update(answer=VALUES[i % 4])
    elif operation == "delete_remarks":
        ReMark.objects.filter(dip_sample__assessment=iqa).delete()
    elif operation == "delete_iqa":
        iqa.delete()
    elif operation == "move_iqa":
        iqas.filter(pk=iqa.pk).update(team=[org.team_a1a, org.team_b1a][j % 2], work_date=day)
    elif operation == "recase_iqa":
        iqa.case_status = [CaseStatus.LIVE, CaseStatus.FINALISED][j % 2]
        iqa.case_court = [Court.MAGISTRATES, Court.CROWN][i % 2]
        iqa.action_required, iqa.action_description = bool(j % 2), "Do it." if j % 2 else ""
        iqa.save()
    elif operation == "move_team":
        # A reorganisation: the team's IQAs now count in its new unit's area.
        Team.objects.filter(pk=[org.team_a1a, org.team_b1a][i % 2].pk).update(unit=[org.unit_a1, org.unit_b1][j % 2])
    elif operation == "move_unit":
        Unit.objects.filter(pk=org.unit_b1.pk).update(area=[org.area_a, org.area_b][j % 2])
    elif operation == "delete_iqa_raw":
        # Parent first, as raw SQL may (the foreign keys are checked at commit): the children go after it.
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM assessments_assessment WHERE id = %s", [iqa.pk])
            cursor.execute("DELETE FROM assessments_feedback WHERE assessment_id = %s", [iqa.pk])
            cursor.execute(
                "DELETE FROM dipsampling_remark WHERE dip_sample_id IN "
                "(SELECT id FROM dipsampling_dipsample WHERE assessment_id = %s)",
                [iqa.pk],
            )
            cursor.execute("DELETE FROM dipsampling_dipsample WHERE assessment_id = %s", [iqa.pk])
            cursor.execute(
                "DELETE FROM assessments_answerreason WHERE answer_id IN "
                "(SELECT id FROM assessments_answer WHERE assessment_id = %s)",
                [iqa.pk],
            )
            cursor.execute("DELETE FROM assessments_answer WHERE assessment_id = %s", [iqa.pk])
            cursor.execute("DELETE FROM assessments_halfday WHERE id = %s", [iqa.half_day_id])


@settings(max_examples=40, deadline=None, database=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=steps)
def test_after_any_sequence_of_writes_the_facts_equal_a_rebuild(org, steps):
    with transaction.atomic():
        people = [PersonFactory(), PersonFactory()]
        for step in steps:
            with transaction.atomic():
                _apply(step, org, people)
            with connection.cursor() as cursor:  # the foreign keys hold after each step, as at a commit
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE; SET CONSTRAINTS ALL DEFERRED")
        assert snapshot() == rebuilt()
        transaction.set_rollback(True)


# --- The figures from the facts ------------------------------------------------------------------------------


def _both(org, by_area=False):
    """Area A's IQAs as raw rows and as facts (by team and assessor, or by area with those beside them)."""
    raw = Assessment.objects.filter(team__unit__area=org.area_a)
    in_area = {"team__unit__area": org.area_a}
    fine = facts.FactSet(
        AnswerFact.objects.filter(**in_area),
        ReasonFact.objects.filter(**in_area),
        IqaFact.objects.filter(**in_area),
        RemarkFact.objects.filter(**in_area),
        raw,
    )
    if not by_area:
        return raw, fine
    models = (AnswerAreaFact, ReasonAreaFact, IqaAreaFact, RemarkAreaFact)
    return raw, facts.FactSet(*(model.objects.filter(area=org.area_a) for model in models), raw, fine)


@pytest.mark.parametrize("by_area", [False, True], ids=["by team", "by area"])
def test_each_figure_from_the_facts_equals_the_same_from_the_raw_rows(org, small_dataset, by_area):
    _record_dip_sample(small_dataset["b"], PersonFactory(), date(2025, 11, 1))
    _record_dip_sample(small_dataset["a"], PersonFactory(), date(2025, 11, 1), remark_value=AnswerValue.NOT_APPLICABLE)
    raw, fact_set = _both(org, by_area)
    in_q3 = facts.in_period(fact_set, Q3)
    raw_dip_samples = DipSample.objects.filter(assessment__in=in_period(raw, Q3), recorded_at__isnull=False)
    from_facts = facts.annex_b(in_q3)
    assert from_facts == remarks.annex_b(raw_dip_samples)
    assert from_facts.overall.total == 4  # two re-marks on each of a and b
    assert facts._remark_disagreement(in_q3) == figures._remark_disagreement(in_period(raw, Q3))
    quarters = [Q2, Q3]
    for today in (date(2025, 10, 10), date(2026, 3, 1)):  # b's feedback not due yet, then everything due
        assert facts.overview(facts.in_period(fact_set, Q3), today=today) == figures.overview(
            in_period(raw, Q3), today=today
        )
    for name in ("question_results", "reasons", "assessor_consistency"):
        from_facts = getattr(facts, name)(facts.in_period(fact_set, Q3))
        assert from_facts == getattr(figures, name)(in_period(raw, Q3)), name
    assert facts.dip_sample_rates(facts.in_period(fact_set, Q3)) == rates.dip_sample_rates(in_period(raw, Q3))
    for today in (date(2025, 10, 10), date(2026, 3, 1)):
        assert facts.iqa_figures(fact_set, Q3, today=today) == facts.iqa_figures(raw, Q3, today=today)
    assert facts.question_trend(fact_set, quarters) == figures.question_trend(raw, quarters)
    assert facts.fully_met_by_area_activity_quarter(fact_set, quarters) == (
        figures.fully_met_by_area_activity_quarter(raw, quarters)
    )
    for dimension in ("activity", "area", "unit", "team", "assessor"):
        in_q3 = facts.in_period(fact_set, Q2.__class__(Q2.start, Q3.end, "Q2-Q3", "custom"))
        raw_q3 = in_period(raw, Q2.__class__(Q2.start, Q3.end, "Q2-Q3", "custom"))
        for name in ("overview_by", "question_results_by"):
            assert getattr(facts, name)(in_q3, dimension) == getattr(figures, name)(raw_q3, dimension), name
        assert facts.fully_met_by_quarter(in_q3, dimension, quarters) == figures.fully_met_by_quarter(
            raw_q3, dimension, quarters
        )
    assert facts.overview_by(fact_set, "period", periods=quarters) == figures.overview_by(
        raw, "period", periods=quarters
    )
    drills = [{"question": "Q9", "answer": "not_met"}, {"question": "Q10"}, {"question": "Q99"}, {}]
    drills += [{"what": what} for what in figures.DRILLDOWN_CONDITION_LABELS] + [{"what": "nonsense"}]
    for drill in drills:
        expected = figures.drilldown(in_period(raw, Q3), **drill).count()
        assert facts.drilldown_count(facts.in_period(fact_set, Q3), **drill) == expected, drill
    for drill in ({"answer": "not_met"}, {"reason": "Q9.1"}, {"question": "Q9", "what": "late"}):
        assert facts.drilldown_count(facts.in_period(fact_set, Q3), **drill) is None, drill


def _tables_read(client, params) -> str:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("reporting:dashboard"), params).status_code == 200
    return " ".join(query["sql"] for query in queries.captured_queries)


def test_the_dashboard_reads_the_facts_unless_a_filter_needs_the_raw_rows(
    client, org, performance_viewer, small_dataset
):
    client.force_login(performance_viewer)
    # An area purview with no unit, team or assessor chosen: the area facts.
    read = _tables_read(client, {"period": Q3.label, "court": "crown"})
    assert "reporting_answerareafact" in read and "reporting_answerfact" not in read
    # A team chosen: the facts by team and assessor.
    read = _tables_read(client, {"period": Q3.label, "team": org.team_a1a.pk})
    assert "reporting_answerfact" in read and "reporting_answerareafact" not in read
    # Sensitive categories are not among the facts' keys; a range of days is not whole months.
    for params in ({"period": Q3.label, "sensitive_category": "rape"}, {"period": "2025-10-02..2025-12-31"}):
        read = _tables_read(client, params)
        assert "reporting_answerfact" not in read and "reporting_answerareafact" not in read
