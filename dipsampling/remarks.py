"""Re-marks: the dip sampler's independent answers, classified against the assessor's, and the annex B tables.

Seed 001 (2.9, annex B) classifies each of the assessor's answers against the re-marker's as too lenient, too
robust, should have been "not applicable", wrongly "not applicable", or agreed. The answers run from the most
lenient to the most robust: fully met, then not met – other (a failure put down to someone else: police, court,
defence), then not met (the assessed person's own failure). So, as decided here:

- the same answer is *agreed*;
- the assessor answered N/A and the re-marker did not: *wrongly N/A*; the other way round: *should have been N/A*;
- otherwise the assessor's answer is *too lenient* when it is further towards fully met than the re-marker's, and
  *too robust* when it is further towards not met. So not met – other where the re-marker says not met is too
  lenient (the failure was the prosecutor's own), and not met where the re-marker says not met – other is too
  robust (it blamed the prosecutor for what others did).
"""

import operator
from dataclasses import dataclass, field
from functools import reduce

from django.db import models
from django.db.models import Count, Max, Min, Q, QuerySet

from assessments.models import ACTIVITY_ORDER, AnswerValue
from dipsampling.models import DipSample, ReMark


class Agreement(models.TextChoices):
    AGREED = "agreed", "No disagreement"
    TOO_LENIENT = "too_lenient", "Assessor's answer too lenient"
    TOO_ROBUST = "too_robust", "Assessor's answer too robust"
    SHOULD_HAVE_BEEN_NA = "should_have_been_na", "Should have been not applicable"
    WRONGLY_NA = "wrongly_na", "Not applicable wrongly"


# Most lenient first.
_LENIENCY = (AnswerValue.FULLY_MET, AnswerValue.NOT_MET_OTHER, AnswerValue.NOT_MET)


def _decide(assessor_answer: str, remark_answer: str) -> Agreement:
    if assessor_answer == remark_answer:
        return Agreement.AGREED
    if assessor_answer == AnswerValue.NOT_APPLICABLE:
        return Agreement.WRONGLY_NA
    if remark_answer == AnswerValue.NOT_APPLICABLE:
        return Agreement.SHOULD_HAVE_BEEN_NA
    if _LENIENCY.index(assessor_answer) < _LENIENCY.index(remark_answer):
        return Agreement.TOO_LENIENT
    return Agreement.TOO_ROBUST


# Annex B's classification, written once: (assessor's answer, re-marker's answer) → how they compare, for every pair
# of answers. `classify` reads it in Python, `agreement_condition` turns it into a database condition.
ANNEX_B = {(mine, theirs): _decide(mine, theirs) for mine in AnswerValue for theirs in AnswerValue}


def classify(assessor_answer: str, remark_answer: str) -> Agreement:
    """How the assessor's answer to a question compares with the re-marker's."""
    return ANNEX_B[(assessor_answer, remark_answer)]


def agreement_condition(kind: Agreement, mine: str, theirs: str) -> Q:
    """The pairs of answers `classify` puts in `kind`, as a condition on the fields holding the assessor's answer
    (`mine`) and the re-marker's (`theirs`): one term per assessor's answer."""
    theirs_by_mine: dict[str, list[str]] = {}
    for (assessor_answer, remark_answer), agreement in ANNEX_B.items():
        if agreement == kind:
            theirs_by_mine.setdefault(assessor_answer, []).append(remark_answer)
    terms = (Q(**{mine: answer, f"{theirs}__in": answers}) for answer, answers in theirs_by_mine.items())
    return reduce(operator.or_, terms)


def _rate(fully_met: int, applicable: int) -> float | None:
    return fully_met / applicable if applicable else None


