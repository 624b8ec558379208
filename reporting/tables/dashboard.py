"""The dashboard's tables (and the committee pack's): the headline figures, activities, questions and their trend,
reasons, annex C, annex B and the performance measures."""

from fractions import Fraction

from assessments.models import Activity, AnswerValue
from qa_platform.percent import percent_text
from reporting.figures import AnswerCounts
from reporting.stats import Rate
from reporting.tables.base import Cell, Column, Drill, Table, rate_row


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
        rate_row(
            "Recorded the same or next working day",
            overview.on_time_rate,
            drill(what="late"),
            # A count rather than words about the link: the note reads the same printed and exported.
            f"late: {overview.on_time_rate.total - overview.on_time_rate.successes}",
        ),
        rate_row(
            "Feedback within five working days",
            overview.feedback_in_time_rate,
            drill(what="feedback_given"),
            "of IQAs given feedback or past its due date",
        ),
        rate_row(
            "Dip samples done",
            overview.dip_sample_rate,
            drill(what="dip_sampled"),
            f"target {percent_text(DIP_SAMPLE_TARGET)} in each activity",
        ),
        rate_row(
            "Cases live when assessed", overview.live_rate, drill(what="live"), f"finalised: {overview.finalised}"
        ),
        rate_row(
            "Answers fully met", answers.fully_met_rate, drill(answer=AnswerValue.FULLY_MET), "of answers not N/A"
        ),
        rate_row("Answers not met", answers.not_met_rate, drill(answer=AnswerValue.NOT_MET), "of answers not N/A"),
        rate_row(
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


def trend_table(rates: dict, quarters) -> Table:
    """The fully met rate over all questions in each recent quarter, the last being the period's."""
    table = Table("trend", "Fully met rate over recent quarters", [Column("Quarter"), Column("Fully met", "rate")])
    for quarter in quarters:
        table.rows.append([Cell(quarter.label), Cell(rates.get(quarter.label, Rate(0, 0)))])
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


def measures_table(measures, rates: dict) -> Table:
    """Each area's performance measures for the quarters of the period, beside the related activity's fully met
    rate in that area and quarter (seed 001, 4.28)."""
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
