"""Every reporting table as plain rows of cells: the pages render them, the exports write them.

One shape for both means each table on screen is also a CSV and an XLSX with the same figures. A rate cell holds
a `Rate` (its interval and "too few to judge" go with it); a count cell an int; a share cell a proportion (a
Fraction, exact, or a float); a difference cell a proportion in points, or an int for a difference of counts. Pages
and exports print every proportion through qa_platform.percent.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from fractions import Fraction

from django.urls import reverse

from assessments.models import Activity, AnswerValue
from qa_platform.percent import percent_text
from reporting.stats import Rate, rate_difference


@dataclass(frozen=True)
class Column:
    title: str
    kind: str = "text"  # text, number, rate, share (a proportion 0–1), difference (points), target


@dataclass
class Cell:
    value: object = None
    href: str = ""


@dataclass
class Table:
    name: str
    title: str
    columns: list[Column]
    rows: list[list[Cell]] = field(default_factory=list)
    caption: str = ""
    empty: str = "Nothing to show for these filters."


Drill = Callable[..., str]


def _rate_row(label, rate: Rate, href="", note="") -> list[Cell]:
    return [Cell(label, href), Cell(rate.successes), Cell(rate.total), Cell(rate), Cell(note)]


def summary_table(overview, target, drill: Drill, scope=None) -> Table:
    """The headline figures: IQAs against the proxy target, timeliness, feedback, dip samples and answers. `scope`
    (reporting.targets.TargetScope) says which side of the target applies to the IQAs counted, and why not."""
    from reporting.targets import DIP_SAMPLE_TARGET, TargetScope

    table = Table(
        "summary",
        "Summary",
        [
            Column("Figure"),
            Column("Count", "number"),
            Column("Out of", "number"),
            Column("Rate", "rate"),
            Column("Note"),
        ],
        caption="Rates carry their 95% interval; below the threshold they are too few to judge. Proxy targets are "
        "for the people in post in the teams in view, pro-rated to the period.",
    )
    scope = scope or TargetScope()
    sides = [
        ("Office-based", overview.office_based, "office_based", scope.office_based, scope.office_reason),
        ("Court-based", overview.court_based, "court_based", scope.court_based, scope.court_reason),
    ]
    for label, done, what, applies, reason in sides:
        if target is not None and applies:
            expected = getattr(target, what)
            table.rows.append(
                [
                    Cell(f"{label} IQAs done against the proxy target", drill(what=what)),
                    Cell(done),
                    Cell(round(expected, 1)),
                    Cell(None),
                    Cell(_share_text(done, expected)),
                ]
            )
        else:
            table.rows.append([Cell(f"{label} IQAs done", drill(what=what)), Cell(done)] + _blank(2) + [Cell(reason)])
    answers = overview.answers
    table.rows += [
        _rate_row(
            "Recorded the same or next working day",
            overview.on_time_rate,
            drill(what="late"),
            # A count rather than words about the link: the note reads the same printed and exported.
            f"late: {overview.on_time_rate.total - overview.on_time_rate.successes}",
        ),
        _rate_row(
            "Feedback within five working days",
            overview.feedback_in_time_rate,
            drill(what="feedback_given"),
            "of IQAs given feedback or past its due date",
        ),
        _rate_row(
            "Dip samples done",
            overview.dip_sample_rate,
            drill(what="dip_sampled"),
            f"target {percent_text(DIP_SAMPLE_TARGET)} in each activity",
        ),
        _rate_row(
            "Cases live when assessed", overview.live_rate, drill(what="live"), f"finalised: {overview.finalised}"
        ),
        _rate_row(
            "Answers fully met", answers.fully_met_rate, drill(answer=AnswerValue.FULLY_MET), "of answers not N/A"
        ),
        _rate_row("Answers not met", answers.not_met_rate, drill(answer=AnswerValue.NOT_MET), "of answers not N/A"),
        _rate_row(
            "Answers not met – other",
            answers.not_met_other_rate,
            drill(answer=AnswerValue.NOT_MET_OTHER),
            "of answers not N/A",
        ),
        [Cell("IQAs with action required", drill(what="action_required")), Cell(overview.action_required)] + _blank(3),
    ]
    return table


def _blank(count: int) -> list[Cell]:
    return [Cell(None) for _ in range(count)]


def _share_text(done: float, expected: float) -> str:
    return f"{percent_text(done / expected)} of target" if expected else "no target"


def timing_table(timing) -> Table:
    """When IQAs were done (seed 001, 5.17 and annex C), laid out as annex C: the thirds of the month beside the
    months of the quarter, each a share of every IQA recorded in the period."""
    table = Table(
        "timing",
        "When IQAs were done",
        [
            Column("When in the month"),
            Column("IQAs", "number"),
            Column("Share", "share"),
            Column("Month of the quarter"),
            Column("IQAs in the month", "number"),
            Column("Share of the quarter", "share"),
        ],
        caption=f"The {timing.iqas} IQAs recorded in the period, by the day each was recorded (London time), not the "
        "date of the work: days 1–10, 11–20 and 21 to the end of the month; months 1, 2 and 3 of the business "
        "quarter. Shares are of those IQAs.",
        empty="No IQA was recorded in the period.",
    )
    if not timing.iqas:
        return table
    thirds = ("1st–10th", "11th–20th", "21st–end of month")
    months = ("Month 1", "Month 2", "Month 3")
    for third, in_third, month, in_month in zip(
        thirds, timing.month_thirds, months, timing.quarter_months, strict=True
    ):
        table.rows.append(
            [
                Cell(third),
                Cell(in_third),
                Cell(Fraction(in_third, timing.iqas)),
                Cell(month),
                Cell(in_month),
                Cell(Fraction(in_month, timing.iqas)),
            ]
        )
    return table


def activity_table(rates, answers: dict, drill: Drill) -> Table:
    """Per activity: IQAs, dip samples against 10%, and the fully met rate."""
    table = Table(
        "activities",
        "By activity",
        [
            Column("Activity"),
            Column("IQAs", "number"),
            Column("Dip samples done", "number"),
            Column("Dip sample rate", "rate"),
            Column("Dip samples needed for 10%", "number"),
            Column("Meets the 10% target"),
            Column("Fully met rate", "rate"),
        ],
    )
    for rate in rates:
        fully_met = answers[rate.activity].fully_met_rate if rate.activity in answers else Rate(0, 0)
        table.rows.append(
            [
                Cell(rate.activity_label, drill(activity=rate.activity)),
                Cell(rate.iqas),
                Cell(rate.dip_sampled),
                Cell(Rate(rate.dip_sampled, rate.iqas)),
                Cell(rate.required),
                Cell("yes" if rate.meets_target else "no"),
                Cell(fully_met),
            ]
        )
    return table


def question_table(results, drill: Drill) -> Table:
    """Per question (by its stable code): fully met, not met and not met – other rates."""
    columns = [
        Column("Activity"),
        Column("Question"),
        Column("Wording"),
        Column("Answers not N/A", "number"),
        Column("Fully met", "rate"),
        Column("Not met", "rate"),
        Column("Not met – other", "rate"),
        Column("N/A", "number"),
    ]
    table = Table("questions", "Questions", columns, caption="Fully met rate = fully met ÷ answers that are not N/A.")
    for result in results:
        counts = result.counts
        table.rows.append(
            [
                Cell(result.activity_label),
                Cell(result.code, drill(question=result.code)),
                Cell(result.wording),
                Cell(counts.applicable),
                Cell(counts.fully_met_rate),
                Cell(counts.not_met_rate, drill(question=result.code, answer=AnswerValue.NOT_MET)),
                Cell(counts.not_met_other_rate, drill(question=result.code, answer=AnswerValue.NOT_MET_OTHER)),
                Cell(counts.not_applicable),
            ]
        )
    return table


def question_trend_table(trends, quarters) -> Table:
    """Each question's fully met rate in each of the recent quarters, the last being the period's."""
    columns = [Column("Question"), *(Column(quarter.label, "rate") for quarter in quarters)]
    table = Table("question_trend", "Fully met rate by question over recent quarters", columns)
    for trend in trends:
        label = f"{trend.code} ({Activity(trend.activity).label})"
        table.rows.append([Cell(label), *(Cell(rate) for rate in trend.rates)])
    return table


def reasons_table(reasons, drill: Drill) -> Table:
    share = reasons.other_share
    caption = f"“Other” reasons: {share.successes} of {share.total}" + (f" ({share.percent}%)." if share.total else ".")
    table = Table(
        "reasons",
        "Reasons for answers not met",
        [Column("Question"), Column("Reason"), Column("Other"), Column("Times", "number"), Column("Share", "rate")],
        caption=caption,
    )
    table.rows = [
        [
            Cell(row.question_code),
            Cell(row.text, drill(reason=row.code)),
            Cell("yes" if row.is_other else ""),
            Cell(row.count),
            Cell(Rate(row.count, reasons.total)),
        ]
        for row in reasons.rows
    ]
    return table


def leniency_table(annex) -> Table:
    """Annex B: per question, the assessors' and re-markers' fully met rates and the kinds of disagreement."""
    kinds = [label for label, _, _ in annex.overall.cells]
    columns = [
        Column("Question"),
        Column("Re-marked answers", "number"),
        Column("Assessors' fully met", "share"),
        Column("Re-markers' fully met", "share"),
        Column("Difference", "difference"),
    ] + [Column(label, "share") for label in kinds]
    table = Table(
        "leniency",
        "Leniency from re-marks (annex B)",
        columns,
        caption="A positive difference means the assessors marked more generously than the re-markers.",
        empty="No dip sample in these IQAs has been re-marked.",
    )
    if not annex.overall.total:
        return table
    for row in [*annex.rows, annex.overall]:
        table.rows.append(
            [
                Cell(row.code if row is not annex.overall else "All questions"),
                Cell(row.total),
                Cell(row.assessor_rate),
                Cell(row.remarker_rate),
                Cell(row.difference),
                *(Cell(share) for _, _, share in row.cells),
            ]
        )
    return table


# --- Compare ---------------------------------------------------------------------------------------------------

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
    from reporting.figures import AnswerCounts, QuestionResult

    table = Table("compare_questions", "Fully met rate by question", _compare_columns("Question", labels))
    ordered = sorted(by_question, key=lambda k: QuestionResult(k[1], k[0], "", AnswerCounts()).sort_key)
    for activity, code in ordered:
        by_key = by_question[(activity, code)]
        values = [by_key.get(key, AnswerCounts()).fully_met_rate for key in keys]
        table.rows.append([Cell(f"{code} ({Activity(activity).label})"), *_compare_cells(values)])
    return table


# --- Consistency and drill-down --------------------------------------------------------------------------------


def consistency_table(rows, drill: Drill) -> Table:
    """Who marks whom how: every assessor with IQAs in view (the consistency page's table, and the pack's)."""
    return _assessor_table("consistency", "Who marks whom how", rows, drill)


def outliers_table(rows, drill: Drill) -> Table:
    """The flagged rows of the consistency table, titled as what they are."""
    table = _assessor_table("outliers", "Assessors flagged as outliers", rows, drill)
    table.empty = "No assessor's fully met rate is clear of their unit's for these filters."
    return table


def _assessor_table(name: str, title: str, rows, drill: Drill) -> Table:
    table = Table(
        name,
        title,
        [
            Column("Area"),
            Column("Unit"),
            Column("Assessor"),
            Column("Fully met", "rate"),
            Column("Unit", "rate"),
            Column("Area", "rate"),
            Column("Flag"),
            Column("IQAs", "number"),
            Column("Dip sampled", "rate"),
            Column("Re-marked answers", "number"),
            Column("Too lenient", "rate"),
            Column("Too robust", "rate"),
        ],
        caption=(
            "Flagged when the assessor's whole 95% interval lies above (more lenient) or below (more robust) "
            "their unit's fully met rate."
        ),
    )
    labels = {"lenient": "more lenient than the unit", "robust": "more robust than the unit", "": ""}
    table.rows = [
        [
            Cell(row.area),
            Cell(row.unit),
            Cell(row.assessor, drill(assessor=row.assessor_id, unit=row.unit_id)),
            Cell(row.rate),
            Cell(row.unit_rate),
            Cell(row.area_rate),
            Cell(labels[row.flag]),
            Cell(row.iqas),
            Cell(row.dip_sample_rate),
            Cell(row.remarks),
            Cell(row.too_lenient_rate),
            Cell(row.too_robust_rate),
        ]
        for row in rows
    ]
    return table


def drilldown_table(assessments, teams: dict, linked=frozenset()) -> Table:
    """The IQAs, with their teams' names from `teams` (id: the filter's TeamRow); the numbers of those in `linked`
    (ids of IQAs the viewer may open) link to their pages."""
    table = Table(
        "drilldown",
        "IQAs",
        [
            Column("IQA", "number"),
            Column("Date of the work"),
            Column("Activity"),
            Column("Area"),
            Column("Team"),
            Column("Assessor"),
            Column("Assessed"),
            Column("Recorded on time"),
            Column("Case"),
        ],
        empty="No IQA in your purview matches.",
    )
    table.rows = [
        [
            Cell(iqa.pk, reverse("iqa_detail", args=[iqa.pk]) if iqa.pk in linked else ""),
            Cell(iqa.work_date.isoformat()),
            Cell(iqa.get_activity_display()),
            Cell(teams[iqa.team_id].area),
            Cell(teams[iqa.team_id].name),
            Cell(iqa.assessor.full_name),
            Cell(iqa.assessed.full_name),
            Cell("yes" if iqa.recorded_on_time else "no"),
            Cell(f"{iqa.case.urn} ({iqa.get_case_status_display().lower()})"),
        ]
        for iqa in assessments
    ]
    return table


def comments_table(answers) -> Table:
    table = Table(
        "comments",
        "Comments",
        [
            Column("IQA", "number"),
            Column("Date of the work"),
            Column("Team"),
            Column("Activity"),
            Column("Question"),
            Column("Answer"),
            Column("Comment"),
        ],
        empty="No comments in your purview match.",
    )
    table.rows = [
        [
            Cell(answer.assessment_id),
            Cell(answer.assessment.work_date.isoformat()),
            Cell(answer.assessment.team.name),
            Cell(answer.assessment.get_activity_display()),
            Cell(answer.question.code),
            Cell(answer.get_value_display()),
            Cell(answer.comment),
        ]
        for answer in answers
    ]
    return table


def quarter_table(keys: list, labels: list[str], quarters, by_quarter: dict) -> Table:
    """The fully met rate of each compared value in each quarter of the period."""
    from reporting.figures import AnswerCounts

    table = Table(
        "by_quarter",
        "Fully met rate by quarter",
        [Column("Compared")] + [Column(quarter.label, "rate") for quarter in quarters],
    )
    for key, label in zip(keys, labels, strict=True):
        rates = [by_quarter.get((key, quarter.label), AnswerCounts()).fully_met_rate for quarter in quarters]
        table.rows.append([Cell(label), *(Cell(rate) for rate in rates)])
    return table


def measures_table(measures, rates: dict) -> Table:
    """Each area's performance measures for the quarters of the period, beside the related activity's fully met
    rate in that area and quarter (seed 001, 4.28)."""
    from reporting.figures import AnswerCounts

    table = Table(
        "measures",
        "Performance measures beside question results",
        [
            Column("Area"),
            Column("Quarter"),
            Column("Measure"),
            Column("Value", "number"),
            Column("Related activity"),
            Column("Activity's fully met rate", "rate"),
        ],
        caption="Imported performance data for the areas in view; the rate is over these IQAs of that activity, "
        "area and quarter.",
        empty="No performance measures have been imported for these areas and quarters.",
    )
    for measure in measures:
        label = measure.period_label
        rate = (
            rates.get((measure.area_id, measure.activity, label), AnswerCounts()).fully_met_rate
            if measure.activity
            else None
        )
        table.rows.append(
            [
                Cell(measure.area.name),
                Cell(label),
                Cell(measure.measure),
                Cell(float(measure.value)),
                Cell(measure.get_activity_display()),
                Cell(rate),
            ]
        )
    return table


def trend_table(rates: dict, quarters) -> Table:
    """The fully met rate over all questions in each recent quarter, the last being the period's."""
    table = Table("trend", "Fully met rate over recent quarters", [Column("Quarter"), Column("Fully met", "rate")])
    for quarter in quarters:
        table.rows.append([Cell(quarter.label), Cell(rates.get(quarter.label, Rate(0, 0)))])
    return table
