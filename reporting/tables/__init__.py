"""Every reporting table as plain rows of cells: the pages render them, the exports write them.

One shape for both means each table on screen is also a CSV and an XLSX with the same figures. A rate cell holds
a `Rate` (its interval and "too few to judge" go with it); a count cell an int; a share cell a proportion (a
Fraction, exact, or a float); a difference cell a proportion in points, or an int for a difference of counts. Pages
and exports print every proportion through qa_platform.percent.

The modules: `base` (Column, Cell, Table), `dashboard`, `compare` and `lists` (consistency, drill-down, comments).
"""

from reporting.tables.base import Cell, Column, Drill, Table, listing
from reporting.tables.compare import compare_question_table, compare_table, quarter_table
from reporting.tables.dashboard import (
    activity_table,
    leniency_table,
    measures_table,
    question_table,
    question_trend_table,
    reasons_table,
    summary_table,
    timing_table,
    trend_table,
)
from reporting.tables.lists import comments_table, consistency_table, drilldown_table, outliers_table

__all__ = [
    "Cell",
    "Column",
    "Drill",
    "Table",
    "activity_table",
    "comments_table",
    "compare_question_table",
    "compare_table",
    "consistency_table",
    "drilldown_table",
    "leniency_table",
    "listing",
    "measures_table",
    "outliers_table",
    "quarter_table",
    "question_table",
    "question_trend_table",
    "reasons_table",
    "summary_table",
    "timing_table",
    "trend_table",
]
