"""Re-mark classification (seed 001, 2.9 and annex B) and the annex B tables for a set of dip samples."""

import pytest
from django.utils import timezone

from assessments.models import Activity, Question
from dipsampling.models import DipSample, Outcome, ReMark
from dipsampling.remarks import Agreement, annex_b, classify
from tests.dipsampling.conftest import FM, NA, NM, NMO


@pytest.mark.parametrize(
    ("assessor_answer", "remark", "expected"),
    [
        (FM, FM, Agreement.AGREED),
        (NM, NM, Agreement.AGREED),
        (NMO, NMO, Agreement.AGREED),
        (NA, NA, Agreement.AGREED),
        (FM, NM, Agreement.TOO_LENIENT),
        (FM, NMO, Agreement.TOO_LENIENT),
        # Blaming others (police, court) when the failure was the prosecutor's own is generous to them.
        (NMO, NM, Agreement.TOO_LENIENT),
        (NM, FM, Agreement.TOO_ROBUST),
        (NMO, FM, Agreement.TOO_ROBUST),
        (NM, NMO, Agreement.TOO_ROBUST),
        (FM, NA, Agreement.SHOULD_HAVE_BEEN_NA),
        (NM, NA, Agreement.SHOULD_HAVE_BEEN_NA),
        (NMO, NA, Agreement.SHOULD_HAVE_BEEN_NA),
        (NA, FM, Agreement.WRONGLY_NA),
        (NA, NM, Agreement.WRONGLY_NA),
        (NA, NMO, Agreement.WRONGLY_NA),
    ],
)
def test_it_classifies_each_pair_of_answers(assessor_answer, remark, expected):
    assert classify(assessor_answer, remark) == expected


def _dip_sample(iqa, dip_sampler, remarks):
    dip_sample = DipSample.objects.create(
        assessment=iqa,
        dip_sampler=dip_sampler,
        sampled_on=timezone.localdate(),
        iqa_comment="IQA comment",
        casework_comment="Casework comment",
        outcome=Outcome.MIXED,
        recorded_at=timezone.now(),
    )
    questions = {q.code: q for q in Question.objects.filter(question_set=iqa.question_set)}
    # Each re-mark keeps the assessor's answer as it stood when the dip sample was recorded.
    assessor_values = dict(iqa.answers.values_list("question__code", "value"))
    ReMark.objects.bulk_create(
        ReMark(dip_sample=dip_sample, question=questions[code], assessor_value=assessor_values[code], answer=value)
        for code, value in remarks.items()
    )
    return dip_sample


@pytest.fixture
def small_dataset(make_iqa, dip_sampler):
    """Three re-marked case progression IQAs; Q9 and Q10 re-marked on each, Q11 on one.

    Q9:  assessor FM, FM, FM   re-marker FM, NM, NA   → agreed, too lenient, should have been N/A
    Q10: assessor FM, NA, NM   re-marker FM, FM, NMO  → agreed, wrongly N/A, too robust
    Q11: assessor FM           re-marker FM           → agreed
    """
    first = make_iqa(answers={})
    second = make_iqa(answers={"Q10": NA})
    third = make_iqa(answers={"Q10": NM})
    _dip_sample(first, dip_sampler, {"Q9": FM, "Q10": FM, "Q11": FM})
    _dip_sample(second, dip_sampler, {"Q9": NM, "Q10": FM})
    _dip_sample(third, dip_sampler, {"Q9": NA, "Q10": NMO})
    # A dip sample without re-marks adds nothing to the tables.
    _dip_sample(make_iqa(), dip_sampler, {})
    return DipSample.objects.all()


def test_it_computes_the_fully_met_rates_and_their_difference(small_dataset):
    tables = annex_b(small_dataset)

    assert [row.code for row in tables.rows] == ["Q9", "Q10", "Q11"]
    q9, q10 = tables.row("Q9"), tables.row("Q10")
    # Q9: assessor 3 fully met of 3 applicable; re-marker 1 of 2 applicable (one N/A).
    assert q9.assessor_rate == 1.0
    assert q9.remarker_rate == 0.5
    assert q9.difference == 0.5
    # Q10: assessor 1 of 2 applicable (one N/A); re-marker 2 of 3.
    assert q10.assessor_rate == 0.5
    assert q10.remarker_rate == pytest.approx(2 / 3)
    assert q10.difference == pytest.approx(0.5 - 2 / 3)


def test_it_counts_each_kind_of_disagreement_per_question_and_overall(small_dataset):
    tables = annex_b(small_dataset)

    q9 = tables.row("Q9")
    assert q9.total == 3
    assert q9.counts[Agreement.AGREED] == 1
    assert q9.counts[Agreement.TOO_LENIENT] == 1
    assert q9.counts[Agreement.SHOULD_HAVE_BEEN_NA] == 1
    assert q9.percentages[Agreement.TOO_LENIENT] == pytest.approx(1 / 3)
    assert q9.percentages[Agreement.TOO_ROBUST] == 0

    overall = tables.overall
    assert overall.total == 7
    assert overall.counts == {
        Agreement.AGREED: 3,
        Agreement.TOO_LENIENT: 1,
        Agreement.TOO_ROBUST: 1,
        Agreement.SHOULD_HAVE_BEEN_NA: 1,
        Agreement.WRONGLY_NA: 1,
    }
    assert overall.percentages[Agreement.AGREED] == pytest.approx(3 / 7)
    # Assessor: Q9 FM ×3, Q10 FM, N/A, NM, Q11 FM → 5 fully met of 6 applicable.
    # Re-marker: Q9 FM, NM, N/A, Q10 FM, FM, NMO, Q11 FM → 4 fully met of 6 applicable.
    assert (overall.assessor_fully_met, overall.assessor_applicable) == (5, 6)
    assert (overall.remarker_fully_met, overall.remarker_applicable) == (4, 6)
    assert overall.difference == pytest.approx(1 / 6)


def test_it_gives_empty_tables_for_no_re_marks(db):
    tables = annex_b(DipSample.objects.none())
    assert tables.rows == []
    assert tables.overall.total == 0
    assert tables.overall.assessor_rate is None
    assert tables.overall.difference is None


def test_it_reads_the_tables_in_one_query_whatever_the_number(make_iqa, dip_sampler, django_assert_num_queries):
    for _ in range(2):
        _dip_sample(make_iqa(activity=Activity.CHARGING_REVIEW), dip_sampler, {"Q3": NM, "Q4": FM})
    with django_assert_num_queries(1):
        annex_b(DipSample.objects.all())
    for _ in range(8):
        _dip_sample(make_iqa(), dip_sampler, {"Q9": NM, "Q12": NA})
    with django_assert_num_queries(1):
        tables = annex_b(DipSample.objects.all())
    # Activities in the scheme's order, questions by number.
    assert [row.code for row in tables.rows] == ["Q3", "Q4", "Q9", "Q12"]
    assert tables.overall.total == 20