@dataclass
class AnnexBRow:
    """One question (or all questions) of the annex B tables: fully met rates and kinds of disagreement."""

    code: str
    wording: str = ""
    activity: str = ""
    total: int = 0
    assessor_fully_met: int = 0
    assessor_applicable: int = 0
    remarker_fully_met: int = 0
    remarker_applicable: int = 0
    counts: dict = field(default_factory=lambda: dict.fromkeys(Agreement, 0))

    def add(self, assessor_answer: str, remark_answer: str, times: int = 1) -> None:
        """Count `times` re-marks of this pair of answers."""
        self.total += times
        self.counts[classify(assessor_answer, remark_answer)] += times
        self.assessor_fully_met += times * (assessor_answer == AnswerValue.FULLY_MET)
        self.assessor_applicable += times * (assessor_answer != AnswerValue.NOT_APPLICABLE)
        self.remarker_fully_met += times * (remark_answer == AnswerValue.FULLY_MET)
        self.remarker_applicable += times * (remark_answer != AnswerValue.NOT_APPLICABLE)

    @property
    def assessor_rate(self) -> float | None:
        """Fully met ÷ answers that are not N/A, over the assessor's answers to the re-marked questions."""
        return _rate(self.assessor_fully_met, self.assessor_applicable)

    @property
    def remarker_rate(self) -> float | None:
        return _rate(self.remarker_fully_met, self.remarker_applicable)

    @property
    def difference(self) -> float | None:
        """Assessor's rate minus the re-marker's: positive when the assessors marked more generously."""
        if self.assessor_rate is None or self.remarker_rate is None:
            return None
        return self.assessor_rate - self.remarker_rate

    @property
    def percentages(self) -> dict:
        return {kind: (count / self.total if self.total else None) for kind, count in self.counts.items()}

    @property
    def cells(self) -> list[tuple[str, int, float | None]]:
        """(label, count, share) per kind of disagreement in annex B's column order, agreed last."""
        order = [kind for kind in Agreement if kind != Agreement.AGREED] + [Agreement.AGREED]
        percentages = self.percentages
        return [(kind.label, self.counts[kind], percentages[kind]) for kind in order]


@dataclass
class AnnexB:
    rows: list[AnnexBRow]
    overall: AnnexBRow

    def row(self, code: str) -> AnnexBRow:
        return next(row for row in self.rows if row.code == code)


def annex_b(dip_samples: QuerySet[DipSample]) -> AnnexB:
    """The annex B tables for the re-marks of these dip samples, in one query whatever their number.

    Questions are grouped by their stable code, so re-marks on different versions of a question set compare. Each
    re-mark is compared with the assessor's answer it kept when the dip sample was recorded, never the live answer.
    The database counts each (question, assessor's answer, re-mark) pair, so Python walks a few hundred rows at most.
    """
    # Grouped by the question's id (a small key the database hashes), its code and wording read alongside.
    pairs = (
        ReMark.objects.filter(dip_sample__in=dip_samples)
        .values_list("question_id", "assessor_value", "answer")
        .annotate(
            code=Max("question__code"),
            activity=Max("question__question_set__activity"),
            wording=Max("question__wording"),
            number=Min("question__number"),
            times=Count("pk"),
        )
        .order_by()
    )
    return annex_b_of(pairs)


def annex_b_of(pairs) -> AnnexB:
    """The annex B tables from counted pairs: (question id, assessor's answer, re-marker's answer, code, activity,
    wording, number, how many), as `annex_b` reads them from the re-marks and reporting.facts from the re-mark facts."""
    rows: dict[str, AnnexBRow] = {}
    order: dict[str, tuple] = {}
    overall = AnnexBRow(code="All questions")
    for _, assessor_value, remark_value, code, activity, wording, number, times in pairs:
        row = rows.setdefault(code, AnnexBRow(code=code, wording=wording, activity=activity))
        order[code] = min(order.get(code, (99, 999, code)), (ACTIVITY_ORDER.get(activity, 99), number, code))
        row.add(assessor_value, remark_value, times)
        overall.add(assessor_value, remark_value, times)
    return AnnexB(rows=sorted(rows.values(), key=lambda row: order[row.code]), overall=overall)


def remark_rows(dip_sample: DipSample, answers) -> list[dict]:
    """Each of the IQA's answers with the dip sampler's re-mark and how they compare (one query for the re-marks).

    The comparison is with the assessor's answer the re-mark kept (`assessor_value`); `changed_since` is the answer
    as it is now when it has changed since (an upheld challenge), shown beside it but never compared.
    """
    by_question = {remark.question_id: remark for remark in dip_sample.remarks.all()}
    rows = []
    for answer in answers:
        remark = by_question.get(answer.question_id)
        row = {
            "answer": answer,
            "remark": remark,
            "agreement": None,
            "assessor_value": answer.value,
            "changed_since": "",
        }
        if remark:
            row["agreement"] = classify(remark.assessor_value, remark.answer)
            row["assessor_value"] = remark.assessor_value
            if remark.assessor_value != answer.value:
                row["changed_since"] = answer.get_value_display()
        row["assessor_label"] = AnswerValue(row["assessor_value"]).label
        rows.append(row)
    return rows
