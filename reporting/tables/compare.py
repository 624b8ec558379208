"""The compare page's tables: the figures and the questions side by side, and the quarters of the period."""

from assessments.models import Activity
from reporting.figures import AnswerCounts, QuestionResult
from reporting.stats import Rate, rate_difference
from reporting.tables.base import Cell, Column, Table

COMPARED_FIGURES = [
    ("IQAs", lambda o: o.iqas),
    ("Recorded on time", lambda o: o.on_time_rate),
    ("Feedback within five working days", lambda o: o.feedback_in_time_rate),
    ("Dip samples done", lambda o: o.dip_sample_rate),
    ("Fully met", lambda o: o.answers.fully_met_rate),
    ("Not met", lambda o: o.answers.not_met_rate),
    ("Not met – other", lambda o: o.answers.not_met_other_rate),
]


def _compare_columns(first_column: str, labels: list[str]) -> list[Column]:
    columns = [Column(first_column)]
    for index, label in enumerate(labels):
        columns.append(Column(label, "rate"))
        if index:
            columns.append(Column(f"{label} − {labels[0]}", "difference"))
    return columns


def _compare_cells(values: list) -> list[Cell]:
    cells = []
    for index, value in enumerate(values):
        cells.append(Cell(value))
        if index:
            first = values[0]
            if isinstance(value, Rate):
                # A difference between rates either of which is too few to judge is not shown as a number.
                too_few = first.too_few or value.too_few
                cells.append(Cell("too few to judge" if too_few else rate_difference(first, value)))
            else:
                cells.append(Cell(value - first, ""))
    return cells


def compare_table(keys: list, labels: list[str], overviews: dict, empty_overview) -> Table:
    table = Table(
        "compare",
        "Side by side",
        _compare_columns("Figure", labels),
        caption=f"Differences are against {labels[0]}, in percentage points for rates." if labels else "",
    )
    for title, figure in COMPARED_FIGURES:
        values = [figure(overviews.get(key, empty_overview)) for key in keys]
        table.rows.append([Cell(title), *_compare_cells(values)])
    return table


def compare_question_table(keys: list, labels: list[str], by_question: dict) -> Table:
    table = Table("compare_questions", "Fully met rate by question", _compare_columns("Question", labels))
    ordered = sorted(by_question, key=lambda k: QuestionResult(k[1], k[0], "", AnswerCounts()).sort_key)
    for activity, code in ordered:
        by_key = by_question[(activity, code)]
        values = [by_key.get(key, AnswerCounts()).fully_met_rate for key in keys]
        table.rows.append([Cell(f"{code} ({Activity(activity).label})"), *_compare_cells(values)])
    return table


def quarter_table(keys: list, labels: list[str], quarters, by_quarter: dict) -> Table:
    """The fully met rate of each compared value in each quarter of the period."""
    table = Table(
        "by_quarter",
        "Fully met rate by quarter",
        [Column("Compared")] + [Column(quarter.label, "rate") for quarter in quarters],
    )
    for key, label in zip(keys, labels, strict=True):
        rates = [by_quarter.get((key, quarter.label), AnswerCounts()).fully_met_rate for quarter in quarters]
        table.rows.append([Cell(label), *(Cell(rate) for rate in rates)])
    return table
