"""Each figure against the small dataset counted by hand (tests/reporting/conftest.py), with its query count."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from assessments import feedback as assessment_feedback
from assessments.models import Activity, Answer, AnswerValue, Assessment
from assessments.selectors import in_period
from dipsampling.models import DipSample, ReMark
from reporting import figures
from reporting.models import IqaFact
from reporting.stats import Rate
from tests.factories import AssessmentFactory, PersonFactory
from tests.reporting.conftest import Q2, Q3, feedback, iqa

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")


def area_a(org):
    return Assessment.objects.filter(team__unit__area=org.area_a)


def test_it_counts_the_iqa_figures_of_a_period(org, small_dataset, django_assert_num_queries):
    with django_assert_num_queries(2):
        result = figures.overview(in_period(area_a(org), Q3))
    assert (result.iqas, result.office_based, result.court_based) == (4, 3, 1)
    assert result.on_time_rate == Rate(3, 4)
    assert (result.feedback_given, result.feedback_due, result.feedback_in_time) == (2, 4, 1)
    assert (result.live, result.finalised) == (3, 1)


def test_it_times_annex_c_by_the_day_each_iqa_was_recorded_in_london(org, assessor, django_assert_num_queries):
    """Seed 001, 5.17 and annex C: when IQAs were *done* (recorded), not when the work was."""

    def recorded(work_date, when):
        return AssessmentFactory(team=org.team_a1a, assessor=assessor, work_date=work_date, recorded_at=when)

    recorded(
        date(2025, 9, 30), datetime(2025, 10, 1, 9, tzinfo=LONDON)
    )  # work in Q2, recorded in month 1 of Q3, days 1–10
    recorded(
        date(2025, 10, 10), datetime(2025, 10, 11, 0, 30, tzinfo=LONDON)
    )  # 23:30 UTC on the 10th, the 11th in London
    recorded(
        date(2025, 11, 28), datetime(2025, 12, 1, 10, tzinfo=LONDON)
    )  # work in month 2, days 21+; recorded month 3, days 1–10
    recorded(date(2025, 12, 22), datetime(2025, 12, 22, 15, tzinfo=LONDON))  # month 3, days 21+
    recorded(
        date(2025, 12, 31), datetime(2026, 1, 2, 9, tzinfo=LONDON)
    )  # work in Q3, recorded in Q4: not in Q3's table
    with django_assert_num_queries(1):
        result = figures.timing(area_a(org), Q3)
    assert result.iqas == 4
    assert result.month_thirds == (2, 1, 1)
    assert result.quarter_months == (2, 0, 2)


def test_it_counts_the_answers_of_a_period(org, small_dataset):
    counts = figures.overview(in_period(area_a(org), Q3)).answers
    # 9 + 9 + 11 + 9 answers; b has one N/A, b and d one not met each, b one not met – other.
    assert (counts.answers, counts.not_applicable, counts.applicable) == (38, 1, 37)
    assert counts.fully_met_rate == Rate(34, 37)
    assert counts.not_met_rate == Rate(2, 37)
    assert counts.not_met_other_rate == Rate(1, 37)


def test_it_judges_feedback_in_working_days_across_bank_holidays(org, assessor):
    # Recorded Tuesday 23 December 2025: the fifth working day after is Friday 2 January 2026
    # (Christmas Day, Boxing Day and New Year's Day are bank holidays).
    in_time = iqa(org.team_a1a, date(2025, 12, 23), assessor=assessor)
    late = iqa(org.team_a1a, date(2025, 12, 23), assessor=assessor)
    feedback(in_time, date(2026, 1, 2))
    feedback(late, date(2026, 1, 5))
    result = figures.overview(area_a(org), today=date(2026, 3, 1))
    assert (result.feedback_given, result.feedback_in_time) == (2, 1)


def test_it_judges_feedback_by_the_due_date_the_iqa_stores_as_its_feedback_page_does(org, assessor):
    """Rule 4 read from the IQA: recorded Friday 3 October 2025, feedback is due by Friday 10 October. Given the
    Saturday after, it is late, in the figures and the facts alike, as the IQA's own feedback status says."""
    recorded_at = datetime(2025, 10, 3, 12, tzinfo=LONDON)
    on_the_day = AssessmentFactory(
        team=org.team_a1a, assessor=assessor, work_date=date(2025, 10, 3), recorded_at=recorded_at
    )
    the_day_after = AssessmentFactory(
        team=org.team_a1a, assessor=assessor, work_date=date(2025, 10, 3), recorded_at=recorded_at
    )
    assert on_the_day.feedback_due_on == the_day_after.feedback_due_on == date(2025, 10, 10)
    feedback(on_the_day, date(2025, 10, 10))
    feedback(the_day_after, date(2025, 10, 11))
    result = figures.overview(area_a(org), today=date(2026, 3, 1))
    assert (result.feedback_given, result.feedback_in_time) == (2, 1)
    in_time = IqaFact.objects.filter(team=org.team_a1a, feedback_given=True).values_list("feedback_in_time", "n")
    assert sorted(in_time) == [(False, 1), (True, 1)]
    statuses = [
        assessment_feedback.feedback_status(iqa, date(2026, 3, 1)).given_on_time for iqa in (on_the_day, the_day_after)
    ]
    assert statuses == [True, False]


