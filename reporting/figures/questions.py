"""Per question: its answers' counts over a period and its fully met rate per quarter; the reasons given."""

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Case, CharField, Count, F, Max, QuerySet, Value, When

from assessments.models import (
    ACTIVITY_ORDER,
    Activity,
    Assessment,
)
from qa_platform.periods import Period
from reporting.figures.overview import ANSWER_AGGREGATES, AnswerCounts, total
from reporting.stats import Rate


def by_activity(results: list["QuestionResult"]) -> dict[str, AnswerCounts]:
    """Answer counts per activity, summed from the per-question results (no query)."""
    grouped = defaultdict(list)
    for result in results:
        grouped[result.activity].append(result.counts)
    return {activity: total(counts) for activity, counts in grouped.items()}


def overall_trend(trends: list["QuestionTrend"], quarters: list[Period]) -> dict[str, Rate]:
    """The fully met rate over all questions in each quarter, summed from the per-question trend (no query)."""
    return {
        quarter.label: Rate(
            sum(trend.rates[index].successes for trend in trends), sum(trend.rates[index].total for trend in trends)
        )
        for index, quarter in enumerate(quarters)
    }


@dataclass
class QuestionResult:
    code: str
    activity: str
    wording: str
    counts: AnswerCounts

    @property
    def activity_label(self) -> str:
        return Activity(self.activity).label

    @property
    def sort_key(self):
        digits = "".join(ch for ch in self.code if ch.isdigit())
        return (ACTIVITY_ORDER.get(self.activity, 9), self.code.rstrip("0123456789"), int(digits or 0))


def question_results(assessments: QuerySet[Assessment]) -> list[QuestionResult]:
    """Per question code (stable across versions): counts of each answer. One query."""
    rows = (
        assessments.values(
            code=F("answers__question__code"), question_activity=F("answers__question__question_set__activity")
        )
        .annotate(wording=Max("answers__question__wording"), **ANSWER_AGGREGATES)
        .order_by()
    )
    results = [
        QuestionResult(row["code"], row["question_activity"], row["wording"], AnswerCounts.from_row(row))
        for row in rows
        if row["code"] is not None  # IQAs without answers
    ]
    return sorted(results, key=lambda result: result.sort_key)


@dataclass
class QuestionTrend:
    code: str
    activity: str
    rates: list[Rate]  # one per quarter, oldest first


def question_trend(assessments: QuerySet[Assessment], quarters: list[Period]) -> list[QuestionTrend]:
    """Fully met rate per question in each of the quarters (the queryset is not narrowed to a period). One query."""
    if not quarters:
        return []
    quarter_of_work = Case(
        *(When(work_date__range=(q.start, q.end), then=Value(q.label)) for q in quarters),
        output_field=CharField(),
    )
    rows = (
        assessments.filter(work_date__gte=quarters[0].start, work_date__lte=quarters[-1].end)
        .values(
            code=F("answers__question__code"),
            question_activity=F("answers__question__question_set__activity"),
            quarter=quarter_of_work,
        )
        .annotate(**ANSWER_AGGREGATES)
        .order_by()
    )
    table: dict[tuple[str, str], dict[str, AnswerCounts]] = defaultdict(dict)
    for row in rows:
        if row["code"] is None:
            continue
        table[(row["code"], row["question_activity"])][row["quarter"]] = AnswerCounts.from_row(row)
    trends = []
    for (code, activity), by_quarter in table.items():
        rates = [by_quarter.get(q.label, AnswerCounts()).fully_met_rate for q in quarters]
        trends.append(QuestionTrend(code, activity, rates))
    return sorted(trends, key=lambda trend: QuestionResult(trend.code, trend.activity, "", AnswerCounts()).sort_key)


# --- Reasons


@dataclass
class ReasonCount:
    question_code: str
    code: str
    text: str
    is_other: bool
    count: int


@dataclass
class Reasons:
    rows: list[ReasonCount]

    @property
    def total(self) -> int:
        return sum(row.count for row in self.rows)

    @property
    def other_share(self) -> Rate:
        return Rate(sum(row.count for row in self.rows if row.is_other), self.total)


def reasons(assessments: QuerySet[Assessment]) -> Reasons:
    """The reasons recorded for `not_met` answers, most frequent first, and the share of "other". One query."""
    rows = (
        assessments.filter(answers__answerreason__isnull=False)
        .values(
            question_code=F("answers__answerreason__reason__question__code"),
            code=F("answers__answerreason__reason__code"),
            text=F("answers__answerreason__reason__text"),
            is_other=F("answers__answerreason__reason__is_other"),
        )
        .annotate(count=Count("answers__answerreason"))
        .order_by("-count", "code")
    )
    return Reasons([ReasonCount(**row) for row in rows])
