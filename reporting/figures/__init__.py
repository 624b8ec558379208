"""Every figure on the dashboards, computed in the database from the raw rows (reporting.facts reads the same from
the pre-aggregated facts when the filters allow).

Each function takes an Assessment queryset that is already scoped to the viewer's purview and narrowed by the
filters (`assessments.selectors.in_period` narrows it to a period), and returns rows or dataclasses. Each runs a
FIXED number of SQL queries whatever the data size: counts are SQL aggregates (`Count(filter=Q(...))`) grouped in
the database, and the Python that follows only walks the aggregated rows (one per question, reason, group or
assessor), never IQAs or answers.

The modules, by what they count: `overview` (the IQA-level figures and answer counts), `questions` (per question,
and the reasons), `timing` (annex C), `groups` (by a dimension, for comparisons), `consistency` (assessors, and
re-mark disagreement), `drilldown` (the IQAs behind a figure). Their public names are read from here.
"""

from reporting.figures.consistency import (
    AssessorConsistency,
    assessor_consistency,
    consistency_rows,
    leniency_conditions,
    remark_disagreement,
)
from reporting.figures.drilldown import DRILLDOWN_CONDITION_LABELS, DRILLDOWN_VALUES, drilldown, drilldown_description
from reporting.figures.groups import (
    DIMENSION_FIELDS,
    DIMENSIONS,
    answer_counts_by,
    fully_met_by_area_activity_quarter,
    fully_met_by_quarter,
    group_key,
    in_groups,
    overview_by,
    question_results_by,
)
from reporting.figures.overview import (
    ANSWER_AGGREGATES,
    ANSWER_FIELDS,
    CONDITIONS,
    IQA_FIGURES,
    VALUE_FIELDS,
    AnswerCounts,
    Overview,
    answer_counts,
    iqa_aggregates,
    iqa_conditions,
    overview,
    total,
)
from reporting.figures.questions import (
    QuestionResult,
    QuestionTrend,
    ReasonCount,
    Reasons,
    by_activity,
    overall_trend,
    question_results,
    question_trend,
    reasons,
)
from reporting.figures.timing import FIRST_MONTHS, SECOND_MONTHS, Timing, recorded_in, timing

__all__ = [
    "ANSWER_AGGREGATES",
    "ANSWER_FIELDS",
    "CONDITIONS",
    "DIMENSIONS",
    "DIMENSION_FIELDS",
    "DRILLDOWN_CONDITION_LABELS",
    "DRILLDOWN_VALUES",
    "FIRST_MONTHS",
    "IQA_FIGURES",
    "SECOND_MONTHS",
    "AnswerCounts",
    "AssessorConsistency",
    "Overview",
    "QuestionResult",
    "QuestionTrend",
    "ReasonCount",
    "Reasons",
    "Timing",
    "VALUE_FIELDS",
    "answer_counts",
    "answer_counts_by",
    "assessor_consistency",
    "by_activity",
    "consistency_rows",
    "drilldown",
    "drilldown_description",
    "fully_met_by_area_activity_quarter",
    "fully_met_by_quarter",
    "group_key",
    "in_groups",
    "iqa_aggregates",
    "iqa_conditions",
    "leniency_conditions",
    "overall_trend",
    "overview",
    "overview_by",
    "question_results",
    "question_results_by",
    "question_trend",
    "reasons",
    "recorded_in",
    "remark_disagreement",
    "timing",
    "total",
]
