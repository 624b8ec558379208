"""A small, hand-countable set of IQAs for the reporting tests, all in business year 2025-26 Q3 (Oct–Dec 2025)."""

from datetime import UTC, date, datetime, time

import pytest

from assessments.models import Activity, Answer, AnswerReason, AnswerValue, Feedback, FeedbackMode, Reason
from qa_platform import periods
from reporting.facts import source as fact_source
from tests.factories import AssessmentFactory, PersonFactory

Q3 = periods.quarter(2025, 3)
Q2 = periods.quarter(2025, 2)


def recorded_at(day: date) -> datetime:
    return datetime.combine(day, time(12), tzinfo=UTC)


def iqa(team, work_date, *, assessor=None, activity=Activity.CASE_PROGRESSION, **fields):
    return AssessmentFactory(
        team=team,
        assessor=assessor or PersonFactory(),
        activity=activity,
        work_date=work_date,
        recorded_at=recorded_at(work_date),
        **fields,
    )


def answer(assessment, code, value, *reason_codes, comment="See the file."):
    """Change one answer of an IQA (made all fully met by the factory)."""
    row = Answer.objects.get(assessment=assessment, question__code=code)
    row.value, row.comment = value, comment
    row.save()
    for reason_code in reason_codes:
        AnswerReason.objects.create(answer=row, reason=Reason.objects.get(question=row.question, code=reason_code))
    return row


def feedback(assessment, given_on):
    return Feedback.objects.create(
        assessment=assessment,
        given_on=given_on,
        mode=FeedbackMode.FACE_TO_FACE,
        positive_points="Good.",
        recorded_by=assessment.assessor,
    )


@pytest.fixture(params=["facts", "raw"])
def figure_path(request, monkeypatch):
    """Runs a test twice: figures read from the facts where they serve the filters, then from the raw rows only.
    The pages must say the same either way (`pytestmark = pytest.mark.usefixtures("figure_path")`)."""
    monkeypatch.setattr(fact_source, "ENABLED", request.param == "facts")
    return request.param


@pytest.fixture
def small_dataset(org, assessor):
    return make_small_dataset(org, assessor)


def make_small_dataset(org, assessor):
    """Four IQAs in Q3 of 2025-26 in area A, one in Q2, one in area B:

    - a: team A1a, case progression, Thu 2 Oct 2025 (month 1 of the quarter, first third), all 9 fully met,
      feedback on Thu 9 Oct (5 working days: in time)
    - b: team A1a, case progression, Wed 15 Oct 2025 (second third), recorded late; Q9 not met (reasons),
      Q10 not met – other, Q11 N/A, the other 6 fully met; feedback on Thu 23 Oct (6 working days: late)
    - c: team A1b, case presentation, Mon 24 Nov 2025 (month 2, last third), all 11 fully met, finalised case
    - d: team A1b, case progression, Mon 22 Dec 2025 (month 3, last third), Q9 not met (the "other" reason)
    - q2: team A1a, case progression, 1 Sep 2025 (Q2), Q9 not met
    - foreign: team B1a, case progression, in Q3, all fully met
    """
    a = iqa(org.team_a1a, date(2025, 10, 2), assessor=assessor)
    b = iqa(org.team_a1a, date(2025, 10, 15), assessor=assessor, recorded_on_time=False)
    c = iqa(org.team_a1b, date(2025, 11, 24), activity=Activity.CASE_PRESENTATION, case__status="finalised")
    d = iqa(org.team_a1b, date(2025, 12, 22))
    q2 = iqa(org.team_a1a, date(2025, 9, 1), assessor=assessor)
    foreign = iqa(org.team_b1a, date(2025, 10, 20))
    answer(b, "Q9", AnswerValue.NOT_MET, "Q9.1", "Q9.2")
    answer(b, "Q10", AnswerValue.NOT_MET_OTHER)
    answer(b, "Q11", AnswerValue.NOT_APPLICABLE)
    other = Reason.objects.filter(question__code="Q9", question__question_set=d.question_set, is_other=True).get()
    answer(d, "Q9", AnswerValue.NOT_MET, other.code)
    answer(q2, "Q9", AnswerValue.NOT_MET)
    feedback(a, date(2025, 10, 9))
    feedback(b, date(2025, 10, 23))
    return {"a": a, "b": b, "c": c, "d": d, "q2": q2, "foreign": foreign}
