"""Helpers for the dip sampling tests: IQAs with chosen answers in the personas' organisation."""

import datetime

import pytest
from django.utils import timezone

from assessments.models import Activity, Answer, AnswerValue, CaseStatus, QuestionSet
from tests.factories import AssessmentFactory, CaseFactory


@pytest.fixture
def make_iqa(org, assessor, assessed):
    """An IQA on `assessed` in team A1a by `assessor` (unless given), every answer fully met except `answers`."""

    def make(activity=Activity.CASE_PROGRESSION, *, answers=None, work_date=None, case_status=None, **fields):
        work_date = work_date or timezone.localdate()
        fields.setdefault("team", org.team_a1a)
        case = CaseFactory(unit=fields["team"].unit, status=case_status or CaseStatus.LIVE, **fields.pop("case", {}))
        iqa = AssessmentFactory(
            activity=activity,
            work_date=work_date,
            recorded_at=timezone.make_aware(datetime.datetime.combine(work_date, datetime.time(12))),
            assessor=fields.pop("assessor", assessor),
            assessed=fields.pop("assessed", assessed),
            case=case,
            **fields,
        )
        for code, value in (answers or {}).items():
            Answer.objects.filter(assessment=iqa, question__code=code).update(value=value)
        return iqa

    return make


def question_codes(activity):
    question_set = QuestionSet.objects.current(activity, timezone.localdate())
    return list(question_set.questions.order_by("number").values_list("code", flat=True))


FM, NM, NMO, NA = (
    AnswerValue.FULLY_MET,
    AnswerValue.NOT_MET,
    AnswerValue.NOT_MET_OTHER,
    AnswerValue.NOT_APPLICABLE,
)