def test_it_does_not_count_feedback_as_late_before_it_is_due(org, assessor):
    today = timezone.localdate()
    iqa(org.team_a1a, today, assessor=assessor)
    result = figures.overview(area_a(org), today=today)
    assert (result.iqas, result.feedback_due) == (1, 0)


def test_it_gives_each_question_its_results_by_stable_code(org, small_dataset, django_assert_num_queries):
    with django_assert_num_queries(1):
        results = {r.code: r for r in figures.question_results(in_period(area_a(org), Q3))}
    assert results["Q9"].counts.fully_met_rate == Rate(1, 3)
    assert results["Q9"].counts.not_met == 2
    assert results["Q10"].counts.not_met_other_rate == Rate(1, 3)
    assert results["Q11"].counts.applicable == 2
    assert results["Q18"].counts.fully_met_rate == Rate(1, 1)
    codes = list(results)
    assert codes.index("Q9") < codes.index("Q10") < codes.index("Q18")


def test_it_lists_reasons_and_the_share_of_other(org, small_dataset, django_assert_num_queries):
    with django_assert_num_queries(1):
        result = figures.reasons(in_period(area_a(org), Q3))
    assert sorted(row.code for row in result.rows if not row.is_other) == ["Q9.1", "Q9.2"]
    assert result.total == 3
    assert result.other_share == Rate(1, 3)


def test_it_trends_each_question_over_quarters(org, small_dataset, django_assert_num_queries):
    with django_assert_num_queries(1):
        trends = {t.code: t for t in figures.question_trend(area_a(org), [Q2, Q3])}
    assert trends["Q9"].rates == [Rate(0, 1), Rate(1, 3)]
    assert trends["Q18"].rates == [Rate(0, 0), Rate(1, 1)]


def test_it_groups_the_figures_by_team(org, small_dataset, django_assert_num_queries):
    with django_assert_num_queries(2):
        groups = figures.overview_by(in_period(area_a(org), Q3), "team")
    assert groups[org.team_a1a.pk].iqas == 2
    assert groups[org.team_a1a.pk].answers.fully_met_rate == Rate(15, 17)
    assert groups[org.team_a1b.pk].iqas == 2
    assert groups[org.team_a1b.pk].answers.fully_met_rate == Rate(19, 20)


