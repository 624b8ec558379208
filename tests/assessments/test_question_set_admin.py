"""Admin for question sets and the IQA records: locking versions with answers, copy, export, import, query counts."""

import datetime
import json
import re

import pytest
from django.contrib import admin
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessments.models import (
    Acknowledgement,
    Activity,
    Answer,
    AnswerReason,
    Assessment,
    Case,
    Challenge,
    Draft,
    Feedback,
    HalfDay,
    PlannedAssessment,
    Question,
    QuestionSet,
    Reason,
)
from assessments.question_sets import copy_as_new_version, export_question_set
from tests.assessments.test_question_sets import DATA, read_data, record_answer, scheme_set
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

MODELS = [
    QuestionSet,
    Question,
    Reason,
    Case,
    Challenge,
    HalfDay,
    Assessment,
    Answer,
    AnswerReason,
    Draft,
    Feedback,
    PlannedAssessment,
    Feedback,
    Acknowledgement,
    Challenge,
]


@pytest.fixture
def superuser_client(client):
    client.force_login(PersonFactory(is_staff=True, is_superuser=True))
    return client


@pytest.fixture
def answered(org, assessor, assessed):
    """The advice set, version 1, with an answer recorded against it."""
    question_set = scheme_set("advice")
    record_answer(question_set, team=org.team_a1a, assessor=assessor, assessed=assessed)
    return question_set


def _url(model, view, *args):
    return reverse(f"admin:assessments_{model._meta.model_name}_{view}", args=args)


def _messages(response):
    return [str(message) for message in response.context["messages"]]


def _question_set_form(question_set, **changes):
    """The change form's POST data as the page would send it, questions inline included."""
    data = {
        "name": question_set.name,
        "applies_from": question_set.applies_from.isoformat() if question_set.applies_from else "",
        "description": question_set.description,
        "questions-TOTAL_FORMS": question_set.questions.count(),
        "questions-INITIAL_FORMS": question_set.questions.count(),
        "questions-MIN_NUM_FORMS": 0,
        "questions-MAX_NUM_FORMS": 1000,
    }
    for index, question in enumerate(question_set.questions.all()):
        data |= {
            f"questions-{index}-id": question.pk,
            f"questions-{index}-question_set": question_set.pk,
            f"questions-{index}-number": question.number,
            f"questions-{index}-code": question.code,
            f"questions-{index}-wording": question.wording,
        }
    return data | changes


def _upload(content, name="set.json"):
    return {"file": SimpleUploadedFile(name, content, content_type="application/json")}


def test_it_registers_every_assessments_model():
    for model in MODELS:
        assert admin.site.is_registered(model), model


def test_it_lists_the_question_sets_with_their_number_of_questions(superuser_client):
    body = superuser_client.get(_url(QuestionSet, "changelist")).content.decode()

    assert "Case presentation" in body and "Disclosure (optional bespoke set)" in body
    assert re.search(r'<td class="field-number_of_questions">11</td>', body)
    assert "Import from JSON" in body


def test_it_filters_drafts_from_published_versions(superuser_client):
    draft = copy_as_new_version(scheme_set("advice"))

    response = superuser_client.get(_url(QuestionSet, "changelist"), {"published": "no"})

    assert list(response.context["cl"].result_list) == [draft]


def test_it_shows_a_draft_with_its_questions_editable(superuser_client):
    draft = copy_as_new_version(scheme_set("advice"))

    body = superuser_client.get(_url(QuestionSet, "change", draft.pk)).content.decode()

    assert 'name="applies_from"' in body and 'name="questions-0-wording"' in body
    assert "has answers" not in body


def test_it_edits_and_publishes_a_draft(superuser_client):
    draft = copy_as_new_version(scheme_set("advice"))
    data = _question_set_form(draft, applies_from="2019-04-01", **{"questions-1-wording": "Reworded"})

    response = superuser_client.post(_url(QuestionSet, "change", draft.pk), data)

    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.applies_from == datetime.date(2019, 4, 1)
    assert draft.questions.get(number=2).wording == "Reworded"
    assert QuestionSet.objects.current("advice", datetime.date(2019, 4, 1)) == draft


