"""The building blocks of the figures read from the facts: the counts as sums of the facts' `n`, the IQA-level
conditions on their columns, the keys they group by, and the names joined after grouping."""

from datetime import date

from django.db import connections
from django.db.models import Case, CharField, F, Q, QuerySet, Sum, Value, When
from django.utils import timezone

from assessments.rules import last_overdue_recording_day
from qa_platform.periods import Period
from reporting import figures
from reporting.facts.source import in_months

ANSWER_SUMS = figures.answer_counts(lambda condition: Sum("n", filter=condition), "value")


# The IQA-level conditions (figures.iqa_conditions) on the IQA facts' columns.
CONDITIONS = figures.iqa_conditions(feedback_given=Q(feedback_given=True), dip_sampled=Q(dip_sampled=True))


def iqa_conditions(today: date | None = None) -> dict[str, Q]:
    """The IQA-level counts (figures.IQA_FIGURES) as conditions on IqaFact (an empty Q: every IQA)."""
    cutoff = last_overdue_recording_day(today or timezone.localdate())
    return {
        "iqas": Q(),
        **{name: CONDITIONS[name] for name in figures.IQA_FIGURES if name in CONDITIONS},
        # Feedback is judged once given or once its five working days are over (recorded by the cutoff day).
        "feedback_due": Q(feedback_given=True) | Q(pending_recorded_on__lte=cutoff),
        "feedback_in_time": Q(feedback_in_time=True),
        "month_third_1": Q(work_third=1),
        "month_third_2": Q(work_third=2),
        "month_third_3": Q(work_third=3),
        "quarter_month_1": Q(month__month__in=figures.FIRST_MONTHS),
        "quarter_month_2": Q(month__month__in=figures.SECOND_MONTHS),
    }


# Annex C's counts (figures.Timing.from_counts) as conditions on the IQA facts of the IQAs recorded in a period.
TIMING_CONDITIONS = {
    "iqas": Q(),
    "third_1": Q(recorded_third=1),
    "third_2": Q(recorded_third=2),
    "month_1": Q(recorded_month__month__in=figures.FIRST_MONTHS),
    "month_2": Q(recorded_month__month__in=figures.SECOND_MONTHS),
}


def iqa_sums(today: date | None = None) -> dict:
    """The IQA-level counts (figures.IQA_FIGURES) as sums over IqaFact."""
    # Named apart from the facts' own columns (feedback_given, dip_sampled…), which Django will not let an alias hide.
    return {
        f"{SUM_PREFIX}{name}": Sum("n", filter=condition) if condition else Sum("n")
        for name, condition in iqa_conditions(today).items()
    }


SUM_PREFIX = "sum_"


def unprefixed(row: dict) -> dict:
    return {name.removeprefix(SUM_PREFIX): value for name, value in row.items()}


def period_key(periods: list[Period]):
    """The label of the first period holding the fact's month (as figures.group_key does by the date of the work)."""
    return Case(
        *(When(month__range=(p.start, p.end), then=Value(p.label)) for p in periods),
        output_field=CharField(),
    )


def any_period(periods: list[Period]) -> Q:
    condition = Q(pk__in=[])
    for period in periods:
        condition |= in_months(period)
    return condition


def group_key(dimension: str, periods: list[Period] | None = None):
    if dimension == "period":
        return period_key(periods or [])
    return F(figures.DIMENSION_FIELDS[dimension])


QUESTION = {"code": F("question__code"), "question_activity": F("question__question_set__activity")}


def named(grouped: QuerySet, select: str, joins: str, tail: str = "") -> list[dict]:
    """The grouped facts (`g`, a few thousand rows) with the names they group by joined AFTER grouping: joined
    before, as an aggregate over related names is, the database joins every fact row (~140,000 in a national year)
    to the names. One query; `select`, `joins` and `tail` are this module's SQL, never input."""
    sql, params = grouped.query.sql_with_params()
    with connections[grouped.db].cursor() as cursor:
        cursor.execute(f"SELECT {select} FROM ({sql}) AS g {joins} {tail}", params)  # noqa: S608 - our own SQL
        columns = [column.name for column in cursor.description]
        return [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]


QUESTION_JOINS = (
    "JOIN assessments_question q ON q.id = g.question_id JOIN assessments_questionset qs ON qs.id = q.question_set_id"
)


QUESTION_NAMES = "q.code, qs.activity, q.wording, q.number"
