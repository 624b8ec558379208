"""Per question from the answer facts: its results over a period and its trend over quarters; the reasons given."""

from collections import defaultdict

from django.db.models import Max, Sum

from assessments.selectors import in_period as iqas_in_period
from qa_platform.periods import Period
from reporting import figures
from reporting.facts.source import FactSet
from reporting.facts.sums import (
    ANSWER_SUMS,
    QUESTION,
    QUESTION_JOINS,
    QUESTION_NAMES,
    named,
    period_key,
)
from reporting.figures import (
    AnswerCounts,
    QuestionResult,
    QuestionTrend,
    ReasonCount,
    Reasons,
)


def question_results(source) -> list[QuestionResult]:
    if not isinstance(source, FactSet):
        return figures.question_results(source)
    rows = source.answers.values(**QUESTION).annotate(wording=Max("question__wording"), **ANSWER_SUMS).order_by()
    results = [
        QuestionResult(row["code"], row["question_activity"], row["wording"], AnswerCounts.from_row(row))
        for row in rows
    ]
    return sorted(results, key=lambda result: result.sort_key)


def question_trend(source, quarters: list[Period]) -> list[QuestionTrend]:
    if not isinstance(source, FactSet):
        return figures.question_trend(source, quarters)
    if not quarters:
        return []
    rows = (
        source.answers.filter(month__gte=quarters[0].start, month__lte=quarters[-1].end)
        .values(**QUESTION, quarter=period_key(quarters))
        .annotate(**ANSWER_SUMS)
        .order_by()
    )
    table: dict[tuple[str, str], dict[str, AnswerCounts]] = defaultdict(dict)
    for row in rows:
        table[(row["code"], row["question_activity"])][row["quarter"]] = AnswerCounts.from_row(row)
    trends = []
    for (code, activity), by_quarter in table.items():
        trends.append(
            QuestionTrend(code, activity, [by_quarter.get(q.label, AnswerCounts()).fully_met_rate for q in quarters])
        )
    return sorted(trends, key=lambda trend: QuestionResult(trend.code, trend.activity, "", AnswerCounts()).sort_key)


def questions_and_trend(source, period: Period, quarters: list[Period]) -> tuple[list[QuestionResult], list]:
    """The per-question results over the period and the per-question trend over the quarters, from ONE scan of the
    answer facts grouped by question version, value and month (a few thousand rows, summed here), where the raw
    path takes two scans of the answers."""
    if not isinstance(source, FactSet):
        return figures.question_results(iqas_in_period(source, period)), figures.question_trend(source, quarters)
    start = min(period.start, *(q.start for q in quarters))
    end = max(period.end, *(q.end for q in quarters))
    # Grouped by the question's id (a small key the database hashes); its code, activity and wording read alongside.
    grouped = (
        source.answers.filter(month__gte=start, month__lte=end)
        .values_list("question_id", "value", "month")
        .annotate(n=Sum("n"))
        .order_by()
    )
    rows = named(grouped, f"g.value, g.month, g.n, {QUESTION_NAMES}", QUESTION_JOINS)
    in_period: dict[tuple[str, str], AnswerCounts] = defaultdict(AnswerCounts)
    wordings: dict[tuple[str, str], str] = {}
    by_quarter: dict[tuple[str, str], dict[str, AnswerCounts]] = defaultdict(lambda: defaultdict(AnswerCounts))
    for row in rows:
        value, month, n, code, activity, wording = (
            row[name] for name in ("value", "month", "n", "code", "activity", "wording")
        )
        key = (code, activity)
        if period.start <= month <= period.end:
            _count(in_period[key], value, n)
            wordings[key] = max(wordings.get(key, ""), wording)
        quarter = next((q.label for q in quarters if q.start <= month <= q.end), None)
        if quarter:
            _count(by_quarter[key][quarter], value, n)
    results = [
        QuestionResult(code, activity, wordings[code, activity], counts)
        for (code, activity), counts in in_period.items()
    ]
    trends = [
        QuestionTrend(code, activity, [counts.get(q.label, AnswerCounts()).fully_met_rate for q in quarters])
        for (code, activity), counts in by_quarter.items()
    ]
    return (
        sorted(results, key=lambda result: result.sort_key),
        sorted(trends, key=lambda trend: QuestionResult(trend.code, trend.activity, "", AnswerCounts()).sort_key),
    )


def _count(counts: AnswerCounts, value: str, n: int) -> None:
    counts.answers += n
    name = figures.VALUE_FIELDS[value]
    setattr(counts, name, getattr(counts, name) + n)


def reasons(source) -> Reasons:
    if not isinstance(source, FactSet):
        return figures.reasons(source)
    grouped = source.reasons.values("reason_id").annotate(count=Sum("n")).order_by()
    rows = named(
        grouped,
        "q.code AS question_code, r.code, r.text, r.is_other, sum(g.count)::bigint AS count",
        "JOIN assessments_reason r ON r.id = g.reason_id JOIN assessments_question q ON q.id = r.question_id",
        "GROUP BY q.code, r.code, r.text, r.is_other ORDER BY count DESC, r.code",
    )
    return Reasons([ReasonCount(**row) for row in rows])
