"""The dashboard, compare and consistency figures read from the pre-aggregated facts when the filters allow.

The facts (reporting.models: AnswerFact, ReasonFact, IqaFact, RemarkFact and the same by area) count the answers,
reasons, IQAs and re-marks by month of the work, team, assessor, activity and court as assessed, and are kept exact
by triggers on every write (reporting/fact_sql.py). They serve every filter but the sensitive category, for periods
made of whole months (a business year, a quarter, a month, or a custom range from a 1st to a month's end); any other
filter reads the raw rows, with the same results.

Each function here takes the same arguments as its namesake in reporting.figures, except that where that takes a
queryset of IQAs this takes a `source`: either a `FactSet` (the facts of the viewer's purview and filters) or that
queryset, in which case it simply calls the figures function. `Report.source` picks one; the views call these.
The query count of each function is that of its namesake, or fewer.

The modules: `source` (which facts a report reads), `sums` (the counts as sums of the facts), `dashboard`,
`questions`, `groups` (comparisons) and `consistency`. Their public names are read from here (the figures'
dataclasses from reporting.figures).
"""

from reporting.facts.consistency import assessor_consistency, remark_disagreement
from reporting.facts.dashboard import annex_b, dip_sample_rates, drilldown_count, iqa_figures, overview, timing
from reporting.facts.groups import (
    answer_counts_by,
    fully_met_by_area_activity_quarter,
    fully_met_by_quarter,
    overview_by,
    question_results_by,
)
from reporting.facts.questions import question_results, question_trend, questions_and_trend, reasons
from reporting.facts.source import FactSet, for_report, in_groups, in_period, whole_months
from reporting.facts.sums import ANSWER_SUMS, CONDITIONS, iqa_conditions, iqa_sums

__all__ = [
    "ANSWER_SUMS",
    "CONDITIONS",
    "FactSet",
    "annex_b",
    "answer_counts_by",
    "assessor_consistency",
    "dip_sample_rates",
    "drilldown_count",
    "for_report",
    "fully_met_by_area_activity_quarter",
    "fully_met_by_quarter",
    "in_groups",
    "in_period",
    "iqa_conditions",
    "iqa_figures",
    "iqa_sums",
    "overview",
    "overview_by",
    "question_results",
    "question_results_by",
    "question_trend",
    "questions_and_trend",
    "reasons",
    "remark_disagreement",
    "timing",
    "whole_months",
]