def test_it_refuses_a_publish_date_not_after_the_previous_version(superuser_client):
    draft = copy_as_new_version(scheme_set("advice"))

    response = superuser_client.post(
        _url(QuestionSet, "change", draft.pk), _question_set_form(draft, applies_from="2017-04-01")
    )

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["applies_from"] == [
        "The date must be after 1 Apr 2017, when version 1 of advice applies from."
    ]
    draft.refresh_from_db()
    assert draft.applies_from is None


def test_it_adds_a_new_question_set_but_not_a_new_version_of_an_existing_code(superuser_client):
    fields = {"name": "Pilot", "activity": Activity.ADVICE, "applies_from": "", "description": ""}
    management = {"questions-TOTAL_FORMS": 0, "questions-INITIAL_FORMS": 0}

    response = superuser_client.post(_url(QuestionSet, "add"), {**fields, "code": "advice", **management})
    assert "Copy as a new version to edit" in response.context["adminform"].form.errors["code"][0]

    response = superuser_client.post(_url(QuestionSet, "add"), {**fields, "code": "pilot", **management})
    assert response.status_code == 302
    assert QuestionSet.objects.get(code="pilot").version == 1


def test_it_shows_a_version_with_answers_read_only(superuser_client, answered):
    response = superuser_client.get(_url(QuestionSet, "change", answered.pk))
    body = response.content.decode()

    assert response.status_code == 200
    assert any("Copy as a new version to edit" in message for message in _messages(response))
    assert 'name="name"' not in body and 'name="applies_from"' not in body
    assert 'name="questions-0-wording"' not in body and "questions-0-DELETE" not in body
    assert 'name="_save"' not in body
    assert _url(QuestionSet, "delete", answered.pk) not in body
    assert answered.questions.first().wording in body


def test_it_refuses_a_change_posted_to_a_version_with_answers(superuser_client, answered):
    data = _question_set_form(answered, name="Renamed", **{"questions-0-wording": "Reworded"})

    response = superuser_client.post(_url(QuestionSet, "change", answered.pk), data, follow=True)

    assert "Nothing was saved: this version now has answers." in _messages(response)
    assert export_question_set(scheme_set("advice")) == read_data("advice")


def test_it_refuses_to_delete_a_version_with_answers(superuser_client, answered):
    response = superuser_client.post(_url(QuestionSet, "delete", answered.pk), {"post": "yes"}, follow=True)

    assert "It was not deleted: this version has answers." in _messages(response)
    assert QuestionSet.objects.filter(pk=answered.pk).exists()


def test_it_shows_a_question_with_answers_read_only(superuser_client, answered):
    question = answered.questions.first()

    body = superuser_client.get(_url(Question, "change", question.pk)).content.decode()
    assert 'name="wording"' not in body and 'name="reasons-0-text"' not in body
    assert question.reasons.first().text in body

    superuser_client.post(_url(Question, "change", question.pk), {"wording": "Reworded", "code": "Q1"})
    question.refresh_from_db()
    assert question.wording != "Reworded"


def test_it_refuses_to_add_a_question_or_reason_to_a_version_with_answers(superuser_client, answered):
    question = answered.questions.first()

    response = superuser_client.post(
        _url(Question, "add"),
        {"question_set": answered.pk, "number": 9, "code": "Q99", "wording": "New", "reasons-TOTAL_FORMS": 0},
    )
    assert "has answers and cannot be changed" in str(response.context["adminform"].form.non_field_errors())

    response = superuser_client.post(
        _url(Reason, "add"), {"question": question.pk, "number": 9, "code": "Q1.99", "text": "New"}
    )
    assert "has answers and cannot be changed" in str(response.context["adminform"].form.non_field_errors())
    assert not Question.objects.filter(code="Q99").exists() and not Reason.objects.filter(code="Q1.99").exists()