def test_it_groups_the_figures_by_period(org, small_dataset):
    groups = figures.overview_by(area_a(org), "period", periods=[Q2, Q3])
    assert {label: o.iqas for label, o in groups.items()} == {Q2.label: 1, Q3.label: 4}
    by_question = figures.question_results_by(area_a(org), "period", periods=[Q2, Q3])
    assert by_question[(Activity.CASE_PROGRESSION, "Q9")][Q2.label].fully_met_rate == Rate(0, 1)


def test_it_flags_the_assessors_whose_interval_is_clear_of_their_unit(org, django_assert_num_queries):
    lenient, robust, middling = PersonFactory(full_name="Lenny"), PersonFactory(full_name="Rob"), PersonFactory()
    for _ in range(3):
        AssessmentFactory(team=org.team_a1a, assessor=lenient, work_date=date(2025, 10, 1))
        AssessmentFactory(team=org.team_a1a, assessor=robust, work_date=date(2025, 10, 1), answer=AnswerValue.NOT_MET)
    AssessmentFactory(team=org.team_a1b, assessor=middling, work_date=date(2025, 10, 1))
    with django_assert_num_queries(3):
        rows = {row.assessor: row for row in figures.assessor_consistency(area_a(org))}
    assert rows["Lenny"].rate == Rate(27, 27)
    assert rows["Lenny"].unit_rate == Rate(36, 63)
    assert rows["Lenny"].flag == "lenient"
    assert rows["Rob"].flag == "robust"
    assert rows[middling.full_name].flag == "", "too few answers to judge"


def test_it_counts_dip_samples_and_re_mark_disagreement_per_assessor(org, small_dataset, assessor, dip_sampler):
    a, b = small_dataset["a"], small_dataset["b"]
    for iqa_, remark in ((a, AnswerValue.NOT_MET), (b, AnswerValue.FULLY_MET)):
        sample = DipSample.objects.create(
            assessment=iqa_,
            dip_sampler=dip_sampler,
            sampled_on=date(2025, 11, 1),
            iqa_comment="Checked.",
            casework_comment="Sound.",
            outcome="mixed",
            recorded_at=timezone.now(),
        )
        answer = Answer.objects.get(assessment=iqa_, question__code="Q9")
        ReMark.objects.create(dip_sample=sample, question=answer.question, assessor_value=answer.value, answer=remark)
    rows = {row.assessor_id: row for row in figures.assessor_consistency(in_period(area_a(org), Q3))}
    mine = rows[assessor.pk]
    assert (mine.iqas, mine.dip_sampled, mine.remarks) == (2, 2, 2)
    # a: fully met where the re-marker said not met (too lenient); b: not met where they said fully met.
    assert (mine.too_lenient, mine.too_robust) == (1, 1)
    assert figures.overview(in_period(area_a(org), Q3)).dip_sample_rate == Rate(2, 4)


def test_it_drills_down_to_the_iqas_behind_a_figure(org, small_dataset):
    in_q3 = in_period(area_a(org), Q3)
    not_met_q9 = figures.drilldown(in_q3, question="Q9", answer=AnswerValue.NOT_MET)
    assert set(not_met_q9) == {small_dataset["b"], small_dataset["d"]}
    assert set(figures.drilldown(in_q3, reason="Q9.1")) == {small_dataset["b"]}
    assert set(figures.drilldown(in_q3, what="late")) == {small_dataset["b"]}
    assert set(figures.drilldown(in_q3, what="court_based")) == {small_dataset["c"]}


def test_it_sums_question_results_to_the_same_totals_as_a_scan(org, small_dataset):
    in_q3 = in_period(area_a(org), Q3)
    results = figures.question_results(in_q3)
    assert figures.total(r.counts for r in results) == figures.overview(in_q3).answers
    assert figures.by_activity(results)[Activity.CASE_PRESENTATION].fully_met_rate == Rate(11, 11)
    trends = figures.question_trend(area_a(org), [Q2, Q3])
    assert figures.overall_trend(trends, [Q2, Q3]) == {Q2.label: Rate(8, 9), Q3.label: Rate(34, 37)}
