"""Question set versions: the scheme's sets loaded by migration, JSON export and import, copying and publishing."""

import copy
import datetime
import importlib
import json
from pathlib import Path

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError

from assessments.models import (
    Activity,
    Answer,
    AnswerValue,
    Assessment,
    Case,
    CaseStage,
    Court,
    HalfDay,
    Question,
    QuestionSet,
    QuestionSetLockedError,
    Reason,
)
from assessments.question_sets import (
    copy_as_new_version,
    export_question_set,
    import_question_set,
    import_question_sets,
    publish,
)

pytestmark = pytest.mark.django_db

DATA = Path(__file__).resolve().parents[2] / "assessments" / "data" / "question_sets"
SCHEME_START = datetime.date(2017, 4, 1)


def read_data(name):
    return json.loads((DATA / f"{name}.json").read_text(encoding="utf-8"))


def scheme_set(code):
    return QuestionSet.objects.get(code=code, version=1)


def record_answer(question_set, *, team, assessor, assessed, urn="42AB0123418"):
    """The least an answer needs: a case, a half-day and an assessment on the question set."""
    work_date = question_set.applies_from or SCHEME_START
    case = Case.objects.create(
        urn=urn, unit=team.unit, court=Court.MAGISTRATES, stage=CaseStage.BEFORE_TRIAL, registered_by=assessor
    )
    half_day, _ = HalfDay.objects.get_or_create(
        assessor=assessor, assessed=assessed, activity=question_set.activity, work_date=work_date
    )
    assessment = Assessment.objects.create(
        assessor=assessor,
        assessed=assessed,
        team=team,
        activity=question_set.activity,
        question_set=question_set,
        case=case,
        half_day=half_day,
        work_date=work_date,
        recorded_on_time=True,
    )
    return Answer.objects.create(
        assessment=assessment, question=question_set.questions.first(), value=AnswerValue.FULLY_MET
    )


def test_it_loaded_the_scheme_question_sets_by_migration():
    core = QuestionSet.objects.filter(optional=False)
    assert {qs.activity for qs in core} == set(Activity.values)
    assert all(qs.version == 1 and qs.applies_from == SCHEME_START for qs in QuestionSet.objects.all())
    codes = list(
        Question.objects.filter(question_set__optional=False)
        .order_by("question_set__activity", "number")
        .values_list("code", flat=True)
    )
    assert sorted(codes) == sorted(f"Q{n}" for n in range(1, 29))
    disclosure = QuestionSet.objects.get(code="disclosure")
    assert disclosure.optional and disclosure.activity == Activity.CASE_PROGRESSION
    assert list(disclosure.questions.values_list("code", flat=True)) == ["D1", "D2", "D3", "D4", "D5"]


def test_it_puts_each_question_under_its_activity():
    assert list(scheme_set("advice").questions.values_list("code", flat=True)) == ["Q1", "Q2"]
    assert list(scheme_set("charging_review").questions.values_list("number", flat=True)) == [1, 2, 3, 4, 5, 6]
    assert scheme_set("case_presentation").questions.first().code == "Q18"


@pytest.mark.parametrize("name", ["advice", "charging_review", "case_progression", "case_presentation", "disclosure"])
def test_it_exports_each_loaded_set_exactly_as_its_file(name):
    assert export_question_set(scheme_set(name)) == read_data(name)


def test_it_round_trips_export_and_import_as_the_next_version():
    data = export_question_set(scheme_set("case_progression"))
    data["applies_from"] = None

    imported = import_question_set(data)

    assert imported.version == 2 and imported.applies_from is None
    assert export_question_set(imported) == {**data, "version": 2}


def test_it_imports_a_new_code_with_the_version_and_date_in_the_file():
    data = {**read_data("advice"), "code": "advice_pilot", "version": 3, "applies_from": "2020-01-06"}

    imported = import_question_set(data)

    assert (imported.version, imported.applies_from) == (3, datetime.date(2020, 1, 6))
    assert export_question_set(imported) == data