def test_it_edits_the_reasons_of_a_draft_question(superuser_client):
    question = copy_as_new_version(scheme_set("advice")).questions.first()
    reasons = list(question.reasons.all())
    data = {
        "number": question.number,
        "code": question.code,
        "wording": question.wording,
        "guidance": "New guidance",
        "reasons-TOTAL_FORMS": len(reasons),
        "reasons-INITIAL_FORMS": len(reasons),
    }
    for index, reason in enumerate(reasons):
        data |= {
            f"reasons-{index}-id": reason.pk,
            f"reasons-{index}-question": question.pk,
            f"reasons-{index}-number": reason.number,
            f"reasons-{index}-code": reason.code,
            f"reasons-{index}-text": "Renamed" if index == 0 else reason.text,
        }
        if reason.is_other:
            data[f"reasons-{index}-is_other"] = "on"

    response = superuser_client.post(_url(Question, "change", question.pk), data)

    assert response.status_code == 302
    question.refresh_from_db()
    assert question.guidance == "New guidance" and question.reasons.first().text == "Renamed"


def test_it_copies_a_version_with_the_admin_action(superuser_client, answered):
    response = superuser_client.post(
        _url(QuestionSet, "changelist"), {"action": "copy_as_new_version", "_selected_action": [answered.pk]}
    )

    copy = QuestionSet.objects.get(code="advice", version=2)
    assert response.status_code == 302 and response["Location"] == _url(QuestionSet, "change", copy.pk)
    assert copy.applies_from is None and copy.questions.count() == 2


def test_it_exports_one_version_as_a_json_download(superuser_client):
    advice = scheme_set("advice")

    response = superuser_client.post(
        _url(QuestionSet, "changelist"), {"action": "export_as_json", "_selected_action": [advice.pk]}
    )

    assert response["Content-Disposition"] == 'attachment; filename="advice-v1.json"'
    assert response.content.decode() == (DATA / "advice.json").read_text(encoding="utf-8")


def test_it_exports_several_versions_as_a_list(superuser_client, django_assert_max_num_queries):
    selected = list(QuestionSet.objects.values_list("pk", flat=True))

    # Constant whatever the number of sets: session, user, the sets, their questions, their reasons and so on.
    with django_assert_max_num_queries(10):
        response = superuser_client.post(
            _url(QuestionSet, "changelist"), {"action": "export_as_json", "_selected_action": selected}
        )

    assert response["Content-Disposition"] == 'attachment; filename="question-sets.json"'
    exported = json.loads(response.content)
    assert sorted(data["code"] for data in exported) == sorted(QuestionSet.objects.values_list("code", flat=True))
    assert read_data("case_progression") in exported


def test_it_links_the_import_page_and_shows_its_form(superuser_client):
    response = superuser_client.get(_url(QuestionSet, "import"))

    assert response.status_code == 200
    assert b'type="file"' in response.content


def test_it_imports_an_uploaded_file_as_a_new_version(superuser_client):
    data = {**read_data("disclosure"), "applies_from": "2021-04-01"}
    data["questions"][0]["wording"] = "Reworded in 2021"

    response = superuser_client.post(_url(QuestionSet, "import"), _upload(json.dumps(data).encode()), follow=True)

    imported = QuestionSet.objects.get(code="disclosure", version=2)
    assert response.redirect_chain[-1][0] == _url(QuestionSet, "change", imported.pk)
    assert "Imported Disclosure (optional bespoke set), version 2 (from 1 Apr 2021)." in _messages(response)
    assert export_question_set(imported) == {**data, "version": 2}


def test_it_imports_a_list_exported_for_several(superuser_client):
    data = [{**read_data(name), "applies_from": None} for name in ("advice", "disclosure")]

    response = superuser_client.post(_url(QuestionSet, "import"), _upload(json.dumps(data).encode()))

    assert response.status_code == 302 and response["Location"] == _url(QuestionSet, "changelist")
    assert QuestionSet.objects.filter(version=2).count() == 2


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"{not json", "The file is not valid JSON: Expecting property name enclosed in double quotes at line 1"),
        (b"\xff\xfe{}", "The file is not UTF-8 text."),
        (b"[" * 100_000, "The file is not a question set: it is nested far too deeply."),
        (b"{}", "format must be 'casework-qa-question-set/1', not None"),
        (
            json.dumps({**read_data("advice"), "applies_from": None, "questions": [{"code": "Q1"}]}).encode(),
            "questions[0] (Q1): wording is required and must be text",
        ),
        (b"x" * 1_000_001, "The file is larger than 1 MB"),
    ],
)
def test_it_shows_a_bad_upload_as_an_error_not_a_500(superuser_client, content, message):
    response = superuser_client.post(_url(QuestionSet, "import"), _upload(content))

    assert response.status_code == 200
    errors = response.context["form"].errors["file"]
    assert any(error.startswith(message) for error in errors), errors
    assert "The file was not imported" in response.content.decode()
    assert QuestionSet.objects.count() == 5


