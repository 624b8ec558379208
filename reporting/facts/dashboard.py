"""The dashboard's IQA-level figures from the facts: the overview, annex C, annex B, dip sample rates and the
drill-down's count."""

from datetime import date

from django.db.models import Q, Sum

from assessments.models import Activity
from assessments.selectors import in_period as iqas_in_period
from dipsampling import rates, remarks
from dipsampling.models import DipSample
from qa_platform.periods import Period
from reporting import figures
from reporting.facts.source import FactSet, in_months, in_period
from reporting.facts.sums import (
    ANSWER_SUMS,
    CONDITIONS,
    QUESTION_JOINS,
    QUESTION_NAMES,
    SUM_PREFIX,
    TIMING_CONDITIONS,
    iqa_conditions,
    iqa_sums,
    named,
    unprefixed,
)
from reporting.figures import (
    AnswerCounts,
    Overview,
)


def overview(source, *, today: date | None = None, answers: AnswerCounts | None = None) -> Overview:
    if not isinstance(source, FactSet):
        return figures.overview(source, today=today, answers=answers)
    row = unprefixed(source.iqas.aggregate(**iqa_sums(today)))
    if answers is None:
        answers = AnswerCounts.from_row(source.answers.aggregate(**ANSWER_SUMS))
    return Overview.from_row(row, answers)


def iqa_figures(
    source, period: Period, *, today: date | None = None, answers: AnswerCounts | None = None
) -> tuple[Overview, figures.Timing, list[rates.ActivityRate]]:
    """The dashboard's IQA-level figures: the overview of the IQAs of work in the period, annex C over those
    recorded in it, and the dip sample rates per activity. From the facts, ONE scan of the IQA facts (each sum
    filtered to its own IQAs); from the raw rows, the three figures' own queries. `source` is not narrowed to the
    period (annex C counts by the recorded date)."""
    if not isinstance(source, FactSet):
        of_work = iqas_in_period(source, period)
        overview_ = figures.overview(of_work, today=today, answers=answers)
        return overview_, figures.timing(source, period), rates.dip_sample_rates(of_work)
    in_work = in_months(period)
    in_recorded = Q(recorded_month__gte=period.start, recorded_month__lte=period.end)
    sums = {
        f"{SUM_PREFIX}{name}": Sum("n", filter=in_work & condition) for name, condition in iqa_conditions(today).items()
    }
    sums |= {
        f"timing_{name}": Sum("n", filter=in_recorded & condition) for name, condition in TIMING_CONDITIONS.items()
    }
    for activity in Activity:
        sums[f"activity_{activity.value}"] = Sum("n", filter=in_work & Q(activity=activity))
        sums[f"dip_{activity.value}"] = Sum("n", filter=in_work & Q(activity=activity, dip_sampled=True))
    row = {name: value or 0 for name, value in source.iqas.filter(in_work | in_recorded).aggregate(**sums).items()}
    if answers is None:
        answers = AnswerCounts.from_row(in_period(source, period).answers.aggregate(**ANSWER_SUMS))
    overview_ = Overview.from_row(unprefixed({name: row[name] for name in row if name.startswith(SUM_PREFIX)}), answers)
    timing_ = figures.Timing.from_counts({name: row[f"timing_{name}"] for name in TIMING_CONDITIONS})
    dip_rates = [
        rates.ActivityRate(
            activity=activity.value,
            iqas=row[f"activity_{activity.value}"],
            dip_sampled=row[f"dip_{activity.value}"],
        )
        for activity in Activity
    ]
    return overview_, timing_, dip_rates


def timing(source, period: Period) -> figures.Timing:
    """Annex C from the IQA facts: those RECORDED in the period (their recorded month, London), by the third of the
    month and the month of the quarter they were recorded in, as figures.timing counts them. One query."""
    if not isinstance(source, FactSet):
        return figures.timing(source, period)
    in_recorded = source.iqas.filter(recorded_month__gte=period.start, recorded_month__lte=period.end)
    return figures.Timing.from_counts(
        in_recorded.aggregate(**{name: Sum("n", filter=condition) for name, condition in TIMING_CONDITIONS.items()})
    )


def annex_b(source) -> remarks.AnnexB:
    """Annex B over the re-marks of the recorded dip samples of these IQAs: from the re-mark facts, one query."""
    if not isinstance(source, FactSet):
        return remarks.annex_b(DipSample.objects.filter(assessment__in=source.values("pk"), recorded_at__isnull=False))
    grouped = source.remarks.values_list("question_id", "assessor_value", "answer").annotate(times=Sum("n")).order_by()
    rows = named(grouped, f"g.question_id, g.assessor_value, g.answer, {QUESTION_NAMES}, g.times", QUESTION_JOINS)
    return remarks.annex_b_of(tuple(row.values()) for row in rows)


def dip_sample_rates(source) -> list[rates.ActivityRate]:
    if not isinstance(source, FactSet):
        return rates.dip_sample_rates(source)
    counts = {
        row["activity"]: row
        for row in source.iqas.order_by()
        .values("activity")
        .annotate(iqas=Sum("n"), sum_dip_sampled=Sum("n", filter=Q(dip_sampled=True)))
    }
    return [
        rates.ActivityRate(
            activity=activity.value,
            iqas=counts.get(activity.value, {}).get("iqas") or 0,
            dip_sampled=counts.get(activity.value, {}).get("sum_dip_sampled") or 0,
        )
        for activity in Activity
    ]


def drilldown_count(source, *, question: str = "", answer: str = "", reason: str = "", what: str = "") -> int | None:
    """How many IQAs figures.drilldown lists, from the facts (one query), or None when they cannot tell: the raw
    count is a semi-join of the period's IQAs with ~3 million answers. An IQA answers each question code once, so
    the IQAs with an answer to a question (of a value) are that question's answers (of that value); the IQA-level
    conditions are the IQA facts'. A value without a question, a reason, or an answer and a condition together
    need the raw rows."""
    if not isinstance(source, FactSet) or reason or (answer and not question) or (question and what):
        return None
    if question:
        answers = source.answers.filter(question__code=question)
        if answer in figures.DRILLDOWN_VALUES:
            answers = answers.filter(value=answer)
        return answers.aggregate(n=Sum("n"))["n"] or 0
    condition = CONDITIONS[what] if what in figures.DRILLDOWN_CONDITION_LABELS else Q()
    return source.iqas.filter(condition).aggregate(n=Sum("n"))["n"] or 0