def test_it_numbers_questions_and_reasons_from_list_order():
    data = read_data("advice")
    data["questions"].reverse()
    data["questions"][0]["reasons"].reverse()
    data["applies_from"] = None

    imported = import_question_set(data)

    first = imported.questions.get(number=1)
    assert first.code == "Q2"
    assert first.reasons.get(number=1).code == data["questions"][0]["reasons"][0]["code"]


def _broken(change):
    data = copy.deepcopy(read_data("case_progression"))
    data["applies_from"] = None
    change(data)
    return data


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d.update(format="casework-qa-question-set/9"), "format must be 'casework-qa-question-set/1'"),
        (lambda d: d.update(activity="court_work"), "activity 'court_work' is not one of advice, charging_review"),
        (lambda d: d.update(code="case progression"), "code 'case progression' may only contain letters"),
        (lambda d: d.pop("name"), "name is required and must be text"),
        (lambda d: d.update(questions=[]), "questions: at least one question is required"),
        (lambda d: d.update(applies_from="1 April 2017"), "applies_from must be a date written YYYY-MM-DD"),
        (lambda d: d.update(version=0), "version must be a whole number from 1"),
        (lambda d: d["questions"][2].update(code="Q9"), "questions[2] (Q9): question codes must be unique"),
        (
            lambda d: d["questions"][3]["reasons"][1].update(code="Q12.1"),
            "questions[3] (Q12): reason codes must be unique (Q12.1 repeated)",
        ),
        (lambda d: d["questions"][0].update(reasons=[]), "questions[0] (Q9): at least one reason is required"),
        (
            lambda d: d["questions"][1]["reasons"][-1].update(is_other=False),
            "questions[1] (Q10): exactly one reason must be the 'other' reason (is_other: true); found 0",
        ),
        (
            lambda d: d["questions"][1]["reasons"][0].update(is_other=True),
            "questions[1] (Q10): exactly one reason must be the 'other' reason (is_other: true); found 2",
        ),
        (lambda d: d["questions"][4].update(wording="  "), "questions[4] (Q13): wording is required"),
        (
            lambda d: d["questions"][4]["reasons"][0].update(text="x" * 301),
            "questions[4] (Q13) reasons[0] (Q13.1): text is longer than 300 characters",
        ),
        (lambda d: d["questions"].append("Q99"), "questions[9]: must be an object"),
        (
            lambda d: d.update(activity="advice"),
            "activity and optional must match the existing versions of case_progression",
        ),
    ],
)
def test_it_refuses_a_bad_question_set_with_a_clear_message(change, message):
    with pytest.raises(ValidationError) as refused:
        import_question_set(_broken(change))

    assert any(text.startswith(message) for text in refused.value.messages), refused.value.messages
    assert QuestionSet.objects.filter(code="case_progression").count() == 1


def test_it_lists_every_problem_at_once():
    def change(data):
        data["format"] = None
        data["questions"][0]["reasons"] = []
        data["questions"][1]["code"] = "Q9"

    with pytest.raises(ValidationError) as refused:
        import_question_set(_broken(change))

    assert len(refused.value.messages) == 3


def test_it_refuses_something_that_is_not_an_object():
    with pytest.raises(ValidationError, match="must be a JSON object"):
        import_question_set(["not", "a", "set"])


def test_it_refuses_an_imported_date_not_after_the_published_version():
    data = {**read_data("advice"), "applies_from": "2017-04-01"}

    with pytest.raises(ValidationError) as refused:
        import_question_set(data)

    assert refused.value.messages == [
        "applies_from: The date must be after 1 Apr 2017, when version 1 of advice applies from. "
        "Leave it null to import an unpublished draft."
    ]


def test_it_imports_a_list_all_or_nothing():
    good = {**read_data("advice"), "applies_from": None}
    bad = {**read_data("disclosure"), "applies_from": None, "questions": []}

    with pytest.raises(ValidationError) as refused:
        import_question_sets([good, bad])

    assert refused.value.messages == ["[1] questions: at least one question is required"]
    assert not QuestionSet.objects.filter(version=2).exists()
    assert [qs.code for qs in import_question_sets([good, {**bad, "questions": good["questions"]}])] == [
        "advice",
        "disclosure",
    ]


