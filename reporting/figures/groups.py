"""The figures grouped by a dimension (activity, area, unit, team, assessor, period), for comparisons."""

from collections import defaultdict

from django.db.models import Case, CharField, F, Q, QuerySet, Value, When

from assessments.models import (
    Assessment,
)
from qa_platform.periods import Period
from reporting.figures.overview import ANSWER_AGGREGATES, AnswerCounts, Overview, iqa_aggregates

DIMENSIONS = {
    "activity": "Activity",
    "area": "Area",
    "unit": "Unit",
    "team": "Team",
    "assessor": "Assessor",
    "period": "Period",
}
DIMENSION_FIELDS = {
    "activity": "activity",
    "area": "team__unit__area_id",
    "unit": "team__unit_id",
    "team": "team_id",
    "assessor": "assessor_id",
}


def in_groups(assessments: QuerySet[Assessment], dimension: str, keys: list) -> QuerySet[Assessment]:
    """The IQAs in the given groups of a dimension (not period): the ones a comparison of those groups reads."""
    return assessments.filter(**{f"{DIMENSION_FIELDS[dimension]}__in": keys})


def group_key(dimension: str, periods: list[Period] | None = None, prefix: str = ""):
    """The expression that puts an IQA in its group (prefix reaches the IQA from another model)."""
    if dimension == "period":
        return Case(
            *(When(**{f"{prefix}work_date__range": (p.start, p.end)}, then=Value(p.label)) for p in periods or []),
            output_field=CharField(),
        )
    return F(prefix + DIMENSION_FIELDS[dimension])


def overview_by(
    assessments: QuerySet[Assessment], dimension: str, *, periods: list[Period] | None = None, today=None
) -> dict:
    """Overview per group: {key: Overview}. Two queries (IQA counts, answer counts), each grouped in SQL.

    For the period dimension the queryset must not be narrowed to one period; each IQA falls in the first
    period that holds its work date.
    """
    if dimension == "period":
        assessments = assessments.filter(_any_period(periods or []))
    iqa_rows = assessments.values(key=group_key(dimension, periods)).annotate(**iqa_aggregates(today)).order_by()
    answers = answer_counts_by(assessments, dimension, periods=periods)
    return {row["key"]: Overview.from_row(row, answers.get(row["key"])) for row in iqa_rows}


def answer_counts_by(
    assessments: QuerySet[Assessment], dimension: str, *, periods: list[Period] | None = None
) -> dict[object, AnswerCounts]:
    """Answer counts per group: {key: AnswerCounts}. One query."""
    if dimension == "period":
        assessments = assessments.filter(_any_period(periods or []))
    rows = assessments.values(key=group_key(dimension, periods)).annotate(**ANSWER_AGGREGATES).order_by()
    return {row["key"]: AnswerCounts.from_row(row) for row in rows}


def question_results_by(
    assessments: QuerySet[Assessment], dimension: str, *, periods: list[Period] | None = None
) -> dict[tuple[str, str], dict]:
    """{(activity, code): {key: AnswerCounts}}, one query."""
    if dimension == "period":
        assessments = assessments.filter(_any_period(periods or []))
    rows = (
        assessments.values(
            code=F("answers__question__code"),
            question_activity=F("answers__question__question_set__activity"),
            key=group_key(dimension, periods),
        )
        .annotate(**ANSWER_AGGREGATES)
        .order_by()
    )
    table: dict[tuple[str, str], dict] = defaultdict(dict)
    for row in rows:
        if row["code"] is None:
            continue
        table[(row["question_activity"], row["code"])][row["key"]] = AnswerCounts.from_row(row)
    return table


def fully_met_by_quarter(
    assessments: QuerySet[Assessment], dimension: str, quarters: list[Period]
) -> dict[tuple, AnswerCounts]:
    """{(key, quarter label): AnswerCounts} for the groups of a dimension in each quarter. One query."""
    if dimension == "period" or not quarters:
        return {}
    rows = (
        assessments.filter(_any_period(quarters))
        .values(key=group_key(dimension), quarter=group_key("period", quarters))
        .annotate(**ANSWER_AGGREGATES)
        .order_by()
    )
    return {(row["key"], row["quarter"]): AnswerCounts.from_row(row) for row in rows}


def fully_met_by_area_activity_quarter(
    assessments: QuerySet[Assessment], quarters: list[Period]
) -> dict[tuple[int, str, str], AnswerCounts]:
    """{(area id, activity, quarter label): AnswerCounts}, to set beside the areas' performance measures. One query."""
    if not quarters:
        return {}
    rows = (
        assessments.filter(_any_period(quarters))
        .values("activity", area=F("team__unit__area_id"), quarter=group_key("period", quarters))
        .annotate(**ANSWER_AGGREGATES)
        .order_by()
    )
    return {(row["area"], row["activity"], row["quarter"]): AnswerCounts.from_row(row) for row in rows}


def _any_period(periods: list[Period]) -> Q:
    condition = Q(pk__in=[])
    for period in periods:
        condition |= Q(work_date__gte=period.start, work_date__lte=period.end)
    return condition
