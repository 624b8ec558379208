"""The drill-down: the IQAs behind a figure, and what its conditions mean in the page's words."""

from django.db.models import QuerySet

from assessments.models import (
    Answer,
    AnswerValue,
    Assessment,
    Question,
    Reason,
)
from reporting.figures.overview import CONDITIONS

DRILLDOWN_VALUES = {value for value, _ in AnswerValue.choices}


# The IQA-level conditions a figure drills down to, as the drill-down page names them.
DRILLDOWN_CONDITION_LABELS = {
    "late": "Recorded late",
    "feedback_given": "Feedback given",
    "dip_sampled": "Dip sampled",
    "court_based": "Court-based",
    "office_based": "Office-based",
    "live": "Case live when assessed",
    "finalised": "Case finalised when assessed",
    "action_required": "Action required",
}


def drilldown_description(*, question: str = "", answer: str = "", reason: str = "", what: str = "") -> list[str]:
    """What the drill-down's conditions mean, in the words of the page: a question by its code and wording, an
    answer's label, a reason's wording, the condition's label. One query for a question or a reason named; a code
    no question has is shown as it is (the drill-down then lists nothing)."""
    parts = []
    if question:
        # Codes are stable across question set versions: the latest version's wording.
        wording = Question.objects.filter(code=question).order_by("-pk").values_list("wording", flat=True).first()
        parts.append(f"Question {question}: {wording}" if wording else f"Question {question}")
    if answer in DRILLDOWN_VALUES:
        parts.append(f"Answered: {AnswerValue(answer).label}")
    if reason:
        text = Reason.objects.filter(code=reason).order_by("-pk").values_list("text", flat=True).first()
        parts.append(f"Reason {reason}: {text}" if text else f"Reason {reason}")
    if what in DRILLDOWN_CONDITION_LABELS:
        parts.append(DRILLDOWN_CONDITION_LABELS[what])
    return parts


def drilldown(assessments: QuerySet[Assessment], *, question: str = "", answer: str = "", reason: str = "", what=""):
    """The IQAs behind a figure: those with an answer to a question (by code), of a value or with a reason, or
    with one of the IQA-level conditions ("late", "feedback_given", "dip_sampled", "court_based", "office_based",
    "live", "finalised", "action_required")."""
    if question or answer or reason:
        answers = Answer.objects.all()
        if question:
            answers = answers.filter(question__code=question)
        if answer in DRILLDOWN_VALUES:
            answers = answers.filter(value=answer)
        if reason:
            answers = answers.filter(answerreason__reason__code=reason)
        assessments = assessments.filter(pk__in=answers.values("assessment_id"))
    if what in DRILLDOWN_CONDITION_LABELS:
        assessments = assessments.filter(CONDITIONS[what])
    return assessments
