"""Assessor consistency: each assessor's fully met rate beside their unit's and area's, and how their answers
fared when re-marked."""

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, F, Q, QuerySet

from assessments.models import (
    Assessment,
)
from dipsampling import remarks
from reporting.figures.overview import ANSWER_AGGREGATES, ANSWER_FIELDS, AnswerCounts
from reporting.stats import Rate


@dataclass
class AssessorConsistency:
    assessor_id: int
    assessor: str
    unit_id: int
    unit: str
    area_id: int
    area: str
    counts: AnswerCounts
    unit_rate: Rate
    area_rate: Rate
    iqas: int = 0
    dip_sampled: int = 0
    remarks: int = 0
    too_lenient: int = 0
    too_robust: int = 0

    @property
    def rate(self) -> Rate:
        return self.counts.fully_met_rate

    @property
    def dip_sample_rate(self) -> Rate:
        return Rate(self.dip_sampled, self.iqas)

    @property
    def too_lenient_rate(self) -> Rate:
        return Rate(self.too_lenient, self.remarks)

    @property
    def too_robust_rate(self) -> Rate:
        return Rate(self.too_robust, self.remarks)

    @property
    def flag(self) -> str:
        """'lenient' when the assessor's whole interval sits above their unit's rate, 'robust' when below."""
        rate, unit_rate = self.rate, self.unit_rate.value
        if rate.too_few or unit_rate is None:
            return ""
        if rate.low > unit_rate:
            return "lenient"
        if rate.high < unit_rate:
            return "robust"
        return ""


def assessor_consistency(assessments: QuerySet[Assessment]) -> list[AssessorConsistency]:
    """Each assessor's fully met rate beside their unit's and area's (units and areas of the teams they assessed),
    the share of their IQAs dip-sampled and how their answers fared when re-marked. Three queries."""
    answer_rows = (
        assessments.values(
            "assessor_id",
            assessor_name=F("assessor__full_name"),
            unit_id=F("team__unit_id"),
            unit=F("team__unit__name"),
            area_id=F("team__unit__area_id"),
            area=F("team__unit__area__name"),
        )
        .annotate(**ANSWER_AGGREGATES)
        .order_by()
    )
    iqa_rows = assessments.values("assessor_id", unit_id=F("team__unit_id")).annotate(
        iqas=Count("pk"), dip_sampled=Count("pk", filter=Q(dip_sample__recorded_at__isnull=False))
    )
    return consistency_rows(answer_rows, iqa_rows.order_by(), remark_disagreement(assessments))


def consistency_rows(answer_rows, iqa_rows, remarks: dict) -> list[AssessorConsistency]:
    """The assessors' rows from their answer counts, IQA counts and re-mark disagreement, however counted."""
    answer_rows = list(answer_rows)
    by_unit, by_area, by_assessor = defaultdict(AnswerCounts), defaultdict(AnswerCounts), {}
    for row in answer_rows:
        counts = AnswerCounts.from_row(row)
        for total in (by_unit[row["unit_id"]], by_area[row["area_id"]]):
            for name in ANSWER_FIELDS:
                setattr(total, name, getattr(total, name) + getattr(counts, name))
        by_assessor[(row["assessor_id"], row["unit_id"])] = (row, counts)

    iqas = {(row["assessor_id"], row["unit_id"]): row for row in iqa_rows}

    results = []
    for key, (row, counts) in by_assessor.items():
        iqa_row = iqas.get(key, {})
        remark_row = remarks.get(key, {})
        results.append(
            AssessorConsistency(
                assessor_id=row["assessor_id"],
                assessor=row["assessor_name"],
                unit_id=row["unit_id"],
                unit=row["unit"],
                area_id=row["area_id"],
                area=row["area"],
                counts=counts,
                unit_rate=by_unit[row["unit_id"]].fully_met_rate,
                area_rate=by_area[row["area_id"]].fully_met_rate,
                iqas=iqa_row.get("iqas", 0),
                dip_sampled=iqa_row.get("dip_sampled", 0),
                remarks=remark_row.get("remarks", 0),
                too_lenient=remark_row.get("too_lenient", 0),
                too_robust=remark_row.get("too_robust", 0),
            )
        )
    return sorted(results, key=lambda r: (r.area, r.unit, -(r.rate.value or 0), r.assessor))


def leniency_conditions(mine: str, theirs: str) -> tuple[Q, Q]:
    """(too lenient, too robust) as conditions on the assessor's answer (`mine`) and the re-marker's (`theirs`), as
    annex B classifies them (dipsampling.remarks.ANNEX_B): N/A either side is neither."""
    return (
        remarks.agreement_condition(remarks.Agreement.TOO_LENIENT, mine, theirs),
        remarks.agreement_condition(remarks.Agreement.TOO_ROBUST, mine, theirs),
    )


def remark_disagreement(assessments: QuerySet[Assessment]) -> dict:
    """Per (assessor, unit): re-marked answers, and how many the assessor marked more leniently or more robustly
    than the re-marker (N/A either side is neither). One query over each recorded dip sample's re-marks, each with
    the assessor's answer it kept when recorded (never the live answer, which a challenge may change since)."""
    lenient, robust = leniency_conditions("dip_sample__remarks__assessor_value", "dip_sample__remarks__answer")
    rows = (
        assessments.filter(dip_sample__recorded_at__isnull=False, dip_sample__remarks__isnull=False)
        .values("assessor_id", unit_id=F("team__unit_id"))
        .annotate(
            remarks=Count("dip_sample__remarks"),
            too_lenient=Count("dip_sample__remarks", filter=lenient),
            too_robust=Count("dip_sample__remarks", filter=robust),
        )
        .order_by()
    )
    return {(row["assessor_id"], row["unit_id"]): row for row in rows}
