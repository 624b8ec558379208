"""Helpers for the IQA recording tests: a draft for the assessor, and form data that records it."""

import pytest
from django.utils import timezone

from assessments import services
from assessments.forms import question_sets_for
from assessments.models import Activity, AnswerValue


def answers_data(draft, value=AnswerValue.FULLY_MET):
    main, extra = question_sets_for(draft.activity, draft.work_date, draft.with_disclosure)
    data = {}
    for question_set in filter(None, (main, extra)):
        for question in question_set.questions.all():
            data[f"{question.code}-answer"] = value
            data[f"{question.code}-comment"] = ""
    return data


def iqa_data(draft, unit, /, **overrides):
    """A complete, valid IQA form for the draft: a new case in `unit`, every question fully met."""
    data = {
        "urn": "42AB0123426",
        "unit": str(unit.pk),
        "court": "magistrates",
        "status": "live",
        "stage": "before_trial",
        "overall_comment": "A well-prepared file.",
        **answers_data(draft),
    }
    if draft.activity == Activity.ADVICE:
        data["early_advice_requested"] = "yes"
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


@pytest.fixture
def make_draft(assessor, assessed):
    def make(activity=Activity.CASE_PROGRESSION, *, owner=None, person=None, work_date=None, **fields):
        return services.draft_start(
            owner=owner or assessor,
            assessed=person or assessed,
            activity=activity,
            work_date=work_date or timezone.localdate(),
            **fields,
        )

    return make
