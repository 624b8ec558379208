"""The figures grouped by a dimension, for comparisons, from the facts by team and assessor."""

from collections import defaultdict

from django.db.models import F, QuerySet

from qa_platform.periods import Period
from reporting import figures
from reporting.facts.source import FactSet
from reporting.facts.sums import (
    ANSWER_SUMS,
    QUESTION,
    any_period,
    group_key,
    iqa_sums,
    period_key,
    unprefixed,
)
from reporting.figures import (
    AnswerCounts,
    Overview,
    total,
)
from reporting.models import (
    AnswerFact,
)


def overview_by(source, dimension: str, *, periods: list[Period] | None = None, today=None) -> dict:
    if not isinstance(source, FactSet):
        return figures.overview_by(source, dimension, periods=periods, today=today)
    source = source.by_team
    iqas = source.iqas.filter(any_period(periods or [])) if dimension == "period" else source.iqas
    rows = iqas.values(key=group_key(dimension, periods)).annotate(**iqa_sums(today)).order_by()
    answers = answer_counts_by(source, dimension, periods=periods)
    return {row["key"]: Overview.from_row(unprefixed(row), answers.get(row["key"])) for row in rows}


def answers_for(source: FactSet, dimension: str, periods: list[Period] | None) -> QuerySet[AnswerFact]:
    return source.answers.filter(any_period(periods or [])) if dimension == "period" else source.answers


def answer_counts_by(source, dimension: str, *, periods: list[Period] | None = None) -> dict:
    if not isinstance(source, FactSet):
        return figures.answer_counts_by(source, dimension, periods=periods)
    source = source.by_team
    rows = (
        answers_for(source, dimension, periods)
        .values(key=group_key(dimension, periods))
        .annotate(**ANSWER_SUMS)
        .order_by()
    )
    return {row["key"]: AnswerCounts.from_row(row) for row in rows}


def question_results_by(source, dimension: str, *, periods: list[Period] | None = None) -> dict:
    if not isinstance(source, FactSet):
        return figures.question_results_by(source, dimension, periods=periods)
    source = source.by_team
    rows = (
        answers_for(source, dimension, periods)
        .values(**QUESTION, key=group_key(dimension, periods))
        .annotate(**ANSWER_SUMS)
        .order_by()
    )
    table: dict[tuple[str, str], dict] = defaultdict(dict)
    for row in rows:
        table[(row["question_activity"], row["code"])][row["key"]] = AnswerCounts.from_row(row)
    return table


def fully_met_by_quarter(source, dimension: str, quarters: list[Period]) -> dict:
    if not isinstance(source, FactSet):
        return figures.fully_met_by_quarter(source, dimension, quarters)
    source = source.by_team
    if dimension == "period" or not quarters:
        return {}
    rows = (
        source.answers.filter(any_period(quarters))
        .values(key=group_key(dimension), quarter=period_key(quarters))
        .annotate(**ANSWER_SUMS)
        .order_by()
    )
    return {(row["key"], row["quarter"]): AnswerCounts.from_row(row) for row in rows}


def fully_met_by_area_activity_quarter(source, quarters: list[Period]) -> dict:
    if not isinstance(source, FactSet):
        return figures.fully_met_by_area_activity_quarter(source, quarters)
    if not quarters:
        return {}
    # By month (a plain column the database hashes), summed into the quarters here: a few hundred rows.
    rows = (
        source.answers.filter(any_period(quarters))
        .values("activity", "month", area_key=F(source.area_field))
        .annotate(**ANSWER_SUMS)
        .order_by()
    )
    result: dict[tuple, AnswerCounts] = {}
    for row in rows:
        quarter = next(q.label for q in quarters if q.start <= row["month"] <= q.end)
        key = (row["area_key"], row["activity"], quarter)
        result[key] = total([result.get(key, AnswerCounts()), AnswerCounts.from_row(row)])
    return result