def test_it_copies_a_version_as_an_unpublished_draft():
    original = scheme_set("charging_review")

    draft = copy_as_new_version(original)

    assert (draft.version, draft.applies_from) == (2, None)
    assert export_question_set(draft) == {**export_question_set(original), "version": 2, "applies_from": None}
    assert (
        Reason.objects.filter(question__question_set=draft).count()
        == Reason.objects.filter(question__question_set=original).count()
    )


def test_it_brings_a_copy_into_force_only_once_published():
    original = scheme_set("case_presentation")
    draft = copy_as_new_version(original)
    day = datetime.date(2019, 4, 1)
    assert QuestionSet.objects.current("case_presentation", day) == original

    publish(draft, day)

    assert QuestionSet.objects.current("case_presentation", day - datetime.timedelta(days=1)) == original
    assert QuestionSet.objects.current("case_presentation", day) == draft
    assert QuestionSet.objects.current("case_presentation", datetime.date(2030, 1, 1)) == draft
    assert QuestionSet.objects.current("case_presentation", datetime.date(2017, 3, 31)) is None


@pytest.mark.parametrize("day", [datetime.date(2017, 4, 1), datetime.date(2016, 4, 1)])
def test_it_refuses_to_publish_on_or_before_the_previous_version(day):
    draft = copy_as_new_version(scheme_set("advice"))

    with pytest.raises(ValidationError, match="must be after 1 Apr 2017, when version 1 of advice applies from"):
        publish(draft, day)

    draft.refresh_from_db()
    assert draft.applies_from is None


def test_it_refuses_to_publish_on_or_after_a_later_version():
    second = copy_as_new_version(scheme_set("advice"))
    third = copy_as_new_version(scheme_set("advice"))
    publish(third, datetime.date(2020, 4, 1))

    with pytest.raises(ValidationError, match="must be before 1 Apr 2020, when version 3 of advice applies from"):
        publish(second, datetime.date(2020, 4, 1))
    publish(second, datetime.date(2019, 4, 1))


def test_it_refuses_to_republish_a_version_with_answers(org, assessor, assessed):
    original = scheme_set("advice")
    record_answer(original, team=org.team_a1a, assessor=assessor, assessed=assessed)

    with pytest.raises(QuestionSetLockedError):
        publish(original, datetime.date(2018, 4, 1))


def test_it_refuses_to_change_questions_and_reasons_of_a_version_with_answers(org, assessor, assessed):
    question_set = scheme_set("advice")
    record_answer(question_set, team=org.team_a1a, assessor=assessor, assessed=assessed)
    question = question_set.questions.last()
    reason = question.reasons.first()

    question.wording = "Changed"
    reason.text = "Changed"
    for refused in (question.save, question.delete, reason.save, reason.delete):
        with pytest.raises(QuestionSetLockedError, match="has answers and cannot be changed"):
            refused()
    with pytest.raises(QuestionSetLockedError):
        Question.objects.create(question_set=question_set, code="Q99", number=9, wording="New")

    assert export_question_set(scheme_set("advice")) == read_data("advice")


def test_it_leaves_the_copy_of_a_version_with_answers_editable(org, assessor, assessed):
    original = scheme_set("advice")
    record_answer(original, team=org.team_a1a, assessor=assessor, assessed=assessed)

    draft = copy_as_new_version(original)
    question = draft.questions.first()
    question.wording = "Reworded for version 2"
    question.save()
    question.reasons.last().delete()

    assert draft.questions.first().wording == "Reworded for version 2"


def test_it_reverses_and_reapplies_the_migration():
    migration = importlib.import_module("assessments.migrations.0002_scheme_question_sets")

    migration.unload(apps, None)
    assert not QuestionSet.objects.exists() and not Question.objects.exists()

    migration.load(apps, None)
    assert Question.objects.count() == 28 + 5
