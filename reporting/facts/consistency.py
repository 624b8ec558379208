"""Assessor consistency from the facts: answers, IQAs and re-marks per assessor and unit."""

from django.db.models import F, Q, Sum

from reporting import figures
from reporting.facts.source import FactSet
from reporting.facts.sums import (
    ANSWER_SUMS,
    named,
)


def remark_disagreement(source: FactSet) -> dict:
    """figures.remark_disagreement from the re-mark facts: per (assessor, unit), re-marks and how many found the
    assessor too lenient or too robust (N/A either side is neither)."""
    lenient, robust = figures.leniency_conditions("assessor_value", "answer")
    rows = (
        source.by_team.remarks.values("assessor_id", unit_id=F("team__unit_id"))
        .annotate(remarks=Sum("n"), too_lenient=Sum("n", filter=lenient), too_robust=Sum("n", filter=robust))
        .order_by()
    )
    return {
        (row["assessor_id"], row["unit_id"]): {
            **row,
            "too_lenient": row["too_lenient"] or 0,
            "too_robust": row["too_robust"] or 0,
        }
        for row in rows
    }


def assessor_consistency(source) -> list[figures.AssessorConsistency]:
    """Answers, IQAs and re-marks from the facts."""
    if not isinstance(source, FactSet):
        return figures.assessor_consistency(source)
    source = source.by_team
    # Grouped by ids (which the database hashes); the names, one per id, read alongside.
    grouped = source.answers.values("assessor_id", unit_id=F("team__unit_id")).annotate(**ANSWER_SUMS).order_by()
    answer_rows = named(
        grouped,
        "g.*, p.full_name AS assessor_name, u.name AS unit, u.area_id, a.name AS area",
        "JOIN organisation_person p ON p.id = g.assessor_id JOIN organisation_unit u ON u.id = g.unit_id "
        "JOIN organisation_area a ON a.id = u.area_id",
    )
    iqa_rows = (
        source.iqas.values("assessor_id", unit_id=F("team__unit_id"))
        .annotate(iqas=Sum("n"), sum_dip_sampled=Sum("n", filter=Q(dip_sampled=True)))
        .order_by()
    )
    iqa_rows = [{**row, "dip_sampled": row["sum_dip_sampled"] or 0} for row in iqa_rows]
    return figures.consistency_rows(answer_rows, iqa_rows, remark_disagreement(source))