def test_it_keeps_inline_script_out_of_the_question_set_pages(superuser_client):
    draft = copy_as_new_version(scheme_set("advice"))
    for url in [_url(QuestionSet, "changelist"), _url(QuestionSet, "import"), _url(QuestionSet, "change", draft.pk)]:
        body = superuser_client.get(url).content.decode()
        inline = [tag for tag in re.findall(r"<script[^>]*>", body) if "src=" not in tag and "json" not in tag]
        assert inline == [], url


def test_it_keeps_recorded_answers_read_only(superuser_client, answered):
    answer = Answer.objects.get()

    body = superuser_client.get(_url(Assessment, "change", answer.assessment_id)).content.decode()
    assert "answers-0-value" not in body and "Fully met" in body
    assert superuser_client.get(_url(Assessment, "add")).status_code == 403
    assert superuser_client.get(_url(Answer, "change", answer.pk)).status_code == 200
    response = superuser_client.post(_url(Answer, "delete", answer.pk), {"post": "yes"})
    assert response.status_code == 403


def _add_rows(count, *, org, assessor, assessed, start):
    """count IQAs, each with its own case, half-day, answer reason, draft and plan, and a new question set version."""
    question_set = scheme_set("case_progression")
    for n in range(start, start + count):
        answer = record_answer(
            question_set, team=org.team_a1a, assessor=assessor, assessed=assessed, urn=f"42AB{n:07d}"
        )
        AnswerReason.objects.create(answer=answer, reason=answer.question.reasons.first())
        Draft.objects.create(
            owner=assessor, assessed=assessed, activity=Activity.ADVICE, work_date=datetime.date(2024, 5, 1)
        )
        PlannedAssessment.objects.create(
            assessor=assessor,
            assessed=assessed,
            activity=Activity.ADVICE,
            week_starting=datetime.date(2024, 5, 6),
            assessment=answer.assessment,
        )
        Feedback.objects.create(
            assessment=answer.assessment, given_on=datetime.date(2024, 5, 2), mode="phone", recorded_by=assessor
        )
        Acknowledgement.objects.create(assessment=answer.assessment, response="Thank you")
        Challenge.objects.create(
            answer=answer,
            raised_by=assessed,
            reasons="Police delay",
            original_value="not_met",
            proposed_value="not_met_other",
        )
        copy_as_new_version(scheme_set("advice"))


def _count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("model", MODELS)
def test_it_lists_in_constant_queries(superuser_client, org, assessor, assessed, model):
    _add_rows(2, org=org, assessor=assessor, assessed=assessed, start=1)
    few = _count_queries(superuser_client, _url(model, "changelist"))

    _add_rows(6, org=org, assessor=assessor, assessed=assessed, start=10)

    assert _count_queries(superuser_client, _url(model, "changelist")) == few
    # And small in itself, as a full page of reasons shows: session, user, the user's roles, two counts, the rows,
    # and a few for date drill-down and filter choices. A query per row would add a hundred.
    assert few <= 14


@pytest.mark.parametrize("model", MODELS)
def test_it_searches_and_shows_each_record(superuser_client, org, assessor, assessed, model):
    _add_rows(1, org=org, assessor=assessor, assessed=assessed, start=1)
    obj = model.objects.first()

    assert superuser_client.get(_url(model, "changelist"), {"q": "Dana"}).status_code == 200
    assert superuser_client.get(_url(model, "change", obj.pk)).status_code == 200
