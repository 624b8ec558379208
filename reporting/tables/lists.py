"""The tables that list people or records: who marks whom how (and its outliers), the drill-down's IQAs and the
comments extract."""

from django.urls import reverse

from reporting.tables.base import Cell, Column, Drill, Table, listing


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
    columns = [
        (
            Column("IQA", "number"),
            lambda iqa: Cell(iqa.pk, reverse("iqa_detail", args=[iqa.pk]) if iqa.pk in linked else ""),
        ),
        (Column("Date of the work"), lambda iqa: Cell(iqa.work_date.isoformat())),
        (Column("Activity"), lambda iqa: Cell(iqa.get_activity_display())),
        (Column("Area"), lambda iqa: Cell(teams[iqa.team_id].area)),
        (Column("Team"), lambda iqa: Cell(teams[iqa.team_id].name)),
        (Column("Assessor"), lambda iqa: Cell(iqa.assessor.full_name)),
        (Column("Assessed"), lambda iqa: Cell(iqa.assessed.full_name)),
        (Column("Recorded on time"), lambda iqa: Cell("yes" if iqa.recorded_on_time else "no")),
        (Column("Case"), lambda iqa: Cell(f"{iqa.case.urn} ({iqa.get_case_status_display().lower()})")),
    ]
    return listing("drilldown", "IQAs", columns, assessments, empty="No IQA in your purview matches.")


def comments_table(answers) -> Table:
    columns = [
        (Column("IQA", "number"), lambda answer: Cell(answer.assessment_id)),
        (Column("Date of the work"), lambda answer: Cell(answer.assessment.work_date.isoformat())),
        (Column("Team"), lambda answer: Cell(answer.assessment.team.name)),
        (Column("Activity"), lambda answer: Cell(answer.assessment.get_activity_display())),
        (Column("Question"), lambda answer: Cell(answer.question.code)),
        (Column("Answer"), lambda answer: Cell(answer.get_value_display())),
        (Column("Comment"), lambda answer: Cell(answer.comment)),
    ]
    return listing("comments", "Comments", columns, answers, empty="No comments in your purview match.")
